#include <deal.II/base/quadrature_lib.h>

#include <chemokin/signal/concentration_centre.h>

#include <algorithm>
#include <cmath>

namespace chemokin
{
  template <int dim>
  ConcentrationCentre<dim>::ConcentrationCentre(const Signal::Interface<dim> &signal,
                                                const double                  epsilon,
                                                const Domain<dim> &           domain,
                                                const unsigned int laguerre_points)
    : signal(signal)
    , epsilon(epsilon)
    , domain(domain)
    , laguerre(laguerre_points)
    , cache_time(std::numeric_limits<double>::quiet_NaN())
  {
    const dealii::QGauss<1> gauss(8);
    for (unsigned int q = 0; q < gauss.size(); ++q)
      {
        legendre_points.push_back(gauss.point(q)[0]);
        legendre_weights.push_back(gauss.weight(q));
      }
  }

  template <int dim>
  dealii::Point<dim>
  ConcentrationCentre<dim>::fold(const dealii::Point<dim> &y) const
  {
    dealii::Tensor<1, dim> v;
    return fold(y, v);
  }

  template <int dim>
  dealii::Point<dim>
  ConcentrationCentre<dim>::fold(const dealii::Point<dim> &y, dealii::Tensor<1, dim> &v) const
  {
    dealii::Point<dim> result = y;
    for (unsigned int d = 0; d < dim; ++d)
      {
        const double a = domain.lower[d], length = domain.upper[d] - domain.lower[d];
        switch (domain.boundary[d])
          {
            case BoundaryCondition::periodic:
              {
                double u = std::fmod(y[d] - a, length);
                if (u < 0)
                  u += length;
                result[d] = a + u;
                break;
              }
            case BoundaryCondition::reflecting:
              {
                double u = std::fmod(y[d] - a, 2 * length);
                if (u < 0)
                  u += 2 * length;
                result[d] = a + (u > length ? 2 * length - u : u);
                if (u > length)
                  v[d] = -v[d];
                break;
              }
            case BoundaryCondition::inflow:
              break;
          }
      }
    return result;
  }

  template <int dim>
  std::vector<double>
  ConcentrationCentre<dim>::reflections(const double                  t,
                                        const dealii::Point<dim> &    x,
                                        const dealii::Tensor<1, dim> &v) const
  {
    // the backward path x - eps s v meets a wall of a reflecting axis where
    // x_d - eps s v_d = lower_d + n length_d for an integer n
    std::vector<double> result;
    const double        end = std::min(t / epsilon, truncation);
    for (unsigned int d = 0; d < dim; ++d)
      if (domain.boundary[d] == BoundaryCondition::reflecting && v[d] != 0)
        {
          const double length = domain.upper[d] - domain.lower[d];
          const double travel = epsilon * end * v[d]; // the path spans x_d - travel .. x_d
          const double from   = std::min(x[d] - travel, x[d]), to = std::max(x[d] - travel, x[d]);
          for (double n = std::ceil((from - domain.lower[d]) / length);
               domain.lower[d] + n * length <= to;
               ++n)
            {
              const double s = (x[d] - domain.lower[d] - n * length) / (epsilon * v[d]);
              if (s > 0 && s < end)
                result.push_back(s);
            }
        }
    std::sort(result.begin(), result.end());
    return result;
  }

  template <int dim>
  template <typename Integrand>
  double
  ConcentrationCentre<dim>::integral(const double               t,
                                     const std::vector<double> &breaks,
                                     const Integrand &          f) const
  {
    const double horizon = t / epsilon;
    // Gauss-Laguerre where the integrand is smooth on [0, infinity)
    if (horizon > laguerre.points.back() && breaks.empty())
      {
        double result = 0;
        for (unsigned int q = 0; q < laguerre.points.size(); ++q)
          result += laguerre.weights[q] * f(laguerre.points[q]);
        return result;
      }
    // else Gauss-Legendre panels of width <= 2 between the reflections
    // (where D_tM jumps and M has a kink), up to s = 40: beyond it the
    // weight e^{-s} is below 4e-18
    const double        end = std::min(horizon, truncation);
    std::vector<double> nodes{0.0};
    for (const double s : breaks)
      if (s > nodes.back() && s < end)
        nodes.push_back(s);
    nodes.push_back(end);
    double result = 0;
    for (unsigned int i = 0; i + 1 < nodes.size(); ++i)
      {
        const double       a      = nodes[i];
        const unsigned int panels = std::max(1.0, std::ceil((nodes[i + 1] - a) / 2));
        const double       width  = (nodes[i + 1] - a) / panels;
        for (unsigned int p = 0; p < panels; ++p)
          for (unsigned int q = 0; q < legendre_points.size(); ++q)
            {
              const double s = a + (p + legendre_points[q]) * width;
              result += width * legendre_weights[q] * std::exp(-s) * f(s);
            }
      }
    return result;
  }

  template <int dim>
  double
  ConcentrationCentre<dim>::value(const double                  t,
                                  const dealii::Point<dim> &    x,
                                  const dealii::Tensor<1, dim> &v) const
  {
    double result = integral(t, reflections(t, x, v), [&](const double s) {
      return signal.value(fold(x - epsilon * s * v), t - epsilon * s);
    });
    // the initial value, carried along the characteristic
    const double horizon = t / epsilon;
    if (horizon < truncation)
      result += signal.value(fold(x - t * v), 0.0) * std::exp(-horizon);
    return result;
  }

  template <int dim>
  template <typename Evaluate>
  const std::vector<double> &
  ConcentrationCentre<dim>::cached(Cache &                   cache,
                                   double &                  time,
                                   const double              t,
                                   const dealii::Point<dim> &x,
                                   const Evaluate &          evaluate) const
  {
    if (t != time)
      {
        cache.clear();
        time = t;
      }
    std::array<double, dim> key;
    for (unsigned int d = 0; d < dim; ++d)
      key[d] = x[d];
    auto it = cache.find(key);
    if (it == cache.end())
      it = cache.emplace(key, evaluate()).first;
    return it->second;
  }

  template <int dim>
  const std::vector<double> &
  ConcentrationCentre<dim>::values(const double              t,
                                   const dealii::Point<dim> &x,
                                   const VelocitySet<dim> &  velocities) const
  {
    return cached(cache, cache_time, t, x, [&] {
      std::vector<double> result(velocities.size());
      for (unsigned int k = 0; k < velocities.size(); ++k)
        result[k] = value(t, x, velocities.nodes[k]);
      return result;
    });
  }

  template <int dim>
  double
  ConcentrationCentre<dim>::path_derivative(const double                  t,
                                            const dealii::Point<dim> &    x,
                                            const dealii::Tensor<1, dim> &v) const
  {
    return integral(t, reflections(t, x, v), [&](const double s) {
      dealii::Tensor<1, dim> w     = v;
      const auto             point = fold(x - epsilon * s * v, w);
      return signal.path_derivative(point, w, t - epsilon * s);
    });
  }

  template class ConcentrationCentre<1>;
  template class ConcentrationCentre<2>;
  template class ConcentrationCentre<3>;
} // namespace chemokin
