// The order in time of the moving frame's IMEX pairs (DESIGN §8), written
// out with running stage sums (`IMEX implementation = low storage`) and
// through ARKode (`arkode`): on one x-mesh and y-grid, with a moving signal
// (so the lag's forcing D_tM/eps depends on time) and eps = 0.5 (the
// Ornstein-Uhlenbeck operator stiff enough to matter, not enough to hide an
// error behind the relaxation), the statistics at T = 1 converge as the
// step halves, against a run with a step 32 times smaller: ARS(4,4,3) at
// third order, ARS(2,2,2) at second. The two implementations run the same
// tables, so at equal steps they agree to round-off. With the tumbling
// frequency split (`Implicit tumbling above = 1.2`: part of the tumbling
// where the mass is goes into the implicit stages) the orders are the same.

#include "test_tools.h"

namespace
{
  const std::vector<std::string> columns = {
    "velocity_mean", "m_mean", "offset_mean", "offset_variance", "relative_entropy"};

  std::map<std::string, std::vector<double>>
  run(const unsigned int order,
      const std::string &implementation,
      const double       cfl,
      const std::string &implicit_above = "auto")
  {
    const std::string dir =
      test::scratch("order" + std::to_string(order) + "-" + implementation.substr(0, 3) + "-" +
                    test::sci(cfl) + "-" + implicit_above);
    std::ostringstream text;
    text << "set Dimension = 1\nset Model = internal state\nset End time = 1\n"
         << "set Output directory = " << dir << "\n"
         << "subsection Domain\n set Lower corner = 0\n set Upper corner = 2\n"
         << " set Boundary = periodic\nend\n"
         << "subsection Velocity space\n set Type = sphere\n set Speed = 1\nend\n"
         << "subsection Tumbling\n set Rate = 1 + 0.5*tanh(z)\nend\n"
         << "subsection Signal\n set Log-concentration = sin(pi*(x - 0.5*t))\nend\n"
         << "subsection Initial condition\n set Density = 0.5*(1 + 0.5*cos(pi*x))\nend\n"
         << "subsection Discretization\n set Degree = 2\n set Refinement = 3\n set CFL = " << cfl
         << "\nend\n"
         << "subsection Internal state\n set Frame = moving\n set Epsilon = 0.5\n"
         << " set Y range = 8\n set IMEX order = " << order
         << "\n set IMEX implementation = " << implementation
         << "\n set Implicit tumbling above = " << implicit_above << "\nend\n"
         << "subsection Output\n set Time between outputs = 1\n"
         << " set Postprocessors = statistics\nend\n";
    test::run(text.str());
    return test::read_csv(dir + "/statistics.csv");
  }

  double
  error(const std::map<std::string, std::vector<double>> &run,
        const std::map<std::string, std::vector<double>> &reference)
  {
    double worst = 0;
    for (const auto &c : columns)
      worst = std::max(worst, std::abs(run.at(c).back() - reference.at(c).back()) /
                                (std::abs(reference.at(c).back()) + 1e-3));
    return worst;
  }

  void
  check_order(const unsigned int order,
              const std::string &implementation,
              const std::string &implicit_above = "auto")
  {
    const std::string name = "ARS order " + std::to_string(order) + ", " + implementation +
                             ", implicit tumbling above " + implicit_above;
    const auto          reference = run(order, implementation, 0.4 / 32, implicit_above);
    std::vector<double> errors;
    for (const double cfl : {0.4, 0.2, 0.1})
      errors.push_back(error(run(order, implementation, cfl, implicit_above), reference));
    for (unsigned int i = 0; i + 1 < errors.size(); ++i)
      {
        const double ratio = errors[i] / errors[i + 1];
        // 2^order, less a margin for the higher-order terms
        test::check(name + ": halving the step divides the error by >= " +
                      test::sci(0.7 * std::pow(2., order)),
                    ratio >= 0.7 * std::pow(2., order),
                    test::sci(errors[i]) + " / " + test::sci(errors[i + 1]) + " = " +
                      test::sci(ratio));
      }
    const double bound = order == 3 ? 1e-5 : 1e-3;
    test::check(name + ": the error at CFL 0.1 below " + test::sci(bound), errors.back() < bound,
                test::sci(errors.back()));
  }
} // namespace

int
main(int argc, char **argv)
{
  dealii::Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  check_order(3, "low storage");
  check_order(2, "low storage");
  // the tumbling split where the mass is (lambda in [0.5, 1.5]): the part
  // above 1.2 in the implicit stages (ImplicitTumbling's loss, gain sweeps
  // and mass restoration) keeps the order
  check_order(3, "low storage", "1.2");
  check_order(2, "low storage", "1.2");
  {
    // the same limit, the explicit and split schemes: their errors are of
    // the same size (the split moves only the time-stepping error)
    const auto reference = run(3, "low storage", 0.4 / 32);
    const auto split     = run(3, "low storage", 0.2, "1.2");
    test::check("order 3, CFL 0.2: the split run within 1e-4 of the explicit run's reference",
                error(split, reference) < 1e-4,
                test::sci(error(split, reference)));
    test::check_close("order 3, CFL 0.2, split: mass at T", split.at("mass").back(),
                      split.at("mass").front(), 1e-13 * split.at("mass").front());
  }
  for (const unsigned int order : {2u, 3u})
    {
      const auto own = run(order, "low storage", 0.2), arkode = run(order, "arkode", 0.2);
      for (const auto &c : columns)
        test::check_close("order " + std::to_string(order) + ": " + c +
                            " at T, low storage against ARKode",
                          own.at(c).back(),
                          arkode.at(c).back(),
                          1e-11 * (std::abs(arkode.at(c).back()) + 1e-3));
      test::check_close("order " + std::to_string(order) + ": mass at T, low storage against ARKode",
                        own.at("mass").back(),
                        arkode.at("mass").back(),
                        1e-13 * arkode.at("mass").back());
    }
  return test::finish();
}
