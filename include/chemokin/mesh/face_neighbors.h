#pragma once

#include <deal.II/base/quadrature.h>
#include <deal.II/dofs/dof_handler.h>
#include <deal.II/fe/fe_values.h>

#include <functional>
#include <vector>

namespace chemokin
{
  /**
   * Visits the interior (or periodic) face @p f of a cell as matching pairs
   * of face evaluators: this cell's side and the neighbour's side, with
   * quadrature points that coincide. The neighbour may be on the same level,
   * coarser (its subface is used) or finer (each of its children is visited
   * against our subface). Operators assemble the rows of their own cell from
   * these pairs: test functions from `here`, trial functions from `here` or
   * `there`.
   *
   * Cells are axis-aligned boxes in standard orientation, so the neighbour
   * sees the face as its opposite face, f xor 1 (periodic or not).
   */
  template <int mesh_dim>
  class FaceNeighbors
  {
  public:
    using CellIterator =
      typename dealii::DoFHandler<mesh_dim>::active_cell_iterator;
    using Visit = std::function<void(const dealii::FEValuesBase<mesh_dim> &here,
                                      const dealii::FEValuesBase<mesh_dim> &there,
                                      const CellIterator &neighbor)>;

    FaceNeighbors(const dealii::FiniteElement<mesh_dim> &fe,
                  const dealii::Quadrature<mesh_dim - 1> &quadrature,
                  dealii::UpdateFlags                     flags);

    /** Whether face @p f is on the boundary and not periodic. */
    static bool
    is_wall(const CellIterator &cell, unsigned int f);

    /**
     * The active cells across the interior (or periodic) face @p f: the
     * neighbour, or its children on the face if it is finer. In d = 1 a
     * finer neighbour is descended to the child at the shared vertex.
     */
    template <typename Cell>
    static std::vector<Cell>
    active_neighbors(const Cell &cell, unsigned int f)
    {
      auto neighbor = cell->neighbor_or_periodic_neighbor(f);
      if (!neighbor->has_children())
        return {neighbor};
      if constexpr (mesh_dim == 1)
        {
          while (neighbor->has_children())
            neighbor = neighbor->child(f == 0 ? 1 : 0);
          return {neighbor};
        }
      else
        {
          std::vector<Cell> children;
          for (unsigned int sf = 0; sf < dealii::GeometryInfo<mesh_dim>::max_children_per_face; ++sf)
            children.push_back(cell->at_boundary(f) ? cell->periodic_neighbor_child_on_subface(f, sf) :
                                                      cell->neighbor_child_on_subface(f, sf));
          return children;
        }
    }

    void
    visit(const CellIterator &cell, unsigned int f, const Visit &visit);

  private:
    dealii::FEFaceValues<mesh_dim>    face_here, face_there;
    dealii::FESubfaceValues<mesh_dim> subface_here, subface_there;
  };
} // namespace chemokin
