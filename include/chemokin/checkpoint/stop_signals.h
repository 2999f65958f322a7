#pragma once

#include <string>

namespace chemokin
{
  namespace Checkpoint
  {
    /**
     * The signals that ask a run to write a checkpoint and stop (README
     * "Long runs"): SIGINT, SIGTERM, SIGUSR1 and SIGUSR2; and, in a rank
     * started by Open MPI's mpirun, SIGCONT as the notice to write one at
     * once and go on.
     *
     * Why SIGCONT: mpirun does not forward SIGTERM or SIGINT (a batch
     * system's notice, Ctrl-C in a terminal). It ends the job instead: every
     * rank gets SIGCONT at once, SIGTERM `odls_base_sigkill_timeout` seconds
     * later (default 1) and SIGKILL as long again after that. The SIGCONT is
     * the earliest notice a rank gets. It cannot tell the end of a job from
     * `fg` after Ctrl-Z (mpirun stops the ranks with SIGSTOP, which no
     * handler sees), so it only writes a checkpoint: after `fg` the run goes
     * on with one checkpoint more; at the end of a job the SIGTERM that
     * follows stops it, and the checkpoint of the notice is safe even if
     * SIGKILL comes before the last one is complete. SIGUSR1 and SIGUSR2
     * mpirun forwards as they are, with no SIGKILL after them.
     */
    namespace StopSignals
    {
      /** Install the handlers (the previous ones are not kept). */
      void
      install();

      /** The default actions again. */
      void
      uninstall();

      /** The signal that asked the run to stop, 0 if none. */
      int
      received();

      /**
       * Whether mpirun's notice (SIGCONT) came since the last call; the
       * call takes it.
       */
      bool
      take_notice();

      /** "signal 15 (SIGTERM)" */
      std::string
      describe(int signal);
    } // namespace StopSignals
  }   // namespace Checkpoint
} // namespace chemokin
