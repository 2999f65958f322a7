// Benchmark 2 (doc/performance.md): the implicit Fokker-Planck step
// (I - gamma A)^{-1} of the IMEX method. Set-up (assembly is done once in
// the constructor; the set-up here is the sparse factorization of a new
// gamma) and solve (n_v right-hand sides), per velocity and per DoF, for
// eps = 0.1 and 0.001, on a (x, m)-mesh that resolves the band
// M - 6 eps < m < M + 6 eps with 2 cells per eps (1D x, DG(2)).
//
//   benchmark_fokker_planck_step > result.json

#include <deal.II/base/mpi.h>
#include <deal.II/base/quadrature_lib.h>
#include <deal.II/base/timer.h>
#include <deal.II/fe/fe_dgq.h>

#include <chemokin/core/simulator.h>
#include <chemokin/mesh/box_mesh.h>
#include <chemokin/operators/fokker_planck.h>
#include <chemokin/signal/interface.h>

#include <cmath>
#include <iostream>
#include <sstream>

using namespace chemokin;

int
main(int argc, char **argv)
{
  dealii::Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  const MPI_Comm comm = MPI_COMM_WORLD;
  const bool     root = dealii::Utilities::MPI::this_mpi_process(comm) == 0;
  dealii::ParameterHandler prm;
  declare_parameters(prm);
  prm.enter_subsection("Signal");
  prm.set("Log-concentration", "0");
  prm.leave_subsection();
  const auto signal = Signal::create<1>(prm, dealii::Point<1>(0.5), 1.0);

  std::vector<std::string> results;
  for (const double eps : {0.1, 0.001})
    for (const unsigned int n_v : {16u, 64u})
      {
        // 2 cells per eps in m over 12 eps, and 256 cells in x
        const unsigned int      m_cells = 24;
        dealii::Point<2>        lower(0, -6 * eps), upper(1, 6 * eps);
        std::array<bool, 2>     periodic{{true, false}};
        auto triangulation = make_box_mesh<2>(comm, lower, upper, periodic, {256, m_cells}, 0);
        dealii::FE_DGQArbitraryNodes<2> fe(dealii::QGauss<1>(3));
        dealii::DoFHandler<2>           dof_handler(*triangulation);
        dof_handler.distribute_dofs(fe);
        const PhaseSpace<2> space(dof_handler, n_v);

        dealii::Timer assembly_timer;
        FokkerPlanck<1> fokker_planck(space, *signal, eps);
        const double    assembly = assembly_timer.wall_time();
        PhaseVector     b, x;
        space.reinit(b);
        space.reinit(x);
        b = 1.0;
        const double dt = 0.5 / 256 / 2; // a CFL-sized step of the transport
        // first solve: factorization of I - gamma A, then n_v solves
        dealii::Timer first;
        fokker_planck.solve(0, dt, b, x);
        const double with_setup = first.wall_time();
        // further solves with the same gamma: n_v solves only
        double solve = std::numeric_limits<double>::max();
        for (unsigned int r = 0; r < 3; ++r)
          {
            dealii::Timer timer;
            fokker_planck.solve(0, dt, b, x);
            solve = std::min(solve, timer.wall_time());
          }
        const double setup = with_setup - solve;
        const double dofs  = dof_handler.n_dofs();
        std::ostringstream json;
        json << "{\"epsilon\": " << eps << ", \"velocities\": " << n_v
             << ", \"xm_dofs\": " << dofs << ", \"assembly_seconds\": " << assembly
             << ", \"setup_seconds\": " << setup << ", \"solve_seconds\": " << solve
             << ", \"setup_ns_per_dof\": " << 1e9 * setup / dofs
             << ", \"solve_ns_per_velocity_per_dof\": " << 1e9 * solve / (dofs * n_v) << "}";
        results.push_back(json.str());
        if (root)
          std::cerr << json.str() << std::endl;
      }
  if (root)
    {
      std::cout << "{\"benchmark\": \"fokker_planck_step\", \"ranks\": "
                << dealii::Utilities::MPI::n_mpi_processes(comm) << ", \"cases\": [\n  ";
      for (unsigned int i = 0; i < results.size(); ++i)
        std::cout << (i ? ",\n  " : "") << results[i];
      std::cout << "\n]}" << std::endl;
    }
}
