#pragma once

#include <deal.II/base/point.h>

#include <chemokin/mesh/domain.h>
#include <chemokin/signal/gauss_laguerre.h>
#include <chemokin/signal/interface.h>

namespace chemokin
{
  /**
   * The concentration centre N(t, x, v) of the internal-state solution, the
   * solution of (1.8): D_tN = (M - N)/eps, N(0) = M(0), evaluated by the
   * explicit formula (3.3) with s = t - eps sigma:
   *
   *   N = M(0, x - t v) e^{-t/eps} + int_0^{t/eps} M(t - eps s, x - eps s v) e^{-s} ds.
   *
   * For t/eps beyond the last node of the Gauss-Laguerre rule, the integral
   * is the Gauss-Laguerre sum (the neglected tail is below e^{-t/eps});
   * before that, composite Gauss-Legendre on [0, t/eps] with panels of width
   * at most 2. Backward characteristics x - s v are folded into the box: a
   * periodic axis wraps, a reflecting axis unfolds the specular reflections
   * (the path of a bacterium that bounced off the wall).
   */
  template <int dim>
  class ConcentrationCentre
  {
  public:
    ConcentrationCentre(const Signal::Interface<dim> &signal,
                        double                        epsilon,
                        const Domain<dim> &           domain,
                        unsigned int                  laguerre_points = 32);

    /** N(t, x, v) by (3.3). */
    double
    value(double t, const dealii::Point<dim> &x, const dealii::Tensor<1, dim> &v) const;

    /** D_tN = (M - N)/eps, by (1.8). */
    double
    path_derivative(double                        t,
                    const dealii::Point<dim> &    x,
                    const dealii::Tensor<1, dim> &v) const;

    /** The point of the box reached from @p y by the boundary conditions. */
    dealii::Point<dim>
    fold(const dealii::Point<dim> &y) const;

  private:
    const Signal::Interface<dim> &signal;
    double                        epsilon;
    Domain<dim>                   domain;
    GaussLaguerre                 laguerre;
    std::vector<double>           legendre_points, legendre_weights;
  };
} // namespace chemokin
