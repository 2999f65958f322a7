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
        ornstein_uhlenbeck.solve_factored(gamma,
                                          &modified_upper[std::size_t(k) * n_y],
                                          &inverse_pivot[std::size_t(k) * n_y],
                                          b + k * block,
                                          y + k * block);
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
    modified_upper.resize(std::size_t(n_v) * n_y);
    inverse_pivot.resize(std::size_t(n_v) * n_y);
    stiff_lane.resize(n_v);
    // the nodes without implicit rates (the bounded rates of most nodes)
    // take the Ornstein-Uhlenbeck stage alone, a run of them at once (their
    // lanes are consecutive; the elimination interleaves many lanes)
    unsigned int run_begin = 0;
    auto         flush     = [&](const unsigned int end) {
      if (end > run_begin)
        ornstein_uhlenbeck.solve_lanes(gamma,
                                       S.begin() + run_begin * node,
                                       Y.begin() + run_begin * node,
                                       std::size_t(end - run_begin) * n_v);
    };
    const unsigned int n_nodes = x_space.n_owned_dofs();
    for (unsigned int i = 0; i < n_nodes; ++i)
      {
        const double *const s = S.begin() + i * node;
        double *const       y = Y.begin() + i * node;
        bool                stiff = false;
        for (unsigned int k = 0; k < n_v; ++k)
          {
            const double *const mu = tumbling.lane_implicit_rates(i, k, y[k * block + n_y]);
            stiff_lane[k]          = mu != nullptr;
            stiff |= stiff_lane[k];
            // factored once for all sweeps of the stage
            if (mu)
              ornstein_uhlenbeck.factor_with_loss(gamma,
                                                  mu,
                                                  &modified_upper[std::size_t(k) * n_y],
                                                  &inverse_pivot[std::size_t(k) * n_y]);
          }
        if (!stiff)
          continue;
        flush(i);
        run_begin = i + 1;
        // S kept (Y may be S), Y_0 = the solution without the gain
        source.assign(s, s + node);
        for (unsigned int k = 0; k < n_v; ++k) // the stage's lags, for the gain of S
          source[std::size_t(k) * block + n_y] = y[std::size_t(k) * block + n_y];
        solve_lanes(gamma, source.data(), y);
        first.assign(y, y + node);
        rhs.assign(source.begin(), source.end());
        // sweeps until the error they leave, estimated from the change and
        // the contraction, is below `tolerance` of the node's mass (weighted
        // l1 norms; the contraction gamma mu / (1 + gamma mu) approaches 1
        // where mu is large, so neither a fixed count nor a small change is
        // enough where mass sits in the stiff tail)
        double size = 0;
        for (unsigned int k = 0; k < n_v; ++k)
          {
            double sum = 0;
            for (unsigned int j = 0; j < n_y; ++j)
              sum += std::abs(source[std::size_t(k) * block + j]);
            size += weights[k] * sum;
          }
        double last_change = 0;
        for (unsigned int sweep = 0; sweep < max_sweeps; ++sweep)
          {
            gain.assign(node, 0.0);
            // the first sweep takes the gain of S: without the
            // Ornstein-Uhlenbeck operator, the exact gain (tumbling keeps the
            // density at each m and conserves it: K mu sum_v w S at each m)
            tumbling.add_implicit_gain(i, sweep == 0 ? source.data() : y, gain.data());
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
            // the error left is about change rho / (1 - rho), rho the
            // contraction seen from one sweep to the next
            if (change == 0)
              break;
            if (sweep > 0)
              {
                const double rho = std::min(change / last_change, 0.999);
                if (change * rho / (1 - rho) <= tolerance * size)
                  break;
              }
            last_change = change;
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
    flush(n_nodes);
  }

  template class ImplicitTumbling<1>;
  template class ImplicitTumbling<2>;
  template class ImplicitTumbling<3>;
} // namespace chemokin
