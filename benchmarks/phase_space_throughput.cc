// Benchmark 1 (doc/performance.md): one explicit stage, transport + tumbling,
// on the internal-state phase space (x, m)-mesh x velocity nodes, against
// the memory bandwidth of the machine (a triad measured in the same run) and
// against the same stage written with deal.II's MatrixFree/FEEvaluation
// (one scalar DG advection operator per velocity, as a deal.II user would
// write it first; step-67's pattern).
//
//   phase_space_throughput [--quick] > result.json
//
// Vectors are at least 256 MiB (8x this machine's 32 MiB L3), so the numbers
// are about memory, not cache. --quick uses 16 MiB vectors (for a smoke run).

#include <deal.II/base/mpi.h>
#include <deal.II/base/quadrature_lib.h>
#include <deal.II/base/timer.h>
#include <deal.II/fe/fe_dgq.h>
#include <deal.II/fe/mapping_q1.h>
#include <deal.II/lac/affine_constraints.h>
#include <deal.II/matrix_free/fe_evaluation.h>
#include <deal.II/matrix_free/matrix_free.h>

#include <chemokin/core/simulator.h>
#include <chemokin/mesh/box_mesh.h>
#include <chemokin/mesh/phase_space.h>
#include <chemokin/operators/transport.h>
#include <chemokin/operators/tumbling.h>
#include <chemokin/velocity/interface.h>

#include <algorithm>
#include <cmath>
#include <iostream>
#include <numeric>
#include <random>
#include <sstream>

#include "benchmark_tools.h"

using namespace chemokin;

namespace
{
  using benchmark::comm;
  using benchmark::fastest;
  using benchmark::triad_bandwidth;

  template <int dim>
  VelocitySet<dim>
  velocity_set(const unsigned int n_v)
  {
    dealii::ParameterHandler prm;
    declare_parameters(prm);
    prm.enter_subsection("Velocity space");
    if (dim == 1)
      {
        prm.set("Type", "ball");
        prm.set("Radial points", std::to_string(n_v / 2)); // per half-interval
      }
    else
      prm.set("Number of directions", std::to_string(n_v));
    prm.leave_subsection();
    return VelocitySpace::create<dim>(prm);
  }

  /**
   * The reference: transport as deal.II's MatrixFree DG advection (upwind
   * flux, inverse of the diagonal mass matrix), one scalar vector and one
   * loop per velocity, then the tumbling operator (uniform K) across the
   * n_v vectors, pointwise.
   */
  template <int mesh_dim, int degree>
  class MatrixFreeStage
  {
  public:
    using Number = double;
    using Vector = dealii::LinearAlgebra::distributed::Vector<Number>;

    MatrixFreeStage(const dealii::DoFHandler<mesh_dim> &dof_handler,
                    const std::vector<dealii::Tensor<1, mesh_dim>> &velocities,
                    const std::vector<double> &                     weights,
                    double                                          measure)
      : velocities(velocities)
      , weights(weights)
      , measure(measure)
    {
      typename dealii::MatrixFree<mesh_dim, Number>::AdditionalData data;
      data.mapping_update_flags = dealii::update_gradients | dealii::update_JxW_values |
                                  dealii::update_quadrature_points;
      data.mapping_update_flags_inner_faces =
        dealii::update_JxW_values | dealii::update_normal_vectors;
      data.mapping_update_flags_boundary_faces =
        dealii::update_JxW_values | dealii::update_normal_vectors;
      dealii::AffineConstraints<double> constraints;
      constraints.close();
      matrix_free.reinit(dealii::MappingQ1<mesh_dim>(),
                         dof_handler,
                         constraints,
                         dealii::QGauss<1>(degree + 1),
                         data);
      src.resize(velocities.size());
      dst.resize(velocities.size());
      for (unsigned int k = 0; k < velocities.size(); ++k)
        {
          matrix_free.initialize_dof_vector(src[k]);
          matrix_free.initialize_dof_vector(dst[k]);
        }
      // the inverse of the diagonal mass matrix (Gauss nodes = quadrature)
      matrix_free.initialize_dof_vector(inverse_mass);
      matrix_free.initialize_dof_vector(rate);
      dealii::FEEvaluation<mesh_dim, degree, degree + 1, 1, Number> phi(matrix_free);
      for (unsigned int cell = 0; cell < matrix_free.n_cell_batches(); ++cell)
        {
          phi.reinit(cell);
          for (unsigned int q = 0; q < phi.n_q_points; ++q)
            phi.submit_value(1.0 / phi.JxW(q), q);
          phi.set_dof_values(inverse_mass);
        }
      rate = 1.0;
    }

