#pragma once

#include <deal.II/base/mpi.h>
#include <deal.II/distributed/tria_base.h>
#include <deal.II/dofs/dof_handler.h>
#include <deal.II/fe/fe_dgq.h>
#include <deal.II/grid/cell_id.h>

#include <chemokin/mesh/domain.h>
#include <chemokin/mesh/phase_space.h>

#include <memory>
#include <vector>

namespace chemokin
{
  /**
   * The x-mesh of a model: the box with `Discretization/Refinement` global
   * levels, DG(k) on Gauss points, and its phase-space layout for n_v
   * velocities. The run-and-tumble model solves on it; the internal-state
   * and particle models report their moments on it, so that all models of a
   * parameter file share one x-discretization (the same DoFs, in the same
   * order on the same ranks).
   *
   * The mesh can adapt (XAdaptivity sets the flags): refine_and_coarsen()
   * carries vectors with any number of lanes per DoF to the new mesh with
   * deal.II's SolutionTransfer. On DG(k) with Gauss nodes it interpolates
   * the cell polynomial to the children (exact) and L2-projects the
   * children onto the parent (exact for the mean), so the integral of every
   * lane is kept to round-off.
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

    dealii::parallel::TriangulationBase<dim> &
    triangulation()
    {
      return *tria;
    }

    unsigned int
    n_cells() const
    {
      return tria->n_global_active_cells();
    }

    /** A vector on this mesh with @p lanes values per DoF ([dof][lane]). */
    struct Lanes
    {
      const PhaseVector *vector;
      unsigned int       lanes;
    };

    /**
     * Refine and coarsen the cells by the flags set on them (collective),
     * redistribute the DoFs and rebuild space(). Returns, for every vector
     * of @p vectors, its values on the new mesh: lanes values per locally
     * owned DoF, by local DoF index of the new space(). The vectors are only
     * read (before the mesh changes); every layout built on the old DoFs is
     * invalid afterwards.
     */
    std::vector<std::vector<double>>
    refine_and_coarsen(const std::vector<Lanes> &vectors);

    /** space() for another number of velocities (the DoFs stay). */
    void
    set_velocities(unsigned int n_velocities);

    /**
     * Replace the mesh by the box refined until its active cells are
     * @p active_cells (the union over all ranks, e.g. of a checkpoint):
     * every cell that is an ancestor of one of them is refined.
     */
    void
    rebuild(const std::vector<dealii::CellId> &active_cells);

  private:
    void
    distribute();

    MPI_Comm                                                  comm;
    Domain<dim>                                               domain;
    unsigned int                                              n_v;
    std::unique_ptr<dealii::parallel::TriangulationBase<dim>> tria;
    dealii::FE_DGQArbitraryNodes<dim>                         fe;
    dealii::DoFHandler<dim>                                   dofs;
    std::unique_ptr<PhaseSpace<dim>>                          phase_space;
  };
} // namespace chemokin
