// The y-grid of the moving frame sizes itself (`Y range = auto`, DESIGN §8):
// cells that make their own attractant (S = 0 at first, M = 20 log(1 +
// S/0.1)) start on the grid [-8, 8] that the initial fields ask for, but as
// S grows the shifts of a tumble, L(v') - L(v) = (v' - v).grad M, reach
// about 40. Three runs of the same pulse, without the positivity limiter
// (whose clipping of negative cell averages is no conservation test):
//  - auto: the grid grows (its tail mass stays below `Y tail tolerance`,
//    1e-8, at every output) and, as the gradients the cells made flatten,
//    shrinks back (y_range falls below its largest value, not below the
//    initial 8); the mass stays to round-off through every change;
//  - Y range = 8 held fixed: the tail mass exceeds 1e-5 (what growing avoids);
//  - Y range = 50 held fixed, a grid whose cells contain the grown one's:
//    the moments agree with the grown run to 1e-7 relative (they differ by
//    the mass beyond the smaller grids before each growth, at most about the
//    tolerance), the y-variance to 1e-5 (that mass weighed by y^2 ~ 1e3).

#include "test_tools.h"

namespace
{
  std::map<std::string, std::vector<double>>
  pulse(const std::string &name, const std::string &y_range)
  {
    const std::string dir = test::scratch(name);
    test::run("set Dimension = 1\nset Model = internal state\nset End time = 4\n"
              "set Output directory = " + dir + "\n"
              "subsection Domain\n set Upper corner = 20\n set Boundary = reflecting\nend\n"
              "subsection Signal\n set Type = reaction-diffusion\n"
              " set Log-concentration = 20*log(1 + S/0.1)\n"
              " subsection Reaction-diffusion\n  set Fields = S\n  set Diffusion = 1\n"
              "  set Reaction = -S + rho\n  set Initial values = 0\n end\nend\n"
              "subsection Tumbling\n set Rate = 1 + 0.9*tanh(z)\nend\n"
              "subsection Initial condition\n set Density = exp(-(x - 5)^2)\nend\n"
              "subsection Internal state\n set Epsilon = 0.1\n set Y range = " + y_range + "\nend\n"
              "subsection Discretization\n set Degree = 1\n set Refinement = 6\nend\n"
              "subsection Output\n set Time between outputs = 0.5\n set Postprocessors = statistics\nend\n");
    return test::read_csv(dir + "/statistics.csv");
  }

  double
  largest(const std::vector<double> &column)
  {
    return *std::max_element(column.begin(), column.end());
  }
} // namespace

int
main(int argc, char **argv)
{
  dealii::Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  const auto grown = pulse("y-axis-auto", "auto");
  const auto fixed = pulse("y-axis-8", "8");
  const auto wide  = pulse("y-axis-50", "50");

  test::check("auto: tail mass below the tolerance 1e-8 at every output",
              largest(grown.at("y_tail_mass")) <= 1e-8,
              test::sci(largest(grown.at("y_tail_mass"))));
  test::check_close("auto: mass through the growths and shrinks (relative)",
                    test::max_relative_change(grown.at("mass")), 0, 1e-13);
  const auto &range = grown.at("y_range");
  std::cout << "  auto: y_range " << range.front() << " -> " << largest(range) << " -> "
            << range.back() << std::endl;
  test::check("auto: the grid grew beyond 40", largest(range) > 40, test::sci(largest(range)));
  test::check("auto: and shrank back, not below where it started",
              range.back() < 0.8 * largest(range) && range.back() >= range.front(),
              test::sci(range.back()));
  test::check("Y range = 8 fixed: tail mass above 1e-5 (the grid had to grow)",
              largest(fixed.at("y_tail_mass")) > 1e-5,
              test::sci(largest(fixed.at("y_tail_mass"))));
  for (const auto &[column, tolerance] : std::vector<std::pair<std::string, double>>{
         {"x_mean", 1e-7}, {"velocity_mean", 1e-7}, {"m_mean", 1e-7}, {"offset_variance", 1e-5}, {"S_integral", 1e-7}})
    {
      double worst = 0;
      for (unsigned int i = 0; i < grown.at(column).size(); ++i)
        worst = std::max(worst,
                         std::abs(grown.at(column)[i] - wide.at(column)[i]) /
                           std::max(1e-3, std::abs(wide.at(column)[i])));
      test::check_close("auto against Y range = 50: " + column + " (relative)", worst, 0, tolerance);
    }
  return test::finish();
}
