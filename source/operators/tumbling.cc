#include <deal.II/base/mpi.h>

#include <chemokin/base/timing.h>
#include <chemokin/operators/tumbling.h>

#include <algorithm>
#include <limits>

namespace chemokin
{
  template <int mesh_dim>
  Tumbling<mesh_dim>::Tumbling(const PhaseSpace<mesh_dim> &      phase_space,
                               const std::vector<double> &       weights,
                               const dealii::FullMatrix<double> &kernel,
                               const bool                        uniform_kernel,
                               const RateFunction &              rate_function,
                               const bool                        time_dependent)
    : phase_space(phase_space)
    , n_v(weights.size())
    , weights(weights)
    , kernel_times_weight(n_v, n_v)
    , uniform(uniform_kernel)
    , uniform_value(kernel(0, 0))
    , rate_function(rate_function)
    , time_dependent(time_dependent)
    , rate_time(std::numeric_limits<double>::quiet_NaN())
  {
    for (unsigned int k = 0; k < n_v; ++k)
      for (unsigned int l = 0; l < n_v; ++l)
        kernel_times_weight(k, l) = kernel(k, l) * weights[l];
    rates(0.0);
  }

  template <int mesh_dim>
  const std::vector<double> &
  Tumbling<mesh_dim>::rates(const double time) const
  {
    if (rate.empty() || (time_dependent && time != rate_time))
      {
        rate.resize(std::size_t(phase_space.n_owned_dofs()) * n_v);
        rate_function(time, rate);
        rate_time = time;
        // one frequency per node when it does not depend on v (4x less to
        // read in the stage than n_v copies)
        const unsigned int n_nodes = phase_space.n_owned_dofs();
        per_node                   = true;
        for (unsigned int i = 0; i < n_nodes && per_node; ++i)
          for (unsigned int k = 1; k < n_v; ++k)
            if (rate[std::size_t(i) * n_v + k] != rate[std::size_t(i) * n_v])
              {
                per_node = false;
                break;
              }
        node_rate.resize(n_nodes);
        for (unsigned int i = 0; i < n_nodes; ++i)
          node_rate[i] = rate[std::size_t(i) * n_v];
      }
    return rate;
  }

  template <int mesh_dim>
  void
  Tumbling<mesh_dim>::add_to(const double       time,
                             const PhaseVector &src,
                             PhaseVector &      dst) const
  {
    const Timing::Scope timing("transport and tumbling");
    rates(time);
    std::vector<double> scratch(n_v);
    for (unsigned int i = 0; i < phase_space.n_owned_dofs(); ++i)
      add_row(i,
              src.begin() + std::size_t(i) * n_v,
              dst.begin() + std::size_t(i) * n_v,
              scratch.data());
  }

  template <int mesh_dim>
  double
  Tumbling<mesh_dim>::max_time_step() const
  {
    double max_rate = 0;
    for (const double value : rate)
      max_rate = std::max(max_rate, value);
    max_rate = dealii::Utilities::MPI::max(
      max_rate, phase_space.get_dof_handler().get_communicator());
    return max_rate > 0 ? 1.0 / max_rate : std::numeric_limits<double>::max();
  }

  template class Tumbling<1>;
  template class Tumbling<2>;
  template class Tumbling<3>;
} // namespace chemokin
