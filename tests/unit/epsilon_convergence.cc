// Theorem 2.1 measured: `both` mode, 1D two speeds, sinusoidal M on a
// periodic domain. E2(T) = ||pbar^eps(T) - pbar(T)||_{L1} must decrease as
// eps decreases over eps = 0.2, 0.1, 0.05, 0.025; the least-squares slope of
// log E2 against log eps is reported (Theorem 2.1 bounds E2 by
// C (sqrt(eps T)(T + 1 + |log eps|^{1/2}) + eps^2)).

#include "test_tools.h"

int
main(int argc, char **argv)
{
  dealii::Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  const std::vector<double> epsilons = {0.2, 0.1, 0.05, 0.025};
  std::vector<double>       e2, e1, e3;
  for (const double eps : epsilons)
    {
      const std::string dir = test::scratch("both-" + std::to_string(eps));
      test::run("set Dimension = 1\nset Model = both\nset End time = 0.5\n"
                "set Output directory = " + dir +
                "\nsubsection Domain\n set Lower corner = 0\n set Upper corner = 2\n"
                " set Boundary = periodic\nend\n"
                "subsection Signal\n set Log-concentration = sin(pi*x)\nend\n"
                "subsection Initial condition\n set Density = 1 + 0.5*cos(pi*x)\nend\n"
                "subsection Internal state\n set Epsilon = " + std::to_string(eps) +
                "\n set Cells per epsilon = 2\nend\n"
                "subsection Discretization\n set Degree = 1\n set Refinement = 4\nend\n"
                "subsection Output\n set Time between outputs = 0.25\n"
                " set Postprocessors = statistics\nend\n");
      const auto stats = test::read_csv(dir + "/statistics.csv");
      e2.push_back(stats.at("E2").back());
      e1.push_back(stats.at("E1").back());
      e3.push_back(stats.at("E3").back());
    }
  double sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (unsigned int i = 0; i < epsilons.size(); ++i)
    {
      const double x = std::log(epsilons[i]), y = std::log(e2[i]);
      sx += x, sy += y, sxx += x * x, sxy += x * y;
      std::cout << "  eps = " << epsilons[i] << ": E1(T) = " << test::sci(e1[i])
                << "  E2(T) = " << test::sci(e2[i]) << "  E3(T) = " << test::sci(e3[i])
                << std::endl;
    }
  const double n     = epsilons.size();
  const double slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);
  std::cout << "  fitted rate: E2(T) ~ eps^" << slope << std::endl;
  for (unsigned int i = 1; i < epsilons.size(); ++i)
    test::check("E2(T) decreases from eps = " + test::sci(epsilons[i - 1]) + " to " +
                  test::sci(epsilons[i]),
                e2[i] < e2[i - 1]);
  test::check("fitted rate of E2 is positive", slope > 0, test::sci(slope));
  return test::finish();
}
