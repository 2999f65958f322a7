#pragma once

#include <deal.II/base/mpi.h>
#include <deal.II/distributed/tria_base.h>
#include <deal.II/dofs/dof_handler.h>
#include <deal.II/fe/fe_dgq.h>

#include <chemokin/mesh/domain.h>
#include <chemokin/mesh/phase_space.h>

#include <memory>

namespace chemokin
{
  /**
   * The x-mesh of a model: the box with `Discretization/Refinement` global
   * levels, DG(k) on Gauss points, and its phase-space layout for n_v
   * velocities. The run-and-tumble model solves on it; the internal-state
   * and particle models report their moments on it, so that all models of a
   * parameter file share one x-discretization (the same DoFs, in the same
   * order on the same ranks).
   */
  template <int dim>
  class XMesh
  {
  public:
    XMesh(const MPI_Comm &   comm,
          const Domain<dim> &domain,
          unsigned int       refinement,
          unsigned int       degree,
          unsigned int       n_velocities);

    const PhaseSpace<dim> &
    space() const
    {
      return *phase_space;
    }

    const dealii::DoFHandler<dim> &
    dof_handler() const
    {
      return dofs;
    }

    unsigned int
    n_cells() const
    {
      return triangulation->n_global_active_cells();
    }

  private:
    std::unique_ptr<dealii::parallel::TriangulationBase<dim>> triangulation;
    dealii::FE_DGQArbitraryNodes<dim>                         fe;
    dealii::DoFHandler<dim>                                   dofs;
    std::unique_ptr<PhaseSpace<dim>>                          phase_space;
  };
} // namespace chemokin
