#include <chemokin/base/input_error.h>
#include <chemokin/base/parameters.h>
#include <chemokin/velocity/interface.h>

namespace chemokin
{
  namespace VelocitySpace
  {
    unsigned int
    number_of_directions(dealii::ParameterHandler &prm, const int dim)
    {
      const std::string text = dealii::Utilities::trim(prm.get("Number of directions"));
      if (text == "auto")
        return dim == 3 ? 8 : 16;
      try
        {
          std::size_t end    = 0;
          const long  number = std::stol(text, &end);
          if (end == text.size() && number >= 1 && number <= 1000000)
            return number;
        }
      catch (const std::exception &)
        {}
      throw InputError("Velocity space/Number of directions",
                       "`auto` or a positive integer, got `" + text + "`");
    }

    void
    declare_parameters(dealii::ParameterHandler &prm)
    {
      prm.enter_subsection("Velocity space");
      {
        prm.declare_entry(
          "Type",
          "sphere",
          dealii::Patterns::Selection(Registry<1>::get().pattern()),
          Registry<1>::get().documentation(
            "The set of velocities bacteria can have."));
        prm.declare_entry("Speed",
                          "1",
                          dealii::Patterns::Double(),
                          "Speed c of the bacteria (`sphere`), or the radius "
                          "of the velocity ball (`ball`). Must be positive.");
        prm.declare_entry(
          "Number of directions",
          "auto",
          dealii::Patterns::Anything(),
          "Number of equally spaced directions on the unit circle (d = 2, "
          "both types); the angles are 2*pi*(i+1/2)/n so that an even n "
          "gives a set symmetric about both axes. d = 3: the number of "
          "azimuths, times n/2 Gauss-Legendre polar nodes (n^2/2 directions "
          "on S^2, exact for polynomials of degree < n; n must be even). "
          "`auto`: 16 in d = 2, 8 in d = 3 (32 directions). "
          "Ignored in d = 1.");
        prm.declare_entry("Points per cell",
                          "1",
                          dealii::Patterns::Integer(1, 16),
                          "`sphere` in d = 2: the circle of directions is a DG mesh "
                          "of `Number of directions` equal cells in the angle with "
                          "this many Gauss nodes in each (1: the equally spaced "
                          "directions); the mesh that `Adaptive refinement/Adapt v` "
                          "refines. (`ball` in d = 1: the mesh of the two half-"
                          "intervals with `Radial points` nodes each.)");
        Registry<1>::get().declare_parameters(prm);
      }
      prm.leave_subsection();
    }

    template <int dim>
    VelocitySet<dim>
    create(dealii::ParameterHandler &prm)
    {
      prm.enter_subsection("Velocity space");
      auto plugin = Registry<dim>::get().create(prm.get("Type"),
                                                prm,
                                                "Velocity space/Type");
      prm.leave_subsection();
      VelocitySet<dim> set = plugin->create();
      set.compute_mirrors();
      return set;
    }

    template VelocitySet<1>
    create<1>(dealii::ParameterHandler &);
    template VelocitySet<2>
    create<2>(dealii::ParameterHandler &);
    template VelocitySet<3>
    create<3>(dealii::ParameterHandler &);
  } // namespace VelocitySpace
} // namespace chemokin
