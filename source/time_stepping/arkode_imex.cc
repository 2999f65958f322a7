#include <chemokin/time_stepping/arkode_imex.h>
#include <chemokin/time_stepping/ars_tables.h>

#include <arkode/arkode_arkstep.h>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

namespace chemokin
{
  ArkodeImex::ArkodeImex(const Parts &      parts,
                         const MPI_Comm &   comm,
                         const unsigned int order,
                         const bool         exact_solve,
                         const Tables       tables)
    : parts(parts)
    , comm(comm)
    , order(order)
    , exact_solve(exact_solve)
    , tables(tables)
  {
    if (tables == Tables::globally_stiffly_accurate && order != 2 && order != 3)
      throw std::invalid_argument("the globally stiffly accurate IMEX pairs have order 2 or 3");
  }

  namespace
  {
    /** ARS(2,2,2) and ARS(4,4,3) as ARKode tables */
    void
    set_globally_stiffly_accurate_tables(void *memory, const unsigned int order)
    {
      ArsTables           ars(order);
      const unsigned int  s = ars.stages;
      std::vector<double> &c = ars.c, &implicit_a = ars.implicit_a, &explicit_a = ars.explicit_a;
      std::vector<double>  implicit_b(implicit_a.end() - s, implicit_a.end()),
        explicit_b(explicit_a.end() - s, explicit_a.end());
      ARKodeButcherTable implicit_table = ARKodeButcherTable_Create(
        s, order, 0, c.data(), implicit_a.data(), implicit_b.data(), nullptr);
      ARKodeButcherTable explicit_table = ARKodeButcherTable_Create(
        s, order, 0, c.data(), explicit_a.data(), explicit_b.data(), nullptr);
      const int status = ARKStepSetTables(memory, order, 0, implicit_table, explicit_table);
      ARKodeButcherTable_Free(implicit_table);
      ARKodeButcherTable_Free(explicit_table);
      AssertThrow(status == ARK_SUCCESS,
                  dealii::ExcMessage("ARKStepSetTables failed with " + std::to_string(status)));
    }
  } // namespace

  void
  ArkodeImex::restart()
  {
    started = false; // the next advance() creates the ARKode memory anew
  }

  void
  ArkodeImex::advance(const double t, const double dt, PhaseVector &y)
  {
    check_step(t, dt);
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
        ode->custom_setup = [this, dt](void *arkode_mem) {
          ARKStepSetFixedStep(arkode_mem, dt);
          if (tables == Tables::globally_stiffly_accurate)
            set_globally_stiffly_accurate_tables(arkode_mem, order);
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
