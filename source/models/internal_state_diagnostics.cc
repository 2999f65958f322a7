// The fixed frame's moments and diagnostics on the x-mesh: the m-marginal, the m- and y-moments, E1, E3, the relative entropy, the statistics columns.
#include <deal.II/base/quadrature_lib.h>
#include <deal.II/distributed/solution_transfer.h>
#include <chemokin/base/expression.h>
#include <chemokin/base/input_error.h>
#include <chemokin/base/parameters.h>
#include <chemokin/mesh/box_mesh.h>
#include <chemokin/mesh/xm_coordinates.h>
#include <chemokin/base/memory.h>
#include <chemokin/checkpoint/cell_data.h>
#include <chemokin/models/internal_state.h>
#include <chemokin/operators/positivity_limiter.h>
#include <chemokin/output/atomic_file.h>
#include <chemokin/tumbling/gauss_hermite.h>
#include <deal.II/numerics/data_out.h>
#include <fstream>
#include <iomanip>
#include <sstream>
#include <cmath>

namespace chemokin
{
  namespace Models
  {
    template <int dim>
    double
    InternalState<dim>::mass() const
    {
      const unsigned int n_v = inputs.velocities.size();
      double             sum = 0;
      for (unsigned int i = 0; i < phase_space->n_owned_dofs(); ++i)
        for (unsigned int k = 0; k < n_v; ++k)
          sum += phase_space->node_weight[i] * inputs.velocities.weights[k] *
                 phase_solution.local_element(std::size_t(i) * n_v + k);
      return dealii::Utilities::MPI::sum(sum, comm);
    }

    template <int dim>
    double
    InternalState<dim>::min_cell_m() const
    {
      double h = std::numeric_limits<double>::max();
      for (const auto &cell : triangulation->active_cell_iterators())
        if (cell->is_locally_owned())
          h = std::min(h, cell->extent_in_direction(dim));
      return dealii::Utilities::MPI::min(h, comm);
    }

