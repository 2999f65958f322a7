// v-adaptivity next to inflow walls (DESIGN §9): bacteria leave a box with
// inflow walls (nothing comes in), so near a wall with normal n the law in
// v jumps at v.n = 0: what leaves has the density inside, what enters has
// none. On a box with walls normal to x and y (run and tumble, d = 2,
// `sphere`), the refined velocity cells must gather at the four angles of
// v.n = 0, theta = 0, pi/2, pi, 3 pi/2: every cell of the finest level lies
// within pi/16 (a quarter of a coarse cell) of one of them, and the finest
// cells cover at most a quarter of the circle. Also checks the mass
// against the outflow balance: it only decreases.

#include <deal.II/base/numbers.h>

#include <chemokin/models/run_and_tumble.h>
#include <chemokin/velocity/velocity_mesh.h>

#include "test_tools.h"

int
main(int argc, char **argv)
{
  dealii::Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  dealii::ParameterHandler                 prm;
  test::parse(prm,
              "set Dimension = 2\nset Model = run and tumble\n"
              "subsection Domain\n set Lower corner = 0, 0\n set Upper corner = 4, 4\n"
              " set Boundary = inflow\nend\n"
              "subsection Velocity space\n set Type = sphere\n set Number of directions = 8\n"
              " set Points per cell = 2\nend\n"
              "subsection Signal\n set Log-concentration = 0\nend\n"
              "subsection Tumbling\n set Rate = 1\nend\n"
              "subsection Initial condition\n set Density = 1\nend\n"
              "subsection Discretization\n set Degree = 1\n set Refinement = 3\nend\n"
              "subsection Adaptive refinement\n set Adapt v = true\n set Maximum v level = 4\n"
              " set Steps between adaptations = 2\nend\n");
  chemokin::Models::RunAndTumble<2> model(prm, MPI_COMM_WORLD);
  double t = 0, previous_mass = 0;
  bool   monotone = true;
  auto   mass     = [&]() {
    chemokin::Models::Moments<2> moments;
    model.compute_moments(moments);
    double total = 0;
    for (unsigned int i = 0; i < model.x_space().n_owned_dofs(); ++i)
      total += model.x_space().node_weight[i] * moments.density.local_element(i);
    return total;
  };
  previous_mass = mass();
  while (t < 1.5 - 1e-12)
    {
      const double dt = std::min(model.time_step(), 1.5 - t);
      model.advance(t, dt);
      t += dt;
      const double m = mass();
      monotone       = monotone && m <= previous_mass * (1 + 1e-14);
      previous_mass  = m;
    }
  test::check("the mass only decreases (nothing comes in)", monotone, test::sci(previous_mass));

  const auto &       mesh   = *model.velocities().mesh;
  const double       pi     = dealii::numbers::PI;
  const double       coarse = 2 * pi / 8;
  unsigned int       finest = 0;
  for (unsigned int c = 0; c < mesh.n_cells(); ++c)
    finest = std::max(finest, mesh.level(c));
  test::check("the velocity mesh refined", finest >= 3, "finest level " + std::to_string(finest));
  unsigned int fine_cells = 0, misplaced = 0;
  double       fine_length = 0;
  for (unsigned int c = 0; c < mesh.n_cells(); ++c)
    if (mesh.level(c) == finest)
      {
        // distance of the cell to the nearest angle of v.n = 0
        const auto [left, right] = mesh.interval(c);
        const double nearest = std::round(0.5 * (left + right) / (pi / 2)) * (pi / 2);
        const double distance =
          (left <= nearest && nearest <= right) ? 0 : std::min(std::abs(left - nearest), std::abs(right - nearest));
        ++fine_cells;
        fine_length += right - left;
        if (distance > coarse / 4)
          ++misplaced;
      }
  if (test::root())
    {
      std::cout << "  velocity cells (level: interval):";
      for (unsigned int c = 0; c < mesh.n_cells(); ++c)
        std::cout << (c % 6 == 0 ? "\n   " : "") << " " << mesh.level(c) << ": [" << std::setprecision(3)
                  << mesh.interval(c).first << ", " << mesh.interval(c).second << "]";
      std::cout << std::endl;
    }
  test::check("every cell of the finest level lies within pi/16 of v.n = 0",
              fine_cells > 0 && misplaced == 0,
              std::to_string(misplaced) + " of " + std::to_string(fine_cells) + " farther");
  test::check("the finest cells cover at most a quarter of the circle", fine_length <= 0.25 * 2 * pi,
              test::sci(fine_length / (2 * pi)) + " of it");
  return test::finish();
}
