#pragma once

#include <deal.II/lac/full_matrix.h>

#include <chemokin/mesh/phase_space.h>
#include <chemokin/mesh/y_grid.h>
#include <chemokin/tumbling/tumbling_rate.h>
#include <chemokin/velocity/velocity_set.h>

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
   * A vector stores, per x-node i and velocity k, a block of n_y + 1
   * entries at (i n_v + k)(n_y + 1): the y-cells j at + j, and the lag
   * L(x_i, v_k) last (LagRelaxation evolves it). The operator reads the
   * lags from the vector it is applied to (the stage's own lags) and writes
   * only the y-cells.
   *
   * For a uniform kernel (K(v, v') = K, more than two velocities) the gain
   * is computed on a common grid in z = (m - M)/eps = y - L(v) instead
   * (DESIGN §8): the losses of all velocities are remapped once onto it
   * (shift -L(v')) and summed, and the sum is remapped back onto each
   * velocity's y-grid (shift +L(v)). Two remaps per lane instead of n_v:
   * O(n_v n_y) per x-node instead of O(n_v^2 n_y), still conservative to
   * round-off and second order in h.
   */
  template <int dim>
  class ShiftedTumbling
  {
  public:
    ShiftedTumbling(const PhaseSpace<dim> &           x_space,
                    const VelocitySet<dim> &          velocities,
                    const dealii::FullMatrix<double> &kernel,
                    const YGrid &                     grid,
                    const TumblingRate &              rate);

    /** dst += Q[src] on the y-cells (the lags of src set the frequencies). */
    void
    add_to(const PhaseVector &src, PhaseVector &dst) const;

    /**
     * The same for the owned x-node @p i: @p q, @p f point to its n_v (n_y +
     * 1) entries. For Transport::apply(), which calls it for every row while
     * the row is in cache (one pass over the phase space per stage). The
     * rates lambda(y_j - L) of each lane are kept from the last call and
     * computed anew only where L has moved by more than 1e-12 (1 + |L|) (a
     * static signal's lag is constant to round-off once its initial layer
     * has passed; on a given y-grid the rates depend on L alone, so a kept
     * value is right for any node): one more vector of memory, no
     * interpolation in most stages.
     */
    void
    add_node(unsigned int i, const double *q, double *f) const;

    /** 1 / largest frequency for the lags of @p state (explicit stability, CFL 1). */
    double
    max_time_step(const PhaseVector &state) const;

  private:
    /** the rates lambda(y_j - L) of a lane, checked */
    void
    compute_rates(double L, double *rates) const;

    /** lambda(z), checked: finite and non-negative */
    double
    frequency(double z) const;

    const PhaseSpace<dim> &x_space;
    unsigned int           n_v, n_y;
    std::vector<double>    weights;
    /** K(k,l) w_l */
    dealii::FullMatrix<double> kernel_times_weight;
    /** K(k,l) = K for all k, l and n_v > 2: the common-grid gain */
    bool                       uniform;
    double                     uniform_kernel;
    const YGrid &              grid;
    const TumblingRate &       rate;

    /** per-node scratch: losses, lags, the common grid */
    mutable std::vector<double> loss, L, common;
    /** per owned (x-node, velocity): the rates on its y-cells and the lag they are for */
    mutable std::vector<double> rate_cache, cached_lag;
  };
} // namespace chemokin
