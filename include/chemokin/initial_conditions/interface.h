#pragma once

#include <deal.II/base/parameter_handler.h>
#include <deal.II/base/point.h>

#include <chemokin/base/plugin_registry.h>

#include <map>
#include <string>

namespace chemokin
{
  namespace InitialConditions
  {
    /**
     * The initial density rho0(x) of bacteria; the kinetic initial datum is
     * p0(x, v) = rho0(x)/|V| (velocities uniformly distributed).
     */
    template <int dim>
    class Interface
    {
    public:
      virtual ~Interface() = default;

      virtual void
      parse_parameters(dealii::ParameterHandler &prm) = 0;

      virtual void
      initialize(const std::map<std::string, double> &constants,
                 const dealii::Point<dim> &           probe) = 0;

      virtual double
      density(const dealii::Point<dim> &x) const = 0;
    };

    template <int dim>
    using Registry = PluginRegistry<Interface<dim>>;

    void
    declare_parameters(dealii::ParameterHandler &prm);

    template <int dim>
    std::unique_ptr<Interface<dim>>
    create(dealii::ParameterHandler &prm, const dealii::Point<dim> &probe);
  } // namespace InitialConditions
} // namespace chemokin
