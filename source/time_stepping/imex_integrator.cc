#include <chemokin/time_stepping/imex_integrator.h>

#include <arkode/arkode_arkstep.h>

#include <limits>

namespace chemokin
{
  ImexIntegrator::ImexIntegrator(const Parts &      parts,
                                 const MPI_Comm &   comm,
                                 const unsigned int order,
                                 const bool         exact_solve)
    : parts(parts)
    , comm(comm)
    , order(order)
    , exact_solve(exact_solve)
  {}

  void
  ImexIntegrator::restart()
  {
    started = false; // the next advance() creates the ARKode memory anew
  }

  void
  ImexIntegrator::advance(const double t, const double dt, PhaseVector &y)
  {
    if (!started)
      {
        using ARKode = dealii::SUNDIALS::ARKode<PhaseVector>;
        typename ARKode::AdditionalData data(
          t,
          std::numeric_limits<double>::max(),
          dt,
          std::numeric_limits<double>::max(),
          1e-300,
          order,
          exact_solve ? 1 : 10,
          /*implicit_function_is_linear*/ exact_solve,
          /*implicit_function_is_time_independent*/ false,
          /*mass_is_time_independent*/ true,
          /*anderson_acceleration_subspace*/ 3,
          /*absolute_tolerance*/ 1e-14,
          /*relative_tolerance*/ 1e-10);
        ode = std::make_unique<ARKode>(data, comm);
        ode->explicit_function = [this](const double t, const PhaseVector &y, PhaseVector &f) {
          parts.explicit_part(t, y, f);
          return 0;
        };
        ode->implicit_function = [this](const double t, const PhaseVector &y, PhaseVector &f) {
          parts.implicit_part(t, y, f);
          return 0;
        };
        ode->jacobian_times_vector = [this](const PhaseVector &v,
                                            PhaseVector &      Jv,
                                            const double       t,
                                            const PhaseVector &,
                                            const PhaseVector &) {
          parts.implicit_part(t, v, Jv);
          return 0;
        };
        // the exact solve sits in the "preconditioner", which ARKode calls
        // with the current t and gamma; the linear solver just applies it
        ode->jacobian_preconditioner_setup =
          [](double, const PhaseVector &, const PhaseVector &, int, int &jcur, double) {
            jcur = 1;
            return 0;
          };
        ode->jacobian_preconditioner_solve = [this](const double t,
                                                    const PhaseVector &,
                                                    const PhaseVector &,
                                                    const PhaseVector &r,
                                                    PhaseVector &      z,
                                                    const double       gamma,
                                                    double,
                                                    int) {
          parts.solve(t, gamma, r, z);
          return 0;
        };
        ode->solve_linearized_system =
          [](dealii::SUNDIALS::SundialsOperator<PhaseVector> &,
             dealii::SUNDIALS::SundialsPreconditioner<PhaseVector> &prec,
             PhaseVector &                                          x,
             const PhaseVector &                                    b,
             double) {
            prec.vmult(x, b);
            return 0;
          };
        ode->custom_setup = [dt](void *arkode_mem) {
          ARKStepSetFixedStep(arkode_mem, dt);
        };
        ode->reset(t, dt, y);
        started = true;
      }
    void *memory = ode->get_arkode_memory();
    ARKStepSetFixedStep(memory, dt);
    ARKStepSetStopTime(memory, t + dt);
    ode->solve_ode_incrementally(y, t + dt);
  }
} // namespace chemokin
