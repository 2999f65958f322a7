#pragma once

#include <chemokin/checkpoint/state.h>

#include <cmath>
#include <string>

namespace chemokin
{
  /**
   * E1(t) = (int_0^t e(s)^2 ds)^{1/2} of Theorem 2.1 from samples e(t_n) at
   * the output times (trapezoidal rule), with its checkpoint state.
   */
  class RootTimeIntegralOfSquare
  {
  public:
    /** Add the sample @p value at time @p t (the first sample starts the integral). */
    void
    add(const double t, const double value)
    {
      if (!started)
        {
          started  = true;
          integral = 0;
        }
      else if (t > last_time)
        integral += 0.5 * (t - last_time) * (value * value + last_value * last_value);
      last_time  = t;
      last_value = value;
    }

    double
    value() const
    {
      return std::sqrt(integral);
    }

    void
    save(Checkpoint::State &state, const std::string &key) const
    {
      state.set(key + ".integral", integral);
      state.set(key + ".last_time", last_time);
      state.set(key + ".last_integrand", last_value);
      state.set(key + ".started", started);
    }

    void
    load(const Checkpoint::State &state, const std::string &key)
    {
      integral   = state.get(key + ".integral");
      last_time  = state.get(key + ".last_time");
      last_value = state.get(key + ".last_integrand");
      started    = state.get(key + ".started") != 0;
    }

  private:
    double integral = 0, last_time = 0, last_value = 0;
    bool   started = false;
  };
} // namespace chemokin
