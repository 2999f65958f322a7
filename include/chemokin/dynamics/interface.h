#pragma once

#include <deal.II/base/parameter_handler.h>

#include <map>
#include <memory>
#include <string>
#include <utility>

namespace chemokin
{
  /**
   * The internal dynamics of a bacterium (`Internal state/Dynamics`,
   * DESIGN §11), written in a frame relative to the signal: an internal
   * variable u in which the tumbling frequency depends on u alone, and
   * which along a run obeys
   *
   *   du = (g(u) - mu) dt + sqrt(2 D) dW,   mu = mu(M, D_tM),
   *
   * so that the density q(t, x, v, u) solves
   *
   *   d_t q + v.grad_x q + d_u[(g(u) - mu) q] - D d_u^2 q
   *     = lambda(u) (sum_v' w' K(v, v') q(v') - q(v)).
   *
   * A tumble changes neither m nor the signal, so u is the same before and
   * after it. SignalFrame solves this equation for any implementation.
   */
  namespace Dynamics
  {
    class Interface
    {
    public:
      virtual ~Interface() = default;

      /** `linear` or `pathway` */
      virtual std::string
      name() const = 0;

      /** g(u), the drift of u along a run in a constant signal */
      virtual double
      drift(double u) const = 0;

      /** D of the noise of u */
      virtual double
      noise() const = 0;

      /** the tumbling frequency lambda at u */
      virtual double
      rate(double u) const = 0;

      /** mu: how fast the signal moves u along a run, from M and D_tM = d_tM + v.grad M */
      virtual double
      forcing(double M, double path_derivative) const = 0;

      /** the methylation level m of a bacterium at u where the log-signal is M */
      virtual double
      methylation(double u, double M) const = 0;

      /** whether activity() means anything (the pathway's CheA activity) */
      virtual bool
      has_activity() const
      {
        return false;
      }

      /** the receptor activity a(u) */
      virtual double
      activity(double) const
      {
        return 0;
      }

      /**
       * An interval that holds all but about 1e-12 of the stationary law at
       * mu = 0 (a bacterium adapted to a constant signal), and that law's
       * standard deviation.
       */
      virtual std::pair<double, double>
      adapted_range() const = 0;

      virtual double
      adapted_deviation() const = 0;

      /**
       * The tumbling frequency of the run-and-tumble limit, Lambdabar at
       * mu(M, D_tM): lambda averaged over the stationary law of u at that mu.
       */
      virtual double
      averaged_rate(double M, double path_derivative) const = 0;
    };

    /** Declares `Internal state/Dynamics` and `subsection Internal state/Pathway`. */
    void
    declare_parameters(dealii::ParameterHandler &prm);

    /** `Internal state/Dynamics` */
    std::string
    selected(dealii::ParameterHandler &prm);

    /**
     * The dynamics `Internal state/Dynamics` names, read and checked
     * (InputError naming the entry); @p constants those of `Signal/Constants`.
     */
    std::unique_ptr<Interface>
    create(dealii::ParameterHandler &prm, const std::map<std::string, double> &constants);
  } // namespace Dynamics
} // namespace chemokin
