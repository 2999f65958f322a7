#include <chemokin/base/timing.h>
#include <chemokin/operators/ornstein_uhlenbeck.h>

#include <algorithm>
#include <cmath>

namespace chemokin
{
  OrnsteinUhlenbeck::OrnsteinUhlenbeck(const YGrid &      grid,
                                       const double       epsilon,
                                       const unsigned int stride)
    : n(grid.size())
    , stride(std::max(stride, n))
    , epsilon(epsilon)
    , lower(n, 0.0)
    , diagonal(n, 0.0)
    , upper(n, 0.0)
    , flux_left(n, 0.0)
    , flux_right(n, 0.0)
  {
    const double h2 = grid.cell_size() * grid.cell_size();
    const auto & y  = grid.centers;
    for (unsigned int j = 0; j + 1 < n; ++j)
      {
        // the flux through y_{j+1/2}, as coefficients of q_j and q_{j+1}:
        // sqrt(M_j M_{j+1}) / (h^2 M_j) and / (h^2 M_{j+1}), M the normal
        // density, in closed form: M itself underflows beyond |y| = 38 (a
        // y-grid that grew), its ratios do not
        const double half_jump = 0.25 * (y[j + 1] * y[j + 1] - y[j] * y[j]);
        const double a = std::exp(-half_jump) / h2, b = std::exp(half_jump) / h2;
        flux_left[j]    = a;
        flux_right[j]   = b;
        // row j gains F, row j+1 loses it
        diagonal[j] -= a;
        upper[j] += b;
        lower[j + 1] += a;
        diagonal[j + 1] -= b;
      }
  }

  void
  OrnsteinUhlenbeck::apply(const PhaseVector &src, PhaseVector &dst) const
  {
    const Timing::Scope timing("internal state");
    const double *const in    = src.begin();
    double *const       out   = dst.begin();
    const std::size_t   lanes = src.locally_owned_size() / stride;
    const double        scale = 1.0 / epsilon;
    for (std::size_t l = 0; l < lanes; ++l)
      {
        // in flux form, f_j = (F_j - F_{j-1})/eps: the sum over j telescopes,
        // so its round-off scales with the fluxes, which vanish at
        // equilibrium, not with |A| |q| / eps (the matrix rows, summed in
        // floating point, would leak mass like 1e-16 |A| / eps per unit time)
        const double *const q        = in + l * stride;
        double *const       f        = out + l * stride;
        double              previous = 0;
        for (unsigned int j = 0; j + 1 < n; ++j)
          {
            const double F = scale * (flux_right[j] * q[j + 1] - flux_left[j] * q[j]);
            f[j]           = F - previous;
            previous       = F;
          }
        f[n - 1] = -previous;
      }
  }

  const OrnsteinUhlenbeck::Factorization &
  OrnsteinUhlenbeck::factorization(const double gamma) const
  {
    auto it = factorizations.find(gamma);
    if (it != factorizations.end())
      return it->second;
    if (factorizations.size() > 16) // step sizes changed: forget old ones
      factorizations.clear();
    // I - c A with c = gamma/eps
    const double  c = gamma / epsilon;
    Factorization f;
    f.upper.resize(n);
    f.inverse_pivot.resize(n);
    f.lower_c.resize(n);
    double previous_upper = 0;
    for (unsigned int j = 0; j < n; ++j)
      {
        const double a     = -c * lower[j];
        f.lower_c[j]       = c * lower[j];
        const double pivot = 1 - c * diagonal[j] - a * previous_upper;
        f.inverse_pivot[j] = 1 / pivot;
        f.upper[j]         = -c * upper[j] * f.inverse_pivot[j];
        previous_upper     = f.upper[j];
      }
    return factorizations.emplace(gamma, std::move(f)).first->second;
  }

  namespace
  {
    /**
     * work[j count + l] = b[l stride + j], and sum_b[l] the sum over j of
     * lane l. Lane by lane, not vectorized: a vectorized transposition
     * gathers or scatters, which costs more than the scalar moves on the
     * processors we run on.
     */
    template <unsigned int count>
    __attribute__((optimize("no-tree-vectorize"))) void
    transpose_in(const unsigned int n, const double *b, const std::size_t stride, double *__restrict work, double *sum_b)
    {
      for (unsigned int l = 0; l < count; ++l)
        {
          const double *__restrict lane = b + l * stride;
          double sum                    = 0;
          for (unsigned int j = 0; j < n; ++j)
            {
              work[j * count + l] = lane[j];
              sum += lane[j];
            }
          sum_b[l] = sum;
        }
    }

    /** x[l stride + j] = work[j count + l] scale[l], the other way */
    template <unsigned int count>
    __attribute__((optimize("no-tree-vectorize"))) void
    transpose_out(const unsigned int n, const double *__restrict work, const double *scale, double *x, const std::size_t stride)
    {
      for (unsigned int l = 0; l < count; ++l)
        {
          double *__restrict lane = x + l * stride;
          const double factor     = scale[l];
          for (unsigned int j = 0; j < n; ++j)
            lane[j] = work[j * count + l] * factor;
        }
    }

