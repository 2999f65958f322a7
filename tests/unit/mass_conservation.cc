// Total mass is conserved to round-off (relative 1e-12) by the whole
// run-and-tumble scheme, on periodic and reflecting boxes, in d = 1 and 2,
// with a space- and time-dependent signal, the persistence kernel and both
// velocity spaces. Read from statistics.csv of complete runs.

#include "test_tools.h"

void
check_run(const std::string &name, const std::string &prm)
{
  const std::string dir = test::scratch(name);
  test::run(prm + "set Output directory = " + dir + "\n");
  const auto   stats = test::read_csv(dir + "/statistics.csv");
  const auto & mass  = stats.at("mass");
  double       worst = 0;
  for (const double m : mass)
    worst = std::max(worst, std::abs(m - mass.front()) / mass.front());
  test::check_close(name + ": max relative mass change over " +
                      std::to_string(int(stats.at("step").back())) + " steps",
                    worst,
                    0,
                    1e-12);
  // the run must have moved mass around, or the check proves nothing
  test::check(name + ": the density moved (centre of mass changed)",
              std::abs(stats.at("x_mean").back() - stats.at("x_mean").front()) >
                1e-3,
              test::sci(stats.at("x_mean").back() - stats.at("x_mean").front()));
}

std::string
case_2d(const std::string &boundary)
{
  return "set Dimension = 2\nset Model = run and tumble\nset End time = 3\n"
         "subsection Domain\n set Lower corner = 0,0\n set Upper corner = 4,2\n"
         " set Boundary = " + boundary + "\nend\n"
         "subsection Velocity space\n set Number of directions = 12\nend\n"
         "subsection Signal\n set Log-concentration = 2*exp(-((x-3-0.2*t)^2 + (y-1)^2))\nend\n"
         "subsection Tumbling\n set Turning kernel = persistence\n"
         " set Quadrature points = 32\nend\n"
         "subsection Initial condition\n set Density = exp(-4*((x-1)^2+(y-1)^2))\nend\n"
         "subsection Discretization\n set Degree = 2\n set Refinement = 3\nend\n"
         "subsection Output\n set Time between outputs = 0.5\n"
         " set Postprocessors = statistics\nend\n";
}

std::string
case_1d(const std::string &boundary, const std::string &velocities)
{
  return "set Dimension = 1\nset Model = run and tumble\nset End time = 6\n"
         "subsection Domain\n set Lower corner = -3\n set Upper corner = 3\n"
         " set Boundary = " + boundary + "\nend\n"
         "subsection Velocity space\n set Type = " + velocities +
         "\n set Radial points = 3\nend\n"
         "subsection Signal\n set Log-concentration = sin(x - 0.3*t)\nend\n"
         "subsection Initial condition\n set Density = exp(-(x+1)^2)\nend\n"
         "subsection Discretization\n set Degree = 3\n set Refinement = 5\nend\n"
         "subsection Output\n set Time between outputs = 1\n"
         " set Postprocessors = statistics, profiles\nend\n";
}

int
main(int argc, char **argv)
{
  dealii::Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  check_run("2d-periodic", case_2d("periodic"));
  check_run("2d-reflecting", case_2d("reflecting"));
  check_run("1d-periodic-sphere", case_1d("periodic", "sphere"));
  check_run("1d-reflecting-ball", case_1d("reflecting", "ball"));
  return test::finish();
}
