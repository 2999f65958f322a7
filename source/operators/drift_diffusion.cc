#include <chemokin/base/timing.h>
#include <chemokin/operators/drift_diffusion.h>

#include <cmath>

namespace chemokin
{
  namespace
  {
    /** B(x) = x/(e^x - 1), B(0) = 1 */
    double
    bernoulli(const double x)
    {
      return std::abs(x) < 1e-8 ? 1 - 0.5 * x : x / std::expm1(x);
    }
  } // namespace

  DriftDiffusion::DriftDiffusion(const UGrid &grid, std::vector<double> face_drift, const double noise)
    : grid(grid)
    , face_drift(std::move(face_drift))
    , noise(noise)
    , left(grid.n)
    , right(grid.n)
    , scratch(grid.n)
  {}

  void
  DriftDiffusion::face_coefficients(const double mu) const
  {
    // dq_j/dt = (F_{j-1/2} - F_{j+1/2})/h with F = left q_j - right q_{j+1}
    const double scale = noise / (grid.h * grid.h);
    for (unsigned int f = 0; f + 1 < grid.n; ++f)
      {
        // B(-|x|) = B(|x|) + |x|: one exponential per face, and no
        // cancellation (both terms are positive)
        const double x     = (face_drift[f] - mu) * grid.h / noise;
        const double small = bernoulli(std::abs(x)), large = small + std::abs(x);
        left[f]            = scale * (x >= 0 ? large : small);
        right[f]           = scale * (x >= 0 ? small : large);
      }
  }

  void
  DriftDiffusion::apply_lane(const double mu, const double *src, double *dst) const
  {
    face_coefficients(mu);
    const unsigned int n = grid.n;
    for (unsigned int j = 0; j < n; ++j)
      dst[j] = 0;
    for (unsigned int f = 0; f + 1 < n; ++f)
      {
        const double flux = left[f] * src[f] - right[f] * src[f + 1];
        dst[f] -= flux;
        dst[f + 1] += flux;
      }
  }

  void
  DriftDiffusion::solve_lane(const double mu, const double gamma, const double *b, double *x) const
  {
    // (I - gamma A) x = b: lower_j = -gamma left_{j-1}, upper_j = -gamma
    // right_j, diagonal_j = 1 + gamma (right_{j-1} + left_j); Thomas
    face_coefficients(mu);
    const unsigned int n     = grid.n;
    double *const      c     = scratch.data();
    double             pivot = 1 + gamma * (n > 1 ? left[0] : 0);
    c[0]                     = n > 1 ? -gamma * right[0] / pivot : 0;
    x[0]                     = b[0] / pivot;
    for (unsigned int j = 1; j < n; ++j)
      {
        const double lower    = -gamma * left[j - 1];
        const double diagonal = 1 + gamma * (right[j - 1] + (j + 1 < n ? left[j] : 0));
        pivot                 = diagonal - lower * c[j - 1];
        c[j]                  = j + 1 < n ? -gamma * right[j] / pivot : 0;
        x[j]                  = (b[j] - lower * x[j - 1]) / pivot;
      }
    for (unsigned int j = n - 1; j-- > 0;)
      x[j] -= c[j] * x[j + 1];
  }

  void
  DriftDiffusion::apply(const std::vector<double> &mu, const PhaseVector &src, PhaseVector &dst) const
  {
    const Timing::Scope timing("internal state");
    for (std::size_t a = 0; a < mu.size(); ++a)
      apply_lane(mu[a], src.begin() + a * grid.n, dst.begin() + a * grid.n);
  }

  void
  DriftDiffusion::solve(const std::vector<double> &mu,
                        const double               gamma,
                        const PhaseVector &        b,
                        PhaseVector &              x) const
  {
    const Timing::Scope timing("internal state");
    for (std::size_t a = 0; a < mu.size(); ++a)
      solve_lane(mu[a], gamma, b.begin() + a * grid.n, x.begin() + a * grid.n);
  }

  std::vector<double>
  DriftDiffusion::stationary(const double mu) const
  {
    // zero flux through every face: ln q_{j+1} - ln q_j = (g - mu) h / D
    std::vector<double> q(grid.n);
    double              largest = 0;
    q[0]                        = 0;
    for (unsigned int f = 0; f + 1 < grid.n; ++f)
      {
        q[f + 1] = q[f] + (face_drift[f] - mu) * grid.h / noise;
        largest  = std::max(largest, q[f + 1]);
      }
    double sum = 0;
    for (auto &value : q)
      {
        value = std::exp(value - largest);
        sum += value;
      }
    for (auto &value : q)
      value /= sum * grid.h;
    return q;
  }
} // namespace chemokin
