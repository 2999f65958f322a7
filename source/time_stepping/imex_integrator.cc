#include <chemokin/base/input_error.h>
#include <chemokin/base/parameters.h>
#include <chemokin/time_stepping/arkode_imex.h>
#include <chemokin/time_stepping/imex_integrator.h>
#include <chemokin/time_stepping/low_storage_imex.h>

#include <cmath>

namespace chemokin
{
  std::unique_ptr<ImexIntegrator>
  ImexIntegrator::stiffly_accurate(const Parts &      parts,
                                   const MPI_Comm &   comm,
                                   const unsigned int order,
                                   const std::string &frame,
                                   const std::string &implementation)
  {
    if (order < 2 || order > 3)
      throw InputError("Internal state/IMEX order",
                       frame + " steps with the globally stiffly accurate pairs "
                               "ARS(2,2,2) and ARS(4,4,3), of order 2 or 3 (got " +
                         std::to_string(order) + ")");
    if (implementation == "arkode")
      return std::make_unique<ArkodeImex>(parts, comm, order, true,
                                          ArkodeImex::Tables::globally_stiffly_accurate);
    if (implementation == "low storage")
      return std::make_unique<LowStorageImex>(parts, order);
    throw InputError("Internal state/IMEX implementation",
                     "`low storage` or `arkode`, got `" + implementation + "`");
  }

  void
  ImexIntegrator::check_step(const double t, const double dt)
  {
    // ARKode refuses such a step with an error that deal.II's wrapper, in a
    // release build, retries for ever (a log of GB), and a step that does
    // not advance t is no step for either integrator: refuse it here
    AssertThrow(dt > 1e-100 * std::max(1.0, std::abs(t)) && std::isfinite(dt),
                dealii::ExcMessage("the time step " + Parameters::format(dt) + " at t = " +
                                   Parameters::format(t) + " is below what the time stepping can resolve"));
  }

  void
  ImexIntegrator::advance_through_initial_layer(const double t0,
                                                const double dt,
                                                const double epsilon,
                                                PhaseVector &y)
  {
    const double end = t0 + dt;
    double       t   = t0;
    if (t0 < 8 * epsilon && dt > 0.25 * epsilon)
      for (double h = 0.25 * epsilon; t + 2 * h < end; h *= 2)
        {
          advance(t, h, y);
          t += h;
        }
    advance(t, end - t, y);
  }
} // namespace chemokin
