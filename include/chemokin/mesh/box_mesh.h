#pragma once

#include <deal.II/base/mpi.h>
#include <deal.II/base/point.h>
#include <deal.II/distributed/tria_base.h>

#include <array>
#include <memory>

namespace chemokin
{
  /** Boundary conditions of the transport operator on a box. */
  enum class BoundaryCondition
  {
    periodic,
    /** specular reflection v -> v - 2 (v.n) n */
    reflecting,
    /** zero incoming density */
    inflow
  };

  BoundaryCondition
  parse_boundary_condition(const std::string &name);

  /**
   * A box [lower, upper] meshed with nearly cubic cells (the coarse mesh has
   * as many cells per axis as the axis is longer than the shortest one),
   * then refined @p refinement times. Boundary ids are 2j (lower) and 2j+1
   * (upper) on axis j; axes with @p periodic[j] are made periodic.
   *
   * p4est needs d >= 2: a one-dimensional mesh is a
   * parallel::shared::Triangulation (every rank stores the whole line and
   * owns a contiguous piece of it), higher dimensions a
   * parallel::distributed::Triangulation.
   */
  template <int dim>
  std::unique_ptr<dealii::parallel::TriangulationBase<dim>>
  make_box_mesh(const MPI_Comm &                 comm,
                const dealii::Point<dim> &       lower,
                const dealii::Point<dim> &       upper,
                const std::array<bool, dim> &    periodic,
                unsigned int                     refinement);

  /** The same with the coarse cells per axis given. */
  template <int dim>
  std::unique_ptr<dealii::parallel::TriangulationBase<dim>>
  make_box_mesh(const MPI_Comm &                 comm,
                const dealii::Point<dim> &       lower,
                const dealii::Point<dim> &       upper,
                const std::array<bool, dim> &    periodic,
                const std::vector<unsigned int> &repetitions,
                unsigned int                     refinement);

  /** Coarse cells per axis for nearly cubic cells: one across the shortest edge. */
  template <int dim>
  std::vector<unsigned int>
  box_repetitions(const dealii::Point<dim> &lower, const dealii::Point<dim> &upper);
} // namespace chemokin
