#pragma once

#include <deal.II/base/partitioner.h>
#include <deal.II/base/point.h>
#include <deal.II/dofs/dof_handler.h>
#include <deal.II/lac/la_parallel_vector.h>

#include <memory>
#include <vector>

namespace chemokin
{
  using PhaseVector = dealii::LinearAlgebra::distributed::Vector<double>;

  /** The smallest locally owned entry of @p v over all ranks. */
  double
  global_min(const PhaseVector &v);

  /**
   * The phase-space tensor product (DESIGN §2): a DG DoFHandler on the
   * mesh ⊗ n_v velocity nodes. A phase-space vector stores velocity-innermost
   * ([dof][v]): the value at DoF i and node k has the global index
   * i * n_v + k, and the local index local_dof(i) * n_v + k.
   *
   * The finite element is FE_DGQArbitraryNodes on the Gauss points and
   * integrals use the same Gauss rule, so DoF i sits at quadrature point i
   * of its cell and the mass matrix is exactly diagonal with entries
   * `node_weight` (= JxW). The ghost layer holds the DoFs of face neighbours
   * (also across periodic faces): all that upwind fluxes read.
   */
  template <int mesh_dim>
  class PhaseSpace
  {
  public:
    PhaseSpace(const dealii::DoFHandler<mesh_dim> &dof_handler,
               unsigned int                        n_velocities);

    const dealii::DoFHandler<mesh_dim> &
    get_dof_handler() const
    {
      return *dof_handler;
    }

    unsigned int
    n_velocities() const
    {
      return n_v;
    }

    /** Number of locally owned DoFs of the mesh. */
    unsigned int
    n_owned_dofs() const
    {
      return node_weight.size();
    }

    /** Local index (owned first, then ghosts) of a global DoF index. */
    unsigned int
    local_dof(dealii::types::global_dof_index i) const
    {
      return dof_partitioner->global_to_local(i);
    }

    /** Size and parallel layout for phase-space vectors. */
    void
    reinit(PhaseVector &vector) const;

    /** Size and parallel layout for vectors with one value per mesh DoF. */
    void
    reinit_scalar(PhaseVector &vector, bool with_ghosts) const;

    const std::shared_ptr<const dealii::Utilities::MPI::Partitioner> &
    get_dof_partitioner() const
    {
      return dof_partitioner;
    }

    /** Position of each locally owned node (indexed by local DoF). */
    std::vector<dealii::Point<mesh_dim>> node_position;
    /** Diagonal mass matrix entry (= quadrature weight) of each owned node. */
    std::vector<double> node_weight;
    /** For each locally owned cell, the local indices of its DoFs. */
    std::vector<std::vector<unsigned int>> cell_dofs;
    /** The measure of each locally owned cell (in the order of cell_dofs). */
    std::vector<double> cell_measure;

  private:
    const dealii::DoFHandler<mesh_dim> *                      dof_handler;
    unsigned int                                               n_v;
    std::shared_ptr<const dealii::Utilities::MPI::Partitioner> dof_partitioner;
    std::shared_ptr<const dealii::Utilities::MPI::Partitioner> phase_partitioner;
    std::shared_ptr<const dealii::Utilities::MPI::Partitioner> owned_partitioner;
  };
} // namespace chemokin
