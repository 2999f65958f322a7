#pragma once

#include <chemokin/mesh/phase_space.h>

#include <functional>
#include <memory>
#include <string>

namespace chemokin
{
  /**
   * Additive (IMEX) Runge-Kutta time stepping with fixed steps: an explicit
   * part (transport, tumbling) and an implicit part, affine in the solution
   * (Fokker-Planck, Ornstein-Uhlenbeck, lag relaxation), whose systems
   * (I - gamma J) x = b are solved exactly by a user function, so the
   * implicit stages are exact and mass is conserved to round-off.
   *
   * Two implementations: ArkodeImex (SUNDIALS ARKode through deal.II's
   * wrapper: ARKode's own pairs of orders 2 to 5, or the globally stiffly
   * accurate ones; about 26 vectors) and LowStorageImex (the globally
   * stiffly accurate pairs written out with running stage sums: 3 vectors
   * for order 2, 5 for order 3, the solution included, with the explicit
   * part in pieces; one more without). The frames of the
   * internal-state model choose with `Internal state/IMEX implementation`.
   */
  class ImexIntegrator
  {
  public:
    struct Parts
    {
      /** f = f_E(t, y) */
      std::function<void(double t, const PhaseVector &y, PhaseVector &f)> explicit_part;
      /**
       * Optional: f_E(t, y) handed over in pieces, with no vector of it:
       * consume(first, count, values) once for every range [first, first +
       * count) of the owned entries, in order and covering all of them,
       * with the count values of f_E there. LowStorageImex then adds them
       * to its sums while they are in cache, and keeps no vector of f_E.
       */
      using Piece = std::function<void(std::size_t first, std::size_t count, const double *values)>;
      std::function<void(double t, const PhaseVector &y, const Piece &consume)> explicit_part_in_pieces;
      /** f = f_I(t, y) = J(t) y + c(t) */
      std::function<void(double t, const PhaseVector &y, PhaseVector &f)> implicit_part;
      /** x = (I - gamma J(t))^{-1} b */
      std::function<void(double t, double gamma, const PhaseVector &b, PhaseVector &x)>
        solve;
      /**
       * Y solves Y = S + gamma f_I(t, Y), the affine part included: an
       * implicit stage of LowStorageImex in one pass (ArkodeImex uses
       * implicit_part and solve instead).
       */
      std::function<void(double t, double gamma, const PhaseVector &S, PhaseVector &Y)>
        solve_stage;
      /** size and layout a vector for the current mesh */
      std::function<void(PhaseVector &v)> reinit;
    };

    /** The implementations `IMEX implementation` names. */
    static const char *
    implementation_names()
    {
      return "low storage|arkode";
    }

    /**
     * The integrator of a frame of the internal-state model (@p frame names
     * it in the message): the globally stiffly accurate pairs ARS(2,2,2) and
     * ARS(4,4,3), with an exact solve, written out (`low storage`) or through
     * ARKode (`arkode`); InputError naming `Internal state/IMEX order` unless
     * @p order is 2 or 3.
     */
    static std::unique_ptr<ImexIntegrator>
    stiffly_accurate(const Parts &      parts,
                     const MPI_Comm &   comm,
                     unsigned int       order,
                     const std::string &frame,
                     const std::string &implementation);

    virtual ~ImexIntegrator() = default;

    /**
     * Forget the integrator's state: the next advance() starts anew from the
     * vector it is given (after the mesh, and so the vector size, changed).
     */
    virtual void
    restart() = 0;

    /**
     * The solution was changed between two steps on the same mesh (the
     * positivity limiter): ARKode, which steps on from its own copy of the
     * state, starts anew; LowStorageImex always starts from the vector it is
     * given.
     */
    virtual void
    solution_modified()
    {
      restart();
    }

    /** One step of size dt from the current time to t + dt; y is updated. */
    virtual void
    advance(double t, double dt, PhaseVector &y) = 0;

    /**
     * Phase-space vectors the integrator holds besides the solution (for
     * the memory estimate before allocation).
     */
    virtual unsigned int
    work_vectors() const = 0;

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

  protected:
    /** refuses a step ARKode could not resolve (naming t and dt) */
    static void
    check_step(double t, double dt);
  };
} // namespace chemokin
