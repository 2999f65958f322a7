// Space-homogeneous internal-state model, M = 0 (DESIGN §5): m is an
// Ornstein-Uhlenbeck process dm = -m/eps dt + sqrt(2 eps) dW, so from an
// initial profile of mean m0 the mean is m0 e^{-t/eps} and the variance
// tends to eps^2. Checked for eps = 1 and eps = 0.01 within 1%.

#include "test_tools.h"

void
check(const double eps)
{
  const double      m0   = 2 * eps;
  const std::string name = "eps=" + test::sci(eps);
  const std::string dir  = test::scratch("ou-" + std::to_string(eps));
  test::run("set Dimension = 1\nset Model = internal state\nset End time = " +
            std::to_string(5 * eps) + "\nset Output directory = " + dir +
            "\nsubsection Domain\n set Lower corner = 0\n set Upper corner = 1\n"
            " set Boundary = periodic\nend\n"
            "subsection Signal\n set Log-concentration = 0\nend\n"
            "subsection Initial condition\n set Density = 1\n"
            " set Methylation profile = exp(-(m - 2*eps)^2/(2*(eps/2)^2))/(sqrt(2*pi)*eps/2)\nend\n"
            "subsection Internal state\n set Frame = fixed\n set Epsilon = " + std::to_string(eps) +
            "\n set Cells per epsilon = 8\nend\n"
            "subsection Discretization\n set Refinement = 0\nend\n"
            "subsection Output\n set Time between outputs = " + std::to_string(eps / 2) +
            "\n set Postprocessors = statistics\nend\n");
  const auto stats = test::read_csv(dir + "/statistics.csv");
  double     worst = 0;
  for (unsigned int r = 0; r < stats.at("time").size(); ++r)
    worst = std::max(worst,
                     std::abs(stats.at("m_mean")[r] -
                              m0 * std::exp(-stats.at("time")[r] / eps)) /
                       m0);
  test::check_close(name + ": max |mean(m) - m0 exp(-t/eps)| / m0", worst, 0, 0.01);
  // M = 0 and N = 0: y = m/eps, so var(m) = eps^2 var(y)
  test::check_close(name + ": variance of m / eps^2 at t = 5 eps",
                    stats.at("offset_variance").back(), 1.0, 0.01);
  test::check_close(name + ": mass conserved (relative)",
                    (stats.at("mass").back() - stats.at("mass").front()) /
                      stats.at("mass").front(),
                    0, 1e-12);
}

int
main(int argc, char **argv)
{
  dealii::Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  check(1.0);
  check(0.01);
  return test::finish();
}
