// Manufactured solution for the transport module: with no tumbling
// (lambda = 0) on a periodic box, p(t, x, v_k) = rho0(x - v_k t)/|V|.
// The L2 error must converge at order k+1 for k = 1, 2, 3 (d = 1, and d = 2
// for k = 1, 2); mass is conserved to round-off.

#include <deal.II/base/function.h>
#include <deal.II/base/quadrature_lib.h>
#include <deal.II/numerics/vector_tools.h>

#include <chemokin/models/run_and_tumble.h>

#include "test_tools.h"

using namespace chemokin;

template <int dim>
class Exact : public dealii::Function<dim>
{
public:
  Exact(const dealii::Tensor<1, dim> &v, const double t, const double measure)
    : v(v)
    , t(t)
    , measure(measure)
  {}

  double
  value(const dealii::Point<dim> &x, unsigned int) const override
  {
    double result = 1;
    for (unsigned int d = 0; d < dim; ++d)
      result *= std::sin(2 * M_PI * (x[d] - v[d] * t));
    return (1.5 + result) / measure;
  }

private:
  dealii::Tensor<1, dim> v;
  double                 t;
  double                 measure;
};

template <int dim>
double
total_mass(const Models::Interface<dim> &model)
{
  Models::Moments<dim> moments;
  model.compute_moments(moments);
  double mass = 0;
  for (unsigned int i = 0; i < model.x_space().n_owned_dofs(); ++i)
    mass += model.x_space().node_weight[i] * moments.density.local_element(i);
  return dealii::Utilities::MPI::sum(mass, MPI_COMM_WORLD);
}

/** L2 error summed over velocities (weighted), at the end time. */
template <int dim>
double
error(const unsigned int degree,
      const unsigned int refinement,
      const std::string &scheme)
{
  const double             end_time = 0.25;
  dealii::ParameterHandler prm;
  test::parse(
    prm,
    "set Dimension = " + std::to_string(dim) +
      "\nsubsection Domain\n set Lower corner = " + (dim == 1 ? "0" : "0,0") +
      "\n set Upper corner = " + (dim == 1 ? "1" : "1,1") +
      "\n set Boundary = periodic\nend\n"
      "subsection Velocity space\n set Number of directions = 6\nend\n"
      "subsection Tumbling\n set Rate = 0\nend\n"
      "subsection Initial condition\n set Density = 1.5 + " +
      (dim == 1 ? "sin(2*pi*x)" : "sin(2*pi*x)*sin(2*pi*y)") +
      "\nend\n"
      "subsection Discretization\n set Degree = " + std::to_string(degree) +
      "\n set Refinement = " + std::to_string(refinement) +
      "\n set CFL = 0.2\n set Time stepping scheme = " + scheme + "\nend\n");
  Models::RunAndTumble<dim> model(prm, MPI_COMM_WORLD);

  const double mass0 = total_mass(model);

  double time = 0;
  const unsigned int n_steps =
    std::ceil(end_time / model.time_step() - 1e-12);
  for (unsigned int s = 0; s < n_steps; ++s, time += end_time / n_steps)
    model.advance(time, end_time / n_steps);

  const auto &space = model.x_space();
  const auto &set   = model.velocities();
  double      sum   = 0;
  PhaseVector field;
  space.reinit_scalar(field, false);
  for (unsigned int k = 0; k < set.size(); ++k)
    {
      for (unsigned int i = 0; i < space.n_owned_dofs(); ++i)
        field.local_element(i) = model.solution().local_element(i * set.size() + k);
      dealii::Vector<double> cellwise(
        space.get_dof_handler().get_triangulation().n_active_cells());
      dealii::VectorTools::integrate_difference(
        space.get_dof_handler(),
        field,
        Exact<dim>(set.nodes[k], end_time, set.measure),
        cellwise,
        dealii::QGauss<dim>(degree + 3),
        dealii::VectorTools::L2_norm);
      const double e = dealii::VectorTools::compute_global_error(
        space.get_dof_handler().get_triangulation(),
        cellwise,
        dealii::VectorTools::L2_norm);
      sum += set.weights[k] * e * e;
    }

  const double mass = total_mass(model);
  test::check_close("d=" + std::to_string(dim) + " k=" + std::to_string(degree) +
                      " level " + std::to_string(refinement) +
                      ": relative mass change",
                    (mass - mass0) / mass0,
                    0,
                    1e-12);
  return std::sqrt(sum);
}

template <int dim>
void
convergence(const unsigned int degree,
            const unsigned int coarsest,
            const unsigned int levels,
            const std::string &scheme = "rk4")
{
  std::vector<double> errors;
  for (unsigned int r = coarsest; r < coarsest + levels; ++r)
    {
      errors.push_back(error<dim>(degree, r, scheme));
      if (test::root())
        std::cout << "  d=" << dim << " k=" << degree << " " << scheme
                  << " level " << r
                  << ": L2 error " << std::scientific << errors.back()
                  << std::defaultfloat;
      if (errors.size() > 1 && test::root())
        std::cout << "  rate "
                  << std::log2(errors[errors.size() - 2] / errors.back());
      if (test::root())
        std::cout << std::endl;
    }
  const double rate = std::log2(errors[errors.size() - 2] / errors.back());
  test::check("d=" + std::to_string(dim) + " k=" + std::to_string(degree) +
                ": order >= k + 1 - 0.15",
              rate >= degree + 1 - 0.15,
              "measured " + test::sci(rate));
}

int
main(int argc, char **argv)
{
  dealii::Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  convergence<1>(1, 3, 4);
  convergence<1>(2, 3, 4);
  convergence<1>(3, 2, 4);
  convergence<2>(1, 2, 4);
  convergence<2>(2, 2, 3);
  // deal.II's low-storage Runge-Kutta methods, fourth and fifth order
  convergence<1>(3, 2, 4, "low storage rk4");
  convergence<1>(3, 2, 4, "low storage rk5");
  return test::finish();
}
