#pragma once

#include <chrono>
#include <deque>
#include <string>
#include <utility>

namespace chemokin
{
  /**
   * How far a run is and how long it will still take, for the progress
   * lines: the share of `End time` reached, and the time left from the
   * rate of the recent lines (simulated time per wall second over the last
   * few of them, so that a run whose steps get slower, e.g. by refinement,
   * is estimated by its current rate). The clock is this process's own: a
   * resumed run estimates from its own steps, not from the run it
   * continues.
   */
  class Progress
  {
  public:
    explicit Progress(double end_time);

    /** The run has reached simulated time @p t now. */
    void
    record(double t);

    /** " (12.5 %, 3 min 10 s left)" at the last recorded time. */
    std::string
    summary() const;

    /** Seconds left, estimated; negative while there is no estimate. */
    double
    seconds_left() const;

    /** Wall seconds since the last record(). */
    double
    seconds_since_record() const;

    /** "42 s", "3 min 10 s", "2 h 05 min". */
    static std::string
    format_duration(double seconds);

  private:
    using Clock = std::chrono::steady_clock;

    double                                          end_time;
    Clock::time_point                               start;
    std::deque<std::pair<double, double>>           recent; // (t, wall seconds)
    static constexpr unsigned int                   window = 8;
  };
} // namespace chemokin
