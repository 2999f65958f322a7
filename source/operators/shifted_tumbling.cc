#include <deal.II/base/mpi.h>

#include <chemokin/base/timing.h>
#include <chemokin/base/input_error.h>
#include <chemokin/base/parameters.h>
#include <chemokin/mesh/lane_layout.h>
#include <chemokin/operators/shifted_tumbling.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace chemokin
{
  template <int dim>
  ShiftedTumbling<dim>::ShiftedTumbling(const PhaseSpace<dim> &           x_space,
                                        const VelocitySet<dim> &          velocities,
                                        const dealii::FullMatrix<double> &kernel,
                                        const YGrid &                     grid,
                                        const TumblingRate &              rate)
    : x_space(x_space)
    , n_v(velocities.size())
    , n_y(grid.size())
    , weights(velocities.weights)
    , kernel_times_weight(n_v, n_v)
    , grid(grid)
    , rate(rate)
  {
    uniform_kernel = kernel(0, 0);
    uniform        = n_v > 2;
    for (unsigned int k = 0; k < n_v; ++k)
      for (unsigned int l = 0; l < n_v; ++l)
        {
          kernel_times_weight(k, l) = kernel(k, l) * weights[l];
          uniform = uniform && std::abs(kernel(k, l) - uniform_kernel) <= 1e-14 * uniform_kernel;
        }
  }

  template <int dim>
  double
  ShiftedTumbling<dim>::frequency(const double z) const
  {
    const double r = rate.rate_interpolated(z);
    if (std::isfinite(r) && r >= 0)
      return r;
    // an interpolant may dip below a rate that touches zero
    const double exact = rate.rate(z);
    if (!std::isfinite(exact) || exact < 0)
      throw InputError("Tumbling/Rate",
                       "lambda(" + Parameters::format(z) + ") = " + Parameters::format(exact) +
                         ": must be finite and non-negative");
    return std::isfinite(r) ? 0.0 : exact;
  }

  template <int dim>
  void
  ShiftedTumbling<dim>::add_to(const PhaseVector &src, PhaseVector &dst) const
  {
    const Timing::Scope timing("transport and tumbling");
    const std::size_t node = std::size_t(n_v) * (n_y + 1);
    for (unsigned int i = 0; i < x_space.n_owned_dofs(); ++i)
      add_node(i, src.begin() + i * node, dst.begin() + i * node);
  }

  template <int dim>
  void
  ShiftedTumbling<dim>::compute_rates(const double L, double *const rates) const
  {
    // lambda(y_j - L) on the whole lane; one check for the lane (a
    // branch-free reduction), the points fixed only if it fails
    rate.rates_interpolated(grid.centers[0] - L, grid.cell_size(), n_y, rates);
    bool valid = true;
    for (unsigned int j = 0; j < n_y; ++j)
      valid &= rates[j] >= 0 && rates[j] <= std::numeric_limits<double>::max();
    if (!valid)
      for (unsigned int j = 0; j < n_y; ++j)
        if (!(std::isfinite(rates[j]) && rates[j] >= 0))
          rates[j] = frequency(grid.centers[j] - L);
  }

  template <int dim>
  std::size_t
  ShiftedTumbling<dim>::refresh_lane(const unsigned int i, const unsigned int k, const double L) const
  {
    const bool        split = std::isfinite(implicit_above);
    const std::size_t lanes = std::size_t(x_space.n_owned_dofs()) * n_v;
    if (cached_lag.size() != lanes || stiff_cache.size() != (split ? lanes : 0))
      {
        cached_lag.assign(lanes, std::numeric_limits<double>::quiet_NaN());
        rate_cache.resize(lanes * n_y);
        // the implicit rates are stored once a lane has any (the bounded
        // rates of the examples never do: no vector for them)
        excess_cache.clear();
        stiff_cache.assign(split ? lanes : 0, 0);
      }
    // kept unless the lane's lag moved: lambda' times the change of L is
    // below 1e-12 of lambda for |lambda'/lambda| <= 1
    const std::size_t lane   = std::size_t(i) * n_v + k;
    double *const     rates  = rate_cache.data() + lane * n_y;
    double &          cached = cached_lag[lane];
    if (!(std::abs(L - cached) <= 1e-12 * (1 + std::abs(L))))
      {
        compute_rates(L, rates);
        if (split)
          {
            // lambda_E = c phi(lambda/c), phi(r) = r up to r = 1/2, then
            // 1/2 + tanh(2 r - 1)/2 < 1 (twice continuously differentiable:
            // a rate that crosses the split as L moves must not cost the
            // pair its order, as a kink in min(lambda, c) does)
            const double c     = implicit_above;
            bool         stiff = false;
            lane_excess.assign(n_y, 0.0);
            for (unsigned int j = 0; j < n_y; ++j)
              {
                const double r = rates[j] / c;
                if (r > 0.5)
                  {
                    const double explicit_rate = c * (0.5 + 0.5 * std::tanh(2 * r - 1));
                    lane_excess[j]             = rates[j] - explicit_rate;
                    rates[j]                   = explicit_rate;
                    stiff                      = true;
                  }
              }
            stiff_cache[lane] = stiff;
            if (stiff)
              {
                if (excess_cache.empty())
                  excess_cache.assign(lanes * n_y, 0.0);
                std::copy(lane_excess.begin(), lane_excess.end(), excess_cache.begin() + lane * n_y);
              }
          }
        cached = L;
      }
    return lane * n_y;
  }

  template <int dim>
  const double *
  ShiftedTumbling<dim>::lane_rates(const unsigned int i, const unsigned int k, const double L) const
  {
    const std::size_t offset = refresh_lane(i, k, L); // may resize the cache
    return rate_cache.data() + offset;
  }

  template <int dim>
  const double *
  ShiftedTumbling<dim>::lane_implicit_rates(const unsigned int i, const unsigned int k, const double L) const
  {
    Assert(std::isfinite(implicit_above), dealii::ExcMessage("no implicit part"));
    const std::size_t offset = refresh_lane(i, k, L); // may resize the cache
    return stiff_cache[offset / n_y] ? excess_cache.data() + offset : nullptr;
  }

  template <int dim>
  unsigned int
  ShiftedTumbling<dim>::read_lags(const double *const q) const
  {
    const unsigned int block = n_y + 1;
    loss.resize(std::size_t(n_v) * n_y);
    L.resize(n_v);
    for (unsigned int k = 0; k < n_v; ++k)
      L[k] = q[k * block + n_y];
    return block;
  }

  template <int dim>
  void
  ShiftedTumbling<dim>::add_node(const unsigned int i, const double *const q, double *const f) const
  {
    const unsigned int block = read_lags(q);
    for (unsigned int k = 0; k < n_v; ++k)
      {
        const double *__restrict rate_j  = lane_rates(i, k, L[k]);
        const double *__restrict q_k     = q + k * block;
        double *__restrict loss_k        = loss.data() + std::size_t(k) * n_y;
        double *__restrict f_k           = f + k * block;
        for (unsigned int j = 0; j < n_y; ++j)
          {
            const double out = rate_j[j] * q_k[j];
            loss_k[j]        = out;
            f_k[j] -= out;
          }
      }
    distribute_loss(f, false);
  }

  template <int dim>
  bool
  ShiftedTumbling<dim>::add_implicit_gain(const unsigned int i, const double *const q, double *const g) const
  {
    const unsigned int block = read_lags(q);
    bool               some  = false;
    first_cell.resize(n_v);
    end_cell.resize(n_v);
    for (unsigned int k = 0; k < n_v; ++k)
      {
        const double *__restrict mu = lane_implicit_rates(i, k, L[k]);
        int begin = n_y, end = 0;
        if (mu)
          {
            const double *__restrict q_k = q + k * block;
            double *__restrict loss_k    = loss.data() + std::size_t(k) * n_y;
            for (unsigned int j = 0; j < n_y; ++j)
              {
                loss_k[j] = mu[j] * q_k[j];
                if (mu[j] > 0)
                  {
                    begin = std::min(begin, int(j));
                    end   = int(j) + 1;
                  }
              }
          }
        first_cell[k] = begin;
        end_cell[k]   = std::max(begin, end);
        some |= end > begin;
      }
    if (some)
      distribute_loss(g, true);
    return some;
  }

  template <int dim>
  void
  ShiftedTumbling<dim>::distribute_loss(double *const f, const bool in_ranges) const
  {
    const unsigned int block = n_y + 1;
    double             low = std::numeric_limits<double>::max(), high = -low;
    for (unsigned int k = 0; k < n_v; ++k)
      {
        low  = std::min(low, L[k]);
        high = std::max(high, L[k]);
      }
    if (uniform)
      {
        // z' - Lbar = y' - (L_l - Lbar) on the common grid (cell j + pad has
        // centre y_j), then y = z' + (L_k - Lbar) on the grid of v_k. Lbar,
        // the midpoint of the node's lags, keeps the offsets |L - Lbar| as
        // small as the shifts (Lemma 3.1), however large L itself is (a fast
        // signal, an initial layer); pad > max |L - Lbar| / h cells beyond
        // each end of the y-grid hold them.
        const double Lbar     = 0.5 * (low + high);
        const int    pad      = static_cast<int>(std::ceil(0.5 * (high - low) / grid.cell_size())) + 1;
        const int    n_common = int(n_y) + 2 * pad;
        common.assign(n_common, 0.0);
        if (!in_ranges)
          {
            for (unsigned int l = 0; l < n_v; ++l)
              grid.remap(&loss[std::size_t(l) * n_y],
                         n_y,
                         Lbar - L[l],
                         uniform_kernel * weights[l],
                         common.data(),
                         n_common,
                         pad);
            for (unsigned int k = 0; k < n_v; ++k)
              grid.remap(common.data(), n_common, L[k] - Lbar, 1.0, f + k * block, n_y, -pad);
            return;
          }
        // only the cells [first_cell, end_cell) of a lane lose mass (the
        // implicit rates are zero where lambda <= cap/2): remap those, and
        // back only the common cells they reached (a sub-range of cells is
        // remapped as a grid offset by its first cell)
        int reached_begin = n_common, reached_end = 0;
        for (unsigned int l = 0; l < n_v; ++l)
          {
            const int begin = first_cell[l], end = end_cell[l];
            if (end <= begin)
              continue;
            const int first = static_cast<int>(std::floor((Lbar - L[l]) / grid.cell_size())) + pad;
            grid.remap(&loss[std::size_t(l) * n_y + begin],
                       end - begin,
                       Lbar - L[l],
                       uniform_kernel * weights[l],
                       common.data(),
                       n_common,
                       pad + begin);
            reached_begin = std::min(reached_begin, std::max(0, begin + first));
            reached_end   = std::max(reached_end, std::min(n_common, end + first + 1));
          }
        if (reached_end > reached_begin)
          for (unsigned int k = 0; k < n_v; ++k)
            grid.remap(common.data() + reached_begin,
                       reached_end - reached_begin,
                       L[k] - Lbar,
                       1.0,
                       f + k * block,
                       n_y,
                       reached_begin - pad);
        return;
      }
    // the mass leaving (l, y') arrives at (k, y' + L_k - L_l)
    for (unsigned int k = 0; k < n_v; ++k)
      for (unsigned int l = 0; l < n_v; ++l)
        {
          const double factor = kernel_times_weight(k, l);
          if (factor != 0)
            grid.add_shifted(&loss[std::size_t(l) * n_y], L[k] - L[l], factor, f + k * block);
        }
  }

  template <int dim>
  double
  ShiftedTumbling<dim>::max_time_step(const PhaseVector &state) const
  {
    // the frequencies are lambda(y_j - L) with L in [L_min, L_max]: sample
    // lambda on [y_0 - L_max, y_{n-1} - L_min] (a global interval, cheaper
    // than every (x, v, y) and an upper bound to the sampling step h/4)
    const LaneLayout at{n_v, n_y};
    double           low = std::numeric_limits<double>::max(), high = -low;
    for (std::size_t a = 0; a < std::size_t(x_space.n_owned_dofs()) * n_v; ++a)
      {
        const double L = state.local_element(at.lag_of_pair(a));
        low            = std::min(low, L);
        high           = std::max(high, L);
      }
    const MPI_Comm comm = x_space.get_dof_handler().get_communicator();
    low                 = dealii::Utilities::MPI::min(low, comm);
    high                = dealii::Utilities::MPI::max(high, comm);
    const double z_low = grid.centers.front() - high, z_high = grid.centers.back() - low;
    const double step    = 0.25 * grid.cell_size();
    double       largest = 0;
    for (double z = z_low; z < z_high + step; z += step)
      largest = std::max(largest, frequency(std::min(z, z_high)));
    // the part above implicit_above / 2 is (partly) in the implicit stages
    largest = std::min(largest, implicit_above);
    return largest > 0 ? 1.0 / largest : std::numeric_limits<double>::max();
  }

  template class ShiftedTumbling<1>;
  template class ShiftedTumbling<2>;
  template class ShiftedTumbling<3>;
} // namespace chemokin
