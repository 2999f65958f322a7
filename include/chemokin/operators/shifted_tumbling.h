#pragma once

#include <deal.II/lac/full_matrix.h>

#include <chemokin/mesh/phase_space.h>
#include <chemokin/mesh/y_grid.h>
#include <chemokin/tumbling/tumbling_rate.h>
#include <chemokin/velocity/velocity_set.h>

#include <functional>
#include <vector>

namespace chemokin
{
  /**
   * The tumbling operator of the moving frame (1.9), DESIGN §8. A bacterium
   * keeps its methylation level m when it tumbles, and its y-coordinate is
   * measured from the centre of its velocity, y = (m - N(v))/eps, so with
   * the lag L = D_tN (N = M - eps L):
   *
   *   Q[q](v, y) = lambda(z) sum_v' w' K(v,v') q(v', y + s) - lambda(z) q(v, y),
   *   z = y - L(v),   s = L(v') - L(v)
   *
   * (the frequency lambda depends on m only, so it is the same on both
   * sides). With F = lambda(z) q, the mass that leaves (v', y') arrives at
   * (v, y' - s); YGrid::add_shifted moves it by a conservative overlap
   * remap, so the operator conserves mass to round-off. Every coefficient
   * is O(1) for every eps (|s| <= |grad M| |v - v'|, Lemma 3.1).
   *
   * A vector stores, per x-node i, the lanes (k, j) at i * n_v * n_y + k * n_y + j.
   */
  template <int dim>
  class ShiftedTumbling
  {
  public:
    /** Fills lag[i * n_v + k] = L(t, x_i, v_k) for all owned x-nodes. */
    using LagFunction = std::function<void(double t, std::vector<double> &lag)>;

    /**
     * @p settle_time: for a static signal L no longer changes after it (the
     * lags, and the frequencies, are then computed once); infinity for a
     * moving signal.
     */
    ShiftedTumbling(const PhaseSpace<dim> &           x_space,
                    const VelocitySet<dim> &          velocities,
                    const dealii::FullMatrix<double> &kernel,
                    const YGrid &                     grid,
                    const TumblingRate &              rate,
                    const LagFunction &               lag_function,
                    double                            settle_time);

    /** dst += Q[src] at time t. */
    void
    add_to(double t, const PhaseVector &src, PhaseVector &dst) const;

    /** 1 / largest frequency at time t (explicit stability, for CFL 1). */
    double
    max_time_step(double t) const;

    /** L(t, x_i, v_k) at [i * n_v + k]. */
    const std::vector<double> &
    lags(double t) const;

  private:
    /** Recompute lags and frequencies for time t if they changed. */
    void
    update(double t) const;

    const PhaseSpace<dim> &x_space;
    unsigned int           n_v, n_y;
    std::vector<double>    weights;
    /** K(k,l) w_l */
    dealii::FullMatrix<double> kernel_times_weight;
    const YGrid &              grid;
    const TumblingRate &       rate;
    LagFunction                lag_function;
    double                     settle_time;

    mutable double              time;
    mutable std::vector<double> lag;
    /** lambda(y_j - L(x_i, v_k)), laid out like the solution */
    mutable std::vector<double> frequency;
  };
} // namespace chemokin
