#pragma once

#include <deal.II/lac/full_matrix.h>

#include <chemokin/mesh/phase_space.h>
#include <chemokin/mesh/y_grid.h>
#include <chemokin/tumbling/tumbling_rate.h>
#include <chemokin/velocity/velocity_set.h>

#include <limits>
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

    /**
     * Split the frequency lambda = lambda_E + mu: lambda_E = c phi(lambda/c)
     * with c = @p rate stays in the explicit operator (add_node, add_to,
     * max_time_step), mu goes to the implicit stages (ImplicitTumbling), so
     * that rates that are large only in the tails of y do not set the step.
     * phi(r) = r for r <= 1/2 (nothing changes where lambda <= c/2), then
     * 1/2 + tanh(2r - 1)/2 < 1: lambda_E < c, and the split is twice
     * continuously differentiable in lambda, so a rate that crosses c/2 as
     * the lag moves keeps the pair's order. +inf (the default): all of it
     * explicit.
     */
    void
    set_implicit_above(double rate)
    {
      implicit_above = rate;
      cached_lag.clear();
    }

    double
    get_implicit_above() const
    {
      return implicit_above;
    }

    /**
     * g += the gain of the implicit part of the frequency on x-node @p i:
     * the mass mu q that leaves each (v', y') arrives where
     * add_node sends it (the lags of @p q set the rates and shifts; q and g
     * in the node's block layout). Returns false, and leaves g alone, if no
     * rate of the node has an implicit part.
     */
    bool
    add_implicit_gain(unsigned int i, const double *q, double *g) const;

    /**
     * The explicit rates lambda_E(y_j - L) (all of lambda without a split)
     * of velocity @p k at x-node @p i for the lag @p L (kept from the last
     * call unless L moved by more than 1e-12 (1 + |L|)): n_y values.
     */
    const double *
    lane_rates(unsigned int i, unsigned int k, double L) const;

    /**
     * The same for the implicit rates mu (only with a split); nullptr if
     * they are all zero (the lane's lambda stays below the split).
     */
    const double *
    lane_implicit_rates(unsigned int i, unsigned int k, double L) const;

    /** 1 / largest explicit frequency for the lags of @p state (explicit stability, CFL 1). */
    double
    max_time_step(const PhaseVector &state) const;

  private:
    /**
     * The node's scratch sized and its lags (the last entry of each lane of
     * @p q) read into L; returns the lane stride n_y + 1.
     */
    unsigned int
    read_lags(const double *q) const;

    /** the lane's rates up to date for @p L; returns its offset in the caches */
    std::size_t
    refresh_lane(unsigned int i, unsigned int k, double L) const;

    /**
     * f += the gain of the losses in `loss` with the lags in `L`; with
     * @p in_ranges only the cells [first_cell, end_cell) of each lane, which
     * hold all of its loss
     */
    void
    distribute_loss(double *f, bool in_ranges) const;

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
    /** the frequencies above it are implicit */
    double implicit_above = std::numeric_limits<double>::infinity();

    /** per-node scratch: losses, lags, the common grid, the lanes' cells that lose */
    mutable std::vector<double> loss, L, common;
    mutable std::vector<int>    first_cell, end_cell;
    /** per owned (x-node, velocity): the rates on its y-cells and the lag they are for */
    mutable std::vector<double> rate_cache, cached_lag;
    /**
     * with a split: the implicit rates mu per lane (rate_cache then holds
     * lambda_E), allocated when the first lane has any; a lane's entries
     * are valid where stiff_cache says so
     */
    mutable std::vector<double> excess_cache, lane_excess;
    /** with a split: per lane, whether any of its mu is positive */
    mutable std::vector<char> stiff_cache;
  };
} // namespace chemokin
