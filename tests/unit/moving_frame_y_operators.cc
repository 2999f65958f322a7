// The y-discretization of the moving frame (DESIGN §8) against its oracles:
//  * the discrete Maxwellian is exactly stationary under the
//    Ornstein-Uhlenbeck operator (to round-off), and sums to 1;
//  * the operator and its implicit solves conserve mass to round-off, and
//    the solves keep q >= 0 even for gamma/eps = 1e8 (eps = 1e-6 against
//    the x-CFL step);
//  * the implicit Euler steps of d_t q = A q relax the mean of y like
//    e^{-t} and its variance to 1 (with the O(h^2, dt) errors of the
//    scheme, checked against a fine reference);
//  * the conservative shift keeps every sum exactly, also for shifts that
//    push mass over the ends, and moves the mean by the shift.

#include <chemokin/mesh/y_grid.h>
#include <chemokin/operators/ornstein_uhlenbeck.h>

#include "test_tools.h"

#include <random>

namespace
{
  double
  sum(const std::vector<double> &v)
  {
    double s = 0;
    for (const double x : v)
      s += x;
    return s;
  }

  /** mean and variance by YGrid's rule */
  std::pair<double, double>
  moments(const chemokin::YGrid &grid, const std::vector<double> &q)
  {
    const double h  = grid.cell_size();
    double       s0 = 0, s1 = 0, s2 = 0;
    for (unsigned int j = 0; j < grid.size(); ++j)
      {
        const double y = grid.centers[j];
        s0 += h * q[j];
        s1 += h * q[j] * y;
        s2 += h * q[j] * y * y;
      }
    return {s1 / s0, s2 / s0 - (s1 / s0) * (s1 / s0)};
  }
} // namespace

int
main(int argc, char **argv)
{
  dealii::Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  using namespace chemokin;

  const YGrid grid(8, 64);
  const unsigned int n = grid.size();
  test::check_close("sum_j h M_j", sum(grid.maxwellian) * grid.cell_size(), 1, 1e-15);
  // second moment of the discrete Maxwellian (piecewise-constant density)
  test::check_close("variance of the discrete Maxwellian", moments(grid, grid.maxwellian).second, 1, 1e-13);

  // A M = 0, through the distributed-vector interface (one lane)
  const double eps = 1e-6;
  OrnsteinUhlenbeck ou(grid, eps);
  PhaseVector        src(n), dst(n);
  for (unsigned int j = 0; j < n; ++j)
    src[j] = grid.maxwellian[j];
  ou.apply(src, dst);
  double largest = 0;
  for (unsigned int j = 0; j < n; ++j)
    largest = std::max(largest, std::abs(dst[j]) * eps / grid.maxwellian[j]);
  test::check_close("max |A M| / M (relative, stationarity)", largest, 0, 1e-12);

  // the implicit solve for a lane far from equilibrium, stiff and mild
  std::mt19937                           random(3);
  std::uniform_real_distribution<double> uniform(0, 1);
  std::vector<double>                    b(n), x(n);
  for (double &value : b)
    value = uniform(random);
  for (const double gamma : {1e-2, 1e2})
    {
      ou.solve_lane(gamma * eps, b.data(), x.data());
      test::check_close("mass of (I - gamma A)^{-1} b, gamma = " + test::sci(gamma),
                        sum(x) / sum(b), 1, 1e-12);
      test::check("non-negative solve, gamma = " + test::sci(gamma),
                  *std::min_element(x.begin(), x.end()) >= 0);
    }
  // a very stiff solve projects onto the Maxwellian
  ou.solve_lane(1e8 * eps, b.data(), x.data());
  double distance = 0;
  for (unsigned int j = 0; j < n; ++j)
    distance += grid.cell_size() * std::abs(x[j] - sum(b) * grid.cell_size() * grid.maxwellian[j]);
  test::check_close("gamma/eps = 1e8: L1 distance to the Maxwellian", distance / (sum(b) * grid.cell_size()), 0, 1e-6);

  // Ornstein-Uhlenbeck relaxation with eps = 1: mean 2 e^{-t}, variance
  // 1 - 0.75 e^{-2t}; Crank-Nicolson steps (dt = 1e-3, error O(dt^2)
  // negligible) on grids of 32, 64, 128 cells: second order in h
  {
    std::vector<double> errors;
    for (const unsigned int cells : {32u, 64u, 128u})
      {
        const YGrid         fine(8, cells);
        OrnsteinUhlenbeck   unit(fine, 1.0);
        const unsigned int  m = fine.size();
        std::vector<double> q(m), half(m), rhs(m);
        for (unsigned int j = 0; j < m; ++j)
          q[j] = std::exp(-std::pow(fine.centers[j] - 2, 2) / (2 * 0.25));
        const double dt = 1e-3;
        double       worst = 0;
        PhaseVector  in(m), out(m);
        for (unsigned int step = 1; step <= 3000; ++step)
          {
            // (I - dt/2 A) q+ = (I + dt/2 A) q
            for (unsigned int j = 0; j < m; ++j)
              in[j] = q[j];
            unit.apply(in, out);
            for (unsigned int j = 0; j < m; ++j)
              rhs[j] = q[j] + 0.5 * dt * out[j];
            unit.solve_lane(0.5 * dt, rhs.data(), q.data());
            const double t               = step * dt;
            const auto [mean, variance] = moments(fine, q);
            worst = std::max({worst,
                              std::abs(mean - 2 * std::exp(-t)) / 2,
                              std::abs(variance - (1 - 0.75 * std::exp(-2 * t)))});
          }
        errors.push_back(worst);
        if (test::root())
          std::cout << "  OU relaxation, " << cells << " cells: max error of mean/2 and variance "
                    << test::sci(worst) << std::endl;
      }
    test::check_close("OU relaxation, 64 cells: max error of mean/2 and variance", errors[1], 0, 1e-2);
    test::check("OU relaxation: second order in h (error ratios >= 3.5)",
                errors[0] / errors[1] >= 3.5 && errors[1] / errors[2] >= 3.5,
                test::sci(errors[0] / errors[1]) + ", " + test::sci(errors[1] / errors[2]));
  }

  // shifts: exact sums, mean moved by the shift
  {
    std::vector<double> source(n);
    for (unsigned int j = 0; j < n; ++j)
      source[j] = grid.maxwellian[j];
    for (const double shift : {0.0, 0.1, -0.37, 1.3, -2.9, 7.9, -15.0, 40.0})
      {
        std::vector<double> target(n, 0.0);
        grid.add_shifted(source.data(), shift, 0.5, target.data());
        test::check_close("shift " + std::to_string(shift) + ": sum",
                          sum(target) / (0.5 * sum(source)), 1, 1e-14);
        // (the tail beyond the end of the grid, 1e-11 of the mass for
        // |shift| <= 1.3, is kept in the end cell)
        if (std::abs(shift) < 1.5)
          test::check_close("shift " + std::to_string(shift) + ": mean",
                            moments(grid, target).first, shift, 1e-10);
      }
  }
  return test::finish();
}
