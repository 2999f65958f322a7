#pragma once

#include <deal.II/base/point.h>

#include <chemokin/mesh/domain.h>
#include <chemokin/signal/gauss_laguerre.h>
#include <chemokin/signal/interface.h>
#include <chemokin/velocity/velocity_set.h>

#include <array>
#include <limits>
#include <map>

namespace chemokin
{
  /**
   * The concentration centre N(t, x, v) of the internal-state solution, the
   * solution of (1.8): D_tN = (M - N)/eps, N(0) = M(0), evaluated by the
   * explicit formula (3.3) with s = t - eps sigma:
   *
   *   N = M(0, x - t v) e^{-t/eps} + int_0^{t/eps} M(t - eps s, x - eps s v) e^{-s} ds.
   *
   * For t/eps beyond the last node of the Gauss-Laguerre rule (about 80
   * for 24 points) the integral is the Gauss-Laguerre sum; before that,
   * 8-point Gauss-Legendre panels of width at most 2 on [0, min(t/eps, 40)]
   * (the weight e^{-s} is below 4e-18 beyond 40). Backward characteristics x - s v are folded into the box: a
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
                        unsigned int                  laguerre_points = 24);

    /** N(t, x, v) by (3.3). */
    double
    value(double t, const dealii::Point<dim> &x, const dealii::Tensor<1, dim> &v) const;

    /**
     * The lag L = D_tN = (M - N)/eps of (1.8), without the cancellation of
     * that difference: integrating (3.3) by parts,
     *
     *   L(t, x, v) = int_0^{t/eps} D_tM(t - eps s, x - eps s v) e^{-s} ds,
     *
     * with D_tM taken along the bacterium's path (after a reflection, with
     * the reflected velocity). Full precision for any eps (DESIGN §8).
     */
    double
    path_derivative(double                        t,
                    const dealii::Point<dim> &    x,
                    const dealii::Tensor<1, dim> &v) const;

    /**
     * N(t, x, v_k) for all velocities, cached per point x for one time t
     * (the nodes of an (x, m)-mesh share their x-coordinates).
     */
    const std::vector<double> &
    values(double t, const dealii::Point<dim> &x, const VelocitySet<dim> &velocities) const;

    /** The point of the box reached from @p y by the boundary conditions. */
    dealii::Point<dim>
    fold(const dealii::Point<dim> &y) const;

    /**
     * The same, and @p v becomes the velocity there: its component along a
     * reflecting axis changes sign with every reflection.
     */
    dealii::Point<dim>
    fold(const dealii::Point<dim> &y, dealii::Tensor<1, dim> &v) const;

  private:
    /** beyond s = 40 the weight e^{-s} of (3.3) is below 4e-18 */
    static constexpr double truncation = 40;

    /**
     * The s in (0, min(t/eps, 40)) where the backward path x - eps s v of a
     * bacterium meets a reflecting wall, sorted: there the integrand of the
     * lag jumps (the velocity turns) and that of N has a kink.
     */
    std::vector<double>
    reflections(double t, const dealii::Point<dim> &x, const dealii::Tensor<1, dim> &v) const;

    /**
     * int_0^{t/eps} f(s) e^{-s} ds by Gauss-Laguerre (t/eps beyond its last
     * node, no reflection) or 8-point Gauss-Legendre panels of width <= 2
     * on [0, min(t/eps, 40)], split at the reflections @p breaks so that
     * every panel sees a smooth integrand (and the result is smooth in t).
     */
    template <typename Integrand>
    double
    integral(double t, const std::vector<double> &breaks, const Integrand &f) const;

    /** per-point cache of one time */
    using Cache = std::map<std::array<double, dim>, std::vector<double>>;
    template <typename Evaluate>
    const std::vector<double> &
    cached(Cache &cache, double &time, double t, const dealii::Point<dim> &x, const Evaluate &evaluate) const;

    const Signal::Interface<dim> &signal;
    double                        epsilon;
    Domain<dim>                   domain;
    GaussLaguerre                 laguerre;
    std::vector<double>           legendre_points, legendre_weights;

    mutable double cache_time;
    mutable Cache  cache;
  };
} // namespace chemokin
