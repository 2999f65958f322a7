// The run-and-tumble limit of the pathway (DESIGN §11): with the internal
// dynamics sped up by 1/eps at a fixed stationary law (`Pathway/Time
// scale`), the velocity marginal of the internal-state model tends to the
// run-and-tumble model with Lambdabar(mu) = int lambda(a(u)) rho_mu(u) du
// as eps -> 0. `Model = both`, 1-D, an attractant bump (mu stays inside
// (-k_B, k_R): every lane has a stationary law), physical units (um, s):
// E2 at t = 50 s for eps = 2^-5 ... 2^-9 decreases monotonically and at
// first order (the observed order of the last two halvings above 0.85).
// The numbers are printed; doc/biology.md quotes them.

#include "test_tools.h"

int
main(int argc, char **argv)
{
  dealii::Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  std::vector<double> epsilons, e2;
  for (unsigned int level = 5; level <= 9; ++level)
    {
      const double       eps = std::ldexp(1.0, -int(level));
      const std::string  dir = test::scratch("limit-" + std::to_string(level));
      std::ostringstream prm;
      prm << std::setprecision(17) << "set Dimension = 1\nset Model = both\nset End time = 50\n"
          << "set Output directory = " << dir << "\n"
          << "subsection Domain\n set Lower corner = 0\n set Upper corner = 2000\n"
          << " set Boundary = reflecting\nend\n"
          << "subsection Velocity space\n set Type = sphere\n set Speed = 20\nend\n"
          << "subsection Signal\n set Log-concentration = log(200) + 0.3*exp(-((x-1000)/400)^2)\nend\n"
          << "subsection Tumbling\n set Rate = 0.5 + a\nend\n"
          << "subsection Initial condition\n set Density = 1\nend\n"
          << "subsection Internal state\n set Dynamics = pathway\n subsection Pathway\n"
          << "  set Time scale = " << eps << "\n end\nend\n"
          << "subsection Discretization\n set Degree = 2\n set Refinement = 4\nend\n"
          << "subsection Output\n set Time between outputs = 50\n set Postprocessors = statistics\nend\n";
      test::run(prm.str());
      const auto columns = test::read_csv(dir + "/statistics.csv");
      epsilons.push_back(eps);
      e2.push_back(columns.at("E2").back() / columns.at("mass").back());
      if (test::root())
        std::cout << "eps = " << test::sci(eps) << ": E2 / mass = " << test::sci(e2.back()) << std::endl;
    }
  for (unsigned int i = 1; i < e2.size(); ++i)
    {
      const double order = std::log2(e2[i - 1] / e2[i]);
      if (test::root())
        std::cout << "  eps = " << test::sci(epsilons[i]) << ": observed order " << std::to_string(order) << std::endl;
      test::check("E2 decreases as eps halves", e2[i] < e2[i - 1]);
      if (i + 2 >= e2.size())
        test::check("first order in eps", order > 0.85, std::to_string(order));
    }
  return test::finish();
}
