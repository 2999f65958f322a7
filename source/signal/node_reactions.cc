#include <deal.II/base/mpi.h>
#include <deal.II/lac/full_matrix.h>

#include <chemokin/base/parameters.h>
#include <chemokin/signal/node_reactions.h>

#include <cmath>
#include <stdexcept>

namespace chemokin
{
  namespace Signal
  {
    NodeReactions::NodeReactions(const MPI_Comm &comm, const std::string &entry)
      : comm(comm)
      , entry(entry)
    {}

    void
    NodeReactions::step(const double t, const double h, const Rates &rates, Columns &S) const
    {
      const unsigned int n_f = S.size(), N = n_f > 0 ? S[0].size() : 0;
      const Columns      y0 = S;
      Columns            Y = y0, c = y0, R, R0, R_shifted;
      // per node the matrix (I - a dR/dS)^{-1}
      std::vector<dealii::FullMatrix<double>> J(N, dealii::FullMatrix<double>(n_f, n_f));
      std::vector<double>                     G(n_f);

      auto newton_matrices = [&](const double a, const double tau) {
        rates(tau, y0, R0);
        Columns shifted = y0;
        for (unsigned int l = 0; l < n_f; ++l)
          {
            for (unsigned int k = 0; k < N; ++k)
              shifted[l][k] = y0[l][k] + 1e-7 * (1 + std::abs(y0[l][k]));
            rates(tau, shifted, R_shifted);
            for (unsigned int k = 0; k < N; ++k)
              {
                const double e = shifted[l][k] - y0[l][k];
                for (unsigned int m = 0; m < n_f; ++m)
                  J[k](m, l) = (m == l) - a * (R_shifted[m][k] - R0[m][k]) / e;
              }
            shifted[l] = y0[l];
          }
        bool ok = true;
        for (auto &matrix : J)
          {
            matrix.gauss_jordan();
            for (unsigned int m = 0; m < n_f; ++m)
              for (unsigned int l = 0; l < n_f; ++l)
                ok = ok && std::isfinite(matrix(m, l));
          }
        // collective: every rank takes the same branches
        return dealii::Utilities::MPI::min(int(ok), comm) != 0;
      };
      // Y = c + a R(Y, tau), from Y = c (R(c) given in @p R_start if not nullptr)
      auto implicit_stage = [&](const double a, const double tau, const Columns *R_start) {
        Y                  = c;
        double last_change = 0;
        for (unsigned int iteration = 0; iteration < 50; ++iteration)
          {
            if (iteration == 0 && R_start)
              R = *R_start;
            else
              rates(tau, Y, R);
            double change = 0, size = 0;
            for (unsigned int k = 0; k < N; ++k)
              {
                for (unsigned int m = 0; m < n_f; ++m)
                  G[m] = Y[m][k] - c[m][k] - a * R[m][k];
                for (unsigned int q = 0; q < n_f; ++q)
                  {
                    double d = 0;
                    for (unsigned int l = 0; l < n_f; ++l)
                      d += J[k](q, l) * G[l];
                    Y[q][k] -= d;
                    change = std::max(change, std::abs(d));
                    size   = std::max(size, std::abs(Y[q][k]));
                  }
              }
            change = dealii::Utilities::MPI::max(change, comm);
            size   = dealii::Utilities::MPI::max(size, comm);
            if (!std::isfinite(change))
              return false;
            const double tolerance = 1e-14 * (1 + size);
            if (change <= tolerance)
              return true;
            if (iteration > 0 && last_change > 0)
              {
                const double contraction = change / last_change;
                if (contraction < 1 && contraction / (1 - contraction) * change <= tolerance)
                  return true;
              }
            last_change = change;
          }
        return false;
      };

      const double gamma     = NodeReactions::gamma();
      const double a         = gamma * h;
      bool         converged = newton_matrices(a, t + a);
      // stage 1: Y1 = y0 + gamma h R(Y1)
      converged = converged && implicit_stage(a, t + a, &R0);
      // stage 2: Y2 = y0 + (1 - gamma) h R(Y1) + gamma h R(Y2), with
      // h R(Y1) = (Y1 - y0) / gamma from the stage equation
      for (unsigned int j = 0; j < n_f; ++j)
        for (unsigned int k = 0; k < N; ++k)
          c[j][k] = y0[j][k] + (1 - gamma) / gamma * (Y[j][k] - y0[j][k]);
      converged = converged && implicit_stage(a, t + h, nullptr);
      // where the second-order step would make a non-negative field
      // negative: implicit Euler
      std::vector<unsigned int> undershoot;
      for (unsigned int k = 0; k < N; ++k)
        for (unsigned int j = 0; j < n_f; ++j)
          if (y0[j][k] >= 0 && Y[j][k] < 0)
            {
              undershoot.push_back(k);
              break;
            }
      // collective, like the iterations
      const bool fall_back =
        dealii::Utilities::MPI::max(int(!converged || !undershoot.empty()), comm) != 0;
      converged = dealii::Utilities::MPI::min(int(converged), comm) != 0;
      if (fall_back)
        {
          const Columns second_order = Y;
          c                          = y0;
          if (!(newton_matrices(h, t + h) && implicit_stage(h, t + h, &R0)))
            throw std::runtime_error("the reactions of `" + entry +
                                     "` have no finite solution of the implicit step at t = " +
                                     Parameters::format(t) + " (dt = " + Parameters::format(h) + ")");
          if (converged)
            {
              // implicit Euler only where the second-order step undershot
              Columns mixed = second_order;
              for (const unsigned int k : undershoot)
                for (unsigned int j = 0; j < n_f; ++j)
                  mixed[j][k] = Y[j][k];
              Y = mixed;
            }
        }
      S = Y;
    }
  } // namespace Signal
} // namespace chemokin
