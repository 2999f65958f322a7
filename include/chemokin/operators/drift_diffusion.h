#pragma once

#include <chemokin/mesh/phase_space.h>
#include <chemokin/mesh/u_grid.h>

#include <vector>

namespace chemokin
{
  /**
   * The Fokker-Planck operator in u of the frame relative to the signal
   * (DESIGN §11), on every (x-node, velocity) lane a of n cells:
   *
   *   A_a q = -d_u[(g(u) - mu_a) q] + D d_u^2 q,   zero flux at both ends,
   *
   * with a drift g shared by all lanes and a forcing mu_a of each lane.
   * Finite volumes with the Scharfetter-Gummel flux through the face
   * between cells j and j + 1, with b = g(face) - mu_a and x = b h / D,
   *
   *   F = (D/h) (B(-x) q_j - B(x) q_{j+1}),   B(x) = x/(e^x - 1):
   *
   * exact for a drift constant between the two centres, so the discrete
   * stationary law q_{j+1}/q_j = e^x is exactly stationary, upwind where
   * the drift dominates and central where the noise does (second order);
   * the column sums vanish (mass to round-off), and I - c A is a column
   * diagonally dominant M-matrix for c > 0, so the implicit step keeps
   * q >= 0 and the Thomas algorithm without pivoting is stable. One O(n)
   * solve per lane; the matrices differ from lane to lane through mu_a and
   * are formed on the fly (two exponentials per face), written out here
   * because a general sparse solver would spend its time on bookkeeping.
   *
   * A vector holds its lanes contiguously, lane a at a n.
   */
  class DriftDiffusion
  {
  public:
    /** @p face_drift g at the n - 1 interior faces; @p noise D > 0 */
    DriftDiffusion(const UGrid &grid, std::vector<double> face_drift, double noise);

    /** dst = A src on every lane, mu[a] the forcing of lane a */
    void
    apply(const std::vector<double> &mu, const PhaseVector &src, PhaseVector &dst) const;

    /** x = (I - gamma A)^{-1} b on every lane */
    void
    solve(const std::vector<double> &mu, double gamma, const PhaseVector &b, PhaseVector &x) const;

    void
    apply_lane(double mu, const double *src, double *dst) const;

    void
    solve_lane(double mu, double gamma, const double *b, double *x) const;

    /** The discrete stationary law at @p mu, sum_j h q_j = 1. */
    std::vector<double>
    stationary(double mu) const;

  private:
    /** per face: the coefficient of q_j (left) and of q_{j+1} (right) in F h */
    void
    face_coefficients(double mu) const;

    UGrid               grid;
    std::vector<double> face_drift;
    double              noise;
    mutable std::vector<double> left, right, scratch;
  };
} // namespace chemokin
