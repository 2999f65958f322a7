#pragma once

#include <deal.II/base/time_stepping.h>

#include <chemokin/mesh/phase_space.h>

#include <functional>
#include <memory>
#include <string>

namespace chemokin
{
  /**
   * An explicit Runge-Kutta method of deal.II's TimeStepping, chosen by name:
   * the classical ones (`forward euler`, `ssp rk3`, `rk4`) or a low-storage
   * one (`low storage rk3` with 3 stages, `low storage rk4` with 5 stages,
   * `low storage rk5` with 9 stages), which keep two extra vectors instead of
   * one per stage.
   */
  class ExplicitRungeKutta
  {
  public:
    using RightHandSide =
      std::function<PhaseVector(double time, const PhaseVector &y)>;

    /** The Patterns::Selection string of the method names. */
    static std::string
    names();

    /** @p name must be one of names(); @p entry is used in error messages. */
    ExplicitRungeKutta(const std::string &name, const std::string &entry);

    /** y(t) -> y(t + dt). */
    void
    advance(const RightHandSide &f, double time, double dt, PhaseVector &y);

  private:
    std::unique_ptr<dealii::TimeStepping::ExplicitRungeKutta<PhaseVector>>
      classical;
    std::unique_ptr<dealii::TimeStepping::LowStorageRungeKutta<PhaseVector>>
                low_storage;
    PhaseVector stage_r, stage_k;
  };
} // namespace chemokin
