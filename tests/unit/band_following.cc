// The (x, m)-mesh follows the band around N(t, x, v) when the signal moves:
// after every adaptation, every cell that meets the band
// U_k [N(t,x,v_k) - b eps, N(t,x,v_k) + b eps] has h_m <= eps / (cells per
// eps), and the number of cells stays bounded (reported).

#include <chemokin/models/internal_state.h>

#include "test_tools.h"

using namespace chemokin;

int
main(int argc, char **argv)
{
  dealii::Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  dealii::ParameterHandler                 prm;
  test::parse(prm,
              "set Dimension = 1\nset Model = internal state\nset End time = 2\n"
              "subsection Domain\n set Lower corner = 0\n set Upper corner = 2\n"
              " set Boundary = periodic\nend\n"
              "subsection Signal\n set Log-concentration = sin(pi*(x - 0.8*t))\nend\n"
              "subsection Internal state\n set Epsilon = 0.1\n set Cells per epsilon = 2\n"
              " set Refinement interval = 3\nend\n"
              "subsection Discretization\n set Degree = 1\n set Refinement = 2\nend\n");
  Models::InternalState<1> model(prm, MPI_COMM_WORLD);
  const double             target = model.target_cell_m();
  const unsigned int       cells0 = model.n_cells();
  double                   time = 0, worst = model.max_band_cell_m();
  unsigned int             most = cells0, fewest = cells0, adaptations = 0;
  for (unsigned int step = 1; time < 0.5; ++step)
    {
      const double dt = model.time_step();
      model.advance(time, dt);
      time += dt;
      if (step % 3 == 0) // the model adapted after this step
        {
          ++adaptations;
          worst  = std::max(worst, model.max_band_cell_m());
          most   = std::max(most, model.n_cells());
          fewest = std::min(fewest, model.n_cells());
        }
    }
  std::cout << "  " << adaptations << " adaptations up to t = " << time
            << "; cells: initially " << cells0 << ", between " << fewest << " and "
            << most << std::endl;
  test::check("largest h_m in the band <= target after every adaptation",
              worst <= target * (1 + 1e-10),
              test::sci(worst) + " vs target " + test::sci(target));
  test::check("cell count bounded: at most 1.5 x the initial count",
              most <= 1.5 * cells0,
              std::to_string(most) + " vs " + std::to_string(cells0));
  test::check("the mesh changed (the band moved)", adaptations > 5 && most != fewest);
  return test::finish();
}
