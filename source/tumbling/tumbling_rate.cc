#include <chemokin/base/input_error.h>
#include <chemokin/base/parameters.h>
#include <chemokin/tumbling/tumbling_rate.h>

#include <cmath>
#include <tuple>

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

  std::pair<double, double>
  TumblingRate::averaged_rate_and_slope(const double mu) const
  {
    double value = 0, slope = 0;
    for (unsigned int q = 0; q < hermite.points.size(); ++q)
      {
        const double l = hermite.weights[q] * rate(hermite.points[q] - mu);
        value += l;
        slope -= l * hermite.points[q];
      }
    return {value, slope};
  }

  double
  TumblingRate::averaged_rate_interpolated(const double mu) const
  {
    // beyond the table's limit (D_tM of a signal that jumps, e.g. a field
    // with a huge diffusion at its first step) the quadrature itself: a
    // table grown to cover mu = 4e9 asked for 30 GB
    if (!(std::abs(mu) < table_limit))
      return averaged_rate(mu);
    const double h = table_step;
    const double end =
      table_start + h * (double(table_value.size()) - 1);
    if (table_value.empty() || mu < table_start || mu >= end)
      {
        // (re)build on a range covering mu with a margin, on the fixed grid
        double lower = std::floor(std::min(mu, table_value.empty() ? mu : table_start) - 1);
        double upper = std::ceil(std::max(mu, table_value.empty() ? mu : end) + 1);
        const unsigned int n = std::lround((upper - lower) / h) + 1;
        table_start = lower;
        table_value.resize(n);
        table_slope.resize(n);
        for (unsigned int i = 0; i < n; ++i)
          std::tie(table_value[i], table_slope[i]) =
            averaged_rate_and_slope(lower + i * h);
      }
    const double       s = (mu - table_start) / h;
    const unsigned int i = std::min<unsigned int>(s, table_value.size() - 2);
    const double       t = s - i;
    // cubic Hermite basis on [0, 1]
    const double h00 = (1 + 2 * t) * (1 - t) * (1 - t);
    const double h10 = t * (1 - t) * (1 - t);
    const double h01 = t * t * (3 - 2 * t);
    const double h11 = t * t * (t - 1);
    return h00 * table_value[i] + h10 * h * table_slope[i] +
           h01 * table_value[i + 1] + h11 * h * table_slope[i + 1];
  }

  double
  TumblingRate::rate_interpolated(const double z) const
  {
    if (!(std::abs(z) < table_limit))
      return rate(z);
    const double h = table_step;
    // the four nodes i-1 .. i+2 around z must lie inside the table
    const double begin = rate_start + h, end = rate_start + h * (double(rate_value.size()) - 2);
    if (rate_value.size() < 4 || z < begin || z >= end)
      {
        const double lower = std::floor(std::min(z, rate_value.empty() ? z : begin) - 2);
        const double upper = std::ceil(std::max(z, rate_value.empty() ? z : end) + 2);
        const unsigned int n = std::lround((upper - lower) / h) + 1;
        rate_start           = lower;
        rate_value.resize(n);
        for (unsigned int i = 0; i < n; ++i)
          rate_value[i] = rate(lower + i * h);
      }
    const double       s = (z - rate_start) / h;
    const unsigned int i = s;
    const double       t = s - i;
    const double *const f = &rate_value[i - 1];
    // Lagrange basis on the nodes -1, 0, 1, 2
    return -t * (t - 1) * (t - 2) / 6 * f[0] + (t + 1) * (t - 1) * (t - 2) / 2 * f[1] -
           (t + 1) * t * (t - 2) / 2 * f[2] + (t + 1) * t * (t - 1) / 6 * f[3];
  }

  void
  TumblingRate::rates_interpolated(const double       z0,
                                   const double       dz,
                                   const unsigned int n,
                                   double *           out) const
  {
    if (n == 0)
      return;
    // grow the table over both ends first: it then covers every point
    rate_interpolated(z0);
    rate_interpolated(z0 + (n - 1) * dz);
    const double h      = table_step;
    const double ratio  = dz / h;
    const long   stride = std::lround(ratio);
    // point by point where the grid's nodes are not table nodes, or where
    // the grid leaves the table (rate_interpolated() then falls back itself)
    if (stride < 1 || std::abs(ratio - stride) > 1e-12 * ratio ||
        !(std::abs(z0) < table_limit && std::abs(z0 + (n - 1) * dz) < table_limit))
      {
        for (unsigned int j = 0; j < n; ++j)
          out[j] = rate_interpolated(z0 + j * dz);
        return;
      }
    const double       s  = (z0 - rate_start) / h;
    const unsigned int i  = s;
    const double       t  = s - i;
    const double       w0 = -t * (t - 1) * (t - 2) / 6, w1 = (t + 1) * (t - 1) * (t - 2) / 2,
                 w2 = -(t + 1) * t * (t - 2) / 2, w3 = (t + 1) * t * (t - 1) / 6;
    const double *f = &rate_value[i - 1];
    for (unsigned int j = 0; j < n; ++j, f += stride)
      out[j] = w0 * f[0] + w1 * f[1] + w2 * f[2] + w3 * f[3];
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
                           "lambda(" + Parameters::format(z) + ") = " +
                             Parameters::format(l) +
                             ": the tumbling rate must be finite and "
                             "non-negative");
      }
  }
} // namespace chemokin