    std::size_t
    n_phase_dofs() const
    {
      return src[0].size() * velocities.size();
    }

    void
    fill(const double value)
    {
      for (auto &v : src)
        v = value;
    }

    void
    apply()
    {
      for (unsigned int k = 0; k < velocities.size(); ++k)
        {
          current = k;
          matrix_free.loop(&MatrixFreeStage::cell,
                           &MatrixFreeStage::face,
                           &MatrixFreeStage::boundary,
                           this,
                           dst[k],
                           src[k],
                           true,
                           dealii::MatrixFree<mesh_dim, Number>::DataAccessOnFaces::values,
                           dealii::MatrixFree<mesh_dim, Number>::DataAccessOnFaces::values);
          dst[k].scale(inverse_mass);
        }
      // tumbling, uniform kernel: Q_k = rate (sum_l w_l p_l / |V| - p_k)
      const unsigned int n = src[0].locally_owned_size();
      for (unsigned int i = 0; i < n; ++i)
        {
          double gain = 0;
          for (unsigned int k = 0; k < velocities.size(); ++k)
            gain += weights[k] * src[k].local_element(i);
          gain /= measure;
          const double r = rate.local_element(i);
          for (unsigned int k = 0; k < velocities.size(); ++k)
            dst[k].local_element(i) += r * (gain - src[k].local_element(i));
        }
    }

  private:
    void
    cell(const dealii::MatrixFree<mesh_dim, Number> &data,
         Vector &                                    out,
         const Vector &                              in,
         const std::pair<unsigned int, unsigned int> &range) const
    {
      dealii::FEEvaluation<mesh_dim, degree, degree + 1, 1, Number> phi(data);
      const dealii::Tensor<1, mesh_dim, dealii::VectorizedArray<Number>> v =
        velocities[current];
      for (unsigned int cell = range.first; cell < range.second; ++cell)
        {
          phi.reinit(cell);
          phi.gather_evaluate(in, dealii::EvaluationFlags::values);
          for (unsigned int q = 0; q < phi.n_q_points; ++q)
            phi.submit_gradient(v * phi.get_value(q), q);
          phi.integrate_scatter(dealii::EvaluationFlags::gradients, out);
        }
    }

    void
    face(const dealii::MatrixFree<mesh_dim, Number> &data,
         Vector &                                    out,
         const Vector &                              in,
         const std::pair<unsigned int, unsigned int> &range) const
    {
      dealii::FEFaceEvaluation<mesh_dim, degree, degree + 1, 1, Number> minus(data, true),
        plus(data, false);
      const dealii::Tensor<1, mesh_dim, dealii::VectorizedArray<Number>> v =
        velocities[current];
      for (unsigned int face = range.first; face < range.second; ++face)
        {
          minus.reinit(face);
          plus.reinit(face);
          minus.gather_evaluate(in, dealii::EvaluationFlags::values);
          plus.gather_evaluate(in, dealii::EvaluationFlags::values);
          for (unsigned int q = 0; q < minus.n_q_points; ++q)
            {
              const auto vn   = v * minus.get_normal_vector(q);
              const auto flux = 0.5 * (vn + std::abs(vn)) * minus.get_value(q) +
                                0.5 * (vn - std::abs(vn)) * plus.get_value(q);
              minus.submit_value(-flux, q);
              plus.submit_value(flux, q);
            }
          minus.integrate_scatter(dealii::EvaluationFlags::values, out);
          plus.integrate_scatter(dealii::EvaluationFlags::values, out);
        }
    }

