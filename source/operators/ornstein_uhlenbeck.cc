#include <chemokin/operators/ornstein_uhlenbeck.h>

#include <cmath>

namespace chemokin
{
  OrnsteinUhlenbeck::OrnsteinUhlenbeck(const YGrid &grid, const double epsilon)
    : n(grid.size())
    , epsilon(epsilon)
    , lower(n, 0.0)
    , diagonal(n, 0.0)
    , upper(n, 0.0)
  {
    const double  h2 = grid.cell_size() * grid.cell_size();
    const auto &M  = grid.maxwellian;
    for (unsigned int j = 0; j + 1 < n; ++j)
      {
        // the flux through y_{j+1/2}, as coefficients of q_j and q_{j+1}
        const double mu = std::sqrt(M[j] * M[j + 1]) / h2;
        const double a  = mu / M[j], b = mu / M[j + 1];
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
    const double *const in    = src.begin();
    double *const       out   = dst.begin();
    const std::size_t   lanes = src.locally_owned_size() / n;
    const double        scale = 1.0 / epsilon;
    for (std::size_t l = 0; l < lanes; ++l)
      {
        const double *const q = in + l * n;
        double *const       f = out + l * n;
        f[0]                  = scale * (diagonal[0] * q[0] + upper[0] * q[1]);
        for (unsigned int j = 1; j + 1 < n; ++j)
          f[j] = scale * (lower[j] * q[j - 1] + diagonal[j] * q[j] + upper[j] * q[j + 1]);
        f[n - 1] = scale * (lower[n - 1] * q[n - 2] + diagonal[n - 1] * q[n - 1]);
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
    double previous_upper = 0;
    for (unsigned int j = 0; j < n; ++j)
      {
        const double a     = -c * lower[j];
        const double pivot = 1 - c * diagonal[j] - a * previous_upper;
        f.inverse_pivot[j] = 1 / pivot;
        f.upper[j]         = -c * upper[j] * f.inverse_pivot[j];
        previous_upper     = f.upper[j];
      }
    return factorizations.emplace(gamma, std::move(f)).first->second;
  }

  void
  OrnsteinUhlenbeck::solve_lane(const double gamma, const double *b, double *x) const
  {
    const Factorization &f = factorization(gamma);
    const double         c = gamma / epsilon;
    x[0]                   = b[0] * f.inverse_pivot[0];
    for (unsigned int j = 1; j < n; ++j)
      x[j] = (b[j] + c * lower[j] * x[j - 1]) * f.inverse_pivot[j];
    for (unsigned int j = n - 1; j-- > 0;)
      x[j] -= f.upper[j] * x[j + 1];
  }

  void
  OrnsteinUhlenbeck::solve(const double gamma, const PhaseVector &b, PhaseVector &x) const
  {
    const std::size_t lanes = b.locally_owned_size() / n;
    for (std::size_t l = 0; l < lanes; ++l)
      solve_lane(gamma, b.begin() + l * n, x.begin() + l * n);
  }
} // namespace chemokin
