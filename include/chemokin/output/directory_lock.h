#pragma once

#include <deal.II/base/mpi.h>

#include <string>

namespace chemokin
{
  /**
   * A run owns its output directory: the file `<directory>/.chemokin.lock`
   * holds the host and process id of rank 0 while the run lives. A second
   * run into the same directory is refused at start (InputError naming
   * `Output directory`) instead of interleaving its files with the first.
   * A lock whose process is gone (a run killed by SIGKILL, a crashed node
   * on the same host) is stale and taken over; a lock from another host
   * is trusted, since its process cannot be checked from here.
   */
  class DirectoryLock
  {
  public:
    /** Creates @p directory if needed and takes the lock. Collective. */
    DirectoryLock(const std::string &directory, const MPI_Comm &comm);

    /** Gives the lock up (rank 0). */
    ~DirectoryLock();

    DirectoryLock(const DirectoryLock &) = delete;
    DirectoryLock &
    operator=(const DirectoryLock &) = delete;

  private:
    std::string path;
    bool        held = false;
  };
} // namespace chemokin
