#include <deal.II/base/quadrature_lib.h>

#include <chemokin/signal/concentration_centre.h>

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
  {
    const dealii::QGauss<1> gauss(10);
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
                break;
              }
            case BoundaryCondition::inflow:
              break;
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
    const double horizon = t / epsilon;
    auto integrand = [&](const double s) {
      return signal.value(fold(x - epsilon * s * v), t - epsilon * s);
    };
    double result = 0;
    if (horizon > laguerre.points.back())
      for (unsigned int q = 0; q < laguerre.points.size(); ++q)
        result += laguerre.weights[q] * integrand(laguerre.points[q]);
    else
      {
        const unsigned int panels = std::max(1.0, std::ceil(horizon / 2));
        const double       width  = horizon / panels;
        for (unsigned int p = 0; p < panels; ++p)
          for (unsigned int q = 0; q < legendre_points.size(); ++q)
            {
              const double s = (p + legendre_points[q]) * width;
              result += width * legendre_weights[q] * std::exp(-s) * integrand(s);
            }
      }
    return result + signal.value(fold(x - t * v), 0.0) * std::exp(-horizon);
  }

  template <int dim>
  double
  ConcentrationCentre<dim>::path_derivative(const double                  t,
                                            const dealii::Point<dim> &    x,
                                            const dealii::Tensor<1, dim> &v) const
  {
    return (signal.value(x, t) - value(t, x, v)) / epsilon;
  }

  template class ConcentrationCentre<1>;
  template class ConcentrationCentre<2>;
} // namespace chemokin
