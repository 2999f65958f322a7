#pragma once

#include <deal.II/base/parameter_handler.h>

#include <chemokin/base/expression.h>
#include <chemokin/dynamics/interface.h>

#include <functional>
#include <map>
#include <memory>
#include <vector>

namespace chemokin
{
  namespace Dynamics
  {
    /**
     * The E. coli signalling pathway (DESIGN §11): MWC clusters of N
     * receptors with free energy
     *
     *   F = N (alpha (m0 - m) + l(S)),   l(S) = ln((1 + S/K_I)/(1 + S/K_A)),
     *
     * activity a = 1/(1 + e^F), methylation dm = (k_R (1 - a) - k_B a) dt +
     * sqrt(2 D_m) dW, tumbling frequency lambda(a) (`Tumbling/Rate`, an
     * expression in `a`), ligand S = e^M. In u = m - m0 - l(S(t, x))/alpha
     * the activity is a(u) = 1/(1 + e^{-N alpha u}) and along a run
     *
     *   du = (g(u) - mu) dt + sqrt(2 D_m) dW,
     *   g(u) = k_R - (k_R + k_B) a(u),   mu = D_t l(S)/alpha = l'(M) D_tM/alpha,
     *
     * l'(M) = dl/dM = S/(K_I + S) - S/(K_A + S): logarithmic sensing (l' = 1)
     * only for K_I << S << K_A.
     *
     * The stationary law of u at a fixed mu is
     *
     *   rho_mu(u) ~ exp(Phi(u)/D_m),
     *   Phi(u) = (k_R - mu) u - (k_R + k_B) ln(1 + e^{N alpha u})/(N alpha),
     *
     * normalizable for -k_B < mu < k_R; there the mean activity is exactly
     * (k_R - mu)/(k_R + k_B) (the mean drift vanishes). Beyond, the cells
     * cannot keep up: u drifts off, a -> 0 (mu >= k_R) or 1 (mu <= -k_B),
     * and Lambdabar is the limit of lambda there.
     *
     * `Time scale` eps (default 1) speeds the internal dynamics up at a fixed
     * stationary law: g, mu and D_m are divided by eps (DESIGN §11, the
     * limit): as eps -> 0 the marginal tends to the run-and-tumble model
     * with Lambdabar, which does not depend on eps.
     */
    class Pathway : public Interface
    {
    public:
      /** Declares `subsection Internal state/Pathway` (enter `Internal state` first). */
      static void
      declare_parameters(dealii::ParameterHandler &prm);

      /** Reads `Internal state/Pathway` and `Tumbling/Rate` (at the top level). */
      Pathway(dealii::ParameterHandler &prm, const std::map<std::string, double> &constants);

      /** The constants themselves (tests); @p rate an expression in `a`. */
      struct Constants
      {
        double receptors = 6, free_energy = 1.7, reference = 1, K_I = 18, K_A = 2900;
        double methylation_rate = 0.0075, demethylation_rate = 0.015, noise = 2e-4;
        /** eps: the internal dynamics run 1/eps times faster at the same stationary law */
        double time_scale = 1;
      };
      Pathway(const Constants &constants, const std::string &rate);

      std::string
      name() const override
      {
        return "pathway";
      }

      double
      drift(double u) const override;

      double
      noise() const override
      {
        return c.noise / c.time_scale;
      }

      double
      rate(double u) const override
      {
        return rate_of_activity(activity(u));
      }

      double
      forcing(double M, double path_derivative) const override;

      double
      methylation(double u, double M) const override;

      bool
      has_activity() const override
      {
        return true;
      }

      double
      activity(double u) const override;

      std::pair<double, double>
      adapted_range() const override;

      double
      adapted_deviation() const override;

      double
      averaged_rate(double M, double path_derivative) const override
      {
        return averaged_rate_at(forcing(M, path_derivative) * c.time_scale);
      }

      /**
       * Lambdabar(mu) = int lambda(a(u)) rho_mu(u) du (Gauss-Legendre on
       * panels), mu = l'(M) D_tM/alpha (not divided by the time scale)
       */
      double
      averaged_rate_at(double mu) const;

      /** int f(u) rho_mu(u) du for -k_B < mu < k_R */
      double
      stationary_average(double mu, const std::function<double(double)> &f) const;

      /** the ligand term l(S) at S = e^M, without overflow */
      double
      ligand_term(double M) const;

      /** lambda(a), a in [0, 1] */
      double
      rate_of_activity(double a) const;

      /**
       * The quantile of the adapted law rho_0 at @p r in (0, 1) (a table of
       * its distribution function on 4096 cells over adapted_range(),
       * linear in between): samples the particles' initial state.
       */
      double
      adapted_quantile(double r) const;

      const Constants &
      constants() const
      {
        return c;
      }

    private:
      /** the constants' ranges; sets log_K_I and log_K_A */
      void
      check();

      Constants c;
      double    log_K_I = 0, log_K_A = 0;
      /** lambda at a = j/table_intervals, j = 0 ... table_intervals (cubic interpolation between) */
      std::vector<double> rate_table;
      static constexpr unsigned int table_intervals = 4096;
      /** the distribution function of rho_0 at adapted_range() split in table_intervals cells */
      mutable std::vector<double> adapted_cdf;
    };
  } // namespace Dynamics
} // namespace chemokin