    /**
     * The elimination on @p count lanes at once (lane l of b and x starts at
     * l * stride). The recurrences of one lane are chains of dependent
     * multiply-adds (latency-bound); those of different lanes are
     * independent, so the lanes are transposed into @p work (n rows of
     * count values, in L1) and every step of the recurrence is one
     * contiguous loop over the lanes, which the compiler vectorizes without
     * shuffles (the same operations in the same order per lane as one lane
     * alone: the results do not depend on the grouping). Then each lane
     * gets its round-off mass defect back: the columns of I - c A sum to 1,
     * so sum x = sum b, but the elimination keeps it only to c |A| |x|
     * times the round-off (1e-12 of the mass in 10^3 steps of a 3-D drift
     * case at eps = 1e-3); x is scaled by sum b / sum x (a relative change
     * of round-off size, x stays non-negative; only for such a defect:
     * lanes of mixed sign may cancel).
     */
    template <unsigned int count>
    void
    eliminate(const unsigned int n,
              const double *     lower_c,
              const double *     inverse_pivot,
              const double *     upper,
              const double *     b,
              double *           x,
              const std::size_t  stride,
              double *__restrict work)
    {
      double sum_b[count], sum_x[count], scale[count];
      for (unsigned int l = 0; l < count; ++l)
        sum_x[l] = 0;
      transpose_in<count>(n, b, stride, work, sum_b);
      for (unsigned int l = 0; l < count; ++l)
        work[l] *= inverse_pivot[0];
      for (unsigned int j = 1; j < n; ++j)
        {
          const double c = lower_c[j], p = inverse_pivot[j];
          double *__restrict row            = work + j * count;
          const double *__restrict previous = row - count;
          for (unsigned int l = 0; l < count; ++l)
            row[l] = (row[l] + c * previous[l]) * p;
        }
      for (unsigned int j = n - 1; j-- > 0;)
        {
          const double u = upper[j];
          double *__restrict row        = work + j * count;
          const double *__restrict next = row + count;
          for (unsigned int l = 0; l < count; ++l)
            row[l] -= u * next[l];
        }
      for (unsigned int j = 0; j < n; ++j)
        for (unsigned int l = 0; l < count; ++l)
          sum_x[l] += work[j * count + l];
      for (unsigned int l = 0; l < count; ++l)
        {
          const double ratio = sum_b[l] / sum_x[l];
          scale[l] = x != b && sum_x[l] > 0 && sum_b[l] > 0 && std::abs(ratio - 1) < 1e-10 ? ratio : 1.0;
        }
      transpose_out<count>(n, work, scale, x, stride);
    }
  } // namespace

  void
  OrnsteinUhlenbeck::solve_lane(const double gamma, const double *b, double *x) const
  {
    solve_lanes(gamma, b, x, 1);
  }

  void
  OrnsteinUhlenbeck::factor_with_loss(const double        gamma,
                                      const double *const rates,
                                      double *const       modified_upper,
                                      double *const       inverse_pivot) const
  {
    // I - c A + gamma diag(rates): the rates differ from lane to lane, so
    // each lane has its own pivots; still a column diagonally dominant
    // M-matrix, so x >= 0 for b >= 0
    const double c              = gamma / epsilon;
    double       previous_upper = 0;
    for (unsigned int j = 0; j < n; ++j)
      {
        inverse_pivot[j] = 1 / (1 - c * diagonal[j] + gamma * rates[j] + c * lower[j] * previous_upper);
        previous_upper = modified_upper[j] = -c * upper[j] * inverse_pivot[j];
      }
  }

  void
  OrnsteinUhlenbeck::solve_factored(const double        gamma,
                                    const double *const modified_upper,
                                    const double *const inverse_pivot,
                                    const double *const b,
                                    double *const       x) const
  {
    // sum x = sum b - gamma sum rates x: no rescaling, the loss removes mass
    const double c        = gamma / epsilon;
    double       previous = 0;
    for (unsigned int j = 0; j < n; ++j)
      previous = x[j] = (b[j] + c * lower[j] * previous) * inverse_pivot[j];
    for (unsigned int j = n - 1; j-- > 0;)
      previous = x[j] -= modified_upper[j] * previous;
  }

  void
  OrnsteinUhlenbeck::solve(const double gamma, const PhaseVector &b, PhaseVector &x) const
  {
    const Timing::Scope timing("internal state");
    solve_lanes(gamma, b.begin(), x.begin(), b.locally_owned_size() / stride);
  }

  void
  OrnsteinUhlenbeck::solve_lanes(const double       gamma,
                                 const double *const b,
                                 double *const       x,
                                 const std::size_t   lanes) const
  {
    const Factorization &  f     = factorization(gamma);
    constexpr unsigned int group = 16;
    work.resize(std::size_t(n) * group);
    std::size_t l = 0;
    for (; l + group <= lanes; l += group)
      eliminate<group>(n, f.lower_c.data(), f.inverse_pivot.data(), f.upper.data(),
                       b + l * stride, x + l * stride, stride, work.data());
    for (; l < lanes; ++l)
      eliminate<1>(n, f.lower_c.data(), f.inverse_pivot.data(), f.upper.data(),
                   b + l * stride, x + l * stride, stride, work.data());
  }
} // namespace chemokin
