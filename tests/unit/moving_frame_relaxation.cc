// Space-homogeneous internal-state model in the moving frame, M = 0
// (DESIGN §5): m is an Ornstein-Uhlenbeck process, so from an initial profile
// of mean m0 = 2 eps and standard deviation eps/2 the mean of y = m/eps is
// 2 e^{-t/eps} and its variance 1 - 0.75 e^{-2t/eps}. Checked for
// eps = 1, 1e-2 and 1e-4 (the same y-grid for all: the frame does not
// depend on eps) within 1% of m0, with mass to round-off.

#include "test_tools.h"

void
check(const double eps)
{
  const std::string name = "eps=" + test::sci(eps);
  const std::string dir  = test::scratch("relaxation-" + std::to_string(eps));
  std::ostringstream e;
  e << std::setprecision(17) << eps;
  test::run("set Dimension = 1\nset Model = internal state\nset End time = " +
            std::to_string(5 * eps) + "\nset Output directory = " + dir +
            "\nsubsection Domain\n set Lower corner = 0\n set Upper corner = 1\n"
            " set Boundary = periodic\nend\n"
            "subsection Signal\n set Log-concentration = 0\nend\n"
            "subsection Initial condition\n set Density = 1\n"
            " set Methylation profile = exp(-(m - 2*eps)^2/(2*(eps/2)^2))/(sqrt(2*pi)*eps/2)\nend\n"
            "subsection Internal state\n set Frame = moving\n set Epsilon = " + e.str() +
            "\nend\n"
            "subsection Discretization\n set Refinement = 0\nend\n"
            "subsection Output\n set Time between outputs = " + std::to_string(eps / 10) +
            "\n set Postprocessors = statistics\nend\n");
  const auto stats = test::read_csv(dir + "/statistics.csv");
  double     worst_mean = 0, worst_variance = 0;
  for (unsigned int r = 0; r < stats.at("time").size(); ++r)
    {
      const double s = stats.at("time")[r] / eps;
      worst_mean     = std::max(worst_mean, std::abs(stats.at("offset_mean")[r] - 2 * std::exp(-s)) / 2);
      worst_variance = std::max(worst_variance,
                                std::abs(stats.at("offset_variance")[r] - (1 - 0.75 * std::exp(-2 * s))));
    }
  test::check_close(name + ": max |mean(y) - 2 exp(-t/eps)| / 2", worst_mean, 0, 0.01);
  test::check_close(name + ": max |var(y) - (1 - 0.75 exp(-2t/eps))|", worst_variance, 0, 0.01);
  test::check_close(name + ": mass conserved (relative)",
                    (stats.at("mass").back() - stats.at("mass").front()) / stats.at("mass").front(),
                    0,
                    1e-13);
}

int
main(int argc, char **argv)
{
  dealii::Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  check(1.0);
  check(1e-2);
  check(1e-4);
  return test::finish();
}
