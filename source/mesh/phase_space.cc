#include <deal.II/base/quadrature_lib.h>
#include <deal.II/fe/fe_values.h>

#include <chemokin/mesh/face_neighbors.h>
#include <chemokin/mesh/phase_space.h>

#include <algorithm>
#include <limits>

namespace chemokin
{
  namespace
  {
    /** Global DoFs of the face neighbours of owned cells that we do not own. */
    template <int mesh_dim>
    dealii::IndexSet
    face_neighbor_dofs(const dealii::DoFHandler<mesh_dim> &dof_handler)
    {
      const dealii::IndexSet &owned = dof_handler.locally_owned_dofs();
      dealii::IndexSet        ghosts(dof_handler.n_dofs());
      std::vector<dealii::types::global_dof_index> dofs(
        dof_handler.get_fe().n_dofs_per_cell());
      auto add = [&](const auto &neighbor) {
        neighbor->get_dof_indices(dofs);
        for (const auto i : dofs)
          if (!owned.is_element(i))
            ghosts.add_index(i);
      };
      for (const auto &cell : dof_handler.active_cell_iterators())
        if (cell->is_locally_owned())
          for (const unsigned int f : cell->face_indices())
            {
              if (cell->at_boundary(f) && !cell->has_periodic_neighbor(f))
                continue;
              for (const auto &neighbor : FaceNeighbors<mesh_dim>::active_neighbors(cell, f))
                add(neighbor);
            }
      ghosts.compress();
      return ghosts;
    }
  } // namespace

  template <int mesh_dim>
  PhaseSpace<mesh_dim>::PhaseSpace(
    const dealii::DoFHandler<mesh_dim> &dof_handler,
    const unsigned int                  n_velocities)
    : dof_handler(&dof_handler)
    , n_v(n_velocities)
  {
    const MPI_Comm comm = dof_handler.get_communicator();
    const dealii::IndexSet &owned  = dof_handler.locally_owned_dofs();
    const dealii::IndexSet  ghosts = face_neighbor_dofs(dof_handler);
    dealii::IndexSet        relevant = owned;
    relevant.add_indices(ghosts);
    dof_partitioner =
      std::make_shared<dealii::Utilities::MPI::Partitioner>(owned, relevant, comm);
    owned_partitioner =
      std::make_shared<dealii::Utilities::MPI::Partitioner>(owned, owned, comm);

    // expand every DoF into n_v consecutive phase-space indices
    const dealii::types::global_dof_index n = dof_handler.n_dofs() * n_v;
    dealii::IndexSet phase_owned(n), phase_relevant(n);
    for (auto range = owned.begin_intervals(); range != owned.end_intervals();
         ++range)
      phase_owned.add_range(*range->begin() * n_v, (range->last() + 1) * n_v);
    phase_relevant = phase_owned;
    for (const auto g : ghosts)
      phase_relevant.add_range(g * n_v, (g + 1) * n_v);
    phase_owned.compress();
    phase_relevant.compress();
    phase_partitioner = std::make_shared<dealii::Utilities::MPI::Partitioner>(
      phase_owned, phase_relevant, comm);

    // nodes: FE_DGQArbitraryNodes on Gauss points, so DoF q of a cell sits
    // at quadrature point q of the Gauss rule of the same order
    const auto &              fe = dof_handler.get_fe();
    const dealii::QGauss<mesh_dim> quadrature(fe.degree + 1);
    AssertThrow(quadrature.size() == fe.n_dofs_per_cell(),
                dealii::ExcInternalError());
    for (unsigned int q = 0; q < quadrature.size(); ++q)
      AssertThrow(quadrature.point(q).distance(fe.get_unit_support_points()[q]) <
                    1e-12,
                  dealii::ExcMessage("the finite element must be "
                                     "FE_DGQArbitraryNodes on Gauss points"));
    dealii::FEValues<mesh_dim> fe_values(fe,
                                         quadrature,
                                         dealii::update_quadrature_points |
                                           dealii::update_JxW_values);
    node_position.resize(owned.n_elements());
    node_weight.resize(owned.n_elements());
    std::vector<dealii::types::global_dof_index> dofs(fe.n_dofs_per_cell());
    for (const auto &cell : dof_handler.active_cell_iterators())
      if (cell->is_locally_owned())
        {
          fe_values.reinit(cell);
          cell->get_dof_indices(dofs);
          std::vector<unsigned int> local(dofs.size());
          for (unsigned int q = 0; q < dofs.size(); ++q)
            {
              local[q]                = local_dof(dofs[q]);
              node_position[local[q]] = fe_values.quadrature_point(q);
              node_weight[local[q]]   = fe_values.JxW(q);
            }
          cell_dofs.push_back(local);
          cell_measure.push_back(cell->measure());
        }
  }

  double
  global_min(const PhaseVector &v)
  {
    double result = std::numeric_limits<double>::max();
    for (unsigned int i = 0; i < v.locally_owned_size(); ++i)
      result = std::min(result, v.local_element(i));
    return dealii::Utilities::MPI::min(result, v.get_mpi_communicator());
  }

  template <int mesh_dim>
  void
  PhaseSpace<mesh_dim>::reinit(PhaseVector &vector) const
  {
    vector.reinit(phase_partitioner);
  }

  template <int mesh_dim>
  void
  PhaseSpace<mesh_dim>::reinit_scalar(PhaseVector &vector,
                                      const bool   with_ghosts) const
  {
    vector.reinit(with_ghosts ? dof_partitioner : owned_partitioner);
  }

  template class PhaseSpace<1>;
  template class PhaseSpace<2>;
  template class PhaseSpace<3>;
} // namespace chemokin