    template <int dim>
    void
    InternalState<dim>::compute_moments(Moments<dim> &moments) const
    {
      const auto &       velocities = inputs.velocities;
      const unsigned int n_v        = velocities.size();
      const double       t          = time_now;
      const unsigned int n_x_nodes  = std::pow(inputs.degree + 1, dim);

      // pass 1: marginals per velocity (projected on the x-mesh) and the
      // m-moments: sums of p, m p, y p, y^2 p with y = (m - N(t,x,v))/eps
      projection.clear(n_v + 3);
      std::vector<double> values(n_v + 3), centre_values(n_x_nodes * n_v);
      double              sums[4] = {0, 0, 0, 0};
      for (const auto &dofs : phase_space->cell_dofs)
        {
          for (unsigned int q = 0; q < n_x_nodes; ++q)
            {
              const auto &n = centre->values(
                t, x_part<dim>(phase_space->node_position[dofs[q]]), velocities);
              std::copy(n.begin(), n.end(), centre_values.begin() + q * n_v);
            }
          for (unsigned int q = 0; q < dofs.size(); ++q)
            {
              const unsigned int i = dofs[q];
              const auto &       p = phase_space->node_position[i];
              const double       w = phase_space->node_weight[i];
              values[n_v] = values[n_v + 1] = values[n_v + 2] = 0;
              for (unsigned int k = 0; k < n_v; ++k)
                {
                  values[k] = phase_solution.local_element(std::size_t(i) * n_v + k);
                  const double vp = velocities.weights[k] * values[k];
                  const double y =
                    (p[dim] - centre_values[(q % n_x_nodes) * n_v + k]) / epsilon;
                  values[n_v] += vp * p[dim];
                  values[n_v + 1] += vp * y;
                  values[n_v + 2] += vp * y * y;
                  sums[0] += w * vp;
                }
              sums[1] += w * values[n_v];
              sums[2] += w * values[n_v + 1];
              sums[3] += w * values[n_v + 2];
              projection.add(x_part<dim>(p), w, values.data());
            }
        }
      projection.finish(comm);
      dealii::Utilities::MPI::sum(dealii::ArrayView<const double>(sums, 4),
                                  comm,
                                  dealii::ArrayView<double>(sums, 4));
      stat_mass       = sums[0];
      statistics.m_mean     = sums[1] / sums[0];
      statistics.y_mean     = sums[2] / sums[0];
      statistics.y_variance = sums[3] / sums[0] - statistics.y_mean * statistics.y_mean;

      x_mesh.space().reinit(marginal_vector);
      projection.copy_to(x_mesh.space(), 0, n_v, marginal_vector);
      for (auto *field : {&m_mean_field, &y_mean_field, &y_variance_field})
        x_mesh.space().reinit_scalar(*field, false);
      projection.copy_to(x_mesh.space(), n_v, 1, m_mean_field);
      projection.copy_to(x_mesh.space(), n_v + 1, 1, y_mean_field);
      projection.copy_to(x_mesh.space(), n_v + 2, 1, y_variance_field);
      x_mesh.space().reinit_scalar(moments.density, false);
      for (auto &f : moments.flux)
        x_mesh.space().reinit_scalar(f, false);
      for (unsigned int i = 0; i < x_mesh.space().n_owned_dofs(); ++i)
        {
          double                 rho = 0;
          dealii::Tensor<1, dim> flux;
          for (unsigned int k = 0; k < n_v; ++k)
            {
              const double wp = velocities.weights[k] *
                                marginal_vector.local_element(std::size_t(i) * n_v + k);
              rho += wp;
              flux += wp * velocities.nodes[k];
            }
          moments.density.local_element(i) = rho;
          for (unsigned int j = 0; j < dim; ++j)
            moments.flux[j].local_element(i) = flux[j];
          // the m-moments per unit density (none where there are no bacteria)
          const double scale = rho > 1e-300 ? 1.0 / rho : 0.0;
          m_mean_field.local_element(i) *= scale;
          y_mean_field.local_element(i) *= scale;
          y_variance_field.local_element(i) =
            y_variance_field.local_element(i) * scale -
            std::pow(y_mean_field.local_element(i), 2);
        }

      // pass 2: the distance to the local equilibrium pbar^eps M_{eps,N}
      // (the integrand of E1, Theorem 2.1) and the relative entropy of
      // Proposition 4.1
      double distance = 0, entropy = 0;
      std::vector<double> marginal_values(n_x_nodes * n_v);
      for (const auto &dofs : phase_space->cell_dofs)
        {
          for (unsigned int q = 0; q < n_x_nodes; ++q)
            {
              const auto  x = x_part<dim>(phase_space->node_position[dofs[q]]);
              const auto &n = centre->values(t, x, velocities);
              for (unsigned int k = 0; k < n_v; ++k)
                {
                  centre_values[q * n_v + k]   = n[k];
                  marginal_values[q * n_v + k] = projection.value(k, x);
                }
            }
          for (unsigned int q = 0; q < dofs.size(); ++q)
            {
              const unsigned int i = dofs[q];
              const double       m = phase_space->node_position[i][dim];
              const double       w = phase_space->node_weight[i];
              for (unsigned int k = 0; k < n_v; ++k)
                {
                  const unsigned int c = (q % n_x_nodes) * n_v + k;
                  const double       p = phase_solution.local_element(std::size_t(i) * n_v + k);
                  const double       equilibrium =
                    marginal_values[c] *
                    standard_normal((m - centre_values[c]) / epsilon) / epsilon;
                  distance += w * velocities.weights[k] * std::abs(p - equilibrium);
                  if (p > 0 && equilibrium > 0)
                    entropy += w * velocities.weights[k] * p * std::log(p / equilibrium);
                }
            }
        }
      statistics.e1_integrand     = dealii::Utilities::MPI::sum(distance, comm);
      statistics.relative_entropy = dealii::Utilities::MPI::sum(entropy, comm);

      // E3 = sup |D_tM - D_tN| / (1 + |v|^2) over the x-nodes
      double e3 = 0;
      for (unsigned int i = 0; i < x_mesh.space().n_owned_dofs(); ++i)
        for (unsigned int k = 0; k < n_v; ++k)
          {
            const auto &x = x_mesh.space().node_position[i];
            const auto &v = velocities.nodes[k];
            e3 = std::max(e3,
                          std::abs(inputs.signal->path_derivative(x, v, t) -
                                   centre->path_derivative(t, x, v)) /
                            (1 + v.norm_square()));
          }
      statistics.e3 = dealii::Utilities::MPI::max(e3, comm);

      statistics.e1.add(t, statistics.e1_integrand);
    }

    template <int dim>
    void
    InternalState<dim>::add_statistics(StatisticsRow &row) const
    {
      statistics.add_to(row);
      row.emplace_back("min_value", global_min(phase_solution));
      row.emplace_back("dofs", double(dof_handler.n_dofs()) * inputs.velocities.size());
      row.emplace_back("cells", double(triangulation->n_global_active_cells()));
      row.emplace_back("min_cell_m", min_cell_m());
    }

    template class InternalState<1>;
    template class InternalState<2>;
  } // namespace Models
} // namespace chemokin
