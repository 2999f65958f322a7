// The pathway's particles against its PDE (DESIGN §11) in a MeAsp gradient
// that crosses K_A = 2.9 mM (S = 1 mM e^{x/1 mm}: 1 to 7.4 mM in d = 1, 1 to
// 3.3 mM in d = 2), reflecting walls, cells uniform and adapted at
// t = 0, physical units (um, s): the particles (the SDE of m by
// Euler-Maruyama with steps of 0.05 s, tumbling at the frozen rate lambda(a),
// 1e6 of them; the test runs on 2 ranks, which share the particles and the
// x-mesh) against the frame relative to the signal. The drift agrees within
// 3 standard errors at t = 30 s, d = 1 and d = 2, and so does the density
// profile: its worst cell within the bound that as many independent normal
// errors exceed as rarely as one exceeds 3 (3.9 for 16 cells, 4.2 for 64),
// the mean square of the cells' errors within 3 of its standard deviations
// of 1 (the PDE with u-cells of 0.008, half the default: at the default
// its drift is 0.5% low at t = 20 s, about 2 standard errors).
// Fixed seed: the outcome is deterministic.

#include <chemokin/models/internal_state_interface.h>
#include <chemokin/models/particles.h>

#include "compare_models.h"
#include "test_tools.h"

using namespace chemokin;

namespace
{
  template <int dim>
  void
  run(Models::Interface<dim> &model, const double end_time)
  {
    const unsigned int n = std::ceil(end_time / model.time_step() - 1e-9);
    for (unsigned int s = 0; s < n; ++s)
      model.advance(s * end_time / n, end_time / n);
  }

  template <int dim>
  double
  drift(const Models::Interface<dim> &model, const Models::Moments<dim> &m)
  {
    double      sums[2] = {}; // mass, flux
    const auto &space   = model.x_space();
    for (unsigned int i = 0; i < space.n_owned_dofs(); ++i)
      {
        sums[0] += space.node_weight[i] * m.density.local_element(i);
        sums[1] += space.node_weight[i] * m.flux[0].local_element(i);
      }
    dealii::Utilities::MPI::sum(dealii::ArrayView<const double>(sums, 2),
                                MPI_COMM_WORLD,
                                dealii::ArrayView<double>(sums, 2));
    return sums[1] / sums[0];
  }

  template <int dim>
  void
  check(const double end_time, const unsigned int refinement)
  {
    std::ostringstream text;
    text << "set Dimension = " << dim << "\nset End time = " << end_time << "\n"
         << "subsection Domain\n set Lower corner = " << (dim == 1 ? "0" : "0, 0")
         << "\n set Upper corner = " << (dim == 1 ? "2000" : "1200, 1000")
         << "\n set Boundary = reflecting\nend\n"
         << "subsection Velocity space\n set Speed = 20\n set Number of directions = 8\nend\n"
         << "subsection Signal\n set Log-concentration = log(1000) + x/1000\nend\n"
         << "subsection Tumbling\n set Rate = 2*a^10/(a^10 + (1/3)^10)\nend\n"
         << "subsection Initial condition\n set Density = 1\nend\n"
         << "subsection Internal state\n set Dynamics = pathway\n set U cell size = 0.008\nend\n"
         << "subsection Particles\n set Number of particles = 1000000\n set Seed = 11\n"
         << " set Time step = 0.05\nend\n"
         << "subsection Discretization\n set Degree = 1\n set Refinement = " << refinement
         << "\nend\n";
    dealii::ParameterHandler prm;
    test::parse(prm, text.str());
    auto                   pde = Models::create_internal_state<dim>(prm, MPI_COMM_WORLD);
    Models::Particles<dim> particles(prm, MPI_COMM_WORLD);
    run<dim>(*pde, end_time);
    run<dim>(particles, end_time);
    Models::Moments<dim> a, b;
    pde->compute_moments(a);
    particles.compute_moments(b);
    const auto rho_pde = test::cell_averages(pde->x_space(), a.density);
    const auto rho     = test::cell_averages(particles.x_space(), b.density);
    const auto error   = test::cell_averages(particles.x_space(), b.density_error);
    double     worst = 0, squares[2] = {}; // sum of z^2, cells
    for (unsigned int c = 0; c < rho.size(); ++c)
      {
        const double z = (rho[c] - rho_pde[c]) / error[c];
        if (dim == 1 && test::root())
          std::cout << "  cell " << c << ": particles " << rho[c] << " +- " << error[c]
                    << ", PDE " << rho_pde[c] << "  (" << z << " standard errors)" << std::endl;
        worst = std::max(worst, std::abs(z));
        squares[0] += z * z;
        squares[1] += 1;
      }
    // the cells of this rank (both models partition the same mesh alike)
    worst = dealii::Utilities::MPI::max(worst, MPI_COMM_WORLD);
    dealii::Utilities::MPI::sum(dealii::ArrayView<const double>(squares, 2),
                                MPI_COMM_WORLD,
                                dealii::ArrayView<double>(squares, 2));
    const double n_cells = squares[1], mean_square = squares[0] / n_cells;
    // "within 3 standard errors" for a profile of n cells: the worst cell
    // within the bound that n independent normal errors exceed as rarely as
    // one exceeds 3 (P = 0.0027: erfc(b/sqrt 2) = 0.0027/n, Bonferroni;
    // 3.9 for 16 cells, 4.2 for 64), and the mean of z^2 (1 without bias)
    // within 3 of its standard deviations, sqrt(2/n): a bias shared by the
    // cells shows there first
    double low = 3, high = 10;
    for (unsigned int i = 0; i < 60; ++i)
      (std::erfc(0.5 * (low + high) / std::sqrt(2.0)) > 0.0027 / n_cells ? low : high) = 0.5 * (low + high);
    const std::string name = "d = " + std::to_string(dim) + ", t = " + std::to_string(int(end_time)) + " s";
    test::check(name + ": every one of " + std::to_string(int(n_cells)) +
                  " cells' density within the 3-standard-error bound for that many cells, " +
                  test::sci(low),
                worst <= low,
                test::sci(worst) + " standard errors");
    test::check(name + ": mean square of the cells' errors within 1 +- 3 sqrt(2/n)",
                std::abs(mean_square - 1) <= 3 * std::sqrt(2 / n_cells),
                test::sci(mean_square));
    Models::StatisticsRow row;
    particles.add_statistics(row);
    double v_error = 0;
    for (const auto &[key, value] : row)
      if (key == "velocity_mean_error")
        v_error = value;
    const double v_pde = drift(*pde, a), v = drift(particles, b);
    if (test::root())
      std::cout << "  drift: particles " << v << " +- " << v_error << " um/s, PDE " << v_pde << std::endl;
    test::check(name + ": drift within 3 standard errors",
                std::abs(v - v_pde) <= 3 * v_error,
                test::sci(std::abs(v - v_pde) / v_error) + " standard errors");
  }
} // namespace

int
main(int argc, char **argv)
{
  dealii::Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  check<1>(30, 6);
  check<2>(30, 4);
  return test::finish();
}
