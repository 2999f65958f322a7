#include <deal.II/base/mpi.h>

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
      }
    return rate;
  }

  template <int mesh_dim>
  void
  Tumbling<mesh_dim>::add_to(const double       time,
                             const PhaseVector &src,
                             PhaseVector &      dst) const
  {
    const std::vector<double> &r   = rates(time);
    const double *const        in  = src.begin();
    double *const              out = dst.begin();
    std::vector<double>        flux(n_v); // r_l p_l
    for (unsigned int i = 0; i < phase_space.n_owned_dofs(); ++i)
      {
        const double *const p   = in + std::size_t(i) * n_v;
        double *const       q   = out + std::size_t(i) * n_v;
        const double *const r_i = r.data() + std::size_t(i) * n_v;
        for (unsigned int l = 0; l < n_v; ++l)
          flux[l] = r_i[l] * p[l];
        if (uniform)
          {
            double gain = 0;
            for (unsigned int l = 0; l < n_v; ++l)
              gain += weights[l] * flux[l];
            gain *= uniform_value;
            for (unsigned int k = 0; k < n_v; ++k)
              q[k] += gain - flux[k];
          }
        else
          for (unsigned int k = 0; k < n_v; ++k)
            {
              const double *const row  = &kernel_times_weight(k, 0);
              double              gain = 0;
              for (unsigned int l = 0; l < n_v; ++l)
                gain += row[l] * flux[l];
              q[k] += gain - flux[k];
            }
      }
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
