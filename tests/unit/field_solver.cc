// The reaction-diffusion field solver alone, rho prescribed (DESIGN §10):
//  1. manufactured solution S = e^{-t} (2 + cos(pi x) [cos(pi y)]) of
//     d_t S = D Laplace S - 2 S + rho on the unit box with zero-flux walls:
//     L2 error of order k + 1 in space (k = 1, 2; d = 1, 2) and of order 2
//     in time (the Strang splitting with SDIRK2 parts);
//  2. int S obeys d/dt int S = -alpha int S + beta int rho for linear
//     reactions: the discrete integral follows the scheme applied to that
//     scalar ODE, to round-off;
//  3. a consumed nutrient d_t G = D Laplace G - rho G with stiff uptake and a
//     step in G stays non-negative (the exact solution does).

#include <chemokin/mesh/box_mesh.h>
#include <chemokin/signal/field_solver.h>

#include "test_tools.h"

using namespace chemokin;

template <int dim>
std::unique_ptr<dealii::parallel::TriangulationBase<dim>>
unit_box(const unsigned int refinement)
{
  dealii::Point<dim> lower, upper;
  for (unsigned int d = 0; d < dim; ++d)
    upper[d] = 1;
  std::array<bool, dim> periodic{};
  return make_box_mesh<dim>(MPI_COMM_WORLD, lower, upper, periodic, refinement);
}

const double D = 0.1;

/** prod_d cos(pi x_d) */
template <int dim>
double
cosines(const dealii::Point<dim> &x)
{
  double c = 1;
  for (unsigned int d = 0; d < dim; ++d)
    c *= std::cos(M_PI * x[d]);
  return c;
}

template <int dim>
double
exact(const dealii::Point<dim> &x, const double t)
{
  return std::exp(-t) * (2 + cosines(x));
}

/** rho = d_t S - D Laplace S + 2 S for the exact S */
template <int dim>
double
manufactured_density(const dealii::Point<dim> &x, const double t)
{
  const double S = exact(x, t);
  return -S + D * dim * M_PI * M_PI * std::exp(-t) * cosines(x) + 2 * S;
}

template <int dim>
double
manufactured_error(const unsigned int degree, const unsigned int refinement, const double dt, const double T)
{
  auto                 tria = unit_box<dim>(refinement);
  Signal::FieldEquations equations;
  equations.names          = {"S"};
  equations.diffusion      = {D};
  equations.reactions      = {"-2*S + rho"};
  equations.initial_values = {dim == 1 ? "2 + cos(pi*x)" : "2 + cos(pi*x)*cos(pi*y)"};
  equations.constants      = {{"pi", M_PI}};
  Signal::FieldSolver<dim> solver(equations, *tria, {}, degree, "Reaction");
  solver.set_initial_values();
  solver.set_density(manufactured_density<dim>);
  const unsigned int steps = std::lround(T / dt);
  for (unsigned int n = 0; n < steps; ++n)
    solver.advance(n * dt, dt);
  return solver.l2_error(0, [T](const dealii::Point<dim> &x) { return exact(x, T); });
}

template <int dim>
void
check_orders()
{
  const std::string d = "d=" + std::to_string(dim);
  // space: dt small enough that the time error is far below
  for (const unsigned int degree : {1u, 2u})
    {
      const unsigned int coarse = dim == 1 ? (degree == 1 ? 4 : 3) : (degree == 1 ? 3 : 2);
      const double       dt     = degree == 1 ? 2e-3 : 5e-4;
      const double e1 = manufactured_error<dim>(degree, coarse, dt, 0.2);
      const double e2 = manufactured_error<dim>(degree, coarse + 1, dt, 0.2);
      const double order = std::log2(e1 / e2);
      test::check_close(d + ", Q" + std::to_string(degree) + ": L2 order in space (errors " +
                          test::sci(e1) + ", " + test::sci(e2) + ")",
                        order,
                        degree + 1,
                        0.25);
    }
  // time: a fine Q2 mesh, dt halved twice
  const unsigned int fine = dim == 1 ? 6 : 4;
  const double       e1   = manufactured_error<dim>(2, fine, 0.2, 0.8);
  const double       e2   = manufactured_error<dim>(2, fine, 0.1, 0.8);
  const double       e3   = manufactured_error<dim>(2, fine, 0.05, 0.8);
  test::check_close(d + ": order in time, dt 0.2 -> 0.1 (errors " + test::sci(e1) + ", " +
                      test::sci(e2) + ")",
                    std::log2(e1 / e2),
                    2,
                    0.2);
  test::check_close(d + ": order in time, dt 0.1 -> 0.05 (errors " + test::sci(e2) + ", " +
                      test::sci(e3) + ")",
                    std::log2(e2 / e3),
                    2,
                    0.2);
}

