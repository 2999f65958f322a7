#pragma once

#include <deal.II/base/mpi.h>

#include <string>
#include <utility>
#include <vector>

namespace chemokin
{
  /**
   * Where the wall time of a run goes: named parts (transport, tumbling,
   * internal state, fields, adaptation, output, ...), timed by scopes that
   * may nest. A part is charged only while it is the innermost open scope,
   * so the parts never count a second twice and add up to the time spent
   * inside the outermost scopes. (deal.II's TimerOutput reports nested
   * sections inclusively, so their sum exceeds the wall time; its table
   * shape is kept for the summary.)
   *
   * One accumulator per process. A scope costs two reads of the steady
   * clock: put it around an operator application, not inside a loop over
   * nodes.
   */
  namespace Timing
  {
    class Scope
    {
    public:
      /** @p part must outlive the program (a string literal). */
      explicit Scope(const char *part);
      ~Scope();
      Scope(const Scope &) = delete;
      Scope &
      operator=(const Scope &) = delete;
    };

    /**
     * The parts in the order they were first entered, with their seconds
     * on this process (those with none left out).
     */
    std::vector<std::pair<std::string, double>>
    parts();

    /** Every part back to zero (a new run in the same process). */
    void
    clear();

    /**
     * The summary of the parts over all ranks (collective): a table on
     * rank 0's @p out, part, mean seconds over the ranks, share of the
     * total and the largest seconds of one rank; and @p csv_file (rank 0)
     * with the columns part, seconds, fraction, max_seconds.
     * @p wall_seconds is the run's wall time, printed beside the sum.
     */
    void
    write_summary(std::ostream &     out,
                  const std::string &csv_file,
                  double             wall_seconds,
                  const MPI_Comm &   comm);
  } // namespace Timing
} // namespace chemokin
