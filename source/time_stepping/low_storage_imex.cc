#include <chemokin/time_stepping/low_storage_imex.h>

namespace chemokin
{
  LowStorageImex::LowStorageImex(const Parts &parts, const unsigned int order)
    : parts(parts)
    , tables(order)
  {}

  void
  LowStorageImex::restart()
  {
    sums.clear();
    f.reinit(0);
  }

  void
  LowStorageImex::advance(const double t, const double dt, PhaseVector &y)
  {
    check_step(t, dt);
    const unsigned int s = tables.stages;
    if (sums.size() != s - 1 || f.size() != y.size())
      {
        sums.resize(s - 1);
        for (auto &v : sums)
          parts.reinit(v);
        parts.reinit(f);
      }
    const std::size_t n = y.locally_owned_size();
    double *const     Y = y.begin();
    double *const     F = f.begin();
    std::vector<double *> S(s);
    for (unsigned int i = 1; i < s; ++i)
      S[i] = sums[i - 1].begin();

    // stage 0 is explicit, Y_0 = y_n: every sum starts from y_n plus its term
    parts.explicit_part(t + tables.c[0] * dt, y, f);
    for (unsigned int i = 1; i < s; ++i)
      {
        const double a = dt * tables.a_explicit(i, 0);
        for (std::size_t k = 0; k < n; ++k)
          S[i][k] = Y[k] + a * F[k];
      }

    const double g = tables.gamma * dt;
    std::vector<double> a_I(s), a_E(s);
    for (unsigned int i = 1; i < s; ++i)
      {
        const double t_i = t + tables.c[i] * dt;
        // Y_i = S_i + g f_I(t_i, Y_i), into y
        const double *const S_i = S[i];
        if (parts.solve_stage)
          parts.solve_stage(t_i, g, sums[i - 1], y);
        else
          {
            // f_I affine and the solve exact: Y_i = S_i + (I - g J)^{-1} g f_I(S_i)
            parts.implicit_part(t_i, sums[i - 1], f);
            f *= g;
            parts.solve(t_i, g, f, y);
            for (std::size_t k = 0; k < n; ++k)
              Y[k] += S_i[k];
          }
        if (i + 1 == s)
          break; // the last stage is the new solution

        // add f_I(Y_i) = (Y_i - S_i)/g and f_E(Y_i) to the later sums, all
        // in one pass
        parts.explicit_part(t_i, y, f);
        const unsigned int later = s - 1 - i;
        for (unsigned int j = 0; j < later; ++j)
          {
            a_I[j] = dt * tables.a_implicit(i + 1 + j, i) / g;
            a_E[j] = dt * tables.a_explicit(i + 1 + j, i);
          }
        double *const *const S_later = &S[i + 1];
        for (std::size_t k = 0; k < n; ++k)
          {
            const double implicit = Y[k] - S_i[k], explicit_ = F[k];
            for (unsigned int j = 0; j < later; ++j)
              S_later[j][k] += a_I[j] * implicit + a_E[j] * explicit_;
          }
      }
  }
} // namespace chemokin
