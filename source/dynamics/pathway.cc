#include <deal.II/base/quadrature_lib.h>

#include <chemokin/base/input_error.h>
#include <chemokin/base/parameters.h>
#include <chemokin/dynamics/pathway.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace chemokin
{
  namespace Dynamics
  {
    namespace
    {
      /** ln(1 + e^x) without overflow */
      double
      softplus(const double x)
      {
        return std::max(x, 0.0) + std::log1p(std::exp(-std::abs(x)));
      }

      /** ln(1 + S/K) at S = e^M, given ln K */
      double
      log_one_plus(const double M, const double log_K)
      {
        return softplus(M - log_K);
      }

      /** S/(K + S) at S = e^M, given ln K */
      double
      occupancy(const double M, const double log_K)
      {
        return 1 / (1 + std::exp(log_K - M));
      }
    } // namespace

    void
    Pathway::declare_parameters(dealii::ParameterHandler &prm)
    {
      const Constants d;
      prm.enter_subsection("Pathway");
      prm.declare_entry("Receptors per cluster",
                        Parameters::format(d.receptors),
                        dealii::Patterns::Double(),
                        "`Dynamics = pathway`: N, the receptors of an MWC cluster "
                        "(about 6 for Tar in E. coli, Shimizu, Tu and Berg 2010).");
      prm.declare_entry("Methylation free energy",
                        Parameters::format(d.free_energy),
                        dealii::Patterns::Double(),
                        "`Dynamics = pathway`: alpha, the free energy per "
                        "methylation level in units of kT (about 1.7 to 2, "
                        "Shimizu, Tu and Berg 2010).");
      prm.declare_entry("Reference methylation",
                        Parameters::format(d.reference),
                        dealii::Patterns::Double(),
                        "`Dynamics = pathway`: m0 in F = N (alpha (m0 - m) + l(S)).");
      prm.declare_entry("K_I",
                        Parameters::format(d.K_I),
                        dealii::Patterns::Double(),
                        "`Dynamics = pathway`: dissociation constant of the "
                        "inactive receptor, in the units of the ligand S = e^M "
                        "(18 uM for MeAsp and Tar).");
      prm.declare_entry("K_A",
                        Parameters::format(d.K_A),
                        dealii::Patterns::Double(),
                        "`Dynamics = pathway`: dissociation constant of the active "
                        "receptor, K_A > K_I (2.9 mM = 2900 uM for MeAsp and Tar). "
                        "Sensing is logarithmic for K_I << S << K_A.");
      prm.declare_entry("Methylation rate",
                        Parameters::format(d.methylation_rate),
                        dealii::Patterns::Double(),
                        "`Dynamics = pathway`: k_R >= 0 (CheR), per unit time: "
                        "dm = (k_R (1 - a) - k_B a) dt + sqrt(2 D_m) dW. The "
                        "adapted activity is k_R/(k_R + k_B); up a gradient "
                        "with D_t l(S)/alpha > k_R the methylation cannot keep up.");
      prm.declare_entry("Demethylation rate",
                        Parameters::format(d.demethylation_rate),
                        dealii::Patterns::Double(),
                        "`Dynamics = pathway`: k_B >= 0 (CheB), per unit time; "
                        "k_R + k_B > 0. The adaptation time is 1/((k_R + k_B) N "
                        "alpha a0 (1 - a0)) (about 20 s with the defaults).");
      prm.declare_entry("Methylation noise",
                        Parameters::format(d.noise),
                        dealii::Patterns::Double(),
                        "`Dynamics = pathway`: D_m > 0, the diffusivity of m per "
                        "unit time (the spread of the adapted methylation level "
                        "is about sqrt(D_m times the adaptation time)).");
      prm.declare_entry("Time scale",
                        "1",
                        dealii::Patterns::Double(),
                        "`Dynamics = pathway`: eps > 0; the internal dynamics run "
                        "1/eps times faster at the same stationary law (k_R, k_B, "
                        "D_m and the weight of l(S) in F all times 1/eps). 1: the "
                        "pathway as given; eps -> 0: its run-and-tumble limit "
                        "(DESIGN §11).");
      prm.leave_subsection();
    }

    Pathway::Pathway(dealii::ParameterHandler &prm, const std::map<std::string, double> &constants)
    {
      prm.enter_subsection("Internal state");
      prm.enter_subsection("Pathway");
      const auto get = [&](const std::string &entry) {
        const double value = prm.get_double(entry);
        if (!std::isfinite(value))
          throw InputError("Internal state/Pathway/" + entry, "must be a finite number");
        return value;
      };
      c.receptors          = get("Receptors per cluster");
      c.free_energy        = get("Methylation free energy");
      c.reference          = get("Reference methylation");
      c.K_I                = get("K_I");
      c.K_A                = get("K_A");
      c.methylation_rate   = get("Methylation rate");
      c.demethylation_rate = get("Demethylation rate");
      c.noise              = get("Methylation noise");
      c.time_scale         = get("Time scale");
      prm.leave_subsection();
      prm.leave_subsection();
      prm.enter_subsection("Tumbling");
      const std::string rate = prm.get("Rate");
      prm.leave_subsection();
      check();
      Expression<1> lambda(rate, "a", false, constants, "Tumbling/Rate", dealii::Point<1>(0.5));
      rate_table.resize(table_intervals + 1);
      for (unsigned int j = 0; j <= table_intervals; ++j)
        {
          const double a = double(j) / table_intervals;
          rate_table[j]  = lambda.value(dealii::Point<1>(a));
          if (!std::isfinite(rate_table[j]) || rate_table[j] < 0)
            throw InputError("Tumbling/Rate",
                             "with `Internal state/Dynamics = pathway` the rate is "
                             "an expression in the activity `a` in [0, 1], and "
                             "lambda(" + Parameters::format(a) + ") = " +
                               Parameters::format(rate_table[j]) +
                               ": it must be finite and non-negative on [0, 1]");
        }
    }

    Pathway::Pathway(const Constants &constants, const std::string &rate)
      : c(constants)
    {
      check();
      Expression<1> lambda(rate, "a", false, {}, "Tumbling/Rate", dealii::Point<1>(0.5));
      rate_table.resize(table_intervals + 1);
      for (unsigned int j = 0; j <= table_intervals; ++j)
        rate_table[j] = lambda.value(dealii::Point<1>(double(j) / table_intervals));
    }

    void
    Pathway::check()
    {
      // the ligand terms' logarithms, once (the particles ask for them
      // every step)
      log_K_I = std::log(c.K_I);
      log_K_A = std::log(c.K_A);
      const std::string at = "Internal state/Pathway/";
      if (!(c.receptors > 0))
        throw InputError(at + "Receptors per cluster", "must be positive");
      if (!(c.free_energy > 0))
        throw InputError(at + "Methylation free energy", "must be positive");
      // the activity's steepness N alpha sets the scale of u; beyond this
      // range the adapted law's centre and width are not representable
      // together in double precision
      const double steepness = c.receptors * c.free_energy;
      if (!(steepness >= 1e-3 && steepness <= 1e4))
        throw InputError(at + "Receptors per cluster",
                         "N alpha = " + Parameters::format(steepness) +
                           " (with `Methylation free energy` alpha = " +
                           Parameters::format(c.free_energy) +
                           ") must be in [1e-3, 1e4]; E. coli's clusters have about 10");
      if (!(c.K_I > 0))
        throw InputError(at + "K_I", "must be positive");
      if (!(c.K_A > c.K_I))
        throw InputError(at + "K_A",
                         "must exceed K_I = " + Parameters::format(c.K_I) + " (got " +
                           Parameters::format(c.K_A) +
                           "): the ligand binds the inactive receptor more strongly, "
                           "so that attractant lowers the activity");
      if (!(c.methylation_rate >= 0))
        throw InputError(at + "Methylation rate", "must be non-negative");
      if (!(c.demethylation_rate >= 0))
        throw InputError(at + "Demethylation rate", "must be non-negative");
      if (!(c.methylation_rate + c.demethylation_rate > 0))
        throw InputError(at + "Demethylation rate",
                         "k_R + k_B must be positive (without them the cells do not adapt)");
      if (!(c.noise > 0))
        throw InputError(at + "Methylation noise", "must be positive");
      if (!(c.time_scale > 1e-8 && c.time_scale <= 1e8))
        throw InputError(at + "Time scale",
                         "must be in (1e-8, 1e8], got " + Parameters::format(c.time_scale) +
                           " (the rates 1/eps must be representable; below 1e-8 the "
                           "run-and-tumble limit is the same to round-off)");
    }

    double
    Pathway::activity(const double u) const
    {
      return 1 / (1 + std::exp(-c.receptors * c.free_energy * u));
    }

    double
    Pathway::drift(const double u) const
    {
      return (c.methylation_rate - (c.methylation_rate + c.demethylation_rate) * activity(u)) /
             c.time_scale;
    }

    double
    Pathway::ligand_term(const double M) const
    {
      return log_one_plus(M, log_K_I) - log_one_plus(M, log_K_A);
    }

    double
    Pathway::forcing(const double M, const double path_derivative) const
    {
      return (occupancy(M, log_K_I) - occupancy(M, log_K_A)) * path_derivative /
             (c.free_energy * c.time_scale);
    }

    double
    Pathway::methylation(const double u, const double M) const
    {
      return u + c.reference + ligand_term(M) / c.free_energy;
    }

    double
    Pathway::rate_of_activity(const double a) const
    {
      // cubic Lagrange interpolation on the four nearest nodes
      const double       x = std::clamp(a, 0.0, 1.0) * table_intervals;
      const unsigned int j =
        std::min<unsigned int>(std::max(1.0, std::floor(x)), table_intervals - 2);
      const double t = x - j;
      const double *f = &rate_table[j - 1];
      // (the table is non-negative; the interpolant may dip by round-off where lambda vanishes)
      return std::max(0.0,
                      f[0] * (-t * (t - 1) * (t - 2) / 6) + f[1] * ((t + 1) * (t - 1) * (t - 2) / 2) +
             f[2] * (-(t + 1) * t * (t - 2) / 2) + f[3] * ((t + 1) * t * (t - 1) / 6));
    }

    std::pair<double, double>
    Pathway::adapted_range() const
    {
      // where rho_0 is above e^-28 (about 1e-12) of its peak
      const double k     = c.methylation_rate + c.demethylation_rate;
      const double na    = c.receptors * c.free_energy;
      const double a0    = std::clamp(c.methylation_rate / k, 1e-6, 1 - 1e-6);
      const double peak  = std::log(a0 / (1 - a0)) / na;
      const auto   phi   = [&](const double u) {
        return (c.methylation_rate * u - k * softplus(na * u) / na) / c.noise;
      };
      const double top   = phi(peak);
      const double sigma = adapted_deviation();
      double       low = peak - sigma, high = peak + sigma;
      for (unsigned int i = 0; i < 1000000 && top - phi(low) < 28; ++i)
        low -= sigma;
      for (unsigned int i = 0; i < 1000000 && top - phi(high) < 28; ++i)
        high += sigma;
      return {low, high};
    }

    double
    Pathway::adapted_quantile(const double r) const
    {
      if (adapted_cdf.empty())
        {
          // rho_0 ~ exp(Phi/D_m), cell masses by the midpoint rule
          const auto [low, high] = adapted_range();
          const double k  = c.methylation_rate + c.demethylation_rate;
          const double na = c.receptors * c.free_energy;
          const double h  = (high - low) / table_intervals;
          std::vector<double> phi(table_intervals);
          double              top = -std::numeric_limits<double>::max();
          for (unsigned int j = 0; j < table_intervals; ++j)
            {
              const double u = low + (j + 0.5) * h;
              phi[j]         = (c.methylation_rate * u - k * softplus(na * u) / na) / c.noise;
              top            = std::max(top, phi[j]);
            }
          adapted_cdf.assign(table_intervals + 1, 0.0);
          for (unsigned int j = 0; j < table_intervals; ++j)
            adapted_cdf[j + 1] = adapted_cdf[j] + std::exp(phi[j] - top);
          for (double &value : adapted_cdf)
            value /= adapted_cdf.back();
        }
      const auto [low, high] = adapted_range();
      const auto it = std::upper_bound(adapted_cdf.begin(), adapted_cdf.end(), r);
      const unsigned int j =
        std::clamp<long>(it - adapted_cdf.begin() - 1, 0, long(table_intervals) - 1);
      const double width = adapted_cdf[j + 1] - adapted_cdf[j];
      const double t     = width > 0 ? std::clamp((r - adapted_cdf[j]) / width, 0.0, 1.0) : 0.5;
      return low + (j + t) * (high - low) / table_intervals;
    }

    double
    Pathway::adapted_deviation() const
    {
      const double k  = c.methylation_rate + c.demethylation_rate;
      const double a0 = std::clamp(c.methylation_rate / k, 1e-6, 1 - 1e-6);
      return std::sqrt(c.noise / (k * c.receptors * c.free_energy * a0 * (1 - a0)));
    }

    double
    Pathway::stationary_average(const double mu, const std::function<double(double)> &f) const
    {
      const double k  = c.methylation_rate + c.demethylation_rate;
      const double na = c.receptors * c.free_energy;
      const double a  = (c.methylation_rate - mu) / k;
      Assert(a > 0 && a < 1, dealii::ExcMessage("no stationary law at this mu"));
      const double peak  = std::log(a / (1 - a)) / na;
      const double sigma = std::sqrt(c.noise / (k * na * a * (1 - a)));
      const auto   phi   = [&](const double u) {
        return ((c.methylation_rate - mu) * u - k * softplus(na * u) / na) / c.noise;
      };
      const double              top = phi(peak);
      const dealii::QGauss<1>   gauss(10);
      double                    mass = 0, sum = 0;
      // panels growing geometrically away from the peak, to e^-45 of it
      for (const double direction : {-1.0, 1.0})
        {
          double start = peak, width = 0.5 * sigma;
          for (unsigned int panel = 0; panel < 400; ++panel, width *= 1.25)
            {
              const double end = start + direction * width;
              for (unsigned int q = 0; q < gauss.size(); ++q)
                {
                  const double u = start + (end - start) * gauss.point(q)[0];
                  const double w = width * gauss.weight(q) * std::exp(phi(u) - top);
                  mass += w;
                  sum += w * f(u);
                }
              start = end;
              if (top - phi(end) > 45)
                break;
            }
        }
      return sum / mass;
    }

    double
    Pathway::averaged_rate_at(const double mu) const
    {
      // no stationary law: u drifts off and a tends to 0 or 1
      if (mu >= c.methylation_rate)
        return rate_table.front();
      if (mu <= -c.demethylation_rate)
        return rate_table.back();
      return stationary_average(mu, [this](const double u) { return rate(u); });
    }
  } // namespace Dynamics
} // namespace chemokin
