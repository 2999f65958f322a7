#include <chemokin/base/input_error.h>
#include <chemokin/base/parameters.h>
#include <chemokin/time_stepping/imex_integrator.h>

#include <arkode/arkode_arkstep.h>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

namespace chemokin
{
  std::unique_ptr<ImexIntegrator>
  ImexIntegrator::stiffly_accurate(const Parts &      parts,
                                   const MPI_Comm &   comm,
                                   const unsigned int order,
                                   const std::string &frame)
  {
    if (order < 2 || order > 3)
      throw InputError("Internal state/IMEX order",
                       frame + " steps with the globally stiffly accurate pairs "
                               "ARS(2,2,2) and ARS(4,4,3), of order 2 or 3 (got " +
                         std::to_string(order) + ")");
    return std::make_unique<ImexIntegrator>(parts, comm, order, true, Tables::globally_stiffly_accurate);
  }

  ImexIntegrator::ImexIntegrator(const Parts &      parts,
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
    /**
     * ARS(2,2,2) and ARS(4,4,3) (Ascher, Ruuth, Spiteri, Appl. Numer. Math.
     * 25, 1997, section 2.6 and 2.8) as ARKode tables: an explicit first
     * stage for both parts, b = the last row of A for both parts.
     */
    void
    set_globally_stiffly_accurate_tables(void *memory, const unsigned int order)
    {
      std::vector<double> c, implicit_a, explicit_a;
      unsigned int        s;
      if (order == 2)
        {
          const double g = 1 - 1 / std::sqrt(2.0), d = 1 - 1 / (2 * g);
          s              = 3;
          c              = {0, g, 1};
          implicit_a     = {0, 0, 0, 0, g, 0, 0, 1 - g, g};
          explicit_a     = {0, 0, 0, g, 0, 0, d, 1 - d, 0};
        }
      else
        {
          s          = 5;
          c          = {0, 0.5, 2. / 3, 0.5, 1};
          implicit_a = {0, 0,       0,        0,       0,       //
                        0, 0.5,     0,        0,       0,       //
                        0, 1. / 6,  0.5,      0,       0,       //
                        0, -0.5,    0.5,      0.5,     0,       //
                        0, 1.5,     -1.5,     0.5,     0.5};
          explicit_a = {0,         0,        0,        0,         0, //
                        0.5,       0,        0,        0,         0, //
                        11. / 18,  1. / 18,  0,        0,         0, //
                        5. / 6,    -5. / 6,  0.5,      0,         0, //
                        0.25,      1.75,     0.75,     -1.75,     0};
        }
      std::vector<double> implicit_b(implicit_a.end() - s, implicit_a.end()),
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
  ImexIntegrator::restart()
  {
    started = false; // the next advance() creates the ARKode memory anew
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

  void
  ImexIntegrator::advance(const double t, const double dt, PhaseVector &y)
  {
    // ARKode refuses such a step with an error that deal.II's wrapper, in a
    // release build, retries for ever (a log of GB): refuse it here
    AssertThrow(dt > 1e-100 * std::max(1.0, std::abs(t)) && std::isfinite(dt),
                dealii::ExcMessage("the time step " + Parameters::format(dt) + " at t = " +
                                   Parameters::format(t) + " is below what ARKode can resolve"));
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
