#pragma once

#include <deal.II/base/parameter_handler.h>

#include <chemokin/mesh/x_mesh.h>
#include <chemokin/mesh/y_grid.h>
#include <chemokin/models/internal_state_interface.h>
#include <chemokin/models/model_inputs.h>
#include <chemokin/operators/lag_relaxation.h>
#include <chemokin/operators/ornstein_uhlenbeck.h>
#include <chemokin/operators/shifted_tumbling.h>
#include <chemokin/operators/transport.h>
#include <chemokin/output/vtu_series.h>
#include <chemokin/time_stepping/imex_integrator.h>

#include <memory>

namespace chemokin
{
  namespace Models
  {
    /**
     * The internal-state model in the moving frame of the paper's proof
     * (DESIGN §8): with the lag L = D_tN of (1.8) and N = M - eps L,
     *
     *   p(t, x, v, m) = (1/eps) q(t, x, v, y),   y = (m - N(t, x, v))/eps,
     *
     * is an exact change of variables, and q solves (1.9)
     *
     *   d_t q + v.grad_x q = (1/eps) d_y[y q + d_y q] + Q[q],
     *
     * with the tumbling operator Q of ShiftedTumbling. Every coefficient is
     * O(1) uniformly in eps and q lives on y = O(1): the x-mesh and the
     * y-grid do not depend on eps, and neither does the cost.
     *
     * Phase space: the x-mesh of `Discretization` (the run-and-tumble
     * model's) times n_v * (n_y + 1) lanes: per velocity node, the n_y
     * y-cells and the lag L (LagRelaxation), stored velocity-major, y
     * innermost, L last. Transport moves every lane of v_k with v_k (the
     * Transport module, with each node repeated n_y + 1 times); reflecting
     * walls keep y and L. IMEX time stepping (ARKode): explicit transport
     * and tumbling, implicit Ornstein-Uhlenbeck operator (OrnsteinUhlenbeck)
     * and lag relaxation, so the step is the x-CFL step for every eps, and
     * for eps << dt the scheme becomes the run-and-tumble model's
     * (asymptotic preservation).
     */
    template <int dim>
    class MovingFrame : public InternalStateInterface<dim>
    {
    public:
      /** Declares `Internal state/Y range` and `Y cell size`. */
      static void
      declare_parameters(dealii::ParameterHandler &prm);

      MovingFrame(dealii::ParameterHandler &prm, const MPI_Comm &comm);

      double
      time_step() const override;

      void
      advance(double time, double dt) override;

      const PhaseSpace<dim> &
      x_space() const override
      {
        return mesh.space();
      }

      const VelocitySet<dim> &
      velocities() const override
      {
        return inputs.velocities;
      }

      void
      compute_moments(Moments<dim> &moments) const override;

      void
      add_statistics(StatisticsRow &row) const override;

      void
      add_output_fields(dealii::DataOut<dim> &    data_out,
                        std::deque<PhaseVector> &storage) const override;

      /**
       * d = 1: phase.pvd, p = q/eps over (x, m) with m = N + eps y (as the
       * fixed frame shows it), one sheet per velocity at height v_k (fields
       * p and y); phase_y.pvd, the same over (x, y) (fields p and m).
       * d = 2: phase_y.pvd, the volume over (x_1, x_2, y) with the fields
       * p_k of every velocity. d = 3: none.
       */
      void
      write_phase_space(const std::string &directory,
                        unsigned int       index,
                        double             time) const override;

      void
      save(Checkpoint::Writer &writer) const override;

      void
      load(const Checkpoint::Reader &reader) override;

      const PhaseVector &
      marginal() const override
      {
        return marginal_vector;
      }

    private:
      /** rho = int int p dv dm = sum_k w_k sum_j h q_kj at every x-node */
      void
      density(PhaseVector &rho) const;

      /** compute_moments() without the signal's fields */
      void
      kinetic_moments(Moments<dim> &moments) const;

      void
      set_initial_condition(const std::string &methylation_profile);

      /** Lanes, transport, tumbling and lag relaxation on the current x-mesh. */
      void
      setup_operators();

      /** The flags of `Adaptive refinement` from the density; whether any. */
      bool
      mark_cells();

      /** Adapt the x-mesh and carry every lane over (mass exactly). */
      void
      adapt_mesh();

      /** The density in (x, v) (q integrated over y), [x-node][v]. */
      std::vector<double>
      velocity_profiles() const;

      /** Adapt the velocity mesh and carry every lane over (mass exactly). */
      void
      adapt_velocities();

      ModelInputs<dim> inputs;
      MPI_Comm         comm;
      double           epsilon;
      YGrid            grid;
      XMesh<dim>       mesh;
      /** the x-mesh DoFs times (velocity, y) lanes */
      std::unique_ptr<PhaseSpace<dim>> lanes;
      /** every velocity node repeated n_y times (for Transport) */
      VelocitySet<dim> lane_velocities;

      /** entries per (x-node, velocity): n_y y-cells and the lag */
      unsigned int                            block;
      std::unique_ptr<Transport<dim, dim>>    transport;
      std::unique_ptr<ShiftedTumbling<dim>>   tumbling;
      std::unique_ptr<OrnsteinUhlenbeck>      ornstein_uhlenbeck;
      std::unique_ptr<LagRelaxation<dim>>     lag_relaxation;
      std::unique_ptr<ImexIntegrator>         integrator;
      PhaseVector                             q;
      double                                  time_now = 0;
      unsigned int                            steps    = 0;

      mutable PhaseVector marginal_vector;
      mutable PhaseVector m_mean_field, y_mean_field, y_variance_field;
      mutable VtuSeries   phase_series{"phase"}, phase_y_series{"phase_y"};
      mutable double      stat_tail = 0;
      mutable InternalStateStatistics statistics;
    };
  } // namespace Models
} // namespace chemokin
