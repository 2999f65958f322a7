// Asymptotic preservation of the moving frame (DESIGN §8): at eps = 1e-4 the
// m-marginal of the internal-state solution equals the run-and-tumble
// solution on the same x-mesh to 1e-3 of the mass in L1 (E2 of `both`),
// with the same time steps as at eps = 1: the step comes from the x-mesh
// alone, not from eps. A static gradient between reflecting walls and a
// moving signal on a periodic box. E3 = |D_tM - D_tN| / (1 + |v|^2) is
// eps |D_t D_tM| / (1 + |v|^2) to first order in eps away from walls. At a
// reflecting wall the lag L = D_tN is continuous along the reflected path,
// so L(v*) starts at D_tM(v) and relaxes to D_tM(v*) over a distance
// eps |v|: a layer far below the mesh, which the DG lag field spreads over
// the wall cell with an amplitude O(eps |v| / h). In the static gradient
// (D_t D_tM = 0) E3 is that layer alone: it must be first order in eps.

#include "test_tools.h"

std::map<std::string, std::vector<double>>
run(const std::string &physics, const std::string &name, const double eps)
{
  const std::string  dir = test::scratch(name + "-" + test::sci(eps));
  std::ostringstream e;
  e << eps;
  test::run(physics + "set Model = both\nset End time = 1\nset Output directory = " + dir +
            "\nsubsection Internal state\n set Frame = moving\n set Epsilon = " + e.str() +
            "\nend\n"
            "subsection Output\n set Time between outputs = 0.25\n set Postprocessors = statistics\nend\n");
  return test::read_csv(dir + "/statistics.csv");
}

/**
 * @p e3_constant: max over x, v of |D_t D_tM| / (1 + |v|^2); along a
 * characteristic D_tN - D_tM = -eps D_t D_tM + O(eps^2), so E3 = eps times it.
 */
void
check(const std::string &physics,
      const std::string &name,
      const double       e3_constant,
      const bool         wall_layer = false)
{
  const auto small = run(physics, name, 1e-4);
  const auto large = run(physics, name, 1.0);
  test::check_close(name + ": eps = 1e-4, max_t E2 / mass",
                    *std::max_element(small.at("E2").begin(), small.at("E2").end()) /
                      small.at("mass").front(),
                    0,
                    1e-3);
  test::check_close(name + ": drift at T, eps = 1e-4 vs the limit",
                    small.at("velocity_mean").back(),
                    small.at("velocity_mean_limit").back(),
                    1e-3);
  test::check(name + ": the same number of steps at eps = 1e-4 and eps = 1",
              small.at("step").back() == large.at("step").back(),
              std::to_string(int(small.at("step").back())) + " and " +
                std::to_string(int(large.at("step").back())));
  if (wall_layer)
    {
      const auto   medium = run(physics, name, 1e-3);
      const double ratio  = medium.at("E3").back() / small.at("E3").back();
      test::check(name + ": E3 of the wall layer is first order in eps (ratio for eps 1e-3 / 1e-4 "
                         "in [7, 13])",
                  ratio >= 7 && ratio <= 13,
                  test::sci(medium.at("E3").back()) + " / " + test::sci(small.at("E3").back()) +
                    " = " + test::sci(ratio));
      test::check(name + ": E3 at eps = 1e-4 below 20 eps",
                  small.at("E3").back() <= 20 * 1e-4,
                  test::sci(small.at("E3").back()));
    }
  else
    test::check_close(name + ": E3 at T, eps = 1e-4, against eps max |D_t D_tM| / (1 + |v|^2)",
                      small.at("E3").back(),
                      1e-4 * e3_constant,
                      0.01 * 1e-4 * e3_constant + 1e-12);
}

int
main(int argc, char **argv)
{
  dealii::Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  const std::string common =
    "set Dimension = 1\nsubsection Velocity space\n set Type = sphere\n set Speed = 1\nend\n"
    "subsection Tumbling\n set Rate = 1 + 0.5*tanh(z)\nend\n"
    "subsection Discretization\n set Degree = 2\n set Refinement = 4\nend\n";
  check(common + "subsection Domain\n set Lower corner = 0\n set Upper corner = 4\n set Boundary = reflecting\nend\n"
                 "subsection Signal\n set Log-concentration = 0.5*x\nend\n"
                 "subsection Initial condition\n set Density = 0.25*(1 + 0.5*cos(pi*x/2))\nend\n",
        "static gradient",
        0.0,
        true);
  check(common + "subsection Domain\n set Lower corner = 0\n set Upper corner = 2\n set Boundary = periodic\nend\n"
                 "subsection Signal\n set Log-concentration = sin(pi*(x - 0.5*t))\nend\n"
                 "subsection Initial condition\n set Density = 0.5*(1 + 0.5*cos(pi*x))\nend\n",
        "moving signal",
        // M = sin(pi (x - t/2)): D_t D_tM = -pi^2 (v - 1/2)^2 sin, largest at v = -1
        M_PI * M_PI * 2.25 / 2);
  return test::finish();
}
