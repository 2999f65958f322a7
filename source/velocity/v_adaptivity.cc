#include <deal.II/base/mpi.h>
#include <deal.II/base/numbers.h>

#include <chemokin/base/input_error.h>
#include <chemokin/base/parameters.h>
#include <chemokin/velocity/v_adaptivity.h>

#include <algorithm>
#include <limits>

namespace chemokin
{
  template <int dim>
  void
  VAdaptivity<dim>::declare_parameters(dealii::ParameterHandler &prm)
  {
    prm.enter_subsection("Adaptive refinement");
    prm.declare_entry("Adapt v",
                      "false",
                      dealii::Patterns::Bool(),
                      "Refine and coarsen the velocity mesh during the run, one "
                      "mesh for all x (run and tumble, and the internal state with "
                      "`Frame = moving`): `sphere` in d = 2 (cells of the angle, "
                      "`Velocity space/Points per cell` Gauss nodes each) and "
                      "`ball` in d = 1 (cells of (-c, c), `Radial points` each). "
                      "The indicator of a velocity cell is the largest variation "
                      "of the profile in v over it and its neighbours at any x, "
                      "relative to the maximum of the solution. The mesh stays "
                      "symmetric under the mirror reflections of the box.");
    prm.declare_entry("Maximum v level",
                      "4",
                      dealii::Patterns::Integer(0, 20),
                      "`Adapt v`: how many times a coarse velocity cell (of "
                      "`Number of directions`, or the two halves of (-c, c)) may "
                      "be bisected.");
    prm.declare_entry("V refine threshold",
                      "0.02",
                      dealii::Patterns::Double(),
                      "`Adapt v`: refine velocity cells whose indicator exceeds "
                      "this (a fraction of the maximum of the solution, in (0, 1)).");
    prm.declare_entry("V coarsen threshold",
                      "0.005",
                      dealii::Patterns::Double(),
                      "`Adapt v`: merge pairs of velocity cells whose indicators "
                      "are below this (at most half the refine threshold).");
    prm.leave_subsection();
  }

  template <int dim>
  VAdaptivity<dim>::VAdaptivity(dealii::ParameterHandler &prm,
                                const VelocitySet<dim> &  velocities,
                                const std::vector<bool> & reflecting)
    : mirror(reflecting)
  {
    prm.enter_subsection("Adaptive refinement");
    adapt_v           = prm.get_bool("Adapt v");
    max_level         = prm.get_integer("Maximum v level");
    interval          = prm.get_integer("Steps between adaptations");
    refine_threshold  = prm.get_double("V refine threshold");
    coarsen_threshold = prm.get_double("V coarsen threshold");
    prm.leave_subsection();
    if (!adapt_v)
      return;
    const std::string section = "Adaptive refinement";
    if (!velocities.mesh)
      throw InputError(Parameters::entry_path(section, "Adapt v"),
                       "the velocity set is not a mesh in v: `Adapt v` refines `sphere` in "
                       "d = 2 and `ball` in d = 1 (d = " + std::to_string(dim) + " here)");
    if (velocities.mesh->n_cells() % 2 != 0)
      throw InputError("Velocity space/Number of directions",
                       "`Adapt v` keeps the velocity mesh symmetric under the mirror "
                       "reflections of the box: it needs an even number of cells (got " +
                         std::to_string(velocities.mesh->n_cells()) + ")");
    if (!(refine_threshold > 0 && refine_threshold < 1))
      throw InputError(Parameters::entry_path(section, "V refine threshold"),
                       Parameters::format(refine_threshold) + " is not in (0, 1)");
    if (!(coarsen_threshold >= 0 && coarsen_threshold <= 0.5 * refine_threshold))
      throw InputError(Parameters::entry_path(section, "V coarsen threshold"),
                       Parameters::format(coarsen_threshold) +
                         " is not in [0, V refine threshold / 2] = [0, " +
                         Parameters::format(0.5 * refine_threshold) + "]");
  }

  template <int dim>
  void
  VAdaptivity<dim>::refuse(const std::string &why) const
  {
    if (adapt_v)
      throw InputError("Adaptive refinement/Adapt v", why);
  }

  template <int dim>
  bool
  VAdaptivity<dim>::adapt(VelocitySet<dim> &          velocities,
                          const std::vector<double> &f,
                          const MPI_Comm &            comm,
                          VelocityMesh::Transfer &    transfer) const
  {
    const VelocityMesh &mesh   = *velocities.mesh;
    const unsigned int  n_v    = velocities.size();
    const unsigned int  points = mesh.points_per_cell();
    const std::size_t   n_x    = f.size() / n_v;

    double peak = 0;
    for (const double value : f)
      peak = std::max(peak, value);
    peak = dealii::Utilities::MPI::max(peak, comm);
    if (!(peak > 0))
      return false;

    // each cell's polynomial at its two ends, at every x-node
    const auto [left_weights, right_weights] = mesh.end_weights();
    const unsigned int  n_cells = mesh.n_cells();
    std::vector<double> left(n_cells), right(n_cells), eta(n_cells, 0.0);
    for (std::size_t i = 0; i < n_x; ++i)
      {
        for (unsigned int c = 0; c < n_cells; ++c)
          {
            left[c] = right[c] = 0;
            for (unsigned int q = 0; q < points; ++q)
              {
                left[c] += left_weights[q] * f[i * n_v + c * points + q];
                right[c] += right_weights[q] * f[i * n_v + c * points + q];
              }
          }
        for (unsigned int c = 0; c < n_cells; ++c)
          {
            const auto [before, after] = mesh.neighbors(c);
            if (before != dealii::numbers::invalid_unsigned_int)
              eta[c] = std::max(eta[c], std::abs(left[c] - right[before]) / peak);
            if (after != dealii::numbers::invalid_unsigned_int)
              eta[c] = std::max(eta[c], std::abs(right[c] - left[after]) / peak);
          }
      }
    dealii::Utilities::MPI::max(eta, comm, eta);

    std::vector<int> flags(mesh.n_cells(), 0);
    for (unsigned int c = 0; c < mesh.n_cells(); ++c)
      flags[c] = eta[c] > refine_threshold ? 1 : eta[c] < coarsen_threshold ? -1 : 0;
    auto adapted = std::make_shared<VelocityMesh>(mesh);
    if (!adapted->adapt(flags, max_level, mirror, transfer))
      return false;
    velocities      = adapted->template velocity_set<dim>();
    velocities.mesh = adapted;
    return true;
  }

  template <int dim>
  void
  VAdaptivity<dim>::restore(VelocitySet<dim> &velocities, const std::vector<double> &saved)
  {
    auto mesh = std::make_shared<VelocityMesh>(*velocities.mesh);
    mesh->load(saved);
    velocities      = mesh->template velocity_set<dim>();
    velocities.mesh = mesh;
  }

  template class VAdaptivity<1>;
  template class VAdaptivity<2>;
  template class VAdaptivity<3>;
} // namespace chemokin
