// Mass conservation of the internal-state model on an adaptive (x, m)-mesh
// (hanging faces, also across periodic faces), operator by operator and
// through IMEX time steps with mesh adaptations: relative 1e-12.

#include <chemokin/models/internal_state.h>
#include <chemokin/operators/fokker_planck.h>

#include "test_tools.h"

using namespace chemokin;

double
weighted_sum(const Models::InternalState<1> &model, const PhaseVector &v)
{
  const auto &space = model.xm_space();
  const auto &vel   = model.velocities();
  double      sum   = 0;
  for (unsigned int i = 0; i < space.n_owned_dofs(); ++i)
    for (unsigned int k = 0; k < vel.size(); ++k)
      sum += space.node_weight[i] * vel.weights[k] * v.local_element(i * vel.size() + k);
  return dealii::Utilities::MPI::sum(sum, MPI_COMM_WORLD);
}

void
check(const std::string &boundary, const double eps, const bool steps)
{
  const std::string signal_text =
    "subsection Signal\n set Log-concentration = sin(2*pi*x/4 - t)\nend\n";
  dealii::ParameterHandler prm;
  test::parse(prm,
              "set Dimension = 1\nset Model = internal state\nset End time = 1\n"
              "subsection Domain\n set Lower corner = 0\n set Upper corner = 4\n"
              " set Boundary = " + boundary + "\nend\n" + signal_text +
              "subsection Initial condition\n set Density = 1 + 0.5*cos(pi*x/2)\nend\n"
              "subsection Internal state\n set Epsilon = " + std::to_string(eps) +
              "\n set Cells per epsilon = 2\n"
              " set Refinement interval = 5\nend\n"
              "subsection Discretization\n set Refinement = 2\nend\n");
  Models::InternalState<1> model(prm, MPI_COMM_WORLD);
  const double             mass0 = model.mass();
  const std::string name = boundary + " eps=" + test::sci(eps);
  test::check(name + ": the initial mesh is adaptive (min h_m below the coarse size)",
              model.min_cell_m() < 0.5 * 4.0 / 4,
              test::sci(model.min_cell_m()));

  // the Fokker-Planck operator and its implicit solve, on their own
  const auto signal = Signal::create<1>(prm, dealii::Point<1>(2.0), 4.0);
  FokkerPlanck<1> fokker_planck(model.xm_space(), *signal, eps);
  PhaseVector     out, solved;
  model.xm_space().reinit(out);
  model.xm_space().reinit(solved);
  fokker_planck.apply(0.3, model.solution(), out);
  test::check_close(name + ": Fokker-Planck, weighted sum of A p (relative to the mass)",
                    weighted_sum(model, out) / mass0, 0, 1e-13);
  fokker_planck.solve(0.3, 0.05, model.solution(), solved);
  test::check_close(name + ": (I - gamma A)^{-1} p keeps the mass (relative)",
                    (weighted_sum(model, solved) - mass0) / mass0, 0, 1e-12);

  if (!steps)
    return;
  // the whole scheme
  double time = 0, worst = 0;
  for (unsigned int step = 0; step < 30; ++step)
    {
      const double dt = model.time_step();
      model.advance(time, dt);
      time += dt;
      worst = std::max(worst, std::abs(model.mass() - mass0) / mass0);
    }
  test::check_close(boundary +
                      ": 30 IMEX steps with 6 mesh adaptations, max relative mass change",
                    worst, 0, 1e-12);
}

int
main(int argc, char **argv)
{
  dealii::Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  check("periodic", 0.2, true);
  check("reflecting", 0.2, true);
  // small eps: large |A| ~ 1/eps^2, conservation still to round-off
  check("periodic", 0.01, false);
  return test::finish();
}
