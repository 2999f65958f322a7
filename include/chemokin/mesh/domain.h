#pragma once

#include <deal.II/base/parameter_handler.h>
#include <deal.II/base/point.h>

#include <chemokin/mesh/box_mesh.h>

#include <array>
#include <vector>

namespace chemokin
{
  /** The spatial box of `subsection Domain`. */
  template <int dim>
  struct Domain
  {
    static void
    declare_parameters(dealii::ParameterHandler &prm);

    /** Reads and checks `Domain`; throws InputError naming the entry. */
    static Domain
    parse(dealii::ParameterHandler &prm);

    dealii::Point<dim>                  lower;
    dealii::Point<dim>                  upper;
    std::array<BoundaryCondition, dim>  boundary;
    /** `Coarse cells`: coarse cells across the shortest edge */
    unsigned int                        coarse_cells = 1;

    /** Coarse cells per axis: nearly cubic, `coarse_cells` across the shortest edge. */
    std::vector<unsigned int>
    repetitions() const;

    dealii::Point<dim>
    center() const
    {
      return 0.5 * (lower + upper);
    }

    /** The longest edge of the box. */
    double
    size() const;

    std::array<bool, dim>
    periodic_axes() const;
  };
} // namespace chemokin
