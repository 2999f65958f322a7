// x-adaptivity against the uniform mesh of the finest level (DESIGN §9): a
// step in the initial density moving under a travelling signal (run and
// tumble), in d = 1 and d = 2. The adaptive run must match the uniform
// run at its finest level to 1e-3 of the mass in L1 at the end time, with
// at least 4x fewer cells on average over the run. The L1 distance is
// integrated with the Gauss rule of the uniform mesh, whose cells lie
// inside the adaptive ones (the adaptive mesh is never finer).

#include <deal.II/fe/mapping_q1.h>
#include <deal.II/grid/grid_tools.h>

#include <chemokin/models/run_and_tumble.h>

#include "test_tools.h"

namespace
{
  template <int dim>
  struct Run
  {
    std::unique_ptr<chemokin::Models::RunAndTumble<dim>> model;
    double                                               mean_cells = 0;
    double                                               mass       = 0;
  };

  template <int dim>
  Run<dim>
  run(const std::string &text, const double end_time)
  {
    dealii::ParameterHandler prm;
    test::parse(prm, text);
    Run<dim> result;
    result.model = std::make_unique<chemokin::Models::RunAndTumble<dim>>(prm, MPI_COMM_WORLD);
    double t = 0, cell_time = 0;
    while (t < end_time - 1e-12)
      {
        const double dt = std::min(result.model->time_step(), end_time - t);
        cell_time += dt * result.model->x_space().get_dof_handler().get_triangulation().n_global_active_cells();
        result.model->advance(t, dt);
        t += dt;
      }
    result.mean_cells = cell_time / end_time;
    return result;
  }

  /** The density of @p model at every owned node of @p space, and its integral. */
  template <int dim>
  std::pair<double, double>
  l1_distance(const chemokin::Models::RunAndTumble<dim> &uniform,
              const chemokin::Models::RunAndTumble<dim> &adaptive)
  {
    chemokin::Models::Moments<dim> fine, coarse;
    uniform.compute_moments(fine);
    adaptive.compute_moments(coarse);
    const auto &space  = uniform.x_space();
    const auto &target = adaptive.x_space();
    const auto &fe     = target.get_dof_handler().get_fe();
    const dealii::MappingQ1<dim>                 mapping;
    std::vector<dealii::types::global_dof_index> dofs(fe.n_dofs_per_cell());
    double                                       distance = 0, mass = 0;
    for (unsigned int i = 0; i < space.n_owned_dofs(); ++i)
      {
        const auto found = dealii::GridTools::find_active_cell_around_point(
          mapping, target.get_dof_handler(), space.node_position[i]);
        found.first->get_dof_indices(dofs);
        double value = 0;
        for (unsigned int j = 0; j < dofs.size(); ++j)
          value += coarse.density.local_element(target.local_dof(dofs[j])) *
                   fe.shape_value(j, found.second);
        distance += space.node_weight[i] * std::abs(value - fine.density.local_element(i));
        mass += space.node_weight[i] * fine.density.local_element(i);
      }
    return {distance, mass};
  }

  template <int dim>
  void
  check(const std::string &name, const std::string &physics, const double end_time,
        const unsigned int coarse_level, const unsigned int finest_level,
        const std::string &thresholds)
  {
    const std::string levels = "subsection Discretization\n set Degree = " +
                               std::string("2") + "\n set Refinement = ";
    const auto adaptive = run<dim>(physics + levels + std::to_string(coarse_level) +
                                     "\nend\nsubsection Adaptive refinement\n set Adapt x = true\n"
                                     " set Maximum x level = " + std::to_string(finest_level) +
                                     "\n set Refine threshold = " + thresholds + "\nend\n",
                                   end_time);
    const auto uniform = run<dim>(physics + levels + std::to_string(finest_level) + "\nend\n", end_time);
    const auto [distance, mass] = l1_distance(*uniform.model, *adaptive.model);
    test::check_close(name + ": L1(adaptive - uniform) / mass at T", distance / mass, 0, 1e-3);
    test::check(name + ": mean cells, uniform / adaptive >= 4",
                uniform.mean_cells >= 4 * adaptive.mean_cells,
                test::sci(uniform.mean_cells) + " / " + test::sci(adaptive.mean_cells) + " = " +
                  test::sci(uniform.mean_cells / adaptive.mean_cells));
  }
} // namespace

int
main(int argc, char **argv)
{
  dealii::Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  const std::string common = "set Model = run and tumble\n"
                             "subsection Signal\n set Log-concentration = 2*sin(2*pi*(x - s*t)/L)\n"
                             " set Constants = s=0.5, L=40\nend\n"
                             "subsection Tumbling\n set Rate = 1 + 0.5*tanh(z)\nend\n";
  check<1>("d = 1",
           "set Dimension = 1\n" + common +
             "subsection Domain\n set Lower corner = 0\n set Upper corner = 40\n set Boundary = reflecting\nend\n"
             "subsection Initial condition\n set Density = if(x < 10, 1, 0.01)\nend\n",
           10, 5, 9, "0.1\n set Coarsen threshold = 0.02");
  check<2>("d = 2",
           "set Dimension = 2\n" + common +
             "subsection Domain\n set Lower corner = 0, 0\n set Upper corner = 20, 20\n"
             " set Boundary = reflecting\nend\n"
             "subsection Velocity space\n set Number of directions = 8\nend\n"
             "subsection Initial condition\n set Density = if(x < 5 + 2*sin(pi*y/10), 1, 0.01)\nend\n",
           4, 2, 6, "0.15\n set Coarsen threshold = 0.05");
  return test::finish();
}
