#include <deal.II/lac/vector.h>

#include <chemokin/base/input_error.h>
#include <chemokin/base/parameters.h>
#include <chemokin/mesh/face_neighbors.h>
#include <chemokin/mesh/x_adaptivity.h>

#include <algorithm>
#include <limits>

namespace chemokin
{
  template <int dim>
  void
  XAdaptivity<dim>::declare_parameters(dealii::ParameterHandler &prm)
  {
    prm.enter_subsection("Adaptive refinement");
    prm.declare_entry("Adapt x",
                      "false",
                      dealii::Patterns::Bool(),
                      "Refine and coarsen the x-mesh during the run (run and "
                      "tumble, and the internal state with `Frame = moving`). "
                      "The indicator of a cell is the variation of the density "
                      "over its nodes and those of its face neighbours, "
                      "relative to the maximum of the density. false: the "
                      "uniform mesh of `Discretization/Refinement`.");
    prm.declare_entry("Maximum x level",
                      "8",
                      dealii::Patterns::Integer(0, 20),
                      "`Adapt x`: the finest level of x-cells, counted like "
                      "`Discretization/Refinement` (at least that).");
    prm.declare_entry("Minimum x level",
                      "auto",
                      dealii::Patterns::Anything(),
                      "`Adapt x`: cells are not coarsened below this level. "
                      "`auto`: `Discretization/Refinement` (the initial mesh is "
                      "the coarsest). Or a number up to `Maximum x level`.");
    prm.declare_entry("Steps between adaptations",
                      "5",
                      dealii::Patterns::Integer(1),
                      "Adapt the meshes every this many time steps (and, for "
                      "x, as many times at t = 0 as it takes to resolve the "
                      "initial density).");
    prm.declare_entry("Refine threshold",
                      "0.05",
                      dealii::Patterns::Double(),
                      "`Adapt x`: refine cells whose indicator exceeds this "
                      "(a fraction of the density maximum, in (0, 1)).");
    prm.declare_entry("Coarsen threshold",
                      "0.01",
                      dealii::Patterns::Double(),
                      "`Adapt x`: coarsen cells whose indicator is below this "
                      "(at most half the refine threshold: coarsening doubles "
                      "the indicator of a smooth profile, and a smaller gap "
                      "would refine and coarsen the same cells in turn).");
    prm.leave_subsection();
  }

  template <int dim>
  XAdaptivity<dim>::XAdaptivity(dealii::ParameterHandler &prm, const unsigned int refinement)
  {
    prm.enter_subsection("Adaptive refinement");
    adapt                   = prm.get_bool("Adapt x");
    max_level               = prm.get_integer("Maximum x level");
    const std::string lower = dealii::Utilities::trim(prm.get("Minimum x level"));
    interval                = prm.get_integer("Steps between adaptations");
    refine_threshold        = prm.get_double("Refine threshold");
    coarsen_threshold       = prm.get_double("Coarsen threshold");
    prm.leave_subsection();
    if (!adapt)
      return;

    const std::string section = "Adaptive refinement";
    if (max_level < refinement)
      throw InputError(Parameters::entry_path(section, "Maximum x level"),
                       "the finest level (" + std::to_string(max_level) +
                         ") is below `Discretization/Refinement` (" +
                         std::to_string(refinement) + ")");
    if (lower == "auto")
      min_level = refinement;
    else
      {
        std::size_t end   = 0;
        long        value = -1;
        try
          {
            value = std::stol(lower, &end);
          }
        catch (...)
          {
            end = 0;
          }
        if (end != lower.size() || value < 0 || value > long(max_level))
          throw InputError(Parameters::entry_path(section, "Minimum x level"),
                           "`" + lower + "` is not `auto` or a level from 0 to `Maximum x level` (" +
                             std::to_string(max_level) + ")");
        min_level = value;
      }
    if (!(refine_threshold > 0 && refine_threshold < 1))
      throw InputError(Parameters::entry_path(section, "Refine threshold"),
                       Parameters::format(refine_threshold) + " is not in (0, 1)");
    if (!(coarsen_threshold >= 0 && coarsen_threshold <= 0.5 * refine_threshold))
      throw InputError(Parameters::entry_path(section, "Coarsen threshold"),
                       Parameters::format(coarsen_threshold) +
                         " is not in [0, Refine threshold / 2] = [0, " +
                         Parameters::format(0.5 * refine_threshold) + "]");
  }

