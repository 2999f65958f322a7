#pragma once

#include <chemokin/mesh/phase_space.h>
#include <chemokin/operators/ornstein_uhlenbeck.h>
#include <chemokin/operators/shifted_tumbling.h>
#include <chemokin/velocity/velocity_set.h>

#include <vector>

namespace chemokin
{
  /**
   * The implicit stage of the moving frame when ShiftedTumbling splits the
   * frequency (set_implicit_above): the Ornstein-Uhlenbeck operator and the
   * tumbling at the implicit rates mu = lambda - lambda_E together,
   *
   *   Y = S + gamma [ (1/eps) A Y - mu Y + G_mu[Y] ],
   *
   * per x-node (tumbling couples the velocities of a node only). With an
   * exponential rate, mu is non-zero only in the tails of y, where the
   * rate would otherwise set the explicit step (e^6.5 = 665 at the end of
   * a grid of Y = 6.5, while the mass sits where lambda = O(1)).
   *
   * The loss is eliminated exactly with each lane's tridiagonal matrix
   * I - gamma/eps A + gamma diag(mu) (an M-matrix: Y >= 0); the gain G_mu,
   * which couples the velocities through the shifts, by fixed-point sweeps
   * Y <- (I - gamma/eps A + gamma mu)^{-1} (S + gamma G_mu[Y]) (contraction
   * gamma mu / (1 + gamma mu) < 1 on each cell; zero where lambda <= cap/2),
   * the first from the gain of S (exact without the Ornstein-Uhlenbeck
   * operator: tumbling keeps the density at each m), until the error they
   * leave, estimated from the change and the contraction seen between
   * sweeps, is below 1e-8 of the node's mass (weighted l1; at most 64
   * sweeps). A fixed count is not enough: where mass sits in the stiff tail
   * the contraction is near 1 (a 2-D case with lambda = e^z on a clipped
   * y-range: 2 sweeps left errors of 1e-3 against the explicit run,
   * converged sweeps 1e-5); where it does not, a sweep or two suffice.
   * Diagnostics that weigh the tails by more than their mass (the relative
   * entropy) converge more slowly than the moments (1e-4 against 1e-6 in
   * prm/moving_frame_exponential_rate_2d); a solve of the slow mode (the
   * density at each m in the tail) would do better than more sweeps.
   * Then the node's mass is restored exactly:
   * Y += d |Y - Y_0| / sum_v w_v sum_j |Y - Y_0|, with the defect
   * d = sum_v w_v sum_j (S - Y) and Y_0 the solution without the gain (for
   * Y >= Y_0 the gain's part is scaled by a factor that tends to 1 as the
   * sweeps converge, and Y stays >= 0). So the implicit part conserves
   * mass on every node, and the IMEX step does too, although the explicit
   * and implicit weights of ARS differ (an implicit loss with an explicit
   * gain would not).
   *
   * Reads the y-cells of S and the lags of Y (LagRelaxation solves them
   * first; the rates and shifts are those of the stage); writes the y-cells
   * of Y.
   */
  template <int dim>
  class ImplicitTumbling
  {
  public:
    ImplicitTumbling(const PhaseSpace<dim> &     x_space,
                     const VelocitySet<dim> &    velocities,
                     const ShiftedTumbling<dim> &tumbling,
                     const OrnsteinUhlenbeck &   ornstein_uhlenbeck,
                     unsigned int                n_y);

    /** the y-cells of Y for the owned x-nodes; the lags of Y are read */
    void
    solve_stage(double gamma, const PhaseVector &S, PhaseVector &Y) const;

  private:
    /** Y_k = (I - gamma/eps A + gamma mu_k)^{-1} b_k on every lane of a node */
    void
    solve_lanes(double gamma, const double *b, double *y) const;

    const PhaseSpace<dim> &     x_space;
    const ShiftedTumbling<dim> &tumbling;
    const OrnsteinUhlenbeck &   ornstein_uhlenbeck;
    std::vector<double>         weights;
    unsigned int                n_v, n_y, block;
    /** the sweeps stop when the node's change is below tolerance times its mass, or after max_sweeps */
    unsigned int                max_sweeps;
    double                      tolerance;

    /** per node: S, Y_0, the gain, the right-hand side, the last sweep */
    mutable std::vector<double> source, first, gain, rhs, previous;
    /** per node: the stiff lanes' factorizations (OrnsteinUhlenbeck::factor_with_loss) */
    mutable std::vector<double> modified_upper, inverse_pivot;
    /** per node: whether a lane has implicit rates */
    mutable std::vector<char>   stiff_lane;
  };
} // namespace chemokin
