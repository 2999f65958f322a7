#pragma once

#include <deal.II/base/tensor.h>

#include <vector>

namespace chemokin
{
  /**
   * A quadrature rule on the unit sphere S^{d-1}: directions e_i and
   * weights w_i with sum_i w_i f(e_i) ~ the integral of f over S^{d-1}.
   * The weights sum to |S^{d-1}| (2, 2*pi, 4*pi).
   */
  template <int dim>
  struct DirectionRule
  {
    std::vector<dealii::Tensor<1, dim>> directions;
    std::vector<double>                 weights;
  };

  /**
   * The direction rule of `Number of directions` = n:
   * - d = 1: {-1, +1} (n is ignored);
   * - d = 2: n equally spaced angles 2*pi*(i + 1/2)/n, exact for
   *   trigonometric polynomials of degree < n;
   * - d = 3: the product of n equally spaced azimuths (as in d = 2) and
   *   n/2 Gauss-Legendre nodes in cos(theta): n^2/2 directions, exact for
   *   polynomials on S^2 of degree < n (n = 8: 32 directions, degree 7).
   * An even n makes the rule symmetric under the mirror reflection of every
   * axis (a Gauss rule is symmetric in cos(theta), and the azimuths map
   * onto each other under phi -> -phi and phi -> pi - phi), which
   * `reflecting` walls need.
   */
  template <int dim>
  DirectionRule<dim>
  make_direction_rule(unsigned int n);
} // namespace chemokin
