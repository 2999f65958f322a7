#include <chemokin/mesh/face_neighbors.h>

namespace chemokin
{
  template <int mesh_dim>
  FaceNeighbors<mesh_dim>::FaceNeighbors(
    const dealii::FiniteElement<mesh_dim> & fe,
    const dealii::Quadrature<mesh_dim - 1> &quadrature,
    const dealii::UpdateFlags               flags)
    : face_here(fe, quadrature, flags)
    , face_there(fe, quadrature, flags)
    , subface_here(fe, quadrature, flags)
    , subface_there(fe, quadrature, flags)
  {}

  template <int mesh_dim>
  bool
  FaceNeighbors<mesh_dim>::is_wall(const CellIterator &cell, const unsigned int f)
  {
    return cell->at_boundary(f) && !cell->has_periodic_neighbor(f);
  }

  template <int mesh_dim>
  void
  FaceNeighbors<mesh_dim>::visit(const CellIterator &cell,
                                 const unsigned int  f,
                                 const Visit &       visit)
  {
    const bool         periodic      = cell->has_periodic_neighbor(f);
    const unsigned int neighbor_face = f ^ 1;
    if constexpr (mesh_dim == 1)
      {
        // faces are points: the two sides meet at the vertex whatever the
        // levels, and there are no subfaces
        const CellIterator neighbor = active_neighbors(cell, f)[0];
        face_here.reinit(cell, f);
        face_there.reinit(neighbor, neighbor_face);
        visit(face_here, face_there, neighbor);
        return;
      }
    const auto neighbor = cell->neighbor_or_periodic_neighbor(f);
    // a periodic face of this cell has no children even when the neighbour
    // is refined (periodic faces are distinct objects): count the children
    // of an isotropically refined face instead
    if (neighbor->has_children())
      for (unsigned int sf = 0;
           sf < dealii::GeometryInfo<mesh_dim>::max_children_per_face;
           ++sf)
        {
          const CellIterator child =
            periodic ? cell->periodic_neighbor_child_on_subface(f, sf) :
                       cell->neighbor_child_on_subface(f, sf);
          subface_here.reinit(cell, f, sf);
          face_there.reinit(child, neighbor_face);
          visit(subface_here, face_there, child);
        }
    else
      {
        face_here.reinit(cell, f);
        const bool coarser = periodic ? cell->periodic_neighbor_is_coarser(f) :
                                        cell->neighbor_is_coarser(f);
        if (coarser)
          {
            const auto face_and_subface =
              periodic ? cell->periodic_neighbor_of_coarser_periodic_neighbor(f) :
                         cell->neighbor_of_coarser_neighbor(f);
            subface_there.reinit(neighbor,
                                 face_and_subface.first,
                                 face_and_subface.second);
            visit(face_here, subface_there, neighbor);
          }
        else
          {
            face_there.reinit(neighbor, neighbor_face);
            visit(face_here, face_there, neighbor);
          }
      }
  }

  template class FaceNeighbors<1>;
  template class FaceNeighbors<2>;
  template class FaceNeighbors<3>;
} // namespace chemokin
