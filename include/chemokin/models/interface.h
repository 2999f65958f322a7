#pragma once

#include <deal.II/dofs/dof_handler.h>
#include <deal.II/numerics/data_out.h>

#include <chemokin/checkpoint/state.h>
#include <chemokin/mesh/phase_space.h>
#include <chemokin/velocity/velocity_set.h>

#include <array>
#include <string>
#include <utility>
#include <deque>
#include <vector>

namespace chemokin
{
  namespace Models
  {
    /** Velocity moments on the x-mesh: one value per locally owned x-DoF. */
    template <int dim>
    struct Moments
    {
      /** rho = int p dv */
      PhaseVector density;
      /** J_j = int v_j p dv */
      std::array<PhaseVector, dim> flux;
      /** `both` mode: the density of the run-and-tumble limit (else empty) */
      PhaseVector density_limit;
      /** particle model: the standard error of the density (else empty) */
      PhaseVector density_error;
      /** reaction-diffusion signal: its fields at the x-nodes, by name (else empty) */
      std::vector<std::pair<std::string, PhaseVector>> fields;
    };

    /** Named scalar results of one output time, in column order. */
    using StatisticsRow = std::vector<std::pair<std::string, double>>;

    /**
     * A kinetic model: owns its mesh, phase space, operators and solution,
     * advances in time, and reports what the postprocessors need on the
     * x-mesh. Postprocessors never touch the phase-space vector directly, so
     * models on other phase spaces (the internal-state model's (x, m)-mesh)
     * share them.
     */
    template <int dim>
    class Interface
    {
    public:
      virtual ~Interface() = default;

      /** Largest stable time step, CFL number included. */
      virtual double
      time_step() const = 0;

      /** Advance the solution from @p time by @p dt. */
      virtual void
      advance(double time, double dt) = 0;

      /** The x-mesh node layout (positions, weights, cells). */
      virtual const PhaseSpace<dim> &
      x_space() const = 0;

      virtual const VelocitySet<dim> &
      velocities() const = 0;

      virtual void
      compute_moments(Moments<dim> &moments) const = 0;

      /** Model-specific statistics columns (appended after the common ones). */
      virtual void
      add_statistics(StatisticsRow &row) const = 0;

      /**
       * Add model-specific fields to @p data_out; @p storage keeps the
       * vectors alive until the output is written.
       */
      virtual void
      add_output_fields(dealii::DataOut<dim> &    data_out,
                        std::deque<PhaseVector> &storage) const = 0;

      /**
       * Models whose phase space has more than x (the internal-state model's
       * (x, m)-mesh) write it as a series of its own into @p directory.
       */
      virtual void
      write_phase_space(const std::string &, unsigned int, double) const
      {}

      /**
       * Write everything needed to continue the run into a checkpoint:
       * solution vectors (Checkpoint::save_cell_data), adaptive meshes, and
       * scalar state under keys `model.*`. Collective.
       */
      virtual void
      save(Checkpoint::Writer &writer) const = 0;

      /**
       * Restore what save() wrote. The model has been constructed from the
       * same physics parameters; the number of ranks may differ. Collective.
       */
      virtual void
      load(const Checkpoint::Reader &reader) = 0;
    };
  } // namespace Models
} // namespace chemokin