    void
    boundary(const dealii::MatrixFree<mesh_dim, Number> &data,
             Vector &                                    out,
             const Vector &                              in,
             const std::pair<unsigned int, unsigned int> &range) const
    {
      // outflow only (zero inflow); the m-walls have v.n = 0
      dealii::FEFaceEvaluation<mesh_dim, degree, degree + 1, 1, Number> minus(data, true);
      const dealii::Tensor<1, mesh_dim, dealii::VectorizedArray<Number>> v =
        velocities[current];
      for (unsigned int face = range.first; face < range.second; ++face)
        {
          minus.reinit(face);
          minus.gather_evaluate(in, dealii::EvaluationFlags::values);
          for (unsigned int q = 0; q < minus.n_q_points; ++q)
            {
              const auto vn = v * minus.get_normal_vector(q);
              minus.submit_value(-0.5 * (vn + std::abs(vn)) * minus.get_value(q), q);
            }
          minus.integrate_scatter(dealii::EvaluationFlags::values, out);
        }
    }

    dealii::MatrixFree<mesh_dim, Number>      matrix_free;
    std::vector<dealii::Tensor<1, mesh_dim>> velocities;
    std::vector<double>                       weights;
    double                                    measure;
    std::vector<Vector>                       src, dst;
    Vector                                    inverse_mass, rate;
    unsigned int                              current = 0;
  };

  struct Case
  {
    unsigned int dim, degree, n_v;
  };

  /** One case: chemokin's stage and the MatrixFree stage; a JSON object. */
  template <int dim, int degree>
  std::string
  run_case(const unsigned int n_v, const double bytes_wanted, const double triad)
  {
    constexpr int mesh_dim = dim + 1;
    const auto    velocities = velocity_set<dim>(n_v);
    const unsigned int per_cell = std::pow(degree + 1, mesh_dim);
    // cells per axis so that one phase-space vector has bytes_wanted
    const double cells_wanted = bytes_wanted / (8.0 * per_cell * n_v);
    const unsigned int per_axis =
      std::max(2u, unsigned(std::ceil(std::pow(cells_wanted, 1.0 / mesh_dim))));
    dealii::Point<mesh_dim>        lower, upper;
    std::array<bool, mesh_dim>     periodic{};
    std::vector<unsigned int>      repetitions(mesh_dim, per_axis);
    for (unsigned int d = 0; d < mesh_dim; ++d)
      upper[d] = 1;
    periodic[0] = true;
    auto triangulation = make_box_mesh<mesh_dim>(comm, lower, upper, periodic, repetitions, 0);
    dealii::FE_DGQArbitraryNodes<mesh_dim> fe(dealii::QGauss<1>(degree + 1));
    dealii::DoFHandler<mesh_dim>           dof_handler(*triangulation);
    dof_handler.distribute_dofs(fe);
    const PhaseSpace<mesh_dim> space(dof_handler, n_v);

    std::array<BoundaryCondition, dim> boundary;
    boundary.fill(BoundaryCondition::periodic);
    const Transport<dim, mesh_dim> transport(space, velocities, boundary);
    dealii::FullMatrix<double>     kernel(n_v, n_v);
    for (unsigned int i = 0; i < n_v; ++i)
      for (unsigned int j = 0; j < n_v; ++j)
        kernel(i, j) = 1.0 / velocities.measure;
    const Tumbling<mesh_dim> tumbling(
      space,
      velocities.weights,
      kernel,
      true,
      [&](double, std::vector<double> &rate) {
        for (unsigned int i = 0; i < space.n_owned_dofs(); ++i)
          {
            const double z = (space.node_position[i][dim] - 0.5) * 10;
            std::fill(rate.begin() + std::size_t(i) * n_v,
                      rate.begin() + std::size_t(i + 1) * n_v,
                      1 + 0.5 * std::tanh(z));
          }
      },
      false);
    PhaseVector src, dst;
    space.reinit(src);
    space.reinit(dst);
    std::mt19937 random(1);
    for (auto &value : src)
      value = std::uniform_real_distribution<double>(0, 1)(random);
    const double n_dofs = double(dof_handler.n_dofs()) * n_v;
    const double chemokin_time = fastest(
      [&] {
        transport.apply(0, src, dst, &tumbling);
      },
      5);
    // the same stage, the deal.II MatrixFree way
    std::vector<dealii::Tensor<1, mesh_dim>> mesh_velocities(n_v);
    for (unsigned int k = 0; k < n_v; ++k)
      for (unsigned int d = 0; d < dim; ++d)
        mesh_velocities[k][d] = velocities.nodes[k][d];
    MatrixFreeStage<mesh_dim, degree> reference(dof_handler,
                                                mesh_velocities,
                                                velocities.weights,
                                                velocities.measure);
    reference.fill(1.0);
    const double mf_time = fastest([&] { reference.apply(); }, 3);

    const double rate    = n_dofs / chemokin_time;
    const double mf_rate = n_dofs / mf_time;
    std::ostringstream json;
    json << "{\"d\": " << dim << ", \"k\": " << degree << ", \"velocities\": " << n_v
         << ", \"cells\": " << triangulation->n_global_active_cells()
         << ", \"phase_dofs\": " << n_dofs
         << ", \"vector_MiB\": " << n_dofs * 8 / 1048576.0
         << ", \"seconds_per_stage\": " << chemokin_time
         << ", \"dofs_per_second\": " << rate
         << ", \"triad_bytes_per_second\": " << triad
         << ", \"fraction_of_triad\": " << rate * 16 / triad
         << ", \"matrixfree_seconds_per_stage\": " << mf_time
         << ", \"matrixfree_dofs_per_second\": " << mf_rate
         << ", \"speedup_vs_matrixfree\": " << mf_time / chemokin_time << "}";
    return json.str();
  }
} // namespace

