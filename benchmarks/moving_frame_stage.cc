// Benchmark 7 (doc/performance.md): the explicit stage of the moving frame
// (transport of the n_v (n_y + 1) lanes per x-DoF, velocity-major with the
// y-cells and the lag of a velocity contiguous, plus the shifted tumbling
// gain and loss of ShiftedTumbling), against the memory bandwidth of the
// machine (a triad measured in the same run): phase-space DoF/s per stage and
// fraction_of_triad = DoF/s x 16 bytes (read and write every DoF once) /
// triad. And the bytes per DoF of the stage's two vectors, and of the whole
// moving-frame model with its ARKode stages (peak resident memory of a
// `chemokin` run, over its DoFs: see run_benchmark.py moving_frame_memory).
//
//   benchmark_moving_frame_stage [--quick] > moving_frame_stage.json
//
// Vectors are at least 256 MiB per rank (8x this machine's 32 MiB L3);
// --quick: 16 MiB.

#include <deal.II/base/mpi.h>
#include <deal.II/base/timer.h>

#include <chemokin/core/simulator.h>
#include <chemokin/mesh/domain.h>
#include <chemokin/mesh/x_mesh.h>
#include <chemokin/mesh/y_grid.h>
#include <chemokin/operators/shifted_tumbling.h>
#include <chemokin/operators/transport.h>
#include <chemokin/tumbling/tumbling_rate.h>
#include <chemokin/velocity/interface.h>

#include <cmath>
#include <iostream>
#include <sstream>

#include "benchmark_tools.h"

using namespace chemokin;

namespace
{
  using benchmark::comm;
  using benchmark::fastest;
  using benchmark::triad_bandwidth;

  /**
   * d, degree k, `Number of directions` (d = 2), y-grid of [-Y, Y] with
   * cells of 0.25; the x-mesh refined until the vector has @p bytes.
   */
  template <int dim>
  std::string
  run_case(const unsigned int degree, const unsigned int directions, const double Y, const double bytes, const double triad)
  {
    dealii::ParameterHandler prm;
    declare_parameters(prm);
    prm.set("Dimension", std::to_string(dim));
    prm.enter_subsection("Domain");
    prm.set("Lower corner", dim == 1 ? "0" : "0, 0");
    prm.set("Upper corner", dim == 1 ? "1" : "1, 1");
    prm.set("Boundary", "periodic");
    prm.leave_subsection();
    prm.enter_subsection("Velocity space");
    prm.set("Number of directions", std::to_string(directions));
    prm.leave_subsection();
    const Domain<dim>      domain     = Domain<dim>::parse(prm);
    const VelocitySet<dim> velocities = VelocitySpace::create<dim>(prm);
    const YGrid            grid(Y, std::lround(2 * Y / 0.25));
    const unsigned int     n_v = velocities.size(), n_y = grid.size(), block = n_y + 1;

    // the coarsest refinement with at least `bytes` per vector and rank
    const double n_ranks  = dealii::Utilities::MPI::n_mpi_processes(comm);
    const double per_cell = std::pow(degree + 1.0, dim) * n_v * block * 8;
    unsigned int refinement = 0;
    while (std::pow(2.0, dim * refinement) * per_cell < bytes * n_ranks)
      ++refinement;
    XMesh<dim>      mesh(comm, domain, refinement, degree, n_v);
    PhaseSpace<dim> lanes(mesh.dof_handler(), n_v * block);
    std::vector<double> lane_weights(block, grid.cell_size());
    lane_weights.back() = 0;
    const VelocitySet<dim>     lane_velocities = velocities.repeated(lane_weights, 2 * Y);
    const Transport<dim, dim>  transport(lanes, lane_velocities, domain.boundary);
    dealii::FullMatrix<double> kernel(n_v, n_v);
    for (unsigned int k = 0; k < n_v; ++k)
      for (unsigned int l = 0; l < n_v; ++l)
        kernel(k, l) = 1.0 / velocities.measure;
    const TumblingRate          rate("1 + 0.5*tanh(z)", 32, {});
    const ShiftedTumbling<dim>  tumbling(mesh.space(), velocities, kernel, grid, rate);

    PhaseVector src, dst;
    lanes.reinit(src);
    lanes.reinit(dst);
    // a Maxwellian in y with an O(1) lag per velocity
    for (std::size_t a = 0; a < src.locally_owned_size(); ++a)
      {
        const unsigned int j = a % block, k = (a / block) % n_v;
        src.local_element(a) = j < n_y ? grid.maxwellian[j] : 0.4 * velocities.nodes[k][0];
      }
    const double dofs = double(src.size());
    auto         stage = [&] {
      transport.apply(src, dst, [&](unsigned int i, const double *src_i, double *dst_i) {
        tumbling.add_node(i, src_i, dst_i);
      });
    };
    const double seconds           = fastest(stage, 5);
    const double transport_seconds = fastest([&] { transport.apply(0.0, src, dst, nullptr); }, 5);
    const double rate_per_second   = dofs / seconds;
    std::ostringstream json;
    json << "{\"d\": " << dim << ", \"degree\": " << degree << ", \"velocities\": " << n_v
         << ", \"y_cells\": " << n_y << ", \"lanes_per_x_dof\": " << n_v * block
         << ", \"x_cells\": " << mesh.n_cells() << ", \"dofs\": " << dofs
         << ", \"seconds_per_stage\": " << seconds
         << ", \"transport_seconds\": " << transport_seconds
         << ", \"dofs_per_second\": " << rate_per_second
         << ", \"triad_bytes_per_second\": " << triad
         << ", \"fraction_of_triad\": " << rate_per_second * 16 / triad
         << ", \"transport_fraction_of_triad\": " << dofs / transport_seconds * 16 / triad
         << ", \"vector_bytes_per_dof\": 8}";
    return json.str();
  }
} // namespace

int
main(int argc, char **argv)
{
  dealii::Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  const bool   quick = argc > 1 && std::string(argv[1]) == "--quick";
  const double bytes = (quick ? 16.0 : 256.0) * 1048576;
  const double triad =
    triad_bandwidth(std::size_t(bytes / 8));
  const bool               root = dealii::Utilities::MPI::this_mpi_process(comm) == 0;
  std::vector<std::string> results;
  auto                     run = [&](auto &&function) {
    results.push_back(function());
    if (root)
      std::cerr << results.back() << std::endl;
  };
  // 1-D two speeds (y-grid of the 1-D drift case), 2-D 16 directions (the
  // eps = 0.01 example), each with DG(1) and DG(2)
  run([&] { return run_case<1>(1, 2, 9, bytes, triad); });
  run([&] { return run_case<1>(2, 2, 9, bytes, triad); });
  run([&] { return run_case<2>(1, 16, 9.75, bytes, triad); });
  run([&] { return run_case<2>(2, 16, 9.75, bytes, triad); });
  if (root)
    {
      std::cout << "{\"benchmark\": \"moving_frame_stage\", \"ranks\": "
                << dealii::Utilities::MPI::n_mpi_processes(comm)
                << ", \"triad_bytes_per_second\": " << triad << ", \"cases\": [\n  ";
      for (unsigned int i = 0; i < results.size(); ++i)
        std::cout << (i ? ",\n  " : "") << results[i];
      std::cout << "\n]}" << std::endl;
    }
}
