// The discrete Maxwellian (1/eps) G((m - M(x))/eps) at the nodes is
// stationary under the Fokker-Planck operator up to discretization error:
// its residual, measured through the solution operator as the distance to
// the discrete steady state lim (I - gamma A)^{-n} p (n -> infinity), in
// relative L2, converges at order k+1 in h_m (k = 1, 2). The band covers
// 8 eps on each side (the Gaussian tail beyond is below 1e-14).

#include <chemokin/models/internal_state.h>
#include <chemokin/operators/fokker_planck.h>

#include "test_tools.h"

using namespace chemokin;

double
residual(const unsigned int degree, const double cells_per_epsilon)
{
  const double             eps = 0.1;
  dealii::ParameterHandler prm;
  test::parse(prm,
              "set Dimension = 1\nset Model = internal state\nset End time = 1\n"
              "subsection Domain\n set Lower corner = 0\n set Upper corner = 1\n"
              " set Boundary = periodic\nend\n"
              "subsection Signal\n set Log-concentration = 0.3*sin(2*pi*x)\nend\n"
              "subsection Initial condition\n set Density = 1\nend\n"
              "subsection Internal state\n set Epsilon = 0.1\n set Band width = 8\n set Cells per epsilon = " +
                std::to_string(cells_per_epsilon) +
                "\nend\n"
                "subsection Discretization\n set Refinement = 0\n set Degree = " +
                std::to_string(degree) + "\nend\n");
  Models::InternalState<1> model(prm, MPI_COMM_WORLD);
  const auto signal = Signal::create<1>(prm, dealii::Point<1>(0.5), 1.0);
  FokkerPlanck<1> fokker_planck(model.xm_space(), *signal, eps);
  // the discrete steady state: the resolvent with gamma = 10 eps applied 25
  // times damps every transient by (1 + 10)^-25 (the spectral gap is 1/eps)
  PhaseVector steady = model.solution(), next;
  model.xm_space().reinit(next);
  for (unsigned int it = 0; it < 25; ++it)
    {
      fokker_planck.solve(0, 10 * eps, steady, next);
      steady = next;
    }
  const auto &space = model.xm_space();
  double      difference = 0, norm = 0;
  for (unsigned int i = 0; i < steady.locally_owned_size(); ++i)
    {
      const double w = space.node_weight[i / model.velocities().size()];
      difference += w * std::pow(steady.local_element(i) - model.solution().local_element(i), 2);
      norm += w * std::pow(model.solution().local_element(i), 2);
    }
  return std::sqrt(dealii::Utilities::MPI::sum(difference, MPI_COMM_WORLD) /
                   dealii::Utilities::MPI::sum(norm, MPI_COMM_WORLD));
}

int
main(int argc, char **argv)
{
  dealii::Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  for (const unsigned int degree : {1u, 2u})
    {
      std::vector<double> errors;
      for (const double cells : {2.0, 4.0, 8.0})
        {
          errors.push_back(residual(degree, cells));
          std::cout << "  k=" << degree << " h_m = eps/" << cells
                    << ": relative L2 distance to the discrete steady state "
                    << test::sci(errors.back());
          if (errors.size() > 1)
            std::cout << "  rate " << std::log2(errors[errors.size() - 2] / errors.back());
          std::cout << std::endl;
        }
      const double rate = std::log2(errors[1] / errors[2]);
      test::check("k=" + std::to_string(degree) + ": order >= k + 1 - 0.3",
                  rate >= degree + 1 - 0.3,
                  test::sci(rate));
    }
  return test::finish();
}
