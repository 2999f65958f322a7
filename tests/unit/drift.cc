// Run-and-tumble model in a static linear signal, uniform K, homogeneous
// density on a periodic box: the velocity law relaxes to p(v) ∝ 1/Lambdabar(v.grad M)
// (DESIGN §5), so the drift velocity_mean equals <v/Lambdabar>/<1/Lambdabar>.
// Oracles independent of the code's quadrature:
//  * lambda = l0 exp(chi z): Lambdabar(mu) ∝ exp(-chi mu); kappa = chi c |grad M|;
//    d = 1 two speeds: c tanh(kappa); d = 2 circle: c I1(kappa)/I0(kappa).
//  * lambda = a + b Phi(z/s): Lambdabar(mu) = a + b Phi(-mu/sqrt(1+s^2)),
//    d = 1: c (1/L(c g) - 1/L(-c g)) / (1/L(c g) + 1/L(-c g)).

#include <boost/math/special_functions/bessel.hpp>

#include "test_tools.h"

double
final_drift(const std::string &prm_text, const std::string &name, const std::string &column)
{
  const std::string dir = test::scratch(name);
  test::run(prm_text + "set Output directory = " + dir + "\n");
  return test::read_csv(dir + "/statistics.csv").at(column).back();
}

std::string
setup(const int dim, const std::string &rate, const std::string &signal)
{
  return "set Dimension = " + std::to_string(dim) +
         "\nset Model = run and tumble\nset End time = 40\n"
         "subsection Domain\n set Lower corner = " +
         (dim == 1 ? "0" : "0,0") + "\n set Upper corner = " +
         (dim == 1 ? "2" : "2,2") +
         "\n set Boundary = periodic\nend\n"
         "subsection Velocity space\n set Type = sphere\n set Speed = 1.5\n"
         " set Number of directions = 32\nend\n"
         "subsection Signal\n set Log-concentration = " + signal +
         "\n set Constants = chi=0.8, a=0.3, b=1.7, s=0.8\nend\n"
         "subsection Tumbling\n set Rate = " + rate +
         "\nend\n"
         "subsection Discretization\n set Degree = 1\n set Refinement = 2\nend\n"
         "subsection Output\n set Time between outputs = 10\n"
         " set Postprocessors = statistics\nend\n";
}

int
main(int argc, char **argv)
{
  dealii::Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  const double c = 1.5, chi = 0.8;

  // d = 1, exponential rate, grad M = 0.6
  {
    const double kappa = chi * c * 0.6;
    test::check_close("d=1 two speeds, exponential rate: drift = c tanh(kappa)",
                      final_drift(setup(1, "exp(chi*z)", "0.6*x"), "exp1d", "velocity_mean"),
                      c * std::tanh(kappa),
                      1e-6);
  }
  // d = 1, normal-CDF rate, grad M = -0.9 (drift to the left)
  {
    const double a = 0.3, b = 1.7, s = 0.8, g = -0.9;
    auto L = [&](double mu) {
      return a + b * 0.5 * std::erfc(mu / std::sqrt(1 + s * s) / std::sqrt(2.0));
    };
    const double up = 1 / L(c * g), down = 1 / L(-c * g);
    test::check_close("d=1 two speeds, normal-CDF rate: drift = <v/L>/<1/L>",
                      final_drift(setup(1, "a + b*0.5*erfc(-(z/s)/sqrt(2))", "-0.9*x"),
                                  "cdf1d",
                                  "velocity_mean"),
                      c * (up - down) / (up + down),
                      1e-6);
  }
  // d = 2, exponential rate, grad M = (0.3, 0.4): |grad M| = 0.5
  {
    const double kappa = chi * c * 0.5;
    const double speed = c * boost::math::cyl_bessel_i(1, kappa) /
                         boost::math::cyl_bessel_i(0, kappa);
    const std::string prm = setup(2, "exp(chi*z)", "0.3*x + 0.4*y");
    test::check_close("d=2 circle, exponential rate: drift_x = 0.6 c I1/I0",
                      final_drift(prm, "exp2d", "velocity_mean"),
                      0.6 * speed,
                      1e-6);
    test::check_close("d=2 circle, exponential rate: drift_y = 0.8 c I1/I0",
                      test::read_csv("scratch-exp2d/statistics.csv")
                        .at("velocity_mean_y")
                        .back(),
                      0.8 * speed,
                      1e-6);
  }
  return test::finish();
}
