#pragma once

#include <vector>

namespace chemokin
{
  /**
   * Gauss-Laguerre rule: sum_q weights[q] f(points[q]) approximates
   * int_0^inf f(s) e^{-s} ds, exactly for polynomials of degree < 2n.
   * Golub-Welsch start, Newton polish on the Laguerre recurrence, weights
   * x_i / ((n+1)^2 L_{n+1}(x_i)^2). deal.II has no such rule.
   */
  struct GaussLaguerre
  {
    explicit GaussLaguerre(unsigned int n);

    std::vector<double> points;
    std::vector<double> weights;
  };
} // namespace chemokin
