#include <deal.II/base/quadrature_lib.h>

#include <chemokin/mesh/box_mesh.h>
#include <chemokin/mesh/x_mesh.h>

namespace chemokin
{
  template <int dim>
  XMesh<dim>::XMesh(const MPI_Comm &   comm,
                    const Domain<dim> &domain,
                    const unsigned int refinement,
                    const unsigned int degree,
                    const unsigned int n_velocities)
    : triangulation(make_box_mesh<dim>(comm,
                                       domain.lower,
                                       domain.upper,
                                       domain.periodic_axes(),
                                       refinement))
    , fe(dealii::QGauss<1>(degree + 1))
    , dofs(*triangulation)
  {
    dofs.distribute_dofs(fe);
    phase_space = std::make_unique<PhaseSpace<dim>>(dofs, n_velocities);
  }

  template class XMesh<1>;
  template class XMesh<2>;
  template class XMesh<3>;
} // namespace chemokin
