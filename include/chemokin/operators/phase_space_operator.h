#pragma once

#include <chemokin/mesh/phase_space.h>

namespace chemokin
{
  /**
   * One term of the right-hand side of a kinetic equation, dp/dt = ... + L p,
   * acting on a whole phase-space vector. Operators read @p src (whose ghost
   * values they update when they need them) and add L src to the locally
   * owned part of @p dst.
   */
  class PhaseSpaceOperator
  {
  public:
    virtual ~PhaseSpaceOperator() = default;

    virtual void
    add_to(double time, const PhaseVector &src, PhaseVector &dst) const = 0;

    /**
     * The largest time step an explicit Runge-Kutta method may take with this
     * operator, for CFL number 1.
     */
    virtual double
    max_time_step() const = 0;
  };
} // namespace chemokin
