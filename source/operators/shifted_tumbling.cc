#include <deal.II/base/mpi.h>

#include <chemokin/base/input_error.h>
#include <chemokin/base/parameters.h>
#include <chemokin/operators/shifted_tumbling.h>

#include <cmath>
#include <limits>

namespace chemokin
{
  template <int dim>
  ShiftedTumbling<dim>::ShiftedTumbling(const PhaseSpace<dim> &           x_space,
                                        const VelocitySet<dim> &          velocities,
                                        const dealii::FullMatrix<double> &kernel,
                                        const YGrid &                     grid,
                                        const TumblingRate &              rate,
                                        const LagFunction &               lag_function,
                                        const double                      settle_time)
    : x_space(x_space)
    , n_v(velocities.size())
    , n_y(grid.size())
    , weights(velocities.weights)
    , kernel_times_weight(n_v, n_v)
    , grid(grid)
    , rate(rate)
    , lag_function(lag_function)
    , settle_time(settle_time)
    , time(std::numeric_limits<double>::quiet_NaN())
  {
    for (unsigned int k = 0; k < n_v; ++k)
      for (unsigned int l = 0; l < n_v; ++l)
        kernel_times_weight(k, l) = kernel(k, l) * weights[l];
  }

  template <int dim>
  void
  ShiftedTumbling<dim>::update(const double t) const
  {
    if (!lag.empty() && (t == time || (time >= settle_time && t >= settle_time)))
      return;
    const unsigned int n_x = x_space.n_owned_dofs();
    lag.resize(std::size_t(n_x) * n_v);
    lag_function(t, lag);
    frequency.resize(std::size_t(n_x) * n_v * n_y);
    for (std::size_t ik = 0; ik < lag.size(); ++ik)
      for (unsigned int j = 0; j < n_y; ++j)
        {
          const double z = grid.centers[j] - lag[ik];
          double r = rate.rate_interpolated(z);
          if (!std::isfinite(r) || r < 0)
            {
              // an interpolant may dip below a rate that touches zero
              const double exact = rate.rate(z);
              if (!std::isfinite(exact) || exact < 0)
                throw InputError("Tumbling/Rate",
                                 "lambda(" + Parameters::format(z) + ") = " +
                                   Parameters::format(exact) + ": must be finite and non-negative");
              r = std::isfinite(r) ? 0.0 : exact;
            }
          frequency[ik * n_y + j] = r;
        }
    time = t;
  }

  template <int dim>
  const std::vector<double> &
  ShiftedTumbling<dim>::lags(const double t) const
  {
    update(t);
    return lag;
  }

  template <int dim>
  void
  ShiftedTumbling<dim>::add_to(const double t, const PhaseVector &src, PhaseVector &dst) const
  {
    update(t);
    const unsigned int  n_x  = x_space.n_owned_dofs();
    const std::size_t   node = std::size_t(n_v) * n_y;
    std::vector<double> loss(node);
    for (unsigned int i = 0; i < n_x; ++i)
      {
        const double *const q = src.begin() + i * node;
        const double *const r = frequency.data() + i * node;
        double *const       f = dst.begin() + i * node;
        const double *const L = lag.data() + std::size_t(i) * n_v;
        for (std::size_t a = 0; a < node; ++a)
          {
            loss[a] = r[a] * q[a];
            f[a] -= loss[a];
          }
        // the mass leaving (l, y') arrives at (k, y' + L_k - L_l)
        for (unsigned int k = 0; k < n_v; ++k)
          for (unsigned int l = 0; l < n_v; ++l)
            {
              const double factor = kernel_times_weight(k, l);
              if (factor != 0)
                grid.add_shifted(&loss[std::size_t(l) * n_y], L[k] - L[l], factor, f + k * n_y);
            }
      }
  }

  template <int dim>
  double
  ShiftedTumbling<dim>::max_time_step(const double t) const
  {
    update(t);
    double largest = 0;
    for (const double r : frequency)
      largest = std::max(largest, r);
    largest = dealii::Utilities::MPI::max(largest, x_space.get_dof_handler().get_communicator());
    return largest > 0 ? 1.0 / largest : std::numeric_limits<double>::max();
  }

  template class ShiftedTumbling<1>;
  template class ShiftedTumbling<2>;
} // namespace chemokin
