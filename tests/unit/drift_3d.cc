// d = 3: run-and-tumble model and internal-state model (moving frame,
// eps = 1e-3) in a static linear signal M = g.x, lambda(z) = l0 exp(chi z),
// uniform K on the sphere S^2 of speed c, homogeneous density on a periodic
// box. The stationary velocity law is p(v) ∝ 1/Lambdabar(v.g) ∝ exp(chi v.g)
// (DESIGN §5), a von Mises-Fisher law on S^2, whose mean is
//   c (coth kappa - 1/kappa) g/|g|,   kappa = chi c |g|.
// Both models run side by side (Model = both), with the automatic y-range
// (Y = 10.4: lambda reaches exp(5.2) = 181 at its end, which as an explicit
// rate would set a step 38 times below the x-CFL step): the part of the
// rate above 1/dt_x is implicit (ImplicitTumbling), and the step is that of
// the same run with lambda = 1, the x-CFL step. Also checks the direction
// rule: 32 directions (n = 8) integrate exp(kappa cos) to its closed form
// 4 pi sinh(kappa)/kappa.

#include <chemokin/velocity/direction_rule.h>

#include "test_tools.h"

int
main(int argc, char **argv)
{
  dealii::Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  const double c = 1.0, chi = 0.5;
  const double g[3] = {0.4, 0.8, 0.8}; // |g| = 1.2
  const double kappa = chi * c * 1.2;
  const double speed = c * (1 / std::tanh(kappa) - 1 / kappa);

  {
    const auto rule = chemokin::make_direction_rule<3>(8);
    double     sum = 0, weights = 0, polynomial = 0;
    for (unsigned int i = 0; i < rule.directions.size(); ++i)
      {
        sum += rule.weights[i] * std::exp(kappa * rule.directions[i][2]);
        weights += rule.weights[i];
        // degree 6, below the exactness degree 7
        const auto &e = rule.directions[i];
        polynomial += rule.weights[i] * (e[0] * e[0] * e[1] * e[1] * e[2] * e[2] + std::pow(e[2], 6));
      }
    test::check_close("S^2 rule, n = 8: 32 directions", rule.directions.size(), 32, 0);
    test::check_close("S^2 rule: weights sum to 4 pi", weights, 4 * M_PI, 1e-13);
    // exact for the Taylor terms of degree <= 7: the error is below the
    // remainder 4 pi sum_{n >= 8} kappa^n / n!, about 4 pi kappa^8/8!
    test::check_close("S^2 rule: int exp(kappa cos) = 4 pi sinh(kappa)/kappa, to the degree-8 remainder",
                      sum,
                      4 * M_PI * std::sinh(kappa) / kappa,
                      1.2 * 4 * M_PI * std::pow(kappa, 8) / 40320);
    // int x^2 y^2 z^2 = 4 pi / 105, int z^6 = 4 pi / 7 (degree 6, exact)
    test::check_close("S^2 rule: int x^2 y^2 z^2 + z^6 exact",
                      polynomial,
                      4 * M_PI / 105 + 4 * M_PI / 7,
                      1e-13);
  }

  const auto text = [](const std::string &dir, const std::string &rate, const double end) {
    return "set Dimension = 3\nset Model = both\nset End time = " + test::sci(end) +
           "\nset Output directory = " + dir +
           "\nsubsection Domain\n set Lower corner = 0, 0, 0\n set Upper corner = 2, 2, 2\n"
            " set Boundary = periodic\nend\n"
            "subsection Velocity space\n set Type = sphere\n set Speed = 1\n"
            " set Number of directions = 8\nend\n"
            "subsection Signal\n set Log-concentration = 0.4*x + 0.8*y + 0.8*z\nend\n"
           "subsection Tumbling\n set Rate = " + rate + "\nend\n"
           "subsection Internal state\n set Frame = moving\n set Epsilon = 1e-3\n"
           " set Y range = auto\nend\n"
           "subsection Discretization\n set Degree = 1\n set Refinement = 1\nend\n"
           "subsection Output\n set Time between outputs = 8\n set Postprocessors = statistics\nend\n";
  };
  const std::string dir = test::scratch("drift-3d"), constant = test::scratch("drift-3d-rate-1");
  test::run(text(dir, "exp(0.5*z)", 16));
  test::run(text(constant, "1", 8)); // the same step split of [0, 8]
  const auto        stats    = test::read_csv(dir + "/statistics.csv");
  const char *const axes[3]  = {"", "_y", "_z"};
  for (unsigned int j = 0; j < 3; ++j)
    {
      const double expected = speed * g[j] / 1.2;
      const double limit    = stats.at(std::string("velocity_mean") + axes[j] + "_limit").back();
      const double internal = stats.at(std::string("velocity_mean") + axes[j]).back();
      test::check_close("run and tumble: drift" + std::string(axes[j]) +
                          " = c (coth kappa - 1/kappa) g/|g| to 0.5%",
                        limit,
                        expected,
                        5e-3 * std::abs(expected));
      test::check_close("moving frame, eps = 1e-3: drift" + std::string(axes[j]) + " to 0.5%",
                        internal,
                        expected,
                        5e-3 * std::abs(expected));
    }
  const double x_cfl = test::read_csv(constant + "/statistics.csv").at("dt").back();
  test::check("lambda = exp(z/2), automatic y-range: the step is the x-CFL step (that of lambda = 1)",
              stats.at("dt").back() == x_cfl,
              test::sci(stats.at("dt").back()) + " vs " + test::sci(x_cfl));
  test::check("the y-range is the automatic one, Y > 10",
              stats.at("y_range").back() > 10,
              test::sci(stats.at("y_range").back()));
  const auto &mass = stats.at("mass");
  test::check_close("mass conserved", mass.back(), mass.front(), 1e-12 * mass.front());
  return test::finish();
}
