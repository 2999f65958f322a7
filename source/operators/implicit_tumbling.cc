#include <chemokin/base/timing.h>
#include <chemokin/operators/implicit_tumbling.h>

#include <algorithm>
#include <cmath>
#include <cstring>

namespace chemokin
{
  template <int dim>
  ImplicitTumbling<dim>::ImplicitTumbling(const PhaseSpace<dim> &     x_space,
                                          const VelocitySet<dim> &    velocities,
                                          const ShiftedTumbling<dim> &tumbling,
                                          const OrnsteinUhlenbeck &   ornstein_uhlenbeck,
                                          const unsigned int          n_y)
    : x_space(x_space)
    , tumbling(tumbling)
    , ornstein_uhlenbeck(ornstein_uhlenbeck)
    , weights(velocities.weights)
    , n_v(velocities.size())
    , n_y(n_y)
    , block(n_y + 1)
    , max_sweeps(64)
    , tolerance(1e-8)
  {}

  template <int dim>
  void
  ImplicitTumbling<dim>::solve_lanes(const double gamma, const double *const b, double *const y) const
  {
    for (unsigned int k = 0; k < n_v; ++k)
      if (stiff_lane[k])
        ornstein_uhlenbeck.solve_lane_with_loss(gamma, &excess[std::size_t(k) * n_y], b + k * block, y + k * block);
      else
        ornstein_uhlenbeck.solve_lane(gamma, b + k * block, y + k * block);
  }

  template <int dim>
  void
  ImplicitTumbling<dim>::solve_stage(const double gamma, const PhaseVector &S, PhaseVector &Y) const
  {
    const double cap = tumbling.get_implicit_above();
    if (!std::isfinite(cap))
      {
        ornstein_uhlenbeck.solve(gamma, S, Y);
        return;
      }
    const Timing::Scope timing("internal state");
    const std::size_t   node = std::size_t(n_v) * block;
    excess.resize(std::size_t(n_v) * n_y);
    stiff_lane.resize(n_v);
    for (unsigned int i = 0; i < x_space.n_owned_dofs(); ++i)
      {
        const double *const s = S.begin() + i * node;
        double *const       y = Y.begin() + i * node;
        bool                stiff = false;
        for (unsigned int k = 0; k < n_v; ++k)
          {
            const double *const rates = tumbling.lane_implicit_rates(i, k, y[k * block + n_y]);
            double *const       mu    = &excess[std::size_t(k) * n_y];
            bool                any   = false;
            for (unsigned int j = 0; j < n_y; ++j)
              {
                mu[j] = rates[j];
                any |= mu[j] > 0;
              }
            stiff_lane[k] = any;
            stiff |= any;
          }
        if (!stiff)
          {
            solve_lanes(gamma, s, y);
            continue;
          }
        // S kept (Y may be S), Y_0 = the solution without the gain
        source.assign(s, s + node);
        solve_lanes(gamma, source.data(), y);
        first.assign(y, y + node);
        rhs.assign(source.begin(), source.end());
        // sweeps until the node's change is below `tolerance` of its mass
        // (weighted l1 norms; the contraction gamma mu / (1 + gamma mu)
        // approaches 1 where mu is large, so a fixed count is not enough
        // where mass sits in the stiff tail)
        double size = 0;
        for (unsigned int k = 0; k < n_v; ++k)
          {
            double sum = 0;
            for (unsigned int j = 0; j < n_y; ++j)
              sum += std::abs(source[std::size_t(k) * block + j]);
            size += weights[k] * sum;
          }
        for (unsigned int sweep = 0; sweep < max_sweeps; ++sweep)
          {
            gain.assign(node, 0.0);
            tumbling.add_implicit_gain(i, y, gain.data());
            for (std::size_t a = 0; a < node; ++a)
              rhs[a] = source[a] + gamma * gain[a];
            previous.assign(y, y + node);
            solve_lanes(gamma, rhs.data(), y);
            double change = 0;
            for (unsigned int k = 0; k < n_v; ++k)
              {
                double sum = 0;
                for (unsigned int j = 0; j < n_y; ++j)
                  {
                    const std::size_t a = std::size_t(k) * block + j;
                    sum += std::abs(y[a] - previous[a]);
                  }
                change += weights[k] * sum;
              }
            if (change <= tolerance * size)
              break;
          }
        // the node's mass restored: Y += d c / sum_v w sum_j c with the
        // defect d = mass(S) - mass(Y) and c = |Y - Y_0|, the part the
        // gain added (c = Y - Y_0 >= 0 for Y_0 >= 0: then Y = Y_0 + alpha
        // (Y - Y_0), alpha -> 1 as the sweeps converge; the absolute value
        // keeps the correction defined where a DG solution undershoots)
        double defect = 0, norm = 0;
        for (unsigned int k = 0; k < n_v; ++k)
          {
            double d = 0, c = 0;
            for (unsigned int j = 0; j < n_y; ++j)
              {
                const std::size_t a = std::size_t(k) * block + j;
                d += source[a] - y[a];
                c += std::abs(y[a] - first[a]);
              }
            defect += weights[k] * d;
            norm += weights[k] * c;
          }
        if (norm > 0)
          {
            const double factor = defect / norm;
            for (unsigned int k = 0; k < n_v; ++k)
              for (unsigned int j = 0; j < n_y; ++j)
                {
                  const std::size_t a = std::size_t(k) * block + j;
                  y[a] += factor * std::abs(y[a] - first[a]);
                }
          }
      }
  }

  template class ImplicitTumbling<1>;
  template class ImplicitTumbling<2>;
  template class ImplicitTumbling<3>;
} // namespace chemokin
