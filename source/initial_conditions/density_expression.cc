#include <chemokin/base/expression.h>
#include <chemokin/initial_conditions/interface.h>

namespace chemokin
{
  namespace InitialConditions
  {
    /** rho0(x) from the muparser expression `Density`. */
    template <int dim>
    class DensityExpression : public Interface<dim>
    {
    public:
      static void
      declare_parameters(dealii::ParameterHandler &prm)
      {
        prm.declare_entry("Density",
                          "0.1",
                          dealii::Patterns::Anything(),
                          "`density expression` only: rho0(x) >= 0 as a "
                          "muparser expression in `x` (and `y` in d = 2) and "
                          "the user constants.");
      }

      void
      parse_parameters(dealii::ParameterHandler &prm) override
      {
        text = prm.get("Density");
      }

      void
      initialize(const std::map<std::string, double> &constants,
                 const dealii::Point<dim> &           probe) override
      {
        expression = std::make_unique<Expression<dim>>(
          text,
          coordinate_names(dim),
          false,
          constants,
          "Initial condition/Density",
          probe);
      }

      double
      density(const dealii::Point<dim> &x) const override
      {
        return expression->value(x);
      }

    private:
      std::string                      text;
      std::unique_ptr<Expression<dim>> expression;
    };
  } // namespace InitialConditions
} // namespace chemokin

CHEMOKIN_REGISTER_PLUGIN(chemokin::InitialConditions::Interface,
                         chemokin::InitialConditions::DensityExpression,
                         "density expression",
                         "rho0(x) from the expression `Density`; velocities "
                         "uniformly distributed, p0 = rho0/|V|.")
