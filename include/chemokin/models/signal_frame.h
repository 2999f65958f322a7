#pragma once

#include <deal.II/base/parameter_handler.h>

#include <chemokin/dynamics/interface.h>
#include <chemokin/mesh/u_grid.h>
#include <chemokin/models/characteristic_lag.h>
#include <chemokin/models/internal_state_interface.h>
#include <chemokin/models/internal_state_parameters.h>
#include <chemokin/models/x_mesh_model.h>
#include <chemokin/operators/drift_diffusion.h>
#include <chemokin/operators/local_tumbling.h>
#include <chemokin/operators/transport.h>
#include <chemokin/output/vtu_series.h>
#include <chemokin/signal/interface.h>
#include <chemokin/time_stepping/imex_integrator.h>

#include <memory>

namespace chemokin
{
  namespace Models
  {
    /**
     * The internal-state model in the frame relative to the signal
     * (`Internal state/Frame = signal`, DESIGN §11), for any internal
     * dynamics of Dynamics::Interface (`linear`, `pathway`):
     *
     *   d_t q + v.grad_x q + d_u[(g(u) - mu(t, x, v)) q] - D d_u^2 q
     *     = lambda(u) (sum_v' w' K(v, v') q(v') - q(v)).
     *
     * Phase space: the x-mesh times n_v * n_u lanes, velocity-major, u
     * innermost (the u-cells are the SIMD lane, DESIGN §6). Transport moves
     * every u-lane of v_k with v_k (reflecting walls keep u: they keep m
     * and S); LocalTumbling is pointwise in u; DriftDiffusion is the
     * Fokker-Planck operator of each lane, with that lane's forcing mu.
     * IMEX time stepping as in the moving frame: explicit transport and
     * tumbling, implicit Fokker-Planck, so the step is the x-CFL step.
     *
     * The u-axis (UGrid) is shared by all lanes and sized by itself: it
     * starts where the adapted law lives, widened by the largest shift the
     * initial forcing causes, and grows at an end by a quarter of its cells
     * whenever the mass in the end eighth exceeds `U tail tolerance` (the
     * cells stop adapting in gradients steeper than the methylation can
     * follow, and u drifts off). Growing adds empty cells: mass is kept to
     * the last bit.
     *
     * With the linear dynamics the model also solves for the lag L of
     * (1.8) (CharacteristicLag), so that it reports the paper's E1 and E3
     * against the centre N as the moving frame does.
     */
    template <int dim>
    class SignalFrame : public XMeshModel<dim>, public InternalStateInterface<dim>
    {
    public:
      /** Declares `Internal state/U cell size` and `U tail tolerance`. */
      static void
      declare_parameters(dealii::ParameterHandler &prm);

      SignalFrame(dealii::ParameterHandler &prm, const MPI_Comm &comm);

      double
      time_step() const override;

      void
      add_output_fields(dealii::DataOut<dim> &    data_out,
                        std::deque<PhaseVector> &storage) const override;

      /**
       * d = 1: phase_u.pvd, q over (x, u), one sheet per velocity at height
       * v_k, with the fields q, m and a (the activity; 0 for `linear`).
       * d = 2, 3: none.
       */
      void
      write_phase_space(const std::string &directory,
                        unsigned int       index,
                        double             time) const override;

      const PhaseVector &
      marginal() const override
      {
        return marginal_vector;
      }

      /** The u-axis now. */
      const UGrid &
      u_grid() const
      {
        return grid;
      }

    private:
      using XMeshModel<dim>::inputs;
      using XMeshModel<dim>::comm;
      using XMeshModel<dim>::mesh;
      using XMeshModel<dim>::time_now;

      const PhaseSpace<dim> &
      solution_space() const override
      {
        return *lanes;
      }

      void
      setup_operators() override;

      void
      set_initial_condition() override;

      void
      kinetic_step(double time, double dt) override;

      void
      density(PhaseVector &rho) const override;

      void
      kinetic_moments(Moments<dim> &moments) const override;

      std::vector<double>
      velocity_profiles() const override;

      void
      add_model_statistics(StatisticsRow &row) const override;

      void
      save_model_state(Checkpoint::State &state) const override;

      void
      load_model_state(const Checkpoint::State &state) override;

      bool
      load_layout(const Checkpoint::State &state) override;

      void
      solution_replaced() override
      {
        integrator->restart();
        if (lag)
          lag->restart();
      }

      /** the limiter leaves the lag alone */
      void
      solution_modified() override
      {
        integrator->solution_modified();
      }

      /** mu(t, x_i, v_k) at [i n_v + k] */
      const std::vector<double> &
      forcing(double t) const;

      /** The initial u-axis: the adapted law and the shifts of the initial forcing. */
      UGrid
      initial_grid(dealii::ParameterHandler &prm) const;

      /**
       * Grow the u-axis at an end whose cells hold more than the tolerance,
       * give cells back where they are nearly empty, never inside the
       * initial axis (LaneAxisGrowth; collective).
       */
      void
      resize_axis();

      const Dynamics::Interface &dynamics;
      PhaseVector &              q;
      UGrid                      grid;
      /** the axis at the start: shrinking never cuts into it */
      UGrid                      initial_extent;
      double                     tail_tolerance;
      std::unique_ptr<PhaseSpace<dim>>      lanes;
      VelocitySet<dim>                      lane_velocities;
      std::unique_ptr<Transport<dim, dim>>  transport;
      std::unique_ptr<LocalTumbling>        tumbling;
      std::unique_ptr<DriftDiffusion>       drift_diffusion;
      std::unique_ptr<ImexIntegrator>       integrator;
      /**
       * `linear`: the lag L of (1.8), the centre N = M - eps L of the
       * paper's E1 and E3 (y = z + L); nullptr for the pathway, which has
       * no such centre
       */
      std::unique_ptr<CharacteristicLag<dim>> lag;
      /** `linear`: the offset y = z + L, E1 and E3 of the last compute_moments() */
      mutable InternalStateStatistics centre_statistics;

      mutable double                      forcing_time;
      mutable std::vector<double>         mu;
      mutable Signal::Samples<dim>        samples;

      mutable VtuSeries   phase_series{"phase_u"};
      mutable PhaseVector marginal_vector;
      mutable PhaseVector m_mean_field, u_mean_field, u_variance_field, activity_field,
        rate_field;
      /**
       * mass, m, u, u^2, a, a^2, lambda, tail, |q - qbar rho_mu|, the
       * relative entropy (totals of the last compute_moments())
       */
      mutable std::array<double, 10> totals{};

    };
  } // namespace Models
} // namespace chemokin