/** the scheme's map of y' = -alpha y + beta J over tau (SDIRK2) */
double
sdirk(const double y, const double alpha, const double source, const double tau)
{
  const double gamma = 1 - 1 / std::sqrt(2.0);
  const double Y1    = (y + gamma * tau * source) / (1 + gamma * tau * alpha);
  const double R1    = -alpha * Y1 + source;
  return (y + (1 - gamma) * tau * R1 + gamma * tau * source) / (1 + gamma * tau * alpha);
}

template <int dim>
void
check_integral_law()
{
  auto                   tria = unit_box<dim>(dim == 1 ? 5 : 3);
  Signal::FieldEquations equations;
  const double           alpha = 1.5, beta = 0.7;
  equations.names          = {"S"};
  equations.diffusion      = {0.3};
  equations.reactions      = {"-alpha*S + beta*rho"};
  equations.initial_values = {"exp(-10*(x - 0.3)^2)"};
  equations.constants      = {{"alpha", alpha}, {"beta", beta}};
  Signal::FieldSolver<dim> solver(equations, *tria, {}, 1, "Reaction");
  solver.set_initial_values();
  solver.set_density([](const dealii::Point<dim> &x, double) { return 1 + 0.5 * std::sin(3 * x[0]); });
  const double J     = solver.density_integral();
  double       I     = solver.integral(0);
  double       worst = 0;
  const double dt    = 0.05;
  for (unsigned int n = 0; n < 40; ++n)
    {
      solver.advance(n * dt, dt);
      // diffusion conserves int S; the reactions act once over dt in d = 1
      // (D R D) and twice over dt/2 in d >= 2 (R D R)
      I     = dim == 1 ? sdirk(I, alpha, beta * J, dt) :
                         sdirk(sdirk(I, alpha, beta * J, dt / 2), alpha, beta * J, dt / 2);
      worst = std::max(worst, std::abs(solver.integral(0) - I) / std::abs(I));
    }
  test::check_close("d=" + std::to_string(dim) +
                      ": int S follows d/dt int S = -alpha int S + beta int rho (max relative deviation)",
                    worst,
                    0,
                    1e-13);
}

template <int dim>
void
check_positivity()
{
  auto                   tria = unit_box<dim>(dim == 1 ? 6 : 4);
  Signal::FieldEquations equations;
  equations.names          = {"G"};
  equations.diffusion      = {1};
  equations.reactions      = {"-rho*G"};
  equations.initial_values = {"x < 0.5 ? 0 : 1"};
  Signal::FieldSolver<dim> solver(equations, *tria, {}, 1, "Reaction");
  solver.set_initial_values();
  solver.set_density([](const dealii::Point<dim> &x, double) { return 200 * std::exp(-50 * (x[0] - 0.6) * (x[0] - 0.6)); });
  double lowest = 1;
  for (unsigned int n = 0; n < 20; ++n)
    {
      solver.advance(n * 0.05, 0.05);
      lowest = std::min(lowest, solver.range(0).first);
    }
  test::check("d=" + std::to_string(dim) + ": a consumed nutrient (uptake 200, a step) stays >= 0",
              lowest >= 0,
              "min G = " + test::sci(lowest));
}

int
main(int argc, char **argv)
{
  dealii::Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  check_orders<1>();
  check_orders<2>();
  check_integral_law<1>();
  check_integral_law<2>();
  check_positivity<1>();
  check_positivity<2>();
  return test::finish();
}
