#include <chemokin/base/expression.h>
#include <chemokin/signal/interface.h>

namespace chemokin
{
  namespace Signal
  {
    /**
     * M(t, x) given by a muparser expression in x (and y), t and the user
     * constants. Derivatives are fourth-order central differences with a
     * step of 1e-4 times the domain size (truncation error ~1e-16 relative
     * to the fifth derivative, round-off ~1e-12).
     */
    template <int dim>
    class FromExpression : public Interface<dim>
    {
    public:
      static void
      declare_parameters(dealii::ParameterHandler &prm)
      {
        prm.declare_entry(
          "Log-concentration",
          "2*exp(-(x-5)^2/4)",
          dealii::Patterns::Anything(),
          "`expression` only: M(t,x), the logarithm of the attractant "
          "concentration, as a muparser expression in `x` (and `y` in d = 2), "
          "`t` and the user constants.");
      }

      void
      parse_parameters(dealii::ParameterHandler &prm) override
      {
        text = prm.get("Log-concentration");
      }

      void
      initialize(const std::map<std::string, double> &constants,
                 const dealii::Point<dim> &           probe,
                 double                               length_scale) override
      {
        expression = std::make_unique<Expression<dim>>(
          text,
          coordinate_names(dim),
          true,
          constants,
          "Signal/Log-concentration",
          probe,
          1e-4 * length_scale);
      }

      double
      value(const dealii::Point<dim> &x, double t) const override
      {
        return expression->value(x, t);
      }

      dealii::Tensor<1, dim>
      gradient(const dealii::Point<dim> &x, double t) const override
      {
        return expression->gradient(x, t);
      }

      double
      time_derivative(const dealii::Point<dim> &x, double t) const override
      {
        return expression->time_derivative(x, t);
      }

      bool
      is_static() const override
      {
        return !expression->depends_on_time();
      }

    private:
      std::string                      text;
      std::unique_ptr<Expression<dim>> expression;
    };
  } // namespace Signal
} // namespace chemokin

CHEMOKIN_REGISTER_PLUGIN(chemokin::Signal::Interface,
                         chemokin::Signal::FromExpression,
                         "expression",
                         "M(t,x) from the muparser expression "
                         "`Log-concentration`.")
