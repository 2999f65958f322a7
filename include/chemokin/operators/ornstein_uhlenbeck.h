#pragma once

#include <chemokin/mesh/phase_space.h>
#include <chemokin/mesh/y_grid.h>

#include <map>
#include <vector>

namespace chemokin
{
  /**
   * The stiff part of the moving-frame equation (1.9):
   *
   *   (1/eps) d_y[y q + d_y q] = (1/eps) d_y[M d_y(q/M)],
   *
   * the same operator on every (x, v) lane, with zero flux at y = +-Y. On
   * the cells of YGrid the flux through y_{j+1/2} is
   *
   *   F = (mu_{j+1/2} / h) (q_{j+1}/M_{j+1} - q_j/M_j),   mu = sqrt(M_j M_{j+1}),
   *
   * so the discrete Maxwellian M_j is exactly stationary, column sums vanish
   * (mass to round-off), and I - c A is a column diagonally dominant
   * M-matrix for c > 0: the implicit step keeps q >= 0, and Gaussian
   * elimination without pivoting (the Thomas algorithm, factored once per c
   * and applied to all lanes) is stable. The matrix is tridiagonal and
   * tiny; a general sparse solver would spend its time on bookkeeping, so
   * the elimination is written out here.
   *
   * A vector holds lanes of YGrid::size() values, one every @p stride
   * entries (stride >= YGrid::size(); the entries between lanes, such as
   * the moving frame's lag, are neither read nor written).
   */
  class OrnsteinUhlenbeck
  {
  public:
    OrnsteinUhlenbeck(const YGrid &grid, double epsilon, unsigned int stride = 0);

    /** dst = (1/eps) A src, for the owned lanes. */
    void
    apply(const PhaseVector &src, PhaseVector &dst) const;

    /**
     * x = (I - gamma/eps A)^{-1} b, for the owned lanes; the mass of a
     * lane of x is that of b to round-off (rescaled after the elimination).
     */
    void
    solve(double gamma, const PhaseVector &b, PhaseVector &x) const;

    /** The same on one lane (tests, exact propagators). */
    void
    solve_lane(double gamma, const double *b, double *x) const;

    /**
     * The same on @p count consecutive lanes (one every `stride` entries)
     * from @p b and @p x on: the lanes of one x-node (ImplicitTumbling).
     * Lanes are eliminated in groups whose recurrences overlap.
     */
    void
    solve_lanes(double gamma, const double *b, double *x, std::size_t count) const;

    /**
     * The elimination of I - gamma/eps A + gamma diag(@p rates) on one lane
     * (the implicit stage of the Ornstein-Uhlenbeck operator together with
     * a loss at the given rates, ImplicitTumbling): n values each of the
     * modified super-diagonal and the inverse pivots.
     */
    void
    factor_with_loss(double gamma, const double *rates, double *modified_upper, double *inverse_pivot) const;

    /** x = that matrix's inverse times b, from factor_with_loss(); x may be b. */
    void
    solve_factored(double        gamma,
                   const double *modified_upper,
                   const double *inverse_pivot,
                   const double *b,
                   double *      x) const;

  private:
    struct Factorization
    {
      /** modified super-diagonal c'_j, the inverse pivots, c times the sub-diagonal */
      std::vector<double> upper, inverse_pivot, lower_c;
    };
    const Factorization &
    factorization(double gamma) const;

    unsigned int n;
    unsigned int stride;
    double       epsilon;
    /** A: sub-, main and super-diagonal */
    std::vector<double> lower, diagonal, upper;
    /** the flux through y_{j+1/2}: F_j = flux_right_j q_{j+1} - flux_left_j q_j */
    std::vector<double> flux_left, flux_right;
    mutable std::map<double, Factorization> factorizations;
    /** the lanes of a group, transposed (solve_lanes) */
    mutable std::vector<double> work;
  };
} // namespace chemokin
