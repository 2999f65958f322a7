#include <chemokin/base/parameters.h>
#include <chemokin/signal/interface.h>

namespace chemokin
{
  namespace Signal
  {
    void
    declare_parameters(dealii::ParameterHandler &prm)
    {
      prm.enter_subsection("Signal");
      {
        prm.declare_entry("Type",
                          "expression",
                          dealii::Patterns::Selection(
                            Registry<1>::get().pattern()),
                          Registry<1>::get().documentation(
                            "How the log-signal M(t,x) is given."));
        prm.declare_entry(
          "Constants",
          "",
          dealii::Patterns::Anything(),
          "User constants `name=value, name=value`, available in every "
          "expression of the parameter file (signal, tumbling rate, initial "
          "density). `pi` is predefined.");
        Registry<1>::get().declare_parameters(prm);
      }
      prm.leave_subsection();
    }

    std::map<std::string, double>
    constants(dealii::ParameterHandler &prm)
    {
      prm.enter_subsection("Signal");
      auto result =
        Parameters::parse_constants(prm.get("Constants"), "Signal/Constants");
      prm.leave_subsection();
      result.emplace("pi", M_PI);
      return result;
    }

    template <int dim>
    std::unique_ptr<Interface<dim>>
    create(dealii::ParameterHandler &prm,
           const dealii::Point<dim> &probe,
           double                    length_scale)
    {
      const auto user_constants = constants(prm);
      prm.enter_subsection("Signal");
      auto plugin =
        Registry<dim>::get().create(prm.get("Type"), prm, "Signal/Type");
      prm.leave_subsection();
      plugin->initialize(user_constants, probe, length_scale);
      return plugin;
    }

    template <int dim>
    void
    Interface<dim>::sample(const PhaseSpace<dim> &space, const double t, Samples<dim> &out) const
    {
      const unsigned int n = space.n_owned_dofs();
      out.value.resize(n);
      out.gradient.resize(n);
      out.time_derivative.resize(n);
      for (unsigned int i = 0; i < n; ++i)
        {
          const auto &x          = space.node_position[i];
          out.value[i]           = value(x, t);
          out.gradient[i]        = gradient(x, t);
          out.time_derivative[i] = time_derivative(x, t);
        }
    }

    template class Interface<1>;
    template class Interface<2>;
    template class Interface<3>;

    template std::unique_ptr<Interface<1>>
    create<1>(dealii::ParameterHandler &, const dealii::Point<1> &, double);
    template std::unique_ptr<Interface<2>>
    create<2>(dealii::ParameterHandler &, const dealii::Point<2> &, double);
    template std::unique_ptr<Interface<3>>
    create<3>(dealii::ParameterHandler &, const dealii::Point<3> &, double);
  } // namespace Signal
} // namespace chemokin
