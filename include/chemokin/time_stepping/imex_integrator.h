#pragma once

#include <deal.II/sundials/arkode.h>

#include <chemokin/mesh/phase_space.h>

#include <functional>
#include <memory>
#include <string>

namespace chemokin
{
  /**
   * Additive (IMEX) Runge-Kutta time stepping with SUNDIALS ARKode through
   * deal.II's wrapper, with fixed steps: the explicit part (transport,
   * tumbling) and the implicit part, linear in the solution (Fokker-Planck),
   * whose systems (I - gamma J) x = b are solved exactly by a user function,
   * so a single Newton iteration per stage is exact and mass is conserved to
   * round-off. The default method is ARKode's third-order ARK3(2)4L[2]SA pair
   * (L-stable implicit part), so the step size is set by the explicit part,
   * not by the stiffness 1/eps of the implicit one.
   */
  class ImexIntegrator
  {
  public:
    struct Parts
    {
      /** f = f_E(t, y) */
      std::function<void(double t, const PhaseVector &y, PhaseVector &f)> explicit_part;
      /** f = f_I(t, y) = J(t) y */
      std::function<void(double t, const PhaseVector &y, PhaseVector &f)> implicit_part;
      /** x = (I - gamma J(t))^{-1} b */
      std::function<void(double t, double gamma, const PhaseVector &b, PhaseVector &x)>
        solve;
      /** size and layout a vector for the current mesh */
      std::function<void(PhaseVector &v)> reinit;
    };

    /** Which additive Runge-Kutta pairs of the given order. */
    enum class Tables
    {
      /**
       * ARKode's own pairs (ARK2, ARK3(2)4L[2]SA, ARK4(3)6L[2]SA,
       * ARK5(4)8L[2]SA): L-stable, stiffly accurate implicit parts.
       */
      arkode,
      /**
       * The globally stiffly accurate pairs of Ascher, Ruuth and Spiteri
       * (1997), ARS(2,2,2) and ARS(4,4,3): the new solution is the last
       * stage, which the implicit part has just relaxed, for the explicit
       * part too. With a relaxation of rate 1/eps >> 1/dt this keeps the
       * solution on the equilibrium manifold at every step, so the limit
       * scheme keeps the order (ARKode's pairs end with an explicit
       * update that leaves an O(dt) non-equilibrium part, and the limit
       * drops to first order). Orders 2 and 3.
       */
      globally_stiffly_accurate
    };

    /**
     * @p exact_solve: Parts::solve inverts I - gamma J(t) exactly (one
     * Newton iteration per stage); otherwise it is an approximate inverse and
     * Newton iterates to a relative tolerance of 1e-10.
     */
    ImexIntegrator(const Parts &   parts,
                   const MPI_Comm &comm,
                   unsigned int    order       = 3,
                   bool            exact_solve = true,
                   Tables          tables      = Tables::arkode);

    /**
     * The integrator of a frame of the internal-state model (@p frame names
     * it in the message): the globally stiffly accurate pairs, with an exact
     * solve; InputError naming `Internal state/IMEX order` unless @p order is
     * 2 or 3.
     */
    static std::unique_ptr<ImexIntegrator>
    stiffly_accurate(const Parts &parts, const MPI_Comm &comm, unsigned int order, const std::string &frame);

    /**
     * Forget the integrator's state: the next advance() starts anew from the
     * vector it is given (after the mesh, and so the vector size, changed).
     */
    void
    restart();

    /** One step of size dt from the current time to t + dt; y is updated. */
    void
    advance(double t, double dt, PhaseVector &y);

    /**
     * advance() over [t, t + dt] for a relaxation of rate 1/@p epsilon whose
     * data start off equilibrium at t = 0 (the lag L(0) = 0 of (1.8), which
     * tends to D_tM within a few eps). Explicit stages that sample t = 0 and
     * then beyond the layer weigh L = 0 with a fixed fraction of the step:
     * an O(dt) error for any eps << dt. So while t < 8 eps and dt > eps/4,
     * the layer is resolved first, with sub-steps growing geometrically from
     * eps/4 (about log2(4 dt/eps) of them, once).
     */
    void
    advance_through_initial_layer(double t, double dt, double epsilon, PhaseVector &y);

  private:
    Parts                                            parts;
    MPI_Comm                                         comm;
    unsigned int                                     order;
    bool                                             exact_solve;
    Tables                                           tables;
    std::unique_ptr<dealii::SUNDIALS::ARKode<PhaseVector>> ode;
    bool                                             started = false;
  };
} // namespace chemokin
