#include <chemokin/time_stepping/low_storage_imex.h>

#include <stdexcept>
#include <utility>

namespace chemokin
{
  namespace
  {
    /**
     * The passes over the sums, one for every count of sums (so that the
     * compiler unrolls the sums and vectorizes over the entries):
     * S_j = Y + a_j F (stage 0), or S_j += b_j (Y - S_i) + a_j F.
     */
    template <unsigned int count>
    void
    start_sums(const std::size_t n, const double *__restrict Y, const double *__restrict F,
               double *const *S, const double *a)
    {
      double *__restrict out[count];
      for (unsigned int j = 0; j < count; ++j)
        out[j] = S[j];
      for (std::size_t k = 0; k < n; ++k)
        for (unsigned int j = 0; j < count; ++j)
          out[j][k] = Y[k] + a[j] * F[k];
    }

    template <unsigned int count>
    void
    add_to_sums(const std::size_t n, const double *__restrict Y, const double *__restrict S_i,
                const double *__restrict F, double *const *S, const double *b, const double *a)
    {
      double *__restrict out[count];
      for (unsigned int j = 0; j < count; ++j)
        out[j] = S[j];
      for (std::size_t k = 0; k < n; ++k)
        {
          const double implicit = Y[k] - S_i[k], explicit_ = F[k];
          for (unsigned int j = 0; j < count; ++j)
            out[j][k] += b[j] * implicit + a[j] * explicit_;
        }
    }

    template <unsigned int... counts>
    void
    dispatch(const unsigned int count, const std::size_t n, const double *Y, const double *S_i,
             const double *F, double *const *S, const double *b, const double *a,
             std::integer_sequence<unsigned int, counts...>)
    {
      // S_i == nullptr: the sums start (stage 0)
      ((count == counts ? (S_i ? add_to_sums<counts>(n, Y, S_i, F, S, b, a) :
                                 start_sums<counts>(n, Y, F, S, a)) :
                          void()),
       ...);
    }
  } // namespace

  LowStorageImex::LowStorageImex(const Parts &parts, const unsigned int order)
    : parts(parts)
    , tables(order)
  {
    if (!parts.solve_stage)
      throw std::invalid_argument("LowStorageImex needs Parts::solve_stage");
  }

  void
  LowStorageImex::restart()
  {
    sums.clear();
    f.reinit(0);
  }

  namespace
  {
    /** the counts of sums that ARS(2,2,2) and ARS(4,4,3) need */
    using counts = std::integer_sequence<unsigned int, 1, 2, 3, 4>;
  } // namespace

  void
  LowStorageImex::advance(const double t, const double dt, PhaseVector &y)
  {
    check_step(t, dt);
    const unsigned int s = tables.stages;
    // f_E's vector only where the explicit part is not handed over in pieces
    const bool in_pieces = static_cast<bool>(parts.explicit_part_in_pieces);
    if (sums.size() != s - 1 || sums[0].size() != y.size() || (!in_pieces && f.size() != y.size()))
      {
        sums.resize(s - 1);
        for (auto &v : sums)
          parts.reinit(v);
        if (!in_pieces)
          parts.reinit(f);
      }
    const std::size_t n = y.locally_owned_size();
    double *const     Y = y.begin();
    double *const     F = f.begin();
    std::vector<double *> S(s);
    for (unsigned int i = 1; i < s; ++i)
      S[i] = sums[i - 1].begin();

    // f_E(t_i, Y_i) into the sums S[first_sum..]: in the explicit part's
    // pieces while they are in cache, or in one pass after it
    std::vector<double> a_I(s), a_E(s);
    auto explicit_into_sums = [&](const double t_i, const double *S_i, const unsigned int first_sum) {
      const unsigned int count = s - first_sum;
      if (!in_pieces)
        {
          parts.explicit_part(t_i, y, f);
          dispatch(count, n, Y, S_i, F, &S[first_sum], a_I.data(), a_E.data(), counts());
          return;
        }
      double *pieces[4];
      parts.explicit_part_in_pieces(t_i, y, [&](const std::size_t first, const std::size_t m, const double *F_piece) {
        for (unsigned int j = 0; j < count; ++j)
          pieces[j] = S[first_sum + j] + first;
        dispatch(count, m, Y + first, S_i ? S_i + first : nullptr, F_piece, pieces, a_I.data(), a_E.data(), counts());
      });
    };

    // stage 0 is explicit, Y_0 = y_n: every sum starts from y_n plus its term
    for (unsigned int j = 1; j < s; ++j)
      a_E[j - 1] = dt * tables.a_explicit(j, 0);
    explicit_into_sums(t + tables.c[0] * dt, nullptr, 1);

    const double g = tables.gamma * dt;
    for (unsigned int i = 1; i < s; ++i)
      {
        const double t_i = t + tables.c[i] * dt;
        // Y_i = S_i + g f_I(t_i, Y_i), into y
        const double *const S_i = S[i];
        parts.solve_stage(t_i, g, sums[i - 1], y);
        if (i + 1 == s)
          break; // the last stage is the new solution

        // add f_I(Y_i) = (Y_i - S_i)/g and f_E(Y_i) to the later sums, all
        // in one pass
        const unsigned int later = s - 1 - i;
        for (unsigned int j = 0; j < later; ++j)
          {
            a_I[j] = dt * tables.a_implicit(i + 1 + j, i) / g;
            a_E[j] = dt * tables.a_explicit(i + 1 + j, i);
          }
        explicit_into_sums(t_i, S_i, i + 1);
      }
  }
} // namespace chemokin
