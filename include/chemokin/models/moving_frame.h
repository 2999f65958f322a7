#pragma once

#include <deal.II/base/parameter_handler.h>

#include <chemokin/mesh/lane_layout.h>
#include <chemokin/mesh/x_mesh.h>
#include <chemokin/mesh/y_grid.h>
#include <chemokin/models/internal_state_interface.h>
#include <chemokin/models/internal_state_parameters.h>
#include <chemokin/models/model_inputs.h>
#include <chemokin/models/x_mesh_model.h>
#include <chemokin/operators/implicit_tumbling.h>
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
     * walls keep y and L. IMEX time stepping (ImexIntegrator): explicit transport
     * and tumbling, implicit Ornstein-Uhlenbeck operator (OrnsteinUhlenbeck)
     * and lag relaxation, and with `low storage` the part of the tumbling
     * frequency above 1/dt_x implicit too (ImplicitTumbling), so the step is
     * the x-CFL step for every eps and every rate, and
     * for eps << dt the scheme becomes the run-and-tumble model's
     * (asymptotic preservation).
     */
    template <int dim>
    class MovingFrame : public XMeshModel<dim>, public InternalStateInterface<dim>
    {
    public:
      /**
       * Declares `Internal state/Y range`, `Y tail tolerance`, `Y cell size`
       * and `Implicit tumbling above`.
       */
      static void
      declare_parameters(dealii::ParameterHandler &prm);

      MovingFrame(dealii::ParameterHandler &prm, const MPI_Comm &comm);

      MovingFrame(dealii::ParameterHandler &      prm,
                  const MPI_Comm &                comm,
                  const InternalStateParameters &parameters);

      double
      time_step() const override;

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

      const PhaseVector &
      marginal() const override
      {
        return marginal_vector;
      }

    private:
      /** the y-grid of `Y range` and `Y cell size` */
      static YGrid
      read_y_grid(dealii::ParameterHandler &prm, const ModelInputs<dim> &inputs);

      /**
       * `Implicit tumbling above`: +inf for `none` (and `auto` with ARKode),
       * 0 for `auto` (1/dt_x, set with the operators), or the rate.
       */
      static double
      read_implicit_tumbling(dealii::ParameterHandler &prm, const std::string &implementation);

      using XMeshModel<dim>::inputs;
      using XMeshModel<dim>::comm;
      using XMeshModel<dim>::mesh;
      using XMeshModel<dim>::time_now;

      const PhaseSpace<dim> &
      solution_space() const override
      {
        return *lanes;
      }

      /** Lanes, transport, tumbling and lag relaxation on the current x-mesh. */
      void
      setup_operators() override;

      void
      set_initial_condition() override;

      void
      kinetic_step(double time, double dt) override;

      /** rho = int int p dv dm = sum_k w_k sum_j h q_kj at every x-node */
      void
      density(PhaseVector &rho) const override;

      /** and the marginals, the m- and y-moments, E1, E3, the entropy */
      void
      kinetic_moments(Moments<dim> &moments) const override;

      /** The density in (x, v) (q integrated over y), [x-node][v]. */
      std::vector<double>
      velocity_profiles() const override;

      /** of p = q/eps on the y-cells (not the lags) */
      double
      min_value() const override;

      /** m_mean ... relative_entropy, y_tail_mass */
      void
      add_model_statistics(StatisticsRow &row) const override;

      /** E1's time integral and the phase-space series */
      void
      save_model_state(Checkpoint::State &state) const override;

      void
      load_model_state(const Checkpoint::State &state) override;

      /** the y-grid of the checkpoint, when it grew */
      bool
      load_layout(const Checkpoint::State &state) override;

      /**
       * With `Y range = auto`: grow the y-grid at both ends where the end
       * cells hold more than `Y tail tolerance`, shrink it back where both
       * ends are nearly empty, never below its initial size (LaneAxisGrowth;
       * collective; mass is kept to round-off).
       */
      void
      resize_axis(double time);

      /** block, lanes_per_velocity and the limiter's skip from the grid */
      void
      set_block();

      /** where q keeps the y-cells and the lag of every (x-node, velocity) */
      LaneLayout
      lane_layout() const
      {
        return {static_cast<unsigned int>(inputs.velocities.size()),
                static_cast<unsigned int>(grid.size())};
      }

      void
      solution_replaced() override
      {
        integrator->restart();
      }

      void
      solution_modified() override
      {
        integrator->solution_modified();
      }

      /** the solution: [x-DoF][velocity][y-cells, lag] */
      PhaseVector &q;
      double       epsilon;
      std::string  methylation_profile;
      YGrid        grid;
      /** the x-mesh DoFs times (velocity, y) lanes */
      std::unique_ptr<PhaseSpace<dim>> lanes;
      /** every velocity node repeated n_y times (for Transport) */
      VelocitySet<dim> lane_velocities;

      /** entries per (x-node, velocity): n_y y-cells and the lag */
      unsigned int                            block;
      /** the y-cells at the start: shrinking stops there */
      unsigned int                            initial_cells;
      /** `Y range = auto`: the grid grows */
      bool                                    grows = false;
      double                                  tail_tolerance = 1e-8;
      std::unique_ptr<Transport<dim, dim>>    transport;
      std::unique_ptr<ShiftedTumbling<dim>>   tumbling;
      std::unique_ptr<OrnsteinUhlenbeck>      ornstein_uhlenbeck;
      std::unique_ptr<LagRelaxation<dim>>     lag_relaxation;
      /** the implicit stage: Ornstein-Uhlenbeck and the tumbling above the split rate */
      std::unique_ptr<ImplicitTumbling<dim>>  implicit_tumbling;
      /** `Implicit tumbling above`: 0 for auto (1/dt_x), +inf for none */
      double                                  implicit_above;
      std::unique_ptr<ImexIntegrator>         integrator;

      mutable PhaseVector marginal_vector;
      mutable PhaseVector m_mean_field, y_mean_field, y_variance_field;
      mutable VtuSeries   phase_series{"phase"}, phase_y_series{"phase_y"};
      mutable double      stat_tail = 0;
      mutable InternalStateStatistics statistics;
    };
  } // namespace Models
} // namespace chemokin
