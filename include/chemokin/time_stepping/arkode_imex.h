#pragma once

#include <deal.II/sundials/arkode.h>

#include <chemokin/time_stepping/imex_integrator.h>

#include <memory>

namespace chemokin
{
  /**
   * ImexIntegrator with SUNDIALS ARKode (ARKStep) through deal.II's wrapper.
   * The exact solve sits in ARKode's preconditioner, so a single Newton
   * iteration per stage is exact. ARKode keeps every stage's explicit and
   * implicit right-hand sides and its own work vectors: about 26 vectors for
   * ARS(4,4,3). The fixed frame's integrator (ARKode's pairs, orders 2 to 5,
   * Newton iterations when its solve is approximate), and `IMEX
   * implementation = arkode` in the other frames.
   */
  class ArkodeImex : public ImexIntegrator
  {
  public:
    /** Which additive Runge-Kutta pairs of the given order. */
    enum class Tables
    {
      /**
       * ARKode's own pairs (ARK2, ARK3(2)4L[2]SA, ARK4(3)6L[2]SA,
       * ARK5(4)8L[2]SA): L-stable, stiffly accurate implicit parts.
       */
      arkode,
      /**
       * ARS(2,2,2) and ARS(4,4,3) (ArsTables): the new solution is the last
       * stage, which the implicit part has just relaxed, for the explicit
       * part too. With a relaxation of rate 1/eps >> 1/dt this keeps the
       * solution on the equilibrium manifold at every step, so the limit
       * scheme keeps the order (ARKode's pairs end with an explicit update
       * that leaves an O(dt) non-equilibrium part, and the limit drops to
       * first order). Orders 2 and 3.
       */
      globally_stiffly_accurate
    };

    /**
     * @p exact_solve: Parts::solve inverts I - gamma J(t) exactly (one
     * Newton iteration per stage); otherwise it is an approximate inverse and
     * Newton iterates to a relative tolerance of 1e-10.
     */
    ArkodeImex(const Parts &   parts,
               const MPI_Comm &comm,
               unsigned int    order       = 3,
               bool            exact_solve = true,
               Tables          tables      = Tables::arkode);

    void
    restart() override;

    void
    advance(double t, double dt, PhaseVector &y) override;

    /** ARKStep's stage right-hand sides and work vectors (measured, §7) */
    unsigned int
    work_vectors() const override
    {
      return 25;
    }

  private:
    Parts                                                  parts;
    MPI_Comm                                               comm;
    unsigned int                                           order;
    bool                                                   exact_solve;
    Tables                                                 tables;
    std::unique_ptr<dealii::SUNDIALS::ARKode<PhaseVector>> ode;
    bool                                                   started = false;
  };
} // namespace chemokin
