#pragma once

// What the benchmark harnesses share: the fastest of repeated timings, and
// the triad bandwidth of the machine measured in the same run.

#include <deal.II/base/mpi.h>
#include <deal.II/base/timer.h>

#include <algorithm>
#include <limits>
#include <vector>

namespace benchmark
{
  inline MPI_Comm comm = MPI_COMM_WORLD;

  /** Wall seconds of the fastest of @p repeats calls (after one warm-up). */
  template <typename F>
  double
  fastest(F &&f, const unsigned int repeats)
  {
    f();
    double best = std::numeric_limits<double>::max();
    for (unsigned int r = 0; r < repeats; ++r)
      {
        MPI_Barrier(comm);
        dealii::Timer timer;
        f();
        MPI_Barrier(comm);
        best = std::min(best, timer.wall_time());
      }
    return best;
  }

  /** STREAM triad a = b + s c on @p n doubles per rank: bytes/s over all ranks. */
  inline double
  triad_bandwidth(const std::size_t n)
  {
    std::vector<double> a(n, 0.0), b(n, 1.0), c(n, 2.0);
    const double        s    = 0.5;
    const double        time = fastest(
      [&] {
        double *__restrict pa       = a.data();
        const double *__restrict pb = b.data();
        const double *__restrict pc = c.data();
        for (std::size_t i = 0; i < n; ++i)
          pa[i] = pb[i] + s * pc[i];
      },
      5);
    return dealii::Utilities::MPI::sum(3.0 * 8 * n / time, comm);
  }
} // namespace benchmark
