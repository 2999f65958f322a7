#include <chemokin/base/input_error.h>
#include <chemokin/tumbling/tumbling_rate.h>

#include <cmath>

namespace chemokin
{
  void
  TumblingRate::declare_parameters(dealii::ParameterHandler &prm)
  {
    prm.declare_entry(
      "Rate",
      "1 + 0.5*tanh(z)",
      dealii::Patterns::Anything(),
      "Total tumbling frequency lambda(z) as a muparser expression in `z` = "
      "(m - M)/eps and the user constants. Attraction needs lambda increasing "
      "in z. The run-and-tumble model uses its Gaussian average (1.12), "
      "Lambdabar(D_tM) = int lambda(y - D_tM) G(y) dy.");
    prm.declare_entry("Quadrature points",
                      "128",
                      dealii::Patterns::Integer(1, 1000),
                      "Number of Gauss-Hermite points for the average (1.12). "
                      "128 points give 1e-12 for smooth rates such as "
                      "1 + 0.5 tanh(z) (the poles of tanh at +-i pi/2 limit "
                      "the convergence).");
  }

  TumblingRate::TumblingRate(dealii::ParameterHandler &           prm,
                             const std::map<std::string, double> &constants)
    : TumblingRate(prm.get("Rate"),
                   prm.get_integer("Quadrature points"),
                   constants)
  {}

  TumblingRate::TumblingRate(const std::string &expression,
                             const unsigned int quadrature_points,
                             const std::map<std::string, double> &constants)
    : lambda(std::make_unique<Expression<1>>(expression,
                                             "z",
                                             false,
                                             constants,
                                             "Tumbling/Rate",
                                             dealii::Point<1>(0.0)))
    , hermite(quadrature_points)
  {}

  double
  TumblingRate::rate(const double z) const
  {
    return lambda->value(dealii::Point<1>(z));
  }

  double
  TumblingRate::averaged_rate(const double mu) const
  {
    double sum = 0;
    for (unsigned int q = 0; q < hermite.points.size(); ++q)
      sum += hermite.weights[q] * rate(hermite.points[q] - mu);
    return sum;
  }

  void
  TumblingRate::check_nonnegative(const double range) const
  {
    const unsigned int n = 401;
    for (unsigned int i = 0; i < n; ++i)
      {
        const double z = -range + 2 * range * i / (n - 1);
        const double l = rate(z);
        if (!std::isfinite(l) || l < 0)
          throw InputError("Tumbling/Rate",
                           "lambda(" + std::to_string(z) + ") = " +
                             std::to_string(l) +
                             ": the tumbling rate must be finite and "
                             "non-negative");
      }
  }
} // namespace chemokin
