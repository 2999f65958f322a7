#pragma once

#include <deal.II/base/parameter_handler.h>

#include <chemokin/base/plugin_registry.h>
#include <chemokin/velocity/velocity_set.h>

namespace chemokin
{
  namespace VelocitySpace
  {
    /**
     * A plugin that builds the discrete velocity set. All plugins read
     * `Speed` (declared by declare_parameters() below); their own entries
     * live in the same subsection `Velocity space`.
     */
    template <int dim>
    class Interface
    {
    public:
      virtual ~Interface() = default;

      virtual void
      parse_parameters(dealii::ParameterHandler &prm) = 0;

      virtual VelocitySet<dim>
      create() const = 0;
    };

    template <int dim>
    using Registry = PluginRegistry<Interface<dim>>;

    /** Declare the subsection `Velocity space` with all plugins' entries. */
    void
    declare_parameters(dealii::ParameterHandler &prm);

    /**
     * `Number of directions` (inside the subsection): `auto` is 16 in d = 2
     * and 8 in d = 3 (8 azimuths x 4 polar nodes = 32 directions, so that a
     * first 3-D run fits into a workstation); InputError unless `auto` or a
     * positive integer.
     */
    unsigned int
    number_of_directions(dealii::ParameterHandler &prm, int dim);

    /** Read the subsection and build the selected velocity set. */
    template <int dim>
    VelocitySet<dim>
    create(dealii::ParameterHandler &prm);
  } // namespace VelocitySpace
} // namespace chemokin
