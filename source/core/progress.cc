#include <chemokin/core/progress.h>

#include <cmath>
#include <cstdio>

namespace chemokin
{
  Progress::Progress(const double end_time)
    : end_time(end_time)
    , start(Clock::now())
  {}

  void
  Progress::record(const double t)
  {
    recent.emplace_back(t, std::chrono::duration<double>(Clock::now() - start).count());
    if (recent.size() > window)
      recent.pop_front();
  }

  double
  Progress::seconds_since_record() const
  {
    const double now = std::chrono::duration<double>(Clock::now() - start).count();
    return recent.empty() ? now : now - recent.back().second;
  }

  double
  Progress::seconds_left() const
  {
    if (recent.size() < 2)
      return -1;
    const auto &[t0, w0] = recent.front();
    const auto &[t1, w1] = recent.back();
    if (!(t1 > t0))
      return -1;
    return std::max(0.0, (end_time - t1) * (w1 - w0) / (t1 - t0));
  }

  std::string
  Progress::format_duration(const double seconds)
  {
    char text[64];
    const long s = std::lround(seconds);
    if (seconds < 1)
      std::snprintf(text, sizeof(text), "< 1 s");
    else if (s < 60)
      std::snprintf(text, sizeof(text), "%ld s", s);
    else if (s < 3600)
      std::snprintf(text, sizeof(text), "%ld min %02ld s", s / 60, s % 60);
    else
      std::snprintf(text, sizeof(text), "%ld h %02ld min", s / 3600, (s % 3600) / 60);
    return text;
  }

  std::string
  Progress::summary() const
  {
    const double t       = recent.empty() ? 0 : recent.back().first;
    const double percent = end_time > 0 ? std::min(100.0, 100 * t / end_time) : 100;
    char         text[96];
    std::snprintf(text, sizeof(text), "  (%.1f %%", percent);
    std::string result = text;
    const double left  = seconds_left();
    if (percent < 100 && left >= 0)
      result += ", " + format_duration(left) + " left";
    return result + ")";
  }
} // namespace chemokin
