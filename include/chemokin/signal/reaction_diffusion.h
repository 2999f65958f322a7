#pragma once

#include <chemokin/base/formula.h>
#include <chemokin/signal/field_coupling.h>
#include <chemokin/signal/field_equations.h>
#include <chemokin/signal/interface.h>

#include <memory>
#include <vector>

namespace chemokin
{
  namespace Signal
  {
    /**
     * Signals the bacteria change (DESIGN §10): fields S_j (an attractant
     * they secrete, a nutrient they consume) solve reaction-diffusion
     * equations driven by the bacterial density rho = int p dv (dm),
     *
     *   d_t S_j = D_j Laplace S_j + R_j(S, rho, x, t),
     *
     * (FieldSolver), and the log-signal is a function of them,
     * M = f(S, x, t) (`Log-concentration` in the field names). The fields
     * and the protocol that couples them to a model are the FieldCoupling
     * of coupling(); this class reads the entries and evaluates M from the
     * frozen fields (at the nodes of the model's x-mesh) or the fields'
     * finite-element functions (elsewhere).
     *
     * Before FieldCoupling::attach() (while a model sets itself up) M is f
     * of the initial values, d_tM its explicit t-derivative only.
     */
    template <int dim>
    class ReactionDiffusion : public Interface<dim>
    {
    public:
      /** Declares subsection `Reaction-diffusion` of `Signal`. */
      static void
      declare_parameters(dealii::ParameterHandler &prm);

      void
      parse_parameters(dealii::ParameterHandler &prm) override;

      void
      initialize(const std::map<std::string, double> &constants,
                 const dealii::Point<dim> &           probe,
                 double                               length_scale) override;

      double
      value(const dealii::Point<dim> &x, double t) const override;

      dealii::Tensor<1, dim>
      gradient(const dealii::Point<dim> &x, double t) const override;

      double
      time_derivative(const dealii::Point<dim> &x, double t) const override;

      bool
      is_static() const override
      {
        return false;
      }

      void
      sample(const PhaseSpace<dim> &space, double t, Samples<dim> &out) const override;

      FieldCoupling<dim> *
      coupling() override
      {
        return field_coupling.get();
      }

    private:
      /** f(S, x, t) */
      double
      log_concentration(const double *S, const dealii::Point<dim> &x, double t) const;

      FieldEquationsText          text;
      std::string                 m_text;
      FieldEquations              equations;
      std::unique_ptr<Formula>    m_formula;
      std::vector<Formula>        initial;
      double                      fd_step = 1e-4;
      mutable std::vector<double> arguments;
      std::unique_ptr<FieldCoupling<dim>> field_coupling;
    };
  } // namespace Signal
} // namespace chemokin
