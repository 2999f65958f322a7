#include <chemokin/checkpoint/stop_signals.h>

#include <csignal>
#include <cstdlib>

namespace chemokin
{
  namespace Checkpoint
  {
    namespace StopSignals
    {
      namespace
      {
        volatile std::sig_atomic_t stop_request = 0;
        volatile std::sig_atomic_t notice       = 0;

        extern "C" void
        on_stop_request(const int signal)
        {
          if (stop_request == 0)
            stop_request = signal;
        }

        extern "C" void
        on_notice(int)
        {
          notice = 1;
        }

        /** started by Open MPI's mpirun (a singleton has no such variable) */
        bool
        under_mpirun()
        {
          return std::getenv("OMPI_COMM_WORLD_SIZE") != nullptr;
        }

        constexpr int requests[] = {SIGINT, SIGTERM, SIGUSR1, SIGUSR2};
      } // namespace

      void
      install()
      {
        stop_request = 0;
        notice       = 0;
        for (const int signal : requests)
          std::signal(signal, on_stop_request);
        if (under_mpirun())
          std::signal(SIGCONT, on_notice);
      }

      void
      uninstall()
      {
        for (const int signal : requests)
          std::signal(signal, SIG_DFL);
        if (under_mpirun())
          std::signal(SIGCONT, SIG_DFL);
      }

      int
      received()
      {
        return stop_request;
      }

      bool
      take_notice()
      {
        if (notice == 0)
          return false;
        notice = 0;
        return true;
      }

      std::string
      describe(const int signal)
      {
        const std::string number = "signal " + std::to_string(signal);
        switch (signal)
          {
            case SIGINT:
              return number + " (SIGINT)";
            case SIGTERM:
              return number + " (SIGTERM)";
            case SIGUSR1:
              return number + " (SIGUSR1)";
            case SIGUSR2:
              return number + " (SIGUSR2)";
            default:
              return number;
          }
      }
    } // namespace StopSignals
  }   // namespace Checkpoint
} // namespace chemokin
