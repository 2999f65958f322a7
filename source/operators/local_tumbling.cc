#include <chemokin/operators/local_tumbling.h>

#include <algorithm>
#include <limits>

namespace chemokin
{
  LocalTumbling::LocalTumbling(const std::vector<double> &       weights,
                               const dealii::FullMatrix<double> &kernel,
                               const bool                        uniform,
                               std::vector<double>               rates)
    : n_v(weights.size())
    , n_u(rates.size())
    , weights(weights)
    , kernel_times_weight(n_v, n_v)
    , uniform(uniform)
    , uniform_kernel(kernel(0, 0))
    , lambda(std::move(rates))
    , gain(n_u)
  {
    for (unsigned int k = 0; k < n_v; ++k)
      for (unsigned int l = 0; l < n_v; ++l)
        kernel_times_weight(k, l) = kernel(k, l) * weights[l];
  }

  void
  LocalTumbling::add_node(const double *q, double *f) const
  {
    if (uniform)
      {
        std::fill(gain.begin(), gain.end(), 0.0);
        for (unsigned int l = 0; l < n_v; ++l)
          {
            const double *const lane = q + l * n_u;
            const double        w    = uniform_kernel * weights[l];
            for (unsigned int j = 0; j < n_u; ++j)
              gain[j] += w * lane[j];
          }
        for (unsigned int k = 0; k < n_v; ++k)
          for (unsigned int j = 0; j < n_u; ++j)
            f[k * n_u + j] += lambda[j] * (gain[j] - q[k * n_u + j]);
        return;
      }
    for (unsigned int k = 0; k < n_v; ++k)
      {
        std::fill(gain.begin(), gain.end(), 0.0);
        for (unsigned int l = 0; l < n_v; ++l)
          {
            const double        w    = kernel_times_weight(k, l);
            const double *const lane = q + l * n_u;
            if (w != 0)
              for (unsigned int j = 0; j < n_u; ++j)
                gain[j] += w * lane[j];
          }
        for (unsigned int j = 0; j < n_u; ++j)
          f[k * n_u + j] += lambda[j] * (gain[j] - q[k * n_u + j]);
      }
  }

  double
  LocalTumbling::max_time_step() const
  {
    const double largest = lambda.empty() ? 0 : *std::max_element(lambda.begin(), lambda.end());
    return largest > 0 ? 1 / largest : std::numeric_limits<double>::max();
  }
} // namespace chemokin
