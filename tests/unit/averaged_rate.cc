// Lambdabar of (1.12) by Gauss-Hermite quadrature against the closed forms of
// DESIGN §5, to 1e-10; and the Gauss-Hermite rule against the moments of G.

#include <boost/math/special_functions/erf.hpp>

#include <chemokin/tumbling/gauss_hermite.h>
#include <chemokin/tumbling/tumbling_rate.h>

#include "test_tools.h"

int
main(int argc, char **argv)
{
  dealii::Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  using chemokin::TumblingRate;

  // Gauss-Hermite: int y^(2j) G = (2j-1)!!
  {
    const chemokin::GaussHermite rule(20);
    double                       double_factorial = 1;
    for (unsigned int j = 0; j < 10; ++j)
      {
        double moment = 0;
        for (unsigned int q = 0; q < rule.points.size(); ++q)
          moment += rule.weights[q] * std::pow(rule.points[q], 2 * j);
        test::check_close("Gauss-Hermite moment y^" + std::to_string(2 * j),
                          moment,
                          double_factorial,
                          1e-12 * double_factorial);
        double_factorial *= 2 * j + 1;
      }
  }

  const std::map<std::string, double> none;
  const auto Phi = [](const double u) { return 0.5 * std::erfc(-u / std::sqrt(2.0)); };

  // lambda = a + b Phi(z/s)  ->  Lambdabar(mu) = a + b Phi(-mu/sqrt(1+s^2))
  {
    const double       a = 0.3, b = 1.7, s = 0.8;
    const TumblingRate rate("a + b*0.5*erfc(-(z/s)/sqrt(2))",
                            64,
                            {{"a", a}, {"b", b}, {"s", s}});
    for (const double mu : {-3.0, -1.0, -0.25, 0.0, 0.5, 1.0, 2.0, 4.0})
      test::check_close("normal-CDF rate, Lambdabar(" + std::to_string(mu) + ")",
                        rate.averaged_rate(mu),
                        a + b * Phi(-mu / std::sqrt(1 + s * s)),
                        1e-10);
  }

  // lambda = l0 exp(chi z)  ->  Lambdabar(mu) = l0 exp(chi^2/2 - chi mu)
  {
    const double       l0 = 1.0, chi = 1.3;
    const TumblingRate rate("l0*exp(chi*z)", 64, {{"l0", l0}, {"chi", chi}});
    for (const double mu : {-2.0, -0.5, 0.0, 0.7, 2.0})
      {
        const double exact = l0 * std::exp(chi * chi / 2 - chi * mu);
        test::check_close("exponential rate, Lambdabar(" + std::to_string(mu) +
                            ")",
                          rate.averaged_rate(mu),
                          exact,
                          1e-10 * exact);
      }
  }

  // lambda = 1 + 0.5 tanh z: reference values of DESIGN §5
  {
    const TumblingRate rate("1 + 0.5*tanh(z)", 128, none);
    test::check_close("tanh rate, Lambdabar(-1)",
                      rate.averaged_rate(-1),
                      1.275200245397,
                      1e-10);
    test::check_close("tanh rate, Lambdabar(1)",
                      rate.averaged_rate(1),
                      0.724799754603,
                      1e-10);
    test::check_close("tanh rate, Lambdabar(2)",
                      rate.averaged_rate(2),
                      0.567667641618,
                      1e-10);
  }
  // the interpolation table used for moving signals, against the quadrature
  {
    const TumblingRate rate("1 + 0.5*tanh(z)", 128, none);
    double             worst = 0;
    for (double mu = -6.3; mu < 6.3; mu += 0.0137)
      worst = std::max(worst,
                       std::abs(rate.averaged_rate_interpolated(mu) -
                                rate.averaged_rate(mu)));
    test::check_close("tanh rate, interpolated Lambdabar on [-6.3, 6.3]",
                      worst,
                      0,
                      1e-10);
  }
  // far beyond the tables' range (D_tM of a field with a huge diffusion at
  // its first step was 4e9, and the table grown to it asked for 30 GB):
  // the quadrature and the expression themselves, exactly
  {
    const TumblingRate rate("1 + 0.5*tanh(z)", 128, none);
    for (const double mu : {4e9, -4e9, 1e300})
      test::check_close("tanh rate, Lambdabar(" + test::sci(mu) + ") beyond the table",
                        rate.averaged_rate_interpolated(mu),
                        rate.averaged_rate(mu),
                        0);
    double z = 3e9, out[3];
    rate.rates_interpolated(z, 1, 3, out);
    test::check_close("tanh rate, lambda(3e9 + 2) beyond the table", out[2], rate.rate(z + 2), 0);
    test::check_close("tanh rate, lambda(-3e9) beyond the table",
                      rate.rate_interpolated(-z),
                      0.5,
                      0);
  }
  return test::finish();
}
