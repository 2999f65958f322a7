#pragma once

#include <deal.II/base/parameter_handler.h>
#include <deal.II/base/polynomial.h>
#include <deal.II/fe/fe_dgq.h>

#include <chemokin/mesh/x_mesh.h>
#include <chemokin/models/column_projection.h>
#include <chemokin/models/interface.h>
#include <chemokin/models/model_inputs.h>
#include <chemokin/models/x_mesh_model.h>

#include <random>

namespace chemokin
{
  namespace Dynamics
  {
    class Pathway;
  }

  namespace Models
  {
    /**
     * `Model = particles`: the stochastic process behind (1.4)-(1.5), one
     * bacterium at a time (DESIGN §1). Each particle has a position x, a
     * velocity node v_k and a methylation level m. A time step dt:
     *  - runs: x += v_k dt, with periodic wrapping or specular reflection
     *    (the velocity node is mirrored) at the walls; with `inflow` walls a
     *    particle that leaves is gone;
     *  - adapts: the exact Ornstein-Uhlenbeck step of y = m - M for a target
     *    M that changes by dM linearly along the step,
     *    y' = y e^{-dt/eps} - eps (dM/dt)(1 - e^{-dt/eps})
     *         + eps sqrt(1 - e^{-2dt/eps}) xi,
     *    exact for a linear signal (the lag y = -eps D_tM of (1.8) has no
     *    time-step bias);
     *  - tumbles with probability 1 - e^{-lambda(z) dt}, z = (m - M)/eps, to a
     *    node drawn from w_k' K(v_k', v_k); lambda from the cubic table of
     *    TumblingRate::rate_interpolated() (relative error about 1e-10).
     * The same signal, velocity set, boundaries, initial density (sampled by
     * rejection) and Epsilon as the PDE models; the initial m is drawn from
     * N(M(0,x), eps^2), the well-prepared profile. MPI: each rank moves its
     * share with its own random stream (seed + rank); results are
     * reproducible for a given seed and rank count.
     *
     * Moments are histograms on the cells of the x-mesh (constant per
     * cell; with `Adapt x` the mesh adapts to them and to the fields),
     * scaled to the initial mass; `density_error` is their standard
     * error, `velocity_mean_error` that of the drift, and `m_mean` with
     * its standard error `m_mean_error`.
     */
    template <int dim>
    class Particles : public Interface<dim>
    {
    public:
      /** Declares `subsection Particles`. */
      static void
      declare_parameters(dealii::ParameterHandler &prm);

      Particles(dealii::ParameterHandler &prm, const MPI_Comm &comm);

      double
      time_step() const override
      {
        return step_size;
      }

      void
      advance(double time, double dt) override;

      const PhaseSpace<dim> &
      x_space() const override
      {
        return x_mesh.space();
      }

      const VelocitySet<dim> &
      velocities() const override
      {
        return inputs.velocities;
      }

      /** the histogram, and the fields of a reaction-diffusion signal */
      void
      compute_moments(Moments<dim> &moments) const override
      {
        kinetic_moments(moments);
        add_field_moments(moments, *inputs.signal);
      }

      void
      add_statistics(StatisticsRow &row) const override;

      void
      add_output_fields(dealii::DataOut<dim> &, std::deque<PhaseVector> &) const override
      {}

      /**
       * The particles of every rank and its random stream. On the same
       * number of ranks a resumed run continues exactly; on another number,
       * the particles are dealt out again and each rank starts a new stream
       * (seed, rank and time), so the run is statistically the same process.
       */
      void
      save(Checkpoint::Writer &writer) const override;

      void
      load(const Checkpoint::Reader &reader) override;

    private:
      struct Particle
      {
        dealii::Point<dim> x;
        unsigned int       k;
        double             m;
        /** M(t, x) at the particle's current time and place */
        double             M;
      };

      /** compute_moments() without the signal's fields */
      void
      kinetic_moments(Moments<dim> &moments) const;

      /**
       * `Adapt x`: the flags from the histogram and the fields, then the new
       * x-mesh (the fields move with it); whether it changed
       */
      bool
      adapt_mesh();

      /**
       * `Dynamics = pathway`: offsets[i] = m0 + l(S)/alpha at particle i's
       * M, the methylation level at u = 0 (derived from the particles, not
       * saved: two ligand terms per particle and step were half a step's cost)
       */
      void
      cache_offsets();

      /** reaction-diffusion signal: the frozen M of every cell on every rank */
      void
      gather_coupled_signal();

      /** M at @p x from gather_coupled_signal()'s table (the cell's DG polynomial) */
      double
      coupled_value(const dealii::Point<dim> &x) const;

      ModelInputs<dim>                                          inputs;
      MPI_Comm                                                  comm;
      double                                                    epsilon;
      /** `Dynamics = pathway` (else nullptr: the linear dynamics, an exact OU step) */
      const Dynamics::Pathway *                                 pathway = nullptr;
      double                                                    step_size;
      unsigned long                                             n_total;
      double                                                    initial_mass;
      std::vector<Particle>                                     particles;
      /** see cache_offsets() (empty for the linear dynamics) */
      std::vector<double>                                       offsets;
      std::mt19937_64                                           random;
      unsigned long                                             seed;
      /** cumulative law of the new node given the old one, [old][new] */
      std::vector<std::vector<double>>                          turning_law;
      XMesh<dim>                                                x_mesh;
      ColumnProjection<dim>                                     grid;
      /** the x-mesh's 1-D Lagrange basis on the Gauss points (coupled_value()) */
      std::vector<dealii::Polynomials::Polynomial<double>> basis_1d;
      static constexpr unsigned int max_nodes_1d = 9;
      /** per uniform cell: M at its nodes, its lower corner and its size */
      std::vector<double> coupled_cells;
      unsigned int        steps = 0;
      mutable double velocity_mean_error = 0;
      /** the mean methylation level and its standard error */
      mutable double m_mean = 0, m_mean_error = 0;
    };
  } // namespace Models
} // namespace chemokin