  template <int dim>
  void
  XAdaptivity<dim>::refuse(const std::string &why) const
  {
    if (adapt)
      throw InputError("Adaptive refinement/Adapt x", why);
  }

  template <int dim>
  bool
  XAdaptivity<dim>::mark(XMesh<dim> &mesh, const PhaseVector &density) const
  {
    return mark(mesh, std::vector<PhaseVector>{density});
  }

  template <int dim>
  bool
  XAdaptivity<dim>::mark(XMesh<dim> &mesh, const std::vector<PhaseVector> &functions) const
  {
    const auto &   space       = mesh.space();
    const auto &   dof_handler = mesh.dof_handler();
    auto &         tria        = mesh.triangulation();
    const MPI_Comm comm        = dof_handler.get_communicator();

    // eta by active cell index; the shared triangulation (d = 1) needs the
    // same flags on every rank, so there every rank gets every value
    dealii::Vector<double> eta(tria.n_active_cells());
    bool                   any = false;
    for (const PhaseVector &function : functions)
      {
        PhaseVector f;
        space.reinit_scalar(f, true);
        double peak = 0;
        for (unsigned int i = 0; i < space.n_owned_dofs(); ++i)
          {
            f.local_element(i) = function.local_element(i);
            peak               = std::max(peak, std::abs(function.local_element(i)));
          }
        f.update_ghost_values();
        peak = dealii::Utilities::MPI::max(peak, comm);
        if (!(peak > 0))
          continue;
        any = true;
        std::vector<dealii::types::global_dof_index> dofs(dof_handler.get_fe().n_dofs_per_cell());
        for (const auto &cell : dof_handler.active_cell_iterators())
          if (cell->is_locally_owned())
            {
              double lowest = std::numeric_limits<double>::max(), highest = -lowest;
              auto   scan   = [&](const auto &c) {
                c->get_dof_indices(dofs);
                for (const auto g : dofs)
                  {
                    const double value = f.local_element(space.local_dof(g));
                    lowest             = std::min(lowest, value);
                    highest            = std::max(highest, value);
                  }
              };
              scan(cell);
              for (const unsigned int face : cell->face_indices())
                {
                  if (cell->at_boundary(face) && !cell->has_periodic_neighbor(face))
                    continue;
                  for (const auto &neighbor : FaceNeighbors<dim>::active_neighbors(cell, face))
                    scan(neighbor);
                }
              double &e = eta[cell->active_cell_index()];
              e         = std::max(e, (highest - lowest) / peak);
            }
      }
    if (!any)
      return false;
    const bool shared = dim == 1;
    if (shared)
      dealii::Utilities::MPI::sum(eta, comm, eta);

    for (const auto &cell : tria.active_cell_iterators())
      if (cell->is_locally_owned() || (shared && !cell->is_artificial()))
        {
          const double       e     = eta[cell->active_cell_index()];
          const unsigned int level = cell->level();
          if (e > refine_threshold && level < max_level)
            cell->set_refine_flag();
          else if (e < coarsen_threshold && level > min_level)
            cell->set_coarsen_flag();
        }
    tria.prepare_coarsening_and_refinement();
    bool changed = false;
    for (const auto &cell : tria.active_cell_iterators())
      if (cell->is_locally_owned() && (cell->refine_flag_set() || cell->coarsen_flag_set()))
        changed = true;
    return dealii::Utilities::MPI::logical_or(changed, comm);
  }

  template class XAdaptivity<1>;
  template class XAdaptivity<2>;
  template class XAdaptivity<3>;
} // namespace chemokin
