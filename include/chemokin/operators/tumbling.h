#pragma once

#include <deal.II/lac/full_matrix.h>

#include <chemokin/mesh/phase_space.h>
#include <chemokin/operators/phase_space_operator.h>
#include <chemokin/velocity/velocity_set.h>

#include <functional>
#include <vector>

namespace chemokin
{
  /**
   * The tumbling operator, pointwise in the mesh node and dense across
   * velocities (DESIGN §3):
   *
   *   Q[p]_k = sum_l w_l K(k,l) r_l p_l - r_k p_k,
   *
   * where r_{i,k} is the tumbling frequency at node i for a bacterium with
   * velocity v_k: Lambdabar(D_tM(t, x_i, v_k)) in the run-and-tumble model
   * (1.3), lambda((m_i - M(t, x_i))/eps) in the internal-state model (1.5).
   * With the discrete normalization sum_k w_k K(k,l) = 1 the gain and the
   * loss cancel under the velocity weights: mass is conserved exactly.
   *
   * The frequencies come from a callback that fills all of them for a time;
   * they are cached, and recomputed only for time-dependent signals.
   */
  template <int mesh_dim>
  class Tumbling : public PhaseSpaceOperator
  {
  public:
    /** Fills rate[i * n_v + k] for all owned nodes i at time t. */
    using RateFunction =
      std::function<void(double t, std::vector<double> &rate)>;

    Tumbling(const PhaseSpace<mesh_dim> &       phase_space,
             const std::vector<double> &        weights,
             const dealii::FullMatrix<double> & kernel,
             bool                               uniform_kernel,
             const RateFunction &               rate_function,
             bool                               time_dependent);

    void
    add_to(double time, const PhaseVector &src, PhaseVector &dst) const override;

    /** 1 / max rate (explicit stability of the loss term, for CFL 1). */
    double
    max_time_step() const override;

    /** The cached frequencies at the last evaluated time. */
    const std::vector<double> &
    rates(double time) const;

    /**
     * q += Q[p] at node i (@p p, @p q: its n_v values), with the
     * frequencies of the last rates() call; @p scratch holds n_v values.
     * The fused explicit stage (Transport::apply) calls it row by row, so
     * that the stage reads and writes every value once.
     */
    void
    add_row(unsigned int i, const double *p, double *q, double *scratch) const
    {
      if (uniform && per_node)
        {
          // the internal-state model: lambda(z) is the same for all v_k
          const double r    = node_rate[i];
          const double gain = weighted_sum(p) * r * uniform_value;
          for (unsigned int k = 0; k < n_v; ++k)
            q[k] += gain - r * p[k];
          return;
        }
      const double *const r_i = rate.data() + std::size_t(i) * n_v;
      for (unsigned int l = 0; l < n_v; ++l)
        scratch[l] = r_i[l] * p[l];
      if (uniform)
        {
          const double gain = weighted_sum(scratch) * uniform_value;
          for (unsigned int k = 0; k < n_v; ++k)
            q[k] += gain - scratch[k];
        }
      else
        for (unsigned int k = 0; k < n_v; ++k)
          {
            const double *const row  = &kernel_times_weight(k, 0);
            double              gain = 0;
            for (unsigned int l = 0; l < n_v; ++l)
              gain += row[l] * scratch[l];
            q[k] += gain - scratch[k];
          }
    }

  private:
    /**
     * sum_l w_l f_l with four independent partial sums: one running sum is a
     * chain of dependent additions that the compiler may not reorder, and
     * it dominated the stage (doc/performance.md).
     */
    double
    weighted_sum(const double *f) const
    {
      double       s[4] = {0, 0, 0, 0};
      unsigned int l    = 0;
      for (; l + 4 <= n_v; l += 4)
        for (unsigned int b = 0; b < 4; ++b)
          s[b] += weights[l + b] * f[l + b];
      for (; l < n_v; ++l)
        s[0] += weights[l] * f[l];
      return (s[0] + s[1]) + (s[2] + s[3]);
    }

    const PhaseSpace<mesh_dim> &phase_space;
    unsigned int                n_v;
    std::vector<double>         weights;
    /** K(k,l) w_l */
    dealii::FullMatrix<double> kernel_times_weight;
    bool                        uniform;
    double                      uniform_value;
    RateFunction                rate_function;
    bool                        time_dependent;

    mutable std::vector<double> rate;
    mutable double              rate_time;
    /** whether every node's frequencies are equal across v; then node_rate */
    mutable bool                per_node = false;
    mutable std::vector<double> node_rate;
  };
} // namespace chemokin
