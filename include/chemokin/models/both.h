#pragma once

#include <chemokin/models/internal_state_interface.h>
#include <chemokin/models/run_and_tumble.h>

namespace chemokin
{
  namespace Models
  {
    /**
     * `Model = both`: the internal-state model and its run-and-tumble limit
     * in one run, on the same x-mesh and velocity set and with the same time
     * steps, with the quantities of Theorem 2.1 between them. Moments and
     * the statistics columns without suffix are the internal-state model's;
     * the limit adds `density_limit` to the output, and the columns
     * `mass_limit`, `x_mean_limit`, `velocity_mean_limit` and
     *
     *   E2 = || pbar^eps - pbar ||_{L1(x, v)},
     *
     * the distance between the m-marginal of the internal-state solution and
     * the run-and-tumble solution. With `Adapt x` or `Adapt v` (the moving
     * frame) the limit takes every adaptation from the internal state, so
     * the two stay on one mesh and one velocity set.
     */
    template <int dim>
    class Both : public Interface<dim>
    {
    public:
      Both(dealii::ParameterHandler &prm, const MPI_Comm &comm);

      double
      time_step() const override;

      void
      advance(double time, double dt) override;

      const PhaseSpace<dim> &
      x_space() const override
      {
        return internal_state->x_space();
      }

      const VelocitySet<dim> &
      velocities() const override
      {
        return internal_state->velocities();
      }

      void
      compute_moments(Moments<dim> &moments) const override;

      void
      add_statistics(StatisticsRow &row) const override;

      void
      add_output_fields(dealii::DataOut<dim> &    data_out,
                        std::deque<PhaseVector> &storage) const override;

      /** Both models' states. */
      void
      save(Checkpoint::Writer &writer) const override;

      void
      load(const Checkpoint::Reader &reader) override;

      void
      write_phase_space(const std::string &directory,
                        unsigned int       index,
                        double             time) const override
      {
        internal_state->write_phase_space(directory, index, time);
      }

    private:
      std::unique_ptr<InternalStateInterface<dim>> internal_state;
      RunAndTumble<dim>  limit;
      MPI_Comm           comm;
      mutable Moments<dim> limit_moments;
    };
  } // namespace Models
} // namespace chemokin
