#pragma once

#include <deal.II/base/point.h>

namespace chemokin
{
  /** The x-part of a point (x, m) of the internal-state model's mesh. */
  template <int dim>
  dealii::Point<dim>
  x_part(const dealii::Point<dim + 1> &p)
  {
    dealii::Point<dim> x;
    for (unsigned int d = 0; d < dim; ++d)
      x[d] = p[d];
    return x;
  }
} // namespace chemokin
