#include <deal.II/base/quadrature_lib.h>
#include <deal.II/distributed/solution_transfer.h>
#include <deal.II/lac/vector.h>
#include <deal.II/numerics/solution_transfer.h>

#include <chemokin/mesh/box_mesh.h>
#include <chemokin/mesh/x_mesh.h>

#include <set>

namespace chemokin
{
  template <int dim>
  XMesh<dim>::XMesh(const MPI_Comm &   comm,
                    const Domain<dim> &domain,
                    const unsigned int refinement,
                    const unsigned int degree,
                    const unsigned int n_velocities)
    : comm(comm)
    , domain(domain)
    , n_v(n_velocities)
    , tria(make_box_mesh<dim>(comm,
                              domain.lower,
                              domain.upper,
                              domain.periodic_axes(),
                              domain.repetitions(),
                              refinement))
    , fe(dealii::QGauss<1>(degree + 1))
    , dofs(*tria)
  {
    distribute();
  }

  template <int dim>
  void
  XMesh<dim>::distribute()
  {
    phase_space.reset();
    dofs.distribute_dofs(fe);
    phase_space = std::make_unique<PhaseSpace<dim>>(dofs, n_v);
  }

  template <int dim>
  void
  XMesh<dim>::set_velocities(const unsigned int n_velocities)
  {
    n_v = n_velocities;
    phase_space.reset();
    phase_space = std::make_unique<PhaseSpace<dim>>(dofs, n_v);
  }

  template <int dim>
  std::vector<std::vector<double>>
  XMesh<dim>::refine_and_coarsen(const std::vector<Lanes> &vectors)
  {
    const PhaseSpace<dim> &old_space = *phase_space;
    const unsigned int     n_owned   = old_space.n_owned_dofs();
    std::vector<std::vector<double>> result(vectors.size());
    // the transferred fields, one per lane, back into [dof][lane] arrays of
    // the new owned DoFs; value(f, i): field f at new local DoF i
    auto gather = [&](const auto &value) {
      std::size_t f = 0;
      for (unsigned int v = 0; v < vectors.size(); ++v)
        {
          const unsigned int lanes = vectors[v].lanes;
          result[v].resize(std::size_t(phase_space->n_owned_dofs()) * lanes);
          for (unsigned int l = 0; l < lanes; ++l, ++f)
            for (unsigned int i = 0; i < phase_space->n_owned_dofs(); ++i)
              result[v][std::size_t(i) * lanes + l] = value(f, i);
        }
    };
    if (vectors.empty())
      {
        tria->execute_coarsening_and_refinement();
        distribute();
        return result;
      }

    if constexpr (dim == 1)
      {
        // the shared triangulation: every rank holds every cell, so the
        // serial SolutionTransfer works on vectors of all DoFs (the line has
        // few of them), which every rank fills with its own part; one sum
        // over the ranks for all lanes
        const std::size_t   n_dofs = dofs.n_dofs();
        std::vector<double> all;
        for (const Lanes &v : vectors)
          for (unsigned int l = 0; l < v.lanes; ++l)
            {
              all.resize(all.size() + n_dofs, 0.0);
              double *const field = all.data() + all.size() - n_dofs;
              for (unsigned int i = 0; i < n_owned; ++i)
                field[old_space.get_dof_partitioner()->local_to_global(i)] =
                  v.vector->local_element(std::size_t(i) * v.lanes + l);
            }
        dealii::Utilities::MPI::sum(all, comm, all);
        std::vector<dealii::Vector<double>> in(all.size() / n_dofs, dealii::Vector<double>(n_dofs));
        for (std::size_t f = 0; f < in.size(); ++f)
          std::copy(all.begin() + f * n_dofs, all.begin() + (f + 1) * n_dofs, in[f].begin());
        std::vector<double>().swap(all);
        dealii::SolutionTransfer<dim, dealii::Vector<double>> transfer(dofs);
        tria->prepare_coarsening_and_refinement();
        transfer.prepare_for_coarsening_and_refinement(in);
        tria->execute_coarsening_and_refinement();
        distribute();
        std::vector<dealii::Vector<double>> out(in.size(),
                                                dealii::Vector<double>(dofs.n_dofs()));
        transfer.interpolate(in, out);
        const auto &partitioner = *phase_space->get_dof_partitioner();
        gather([&](const std::size_t f, const unsigned int i) {
          return out[f][partitioner.local_to_global(i)];
        });
      }
    else
      {
        // p4est: the parallel SolutionTransfer, one scalar field per lane
        std::vector<PhaseVector> in;
        for (const Lanes &v : vectors)
          for (unsigned int l = 0; l < v.lanes; ++l)
            {
              PhaseVector field;
              old_space.reinit_scalar(field, true);
              for (unsigned int i = 0; i < n_owned; ++i)
                field.local_element(i) = v.vector->local_element(std::size_t(i) * v.lanes + l);
              field.update_ghost_values();
              in.push_back(std::move(field));
            }
        std::vector<const PhaseVector *> in_pointers;
        for (const auto &field : in)
          in_pointers.push_back(&field);
        dealii::parallel::distributed::SolutionTransfer<dim, PhaseVector> transfer(dofs);
        tria->prepare_coarsening_and_refinement();
        transfer.prepare_for_coarsening_and_refinement(in_pointers);
        tria->execute_coarsening_and_refinement();
        distribute();
        in.clear();
        std::vector<PhaseVector>   out(in_pointers.size());
        std::vector<PhaseVector *> out_pointers;
        for (auto &field : out)
          {
            phase_space->reinit_scalar(field, false);
            out_pointers.push_back(&field);
          }
        transfer.interpolate(out_pointers);
        gather([&](const std::size_t f, const unsigned int i) { return out[f].local_element(i); });
      }
    return result;
  }

  template <int dim>
  void
  XMesh<dim>::rebuild(const std::vector<dealii::CellId> &active_cells)
  {
    // the cells to refine: every proper ancestor of a target cell
    std::set<dealii::CellId> parents;
    unsigned int             depth = 0;
    for (const auto &id : active_cells)
      {
        const auto children = id.get_child_indices();
        depth               = std::max<unsigned int>(depth, children.size());
        for (unsigned int l = 0; l < children.size(); ++l)
          parents.emplace(id.get_coarse_cell_id(), l, children.data());
      }
    phase_space.reset();
    dofs.clear();
    tria = make_box_mesh<dim>(
      comm, domain.lower, domain.upper, domain.periodic_axes(), domain.repetitions(), 0);
    dofs.reinit(*tria);
    // level by level: a mesh of a balanced forest cut at a level is balanced
    for (unsigned int level = 0; level < depth; ++level)
      {
        for (const auto &cell : tria->active_cell_iterators())
          if (!cell->is_artificial() && parents.count(cell->id()))
            cell->set_refine_flag();
        tria->execute_coarsening_and_refinement();
      }
    distribute();
  }

  template class XMesh<1>;
  template class XMesh<2>;
  template class XMesh<3>;
} // namespace chemokin
