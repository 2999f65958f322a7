#pragma once

#include <deal.II/base/parameter_handler.h>
#include <deal.II/distributed/tria.h>
#include <deal.II/fe/fe_dgq.h>

#include <chemokin/mesh/x_mesh.h>
#include <chemokin/models/column_projection.h>
#include <chemokin/models/internal_state_interface.h>
#include <chemokin/models/model_inputs.h>
#include <chemokin/operators/fokker_planck.h>
#include <chemokin/operators/transport.h>
#include <chemokin/operators/tumbling.h>
#include <chemokin/output/vtu_series.h>
#include <chemokin/signal/concentration_centre.h>
#include <chemokin/time_stepping/arkode_imex.h>

#include <memory>

namespace chemokin
{
  namespace Models
  {
    /**
     * The internal-state model (1.4)-(1.5):
     *
     *   dp/dt + v.grad_x p = (1/eps) d_m[(m - M) p] + eps d_m^2 p + Q^eps[p],
     *   Q^eps[p](v) = int lambda(z) (K(v,v') p(v') - K(v',v) p(v)) dv',
     *   z = (m - M(t,x))/eps,
     *
     * on the phase space (x, m)-mesh ⊗ velocity nodes. The (x, m)-mesh
     * (p4est, dimension d + 1, m the last axis) is refined to
     * h_m <= eps / `Cells per epsilon` inside the band
     * U_k [N(t,x,v_k) - b eps, N(t,x,v_k) + b eps] around the concentration
     * centre N of (1.8) and coarsened outside; it follows the band every
     * `Refinement interval` steps, with a conservative solution transfer.
     * IMEX time stepping: explicit transport and tumbling, implicit
     * Fokker-Planck (ARKode).
     *
     * Moments are reported on the uniform x-mesh of `Discretization/
     * Refinement` (the x-mesh of the run-and-tumble model), by exact L2
     * projection of the m-integrals.
     */
    template <int dim>
    class InternalState : public InternalStateInterface<dim>
    {
    public:
      /** Declares `subsection Internal state`. */
      static void
      declare_parameters(dealii::ParameterHandler &prm);

      InternalState(dealii::ParameterHandler &prm, const MPI_Comm &comm);

      double
      time_step() const override;

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

      void
      compute_moments(Moments<dim> &moments) const override;

      void
      add_statistics(StatisticsRow &row) const override;

      void
      add_output_fields(dealii::DataOut<dim> &    data_out,
                        std::deque<PhaseVector> &storage) const override;

      /** phase_NNNNN.pvtu: p(x, m, v_k) for every velocity, and phase.pvd. */
      void
      write_phase_space(const std::string &directory,
                        unsigned int       index,
                        double             time) const override;

      /** The (x, m)-mesh (p4est), the solution, E1 so far, output series. */
      void
      save(Checkpoint::Writer &writer) const override;

      void
      load(const Checkpoint::Reader &reader) override;

      /** p^eps integrated over m, per velocity, on x_space() ([x-DoF][v]). */
      const PhaseVector &
      marginal() const override
      {
        return marginal_vector;
      }

      /** N(t, x, v) of (1.8), for the current time. */
      const ConcentrationCentre<dim> &
      concentration_centre() const
      {
        return *centre;
      }

      double
      current_time() const
      {
        return time_now;
      }

      /** The (x, m) phase space and its solution (for tests). */
      const PhaseSpace<dim + 1> &
      xm_space() const
      {
        return *phase_space;
      }
      const PhaseVector &
      solution() const
      {
        return phase_solution;
      }
      /** Total mass on the (x, m)-mesh, exactly. */
      double
      mass() const;

      /** Adapt the mesh to the band at the current time (also used at start). */
      bool
      adapt_mesh();

      /** Smallest m-extent of an active cell. */
      double
      min_cell_m() const;

      /**
       * Largest m-extent of the active cells that meet the band at the
       * current time (the target is eps / `Cells per epsilon`).
       */
      double
      max_band_cell_m() const;

      double
      target_cell_m() const
      {
        return epsilon / cells_per_epsilon;
      }

      unsigned int
      n_cells() const
      {
        return triangulation->n_global_active_cells();
      }

    private:
      /** d = 1: phase_volume_NNNNN.pvtu, p over (x, v, m), and phase_volume.pvd. */
      void
      write_phase_volume(const std::string &directory, unsigned int index, double time) const;

      /** Refuse the flagged refinement if the result would not fit in memory. */
      void
      check_memory() const;
      /** (Re)create the coarse (x, m)-mesh and attach the DoFHandler to it. */
      void
      make_coarse_mesh();
      void
      setup_dofs();
      void
      set_initial_condition();
      /** Fill the cell flags for the band at time t; returns whether any changed. */
      bool
      mark_cells(double t);
      /** Whether a cell with corners low, high meets the band at time t. */
      bool
      meets_band(double t, const dealii::Point<dim + 1> &low, const dealii::Point<dim + 1> &high) const;

      ModelInputs<dim> inputs;
      MPI_Comm         comm;
      double           epsilon;
      double           m_min, m_max;
      double           cells_per_epsilon, band_width;
      unsigned int     refinement_interval, max_level;
      /** `Mesh = uniform`: the whole (x, m)-box at the band's resolution */
      bool             uniform_mesh;
      std::string      methylation_profile;

      std::unique_ptr<ConcentrationCentre<dim>> centre;

      // the (x, m) phase space: the coarse box, then p4est refinement
      dealii::Point<dim + 1>    coarse_lower, coarse_upper;
      std::array<bool, dim + 1> coarse_periodic{};
      std::vector<unsigned int> coarse_repetitions;
      dealii::parallel::distributed::Triangulation<dim + 1> *triangulation;
      std::unique_ptr<dealii::parallel::TriangulationBase<dim + 1>> triangulation_owner;
      dealii::FE_DGQArbitraryNodes<dim + 1>                     fe;
      dealii::DoFHandler<dim + 1>                               dof_handler;
      std::unique_ptr<PhaseSpace<dim + 1>>                      phase_space;
      std::unique_ptr<Transport<dim, dim + 1>>                  transport;
      std::unique_ptr<Tumbling<dim + 1>>                        tumbling;
      std::unique_ptr<FokkerPlanck<dim>>                        fokker_planck;
      std::unique_ptr<ArkodeImex>                               integrator;
      PhaseVector                                               phase_solution;
      double                                                    time_now = 0;
      unsigned int                                              steps    = 0;

      // the x-mesh of the moments
      XMesh<dim>                                                x_mesh;
      mutable ColumnProjection<dim>                             projection;

      // results of compute_moments() for add_statistics()
      mutable PhaseVector marginal_vector;
      /** mean of m, mean and variance of y = (m - N)/eps, per x-node */
      mutable PhaseVector m_mean_field, y_mean_field, y_variance_field;
      mutable VtuSeries   phase_series{"phase"}, volume_series{"phase_volume"};
      mutable double      stat_mass = 0;
      mutable InternalStateStatistics statistics;
    };
  } // namespace Models
} // namespace chemokin
