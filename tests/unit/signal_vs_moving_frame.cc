// Two discretizations of one model (DESIGN §11): the linear dynamics (1.4)
// in the frame relative to the signal (Frame = signal: z = (m - M)/eps,
// local tumbling, a Fokker-Planck drift per lane) and in the moving frame
// (1.9) (y = (m - N)/eps, one Ornstein-Uhlenbeck operator, shifted gain).
// 1-D, on a static gradient between reflecting walls and on a moving signal
// in a periodic box, eps = 0.1 and 0.25, same x-mesh and time steps: the
// m-marginals per velocity differ by at most 1e-3 of the mass in L1, the
// drifts by 1e-3, and E1 (the frame relative to the signal carries the lag
// L of (1.8) for it, CharacteristicLag) and E2 (against the run-and-tumble
// model on that mesh) by at most 1e-3 of the mass (E1 per unit sqrt(time)),
// E3 by 1e-3.

#include <chemokin/models/internal_state_interface.h>
#include <chemokin/models/run_and_tumble.h>

#include "compare_models.h"
#include "test_tools.h"

using namespace chemokin;

namespace
{

  void
  check(const std::string &name, const std::string &physics, const double eps, const double end_time)
  {
    std::ostringstream e;
    e << eps;
    const std::string common =
      physics + "subsection Internal state\n set Epsilon = " + e.str() + "\nend\n";
    dealii::ParameterHandler signal_prm, moving_prm, limit_prm;
    test::parse(signal_prm, common + "subsection Internal state\n set Frame = signal\n set U cell size = 0.125\nend\n");
    test::parse(moving_prm, common + "subsection Internal state\n set Frame = moving\n set Y cell size = 0.125\nend\n");
    test::parse(limit_prm, common);
    auto signal = Models::create_internal_state<1>(signal_prm, MPI_COMM_WORLD);
    auto moving = Models::create_internal_state<1>(moving_prm, MPI_COMM_WORLD);
    Models::RunAndTumble<1> limit(limit_prm, MPI_COMM_WORLD);

    // outputs every 0.05 (E1 is a time integral of samples at the outputs)
    Models::Moments<1> moments;
    const auto         output = [&] {
      signal->compute_moments(moments);
      moving->compute_moments(moments);
    };
    output();
    double       t        = 0;
    const double interval = 0.05;
    const double stable   = std::min({signal->time_step(), moving->time_step(), limit.time_step()});
    for (unsigned int o = 1; o * interval <= end_time + 1e-12; ++o)
      {
        const double       target = o * interval;
        const unsigned int steps  = std::ceil((target - t) / stable - 1e-9);
        const double       dt     = (target - t) / steps;
        for (unsigned int s = 0; s < steps; ++s, t += dt)
          {
            signal->advance(t, dt);
            moving->advance(t, dt);
            limit.advance(t, dt);
          }
        t = target;
        output();
      }
    Models::StatisticsRow signal_row, moving_row;
    signal->add_statistics(signal_row);
    moving->add_statistics(moving_row);
    const auto column = [](const Models::StatisticsRow &row, const std::string &name) {
      for (const auto &[key, value] : row)
        if (key == name)
          return value;
      return std::numeric_limits<double>::quiet_NaN();
    };

    const auto &space      = signal->x_space();
    const auto &velocities = signal->velocities();
    const auto  frames     = test::compare(space, velocities, signal->marginal(), moving->marginal());
    const auto  e2_signal  = test::compare(space, velocities, signal->marginal(), limit.solution());
    const auto  e2_moving  = test::compare(space, velocities, moving->marginal(), limit.solution());
    if (test::root())
      std::cout << name << ", eps = " << eps << ", T = " << end_time << ": L1(marginals) "
                << test::sci(frames.l1) << " of mass " << frames.mass << "; drift signal frame "
                << frames.drift_a << ", moving " << frames.drift_b << "; E2 signal frame "
                << e2_signal.l1 << ", moving " << e2_moving.l1 << "; E1 signal frame "
                << column(signal_row, "E1") << ", moving " << column(moving_row, "E1")
                << "; E3 signal frame " << column(signal_row, "E3") << ", moving "
                << column(moving_row, "E3") << "; distance to the quasi-static equilibrium (signal frame) "
                << column(signal_row, "equilibrium_distance") << std::endl;
    test::check_close(name + ": L1 distance of the marginals / mass", frames.l1 / frames.mass, 0, 1e-3);
    test::check_close(name + ": drift, signal vs moving frame", frames.drift_a, frames.drift_b, 1e-3);
    test::check_close(name + ": E2, signal vs moving frame, / mass",
                      (e2_signal.l1 - e2_moving.l1) / frames.mass, 0, 1e-3);
    test::check_close(name + ": E1, signal vs moving frame, / (mass sqrt(T))",
                      (column(signal_row, "E1") - column(moving_row, "E1")) /
                        (frames.mass * std::sqrt(end_time)),
                      0, 1e-3);
    test::check_close(name + ": E3, signal vs moving frame",
                      column(signal_row, "E3"), column(moving_row, "E3"), 1e-3);

  }
} // namespace

int
main(int argc, char **argv)
{
  dealii::Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  const std::string common =
    "set Dimension = 1\nsubsection Velocity space\n set Type = sphere\n set Speed = 1\nend\n"
    "subsection Tumbling\n set Rate = 1 + 0.5*tanh(z)\nend\n"
    "subsection Discretization\n set Degree = 2\n set Refinement = 5\nend\n";
  const std::string gradient = common +
                               "subsection Domain\n set Lower corner = 0\n set Upper corner = 4\n"
                               " set Boundary = reflecting\nend\n"
                               "subsection Signal\n set Log-concentration = 1.5*exp(-(x-2)^2)\nend\n"
                               "subsection Initial condition\n set Density = 1 + 0.5*cos(pi*x/4)\nend\n";
  const std::string moving = common +
                             "subsection Domain\n set Lower corner = 0\n set Upper corner = 2\n"
                             " set Boundary = periodic\nend\n"
                             "subsection Signal\n set Log-concentration = sin(pi*(x - 0.5*t))\nend\n"
                             "subsection Initial condition\n set Density = 1 + 0.5*cos(pi*x)\nend\n";
  for (const double eps : {0.1, 0.25})
    {
      check("static gradient, reflecting walls", gradient, eps, 1.0);
      check("moving signal, periodic", moving, eps, 1.0);
    }
  return test::finish();
}
