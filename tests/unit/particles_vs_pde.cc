// The particle solver against the internal-state PDE in its moving frame
// (the default solver; unit/moving_vs_fixed_frame ties it to the fixed frame).
//  * 1D two speeds, sinusoidal M, periodic, eps = 0.1: the particle density
//    in every cell of the x-mesh agrees with the PDE's cell average within 3
//    standard errors;
//  * linear M, reflecting walls: velocity_mean agrees within 3 standard
//    errors.
// Fixed seed: the outcome is deterministic.

#include <chemokin/models/moving_frame.h>
#include <chemokin/models/particles.h>

#include "compare_models.h"
#include "test_tools.h"

using namespace chemokin;

template <typename Model>
void
run(Model &model, const double end_time)
{
  const unsigned int n = std::ceil(end_time / model.time_step() - 1e-9);
  for (unsigned int s = 0; s < n; ++s)
    model.advance(s * end_time / n, end_time / n);
}

std::string
setup(const std::string &signal, const std::string &density, const std::string &boundary)
{
  return "set Dimension = 1\nset End time = 1\n"
         "subsection Domain\n set Lower corner = 0\n set Upper corner = 2\n"
         " set Boundary = " + boundary + "\nend\n"
         "subsection Signal\n set Log-concentration = " + signal + "\nend\n"
         "subsection Initial condition\n set Density = " + density + "\nend\n"
         "subsection Internal state\n set Epsilon = 0.1\nend\n"
         "subsection Particles\n set Number of particles = 200000\n set Seed = 7\n"
         " set Time step = 0.002\nend\n"
         "subsection Discretization\n set Degree = 1\n set Refinement = 3\nend\n";
}

int
main(int argc, char **argv)
{
  dealii::Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  {
    dealii::ParameterHandler prm;
    test::parse(prm, setup("sin(pi*x)", "1 + 0.5*cos(pi*x)", "periodic"));
    Models::MovingFrame<1>   pde(prm, MPI_COMM_WORLD);
    Models::Particles<1>     particles(prm, MPI_COMM_WORLD);
    run(pde, 1.0);
    run(particles, 1.0);
    Models::Moments<1> a, b;
    pde.compute_moments(a);
    particles.compute_moments(b);
    const auto rho_pde = test::cell_averages(pde.x_space(), a.density);
    const auto rho     = test::cell_averages(particles.x_space(), b.density);
    const auto error   = test::cell_averages(particles.x_space(), b.density_error);
    double     worst   = 0;
    for (unsigned int c = 0; c < rho.size(); ++c)
      {
        const double z = (rho[c] - rho_pde[c]) / error[c];
        std::cout << "  cell " << c << ": particles " << rho[c] << " +- " << error[c]
                  << ", PDE " << rho_pde[c] << "  (" << z << " standard errors)"
                  << std::endl;
        worst = std::max(worst, std::abs(z));
      }
    test::check("sinusoidal M, eps = 0.1: every cell within 3 standard errors",
                worst <= 3,
                test::sci(worst));
  }
  {
    dealii::ParameterHandler prm;
    test::parse(prm, setup("0.8*x", "1", "reflecting"));
    Models::MovingFrame<1>   pde(prm, MPI_COMM_WORLD);
    Models::Particles<1>     particles(prm, MPI_COMM_WORLD);
    run(pde, 1.0);
    run(particles, 1.0);
    Models::StatisticsRow row_pde, row;
    Models::Moments<1>    a, b;
    pde.compute_moments(a);
    particles.compute_moments(b);
    particles.add_statistics(row);
    auto drift = [](const Models::Interface<1> &model, const Models::Moments<1> &m) {
      double mass = 0, flux = 0;
      const auto &space = model.x_space();
      for (unsigned int i = 0; i < space.n_owned_dofs(); ++i)
        {
          mass += space.node_weight[i] * m.density.local_element(i);
          flux += space.node_weight[i] * m.flux[0].local_element(i);
        }
      return flux / mass;
    };
    const double v_pde = drift(pde, a), v = drift(particles, b);
    const double error = row[0].second;
    std::cout << "  linear M: velocity_mean particles " << v << " +- " << error
              << ", PDE " << v_pde << std::endl;
    test::check("linear M: velocity_mean within 3 standard errors",
                std::abs(v - v_pde) <= 3 * error,
                test::sci(std::abs(v - v_pde) / error) + " standard errors");
  }
  return test::finish();
}
