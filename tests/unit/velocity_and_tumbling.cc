// Velocity sets: weights sum to |V|, exact second moments, mirror symmetry.
// Turning kernels: discrete normalization and mean cosine. The tumbling
// operator: gain and loss cancel under the velocity weights (exact mass
// conservation) for random densities and rates.

#include <deal.II/base/numbers.h>
#include <deal.II/base/quadrature_lib.h>
#include <deal.II/fe/fe_dgq.h>

#include <boost/math/special_functions/bessel.hpp>

#include <chemokin/mesh/box_mesh.h>
#include <chemokin/mesh/phase_space.h>
#include <chemokin/operators/tumbling.h>
#include <chemokin/tumbling/turning_kernel.h>
#include <chemokin/velocity/interface.h>

#include "test_tools.h"

#include <random>

using namespace chemokin;

template <int dim>
VelocitySet<dim>
make_set(const std::string &type, const double speed, const unsigned int n)
{
  dealii::ParameterHandler prm;
  test::parse(prm,
              "subsection Velocity space\n set Type = " + type +
                "\n set Speed = " + std::to_string(speed) +
                "\n set Number of directions = " + std::to_string(n) +
                "\n set Radial points = 5\nend\n");
  return VelocitySpace::create<dim>(prm);
}

template <int dim>
void
check_set(const std::string &type,
          const double       speed,
          const unsigned int n,
          const double       measure,
          const double       second_moment)
{
  const auto set  = make_set<dim>(type, speed, n);
  double     sum  = 0, m2 = 0;
  for (unsigned int k = 0; k < set.size(); ++k)
    {
      sum += set.weights[k];
      m2 += set.weights[k] * set.nodes[k].norm_square();
    }
  const std::string name = type + " d=" + std::to_string(dim);
  test::check_close(name + ": sum of weights = |V|", sum, measure, 1e-13 * measure);
  test::check_close(name + ": |V| reported", set.measure, measure, 1e-13 * measure);
  test::check_close(name + ": int |v|^2", m2, second_moment, 1e-12 * second_moment);
  test::check(name + ": symmetric about every axis", set.is_symmetric());
}

template <int dim>
void
check_tumbling(const std::string &type, const std::string &kernel_name)
{
  const auto set = make_set<dim>(type, 1.5, 12);
  dealii::ParameterHandler prm;
  test::parse(prm,
              "subsection Tumbling\n set Turning kernel = " + kernel_name +
                "\n set Mean cosine = 0.4\nend\n");
  prm.enter_subsection("Tumbling");
  const auto kernel = TurningKernel::create<dim>(prm);
  prm.leave_subsection();
  const auto K = kernel->matrix(set);
  const std::string name =
    type + "/" + kernel_name + " d=" + std::to_string(dim);

  // normalization: sum_k w_k K(k, l) = 1; mean cosine
  double worst = 0;
  for (unsigned int l = 0; l < set.size(); ++l)
    {
      double sum = 0;
      for (unsigned int k = 0; k < set.size(); ++k)
        sum += set.weights[k] * K(k, l);
      worst = std::max(worst, std::abs(sum - 1));
    }
  test::check_close(name + ": kernel normalization", worst, 0, 1e-14);
  if (kernel_name == "persistence" && type == "sphere")
    {
      const unsigned int l      = 0;
      double             cosine = 0;
      for (unsigned int k = 0; k < set.size(); ++k)
        cosine += set.weights[k] * K(k, l) * (set.nodes[k] * set.nodes[l]) /
                  (set.nodes[k].norm() * set.nodes[l].norm());
      test::check_close(name + ": mean cosine", cosine, 0.4, 1e-10);
    }

  // the operator on a small mesh with random p and rates
  dealii::Point<dim> upper;
  for (unsigned int d = 0; d < dim; ++d)
    upper[d] = 1;
  auto tria =
    make_box_mesh<dim>(MPI_COMM_WORLD, dealii::Point<dim>(), upper, {}, 1);
  const dealii::FE_DGQArbitraryNodes<dim> fe(dealii::QGauss<1>(3));
  dealii::DoFHandler<dim>                 dofs(*tria);
  dofs.distribute_dofs(fe);
  const PhaseSpace<dim> space(dofs, set.size());
  std::mt19937          random(42);
  std::uniform_real_distribution<double> uniform(0.1, 3.0);
  std::vector<double>                    rates(space.n_owned_dofs() * set.size());
  for (double &r : rates)
    r = uniform(random);
  const Tumbling<dim> tumbling(
    space,
    set.weights,
    K,
    kernel->is_uniform(),
    [&](double, std::vector<double> &r) { r = rates; },
    false);
  PhaseVector p, q;
  space.reinit(p);
  space.reinit(q);
  for (unsigned int i = 0; i < p.locally_owned_size(); ++i)
    p.local_element(i) = uniform(random);
  tumbling.add_to(0.0, p, q);
  double worst_sum = 0, scale = 0;
  for (unsigned int i = 0; i < space.n_owned_dofs(); ++i)
    {
      double sum = 0;
      for (unsigned int k = 0; k < set.size(); ++k)
        {
          sum += set.weights[k] * q.local_element(i * set.size() + k);
          scale = std::max(scale, std::abs(q.local_element(i * set.size() + k)));
        }
      worst_sum = std::max(worst_sum, std::abs(sum));
    }
  test::check_close(name + ": sum_k w_k Q[p]_k = 0 at every node",
                    worst_sum,
                    0,
                    1e-14 * scale * set.measure);
  test::check(name + ": Q is not trivially zero", scale > 1e-3);
}

int
main(int argc, char **argv)
{
  dealii::Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  const double pi = dealii::numbers::PI;
  const double c  = 1.5;
  // sphere: |V| = |S^{d-1}|; int |v|^2 = c^2 |V|
  check_set<1>("sphere", c, 12, 2.0, c * c * 2.0);
  check_set<2>("sphere", c, 12, 2 * pi, c * c * 2 * pi);
  // ball: |V| = 2c (d=1), pi c^2 (d=2); int |v|^2 = 2c^3/3, pi c^4/2
  check_set<1>("ball", c, 12, 2 * c, 2 * c * c * c / 3);
  check_set<2>("ball", c, 12, pi * c * c, pi * c * c * c * c / 2);
  test::check("sphere d=2 with an odd number of directions is not symmetric",
              !make_set<2>("sphere", 1.0, 7).is_symmetric());

  for (const std::string kernel : {"uniform", "persistence"})
    for (const std::string type : {"sphere", "ball"})
      {
        check_tumbling<1>(type, kernel);
        check_tumbling<2>(type, kernel);
      }
  return test::finish();
}
