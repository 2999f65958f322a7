#pragma once

#include <deal.II/base/mpi.h>
#include <deal.II/base/parameter_handler.h>

#include <chemokin/checkpoint/state.h>

#include <chrono>
#include <functional>
#include <string>
#include <vector>

namespace chemokin
{
  namespace Checkpoint
  {
    /**
     * `subsection Checkpointing`: when to write a checkpoint of the whole
     * run, and whether to resume from one.
     *
     * A checkpoint is the directory `<Output directory>/checkpoint`: the
     * scalar state (state.txt, written last), the solution vectors keyed by
     * cell, and for adaptive meshes the p4est mesh. It is written as
     * `checkpoint.new`, then renamed into place; the previous checkpoint is
     * kept (as `checkpoint.old`) until the new one is complete, so a crash at
     * any instant leaves one complete checkpoint.
     *
     * SIGINT and SIGTERM do not kill the run: it finishes the current step,
     * writes a checkpoint and ends normally (exit code 0).
     */
    class Checkpointing
    {
    public:
      static void
      declare_parameters(dealii::ParameterHandler &prm);

      /**
       * Reads the entries, and for `Resume = true | auto` looks for a
       * checkpoint in @p output_directory. Throws InputError if `Resume =
       * true` finds none, or if the checkpoint was written with other
       * physics (it names the first entry that differs). Installs the
       * SIGINT/SIGTERM handlers.
       */
      Checkpointing(dealii::ParameterHandler &prm,
                    const std::string &       output_directory,
                    const MPI_Comm &          comm);

      ~Checkpointing();

      /** The checkpoint to resume from, or empty for a fresh run. */
      const std::string &
      resume_directory() const
      {
        return resume_from;
      }

      /** Its scalar state (only if resume_directory() is not empty). */
      const State &
      saved_state() const
      {
        return saved;
      }

      /**
       * A fresh run (`Resume = false`, or nothing to resume): delete the
       * checkpoints of an earlier run in the output directory, so that they
       * are never resumed in place of this run's. Collective.
       */
      void
      discard_old() const;

      /** Number of MPI ranks that wrote the checkpoint. */
      unsigned int
      saved_ranks() const;

      enum class Request
      {
        none,
        periodic,
        /** mpirun's early notice (StopSignals): a checkpoint, and go on */
        notice,
        stop
      };

      /**
       * Called after every time step, on all ranks: whether to write a
       * checkpoint now (`Steps between checkpoints` or `Time between
       * checkpoints` reached), or to write one and stop (a signal arrived on
       * any rank). Collective.
       */
      Request
      after_step();

      /**
       * Write a checkpoint: @p fill puts the state of the run into a Writer
       * (collective); this function adds the physics parameters and the rank
       * count, and moves the result into place atomically.
       */
      void
      write(const std::function<void(Writer &)> &fill);

      /** The signal that asked the run to stop (0 if none). */
      static int
      stop_signal();

    private:
      MPI_Comm                              comm;
      std::string                           directory;
      unsigned int                          steps_between;
      double                                seconds_between;
      unsigned int                          steps_since = 0;
      std::chrono::steady_clock::time_point last;
      /** `Subsection/Entry = value` lines of every physics parameter */
      std::vector<std::string>              physics;
      std::string                           resume_from;
      State                                 saved;
    };
  } // namespace Checkpoint
} // namespace chemokin
