// The positivity limiter (Discretization/Positivity limiter): a steep front
// (a step in the initial density) transported by DG(2) undershoots below
// zero; with the limiter every nodal value stays >= 0 at every output time,
// and the mass is still conserved to round-off. The same for the
// internal-state model, whose Gaussian tails in m undershoot.

#include "test_tools.h"

#include <algorithm>

namespace
{
  struct Extremes
  {
    double min_value, mass_drift;
  };

  Extremes
  run(const std::string &name, const std::string &model, const bool limiter)
  {
    const std::string dir = test::scratch(name);
    test::run("set Dimension = 1\nset Model = " + model +
              "\nset End time = 0.5\nset Output directory = " + dir +
              "\nsubsection Domain\n set Lower corner = 0\n set Upper corner = 2\n"
              " set Boundary = periodic\nend\n"
              "subsection Signal\n set Log-concentration = sin(pi*x)\nend\n"
              "subsection Initial condition\n set Density = x < 1 ? 1 : 0.01\nend\n"
              "subsection Internal state\n set Frame = fixed\n set Epsilon = 0.1\n set Cells per epsilon = 2\nend\n"
              "subsection Discretization\n set Degree = 2\n set Refinement = 5\n"
              " set Positivity limiter = " +
              std::string(limiter ? "true" : "false") +
              "\nend\n"
              "subsection Output\n set Time between outputs = 0.05\n"
              " set Postprocessors = statistics\nend\n");
    const auto stats = test::read_csv(dir + "/statistics.csv");
    Extremes   e{*std::min_element(stats.at("min_value").begin(), stats.at("min_value").end()),
               0.0};
    for (const double m : stats.at("mass"))
      e.mass_drift = std::max(e.mass_drift, std::abs(m - stats.at("mass")[0]) / stats.at("mass")[0]);
    return e;
  }
} // namespace

int
main(int argc, char **argv)
{
  dealii::Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  for (const std::string model : {"run and tumble", "internal state"})
    {
      const Extremes without = run("without", model, false);
      const Extremes with    = run("with", model, true);
      test::check(model + ": without the limiter the solution undershoots",
                  without.min_value < -1e-6,
                  "min_value " + test::sci(without.min_value));
      test::check(model + ": with the limiter min_value >= 0 at every output time",
                  with.min_value >= 0,
                  "min_value " + test::sci(with.min_value));
      test::check(model + ": with the limiter mass is conserved to 1e-12",
                  with.mass_drift < 1e-12,
                  "relative drift " + test::sci(with.mass_drift));
    }
  return test::finish();
}
