#pragma once

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
} // namespace chemokin
