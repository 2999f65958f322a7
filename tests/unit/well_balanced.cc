// Two-speed run-and-tumble model, V = {-c, +c}, uniform K, static linear M,
// reflecting walls on [0, L] (DESIGN §5): the steady state carries no flux
// and rho(x) ∝ exp(x [Lambdabar(-c M') - Lambdabar(c M')] / (2c)).
// With c = 1, M' = 1 and lambda = 1 + 0.5 tanh z the exponent uses the
// reference values Lambdabar(-1) = 1.275200245397, Lambdabar(1) = 0.724799754603.
// The slowest transient decays like exp(-t/2); at t = 80 the cell means of
// the flux are at round-off (the scheme is well balanced: at a discrete
// steady state they vanish exactly, test functions 1 and x in every cell),
// and the density is compared in relative L1 with the closed form on three
// meshes.

#include <chemokin/models/run_and_tumble.h>

#include "test_tools.h"

using namespace chemokin;

int
main(int argc, char **argv)
{
  dealii::Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  const double L = 2.0, a = 1.275200245397 - 0.724799754603; // c = 1
  std::vector<double> errors;
  for (const unsigned int refinement : {3u, 4u, 5u})
    {
      dealii::ParameterHandler prm;
      test::parse(prm,
                  "set Dimension = 1\n"
                  "subsection Domain\n set Lower corner = 0\n set Upper corner = 2\n"
                  " set Boundary = reflecting\nend\n"
                  "subsection Signal\n set Log-concentration = x\nend\n"
                  "subsection Tumbling\n set Rate = 1 + 0.5*tanh(z)\nend\n"
                  "subsection Initial condition\n set Density = 1 + 0.5*cos(pi*x)\nend\n"
                  "subsection Discretization\n set Degree = 2\n set Refinement = " +
                    std::to_string(refinement) + "\nend\n");
      Models::RunAndTumble<1> model(prm, MPI_COMM_WORLD);
      const double end_time = 80;
      double       time     = 0;
      const unsigned int n  = std::ceil(end_time / model.time_step());
      for (unsigned int s = 0; s < n; ++s, time += end_time / n)
        model.advance(time, end_time / n);

      Models::Moments<1> moments;
      model.compute_moments(moments);
      const auto &space = model.x_space();
      // exact profile with the same mass (int of 1 + 0.5 cos(pi x) on [0,2] = 2)
      const double normalization = 2.0 * (a / 2) / (std::exp(a / 2 * L) - 1);
      double       l1 = 0, mass = 0, flux_nodal = 0, flux_cell = 0;
      for (unsigned int i = 0; i < space.n_owned_dofs(); ++i)
        {
          const double exact =
            normalization * std::exp(a / 2 * space.node_position[i][0]);
          l1 += space.node_weight[i] *
                std::abs(moments.density.local_element(i) - exact);
          mass += space.node_weight[i] * exact;
          flux_nodal = std::max(flux_nodal, std::abs(moments.flux[0].local_element(i)));
        }
      for (unsigned int c = 0; c < space.cell_dofs.size(); ++c)
        {
          double sum = 0;
          for (const unsigned int i : space.cell_dofs[c])
            sum += space.node_weight[i] * moments.flux[0].local_element(i);
          flux_cell = std::max(flux_cell, std::abs(sum) / space.cell_measure[c]);
        }
      errors.push_back(l1 / mass);
      std::cout << "  level " << refinement << ": relative L1 error "
                << errors.back() << ", max |cell mean of J| " << flux_cell
                << ", max nodal |J| " << flux_nodal << std::endl;
      test::check_close("level " + std::to_string(refinement) +
                          ": steady flux (cell means) vanishes",
                        flux_cell,
                        0,
                        1e-12);
    }
  test::check("relative L1 error at the finest mesh <= 1e-4",
              errors.back() <= 1e-4,
              test::sci(errors.back()));
  test::check("the error decreases under refinement",
              errors[2] < errors[1] && errors[1] < errors[0]);
  return test::finish();
}
