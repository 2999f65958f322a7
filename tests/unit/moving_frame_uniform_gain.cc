// The moving frame's tumbling gain for a uniform kernel goes through the
// common grid in z = y - L(v) (two remaps per lane, O(n_v n_y) per x-node;
// ShiftedTumbling). It must agree with the direct gain (one remap per pair
// of velocities, O(n_v^2 n_y)) to the order of the y-grid, O(h^2). The
// direct gain runs with a persistence kernel whose mean cosine is 1e-7: K
// is uniform to 1e-7 but not exactly, so it takes the direct path.
// d = 2, 8 directions, a moving signal, eps = 0.1; compared: the drift and
// the relative entropy of q against qbar M(y) (sensitive to the
// profile in y).

#include "test_tools.h"

std::map<std::string, double>
run(const std::string &kernel, const double h)
{
  const std::string dir = test::scratch(kernel + "-" + std::to_string(h));
  test::run("set Dimension = 2\nset Model = internal state\nset End time = 1\n"
            "set Output directory = " + dir +
            "\nsubsection Domain\n set Lower corner = 0, 0\n set Upper corner = 2, 2\n"
            " set Boundary = periodic\nend\n"
            "subsection Velocity space\n set Number of directions = 8\nend\n"
            "subsection Signal\n set Log-concentration = 0.8*x + 0.3*sin(pi*(y - 0.5*t))\nend\n"
            "subsection Tumbling\n set Rate = 1 + 0.5*tanh(z)\n set Turning kernel = " + kernel +
            "\n set Mean cosine = 1e-7\nend\n"
            "subsection Initial condition\n set Density = 1 + 0.5*cos(pi*x)\nend\n"
            "subsection Internal state\n set Frame = moving\n set Epsilon = 0.1\n"
            " set Y cell size = " + std::to_string(h) + "\nend\n"
            "subsection Discretization\n set Degree = 1\n set Refinement = 2\nend\n"
            "subsection Output\n set Time between outputs = 1\n set Postprocessors = statistics\nend\n");
  const auto stats = test::read_csv(dir + "/statistics.csv");
  return {{"drift", stats.at("velocity_mean").back()},
          {"entropy", stats.at("relative_entropy").back()},
          {"mass", stats.at("mass").back() / stats.at("mass").front() - 1}};
}

int
main(int argc, char **argv)
{
  dealii::Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  double previous[2] = {0, 0};
  for (const double h : {0.5, 0.25})
    {
      const auto common = run("uniform", h), direct = run("persistence", h);
      const double d_drift = std::abs(common.at("drift") - direct.at("drift"));
      const double d_e1    = std::abs(common.at("entropy") - direct.at("entropy"));
      std::cout << std::setprecision(8) << "  h = " << h << ": drift " << common.at("drift") << " vs " << direct.at("drift")
                << ", relative entropy " << common.at("entropy") << " vs " << direct.at("entropy") << std::endl;
      test::check_close("h = " + std::to_string(h) + ": mass (common grid)", common.at("mass"), 0, 1e-13);
      test::check_close("h = " + std::to_string(h) + ": drift, common vs direct gain (1e-3 relative)",
                        d_drift,
                        0,
                        1e-3 * std::abs(direct.at("drift")));
      if (previous[0] > 0)
        {
          test::check("halving h: the drift difference falls by >= 3 (second order)",
                      d_drift < previous[0] / 3,
                      test::sci(previous[0]) + " -> " + test::sci(d_drift));
          test::check("halving h: the relative-entropy difference falls by >= 3",
                      d_e1 < previous[1] / 3,
                      test::sci(previous[1]) + " -> " + test::sci(d_e1));
        }
      previous[0] = d_drift;
      previous[1] = d_e1;
    }
  return test::finish();
}