int
main(int argc, char **argv)
{
  dealii::Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  bool                                     quick = false, strong = false;
  std::string                              only;
  for (int i = 1; i < argc; ++i)
    {
      const std::string arg = argv[i];
      if (arg == "--quick")
        quick = true;
      else if (arg == "--strong")
        strong = true;
      else if (arg == "--case" && i + 1 < argc)
        only = argv[++i];
      else
        {
          std::cerr << "usage: benchmark_phase_space_throughput [--quick] [--strong] "
                       "[--case d,k,n_v]"
                    << std::endl;
          return 2;
        }
    }
  // 256 MiB per vector and rank (weak), or in all (--strong)
  const double n_ranks = dealii::Utilities::MPI::n_mpi_processes(comm);
  const double bytes   = (quick ? 16.0 : 256.0) * 1048576 * (strong ? 1 : n_ranks);
  const double triad   = triad_bandwidth(std::size_t(bytes / n_ranks / 8));
  const bool   root    = dealii::Utilities::MPI::this_mpi_process(comm) == 0;
  std::vector<std::string> results;
  auto run = [&](const std::string &name, auto &&function) {
    if (!only.empty() && only != name)
      return;
    results.push_back(function());
    if (root)
      std::cerr << results.back() << std::endl; // progress
  };
  for (const unsigned int n_v : {16u, 64u})
    {
      const std::string v = "," + std::to_string(n_v);
      run("1,1" + v, [&] { return run_case<1, 1>(n_v, bytes, triad); });
      run("1,2" + v, [&] { return run_case<1, 2>(n_v, bytes, triad); });
      run("1,3" + v, [&] { return run_case<1, 3>(n_v, bytes, triad); });
    }
  run("2,2,32", [&] { return run_case<2, 2>(32, bytes, triad); });
  if (root)
    {
      std::cout << "{\"benchmark\": \"phase_space_throughput\", \"ranks\": " << n_ranks
                << ", \"simd_lanes\": " << dealii::VectorizedArray<double>::size()
                << ", \"triad_bytes_per_second\": " << triad << ", \"cases\": [\n  ";
      for (unsigned int i = 0; i < results.size(); ++i)
        std::cout << (i ? ",\n  " : "") << results[i];
      std::cout << "\n]}" << std::endl;
    }
}
