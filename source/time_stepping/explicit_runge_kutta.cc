#include <chemokin/base/input_error.h>
#include <chemokin/time_stepping/explicit_runge_kutta.h>

#include <map>

namespace chemokin
{
  namespace
  {
    using namespace dealii::TimeStepping;
    const std::map<std::string, runge_kutta_method> methods = {
      {"forward euler", FORWARD_EULER},
      {"ssp rk3", SSP_THIRD_ORDER},
      {"rk4", RK_CLASSIC_FOURTH_ORDER},
      {"low storage rk3", LOW_STORAGE_RK_STAGE3_ORDER3},
      {"low storage rk4", LOW_STORAGE_RK_STAGE5_ORDER4},
      {"low storage rk5", LOW_STORAGE_RK_STAGE9_ORDER5}};
  } // namespace

  std::string
  ExplicitRungeKutta::names()
  {
    std::string result;
    for (const auto &[name, method] : methods)
      result += (result.empty() ? "" : "|") + name;
    return result;
  }

  ExplicitRungeKutta::ExplicitRungeKutta(const std::string &name,
                                         const std::string &entry)
  {
    const auto it = methods.find(name);
    if (it == methods.end())
      throw InputError(entry, "unknown method '" + name + "'; choices: " + names());
    if (name.rfind("low storage", 0) == 0)
      low_storage = std::make_unique<
        dealii::TimeStepping::LowStorageRungeKutta<PhaseVector>>(it->second);
    else
      classical = std::make_unique<
        dealii::TimeStepping::ExplicitRungeKutta<PhaseVector>>(it->second);
  }

  void
  ExplicitRungeKutta::advance(const RightHandSide &f,
                              const double         time,
                              const double         dt,
                              PhaseVector &        y)
  {
    if (classical)
      classical->evolve_one_time_step(f, time, dt, y);
    else
      {
        if (stage_r.size() != y.size())
          {
            stage_r.reinit(y);
            stage_k.reinit(y);
          }
        low_storage->evolve_one_time_step(f, time, dt, y, stage_r, stage_k);
      }
  }
} // namespace chemokin
