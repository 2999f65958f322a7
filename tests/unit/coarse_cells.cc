// `Domain/Coarse cells`: the coarse mesh has that many cells across the
// shortest edge before `Discretization/Refinement`. Oracles: the same mesh
// reached two ways (2 coarse cells refined once, 1 refined twice: 4 x 8
// cells on a 1 x 2 box) gives the same run to round-off, for the
// run-and-tumble model and the moving frame; 3 coarse cells refined twice
// give 12 x 24 cells (a count that powers of 2 alone never give); mass is
// kept.

#include "test_tools.h"

namespace
{
  std::map<std::string, std::vector<double>>
  run(const unsigned int coarse, const unsigned int refinement)
  {
    const std::string dir =
      test::scratch("coarse-" + std::to_string(coarse) + "-" + std::to_string(refinement));
    test::run("set Dimension = 2\nset Model = both\nset End time = 0.5\nset Output directory = " + dir +
              "\nsubsection Domain\n set Lower corner = 0, 0\n set Upper corner = 1, 2\n"
              " set Boundary = reflecting\n set Coarse cells = " + std::to_string(coarse) +
              "\nend\n"
              "subsection Velocity space\n set Number of directions = 8\nend\n"
              "subsection Signal\n set Log-concentration = exp(-((x-0.6)^2 + (y-1.2)^2))\nend\n"
              "subsection Initial condition\n set Density = 1 + x*y\nend\n"
              "subsection Internal state\n set Frame = moving\n set Epsilon = 0.1\n"
              " set Y cell size = 0.5\nend\n"
              "subsection Discretization\n set Degree = 1\n set Refinement = " +
              std::to_string(refinement) + "\nend\n"
              "subsection Output\n set Time between outputs = 0.25\n set Postprocessors = statistics\nend\n");
    return test::read_csv(dir + "/statistics.csv");
  }
} // namespace

int
main(int argc, char **argv)
{
  dealii::Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  const auto twice = run(1, 2), once = run(2, 1), three = run(3, 2);
  test::check_close("1 coarse cell, Refinement = 2: 4 x 8 cells", twice.at("cells").back(), 32, 0);
  test::check_close("2 coarse cells, Refinement = 1: 4 x 8 cells", once.at("cells").back(), 32, 0);
  test::check_close("3 coarse cells, Refinement = 2: 12 x 24 cells", three.at("cells").back(), 288, 0);
  for (const std::string column : {"x_mean", "y_mean", "velocity_mean", "velocity_mean_y",
                                   "m_mean", "offset_variance", "x_mean_limit", "velocity_mean_limit"})
    test::check_close("the same mesh two ways: " + column + " at T",
                      once.at(column).back(),
                      twice.at(column).back(),
                      1e-12 * (std::abs(twice.at(column).back()) + 1e-3));
  for (const std::string column : {"mass", "mass_limit"})
    test::check_close("3 coarse cells: " + column + " kept",
                      three.at(column).back(),
                      three.at(column).front(),
                      1e-12 * three.at(column).front());
  return test::finish();
}
