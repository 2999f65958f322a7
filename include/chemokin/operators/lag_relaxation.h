#pragma once

#include <chemokin/mesh/phase_space.h>
#include <chemokin/signal/interface.h>
#include <chemokin/velocity/velocity_set.h>

#include <vector>

namespace chemokin
{
  /**
   * The lag L = D_tN of the moving frame as a field on the x-mesh
   * (DESIGN §8): (1.8) written for L = (M - N)/eps is
   *
   *   d_t L + v.grad_x L = (D_tM - L)/eps,   L(0) = 0  (N(0) = M(0)),
   *
   * a stiff relaxation along the characteristics. The transport is the
   * phase space's (each velocity's lag lane moves with that velocity, with
   * its walls: a reflection keeps L, since N is continuous along the
   * reflected path; an inflow wall lets in L = 0, bacteria adapted to the
   * signal there). This class is the relaxation, the implicit part, and the
   * solve of its linearization. Computing L this way has no cancellation
   * for any eps (D_tN from N = M - eps L would lose log10(1/eps) digits),
   * costs one muparser call per (x-node, velocity) and stage for a moving
   * signal and none after the first for a static one, and needs no formula
   * for M along the characteristics (signals that are fields).
   *
   * Layout: every (x-node i, velocity k) holds a block of @p block entries at
   * (i n_v + k) block; the lag is the last entry of the block.
   */
  template <int dim>
  class LagRelaxation
  {
  public:
    LagRelaxation(const PhaseSpace<dim> &        x_space,
                  const VelocitySet<dim> &       velocities,
                  const Signal::Interface<dim> &signal,
                  double                         epsilon,
                  unsigned int                   block);

    /** dst_L = (D_tM(t) - src_L)/eps on the lag entries (no other entry). */
    void
    apply(double t, const PhaseVector &src, PhaseVector &dst) const;

    /** x_L = b_L / (1 + gamma/eps): the linearized implicit system. */
    void
    solve(double gamma, const PhaseVector &b, PhaseVector &x) const;

    /**
     * The implicit stage with the forcing: x_L solves x_L = s_L + gamma
     * (D_tM(t) - x_L)/eps, i.e. x_L = (s_L + gamma D_tM/eps)/(1 + gamma/eps).
     */
    void
    solve_stage(double t, double gamma, const PhaseVector &s, PhaseVector &x) const;

    /** D_tM(t, x_i, v_k) at [i n_v + k]. */
    const std::vector<double> &
    path_derivatives(double t) const;

  private:
    const PhaseSpace<dim> &        x_space;
    const VelocitySet<dim> &       velocities;
    const Signal::Interface<dim> &signal;
    double                         epsilon;
    unsigned int                   block;

    mutable double              time;
    mutable std::vector<double> forcing;
    mutable Signal::Samples<dim> samples;
  };
} // namespace chemokin
