#pragma once

#include <cmath>
#include <vector>

namespace chemokin
{
  /**
   * Gauss-Hermite rule for the standard normal density G of eq. (1.10):
   * sum_q weights[q] f(points[q]) approximates the integral of f(y) G(y),
   * exactly for polynomials of degree < 2n. deal.II has no Hermite rule;
   * this one starts from the Golub-Welsch eigenvalues and polishes them by
   * Newton steps on the orthonormal Hermite recurrence, with the weights from
   * the Christoffel function (accurate to round-off for n up to several
   * hundred).
   */
  struct GaussHermite
  {
    explicit GaussHermite(unsigned int n);

    std::vector<double> points;
    std::vector<double> weights;
  };
  /** The standard normal density G(y) of (1.12). */
  inline double
  standard_normal(const double y)
  {
    return std::exp(-0.5 * y * y) / std::sqrt(2 * M_PI);
  }
} // namespace chemokin
