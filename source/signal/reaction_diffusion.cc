#include <deal.II/base/utilities.h>

#include <chemokin/base/expression.h>
#include <chemokin/base/input_error.h>
#include <chemokin/base/parameters.h>
#include <chemokin/checkpoint/cell_data.h>
#include <chemokin/signal/reaction_diffusion.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <set>

namespace chemokin
{
  namespace Signal
  {
    namespace
    {
      const std::string section = "Signal/Reaction-diffusion/";

      /** 4th-order central difference of @p f at 0 with step h */
      template <typename F>
      double
      derivative(const F &f, const double h)
      {
        return (8 * (f(h) - f(-h)) - (f(2 * h) - f(-2 * h))) / (12 * h);
      }
    } // namespace

    template <int dim>
    void
    ReactionDiffusion<dim>::declare_parameters(dealii::ParameterHandler &prm)
    {
      prm.enter_subsection("Reaction-diffusion");
      {
        prm.declare_entry("Fields",
                          "S",
                          dealii::Patterns::Anything(),
                          "`reaction-diffusion` only: the names of the fields, a comma list "
                          "(e.g. `S, G`). `Log-concentration` is then an expression in these "
                          "names (and x, y, z, t).");
        prm.declare_entry("Diffusion",
                          "1",
                          dealii::Patterns::Anything(),
                          "One diffusion coefficient D_j >= 0 per field, a comma list.");
        prm.declare_entry("Reaction",
                          "-S + rho",
                          dealii::Patterns::Anything(),
                          "One muparser expression R_j per field, separated by `;`, in the "
                          "field names, `rho` (the bacterial density int p dv (dm)), x (y, z), "
                          "t and the user constants: d_t S_j = D_j Laplace S_j + R_j. "
                          "Example (secreted attractant, consumed nutrient): `-S + rho; -rho*G`.");
        prm.declare_entry("Initial values",
                          "0",
                          dealii::Patterns::Anything(),
                          "One expression S_j(0, x) per field in x (y, z) and the user "
                          "constants, separated by `;`.");
      }
      prm.leave_subsection();
    }

    template <int dim>
    void
    ReactionDiffusion<dim>::parse_parameters(dealii::ParameterHandler &prm)
    {
      m_text = prm.get("Log-concentration");
      prm.enter_subsection("Reaction-diffusion");
      text.fields         = prm.get("Fields");
      text.diffusion      = prm.get("Diffusion");
      text.reactions      = prm.get("Reaction");
      text.initial_values = prm.get("Initial values");
      prm.leave_subsection();
    }

    template <int dim>
    void
    ReactionDiffusion<dim>::initialize(const std::map<std::string, double> &constants,
                                       const dealii::Point<dim> &           probe,
                                       const double                         length_scale)
    {
      fd_step   = 1e-4 * length_scale;
      equations = read_field_equations(text, constants, dim);
      const unsigned int n           = equations.names.size();
      const auto         coordinates = coordinate_list(dim);
      initial.clear();
      for (unsigned int j = 0; j < n; ++j)
        initial.emplace_back(equations.initial_values[j],
                             coordinates,
                             constants,
                             section + "Initial values (field " + equations.names[j] + ")");
      std::vector<std::string> m_variables = equations.names;
      m_variables.insert(m_variables.end(), coordinates.begin(), coordinates.end());
      m_variables.push_back("t");
      m_formula = std::make_unique<Formula>(m_text, m_variables, constants, "Signal/Log-concentration");
      arguments.resize(m_variables.size());

      bool uses_field = false;
      for (const auto &name : equations.names)
        uses_field = uses_field || m_formula->uses(name);
      if (!uses_field)
        throw InputError("Signal/Log-concentration",
                         "'" + m_text + "' uses none of the fields " + text.fields +
                           " (with `Type = reaction-diffusion` M is a function of them, e.g. "
                           "log(1 + " + equations.names[0] + "/0.1))");
      field_coupling = std::make_unique<FieldCoupling<dim>>(equations, *m_formula, fd_step);
      const double m = value(probe, 0);
      if (!std::isfinite(m))
        throw InputError("Signal/Log-concentration",
                         "M = " + Parameters::format(m) + " at x = " + Parameters::format(probe) +
                           " for the initial values of the fields");
    }

    template <int dim>
    double
    ReactionDiffusion<dim>::log_concentration(const double *S, const dealii::Point<dim> &x, const double t) const
    {
      const unsigned int n = equations.names.size();
      std::copy(S, S + n, arguments.begin());
      for (unsigned int d = 0; d < dim; ++d)
        arguments[n + d] = x[d];
      arguments[n + dim] = t;
      return (*m_formula)(arguments.data());
    }

    template <int dim>
    double
    ReactionDiffusion<dim>::value(const dealii::Point<dim> &x, const double t) const
    {
      const int node = field_coupling ? field_coupling->node_of(x) : -1;
      if (node >= 0)
        return field_coupling->frozen_samples().value[node];
      std::vector<double> S(equations.names.size());
      if (field_coupling && field_coupling->attached())
        {
          std::vector<dealii::Tensor<1, dim>> gradients;
          field_coupling->fields_at(x, S, gradients);
        }
      else
        {
          double coordinates[dim];
          for (unsigned int d = 0; d < dim; ++d)
            coordinates[d] = x[d];
          for (unsigned int j = 0; j < S.size(); ++j)
            S[j] = initial[j](coordinates);
        }
      return log_concentration(S.data(), x, t);
    }

    template <int dim>
    dealii::Tensor<1, dim>
    ReactionDiffusion<dim>::gradient(const dealii::Point<dim> &x, const double t) const
    {
      const int node = field_coupling ? field_coupling->node_of(x) : -1;
      if (node >= 0)
        return field_coupling->frozen_samples().gradient[node];
      dealii::Tensor<1, dim> result;
      if (field_coupling && field_coupling->attached())
        {
          std::vector<double>                 S;
          std::vector<dealii::Tensor<1, dim>> gradients;
          field_coupling->fields_at(x, S, gradients);
          for (unsigned int j = 0; j < S.size(); ++j)
            {
              const double dS = 1e-3 * (1 + std::abs(S[j]));
              result += derivative(
                          [&](const double e) {
                            auto s = S;
                            s[j] += e;
                            return log_concentration(s.data(), x, t);
                          },
                          dS) *
                        gradients[j];
            }
          for (unsigned int d = 0; d < dim; ++d)
            result[d] += derivative(
              [&](const double e) {
                auto y = x;
                y[d] += e;
                return log_concentration(S.data(), y, t);
              },
              fd_step);
          return result;
        }
      // before attach(): f of the initial values, differentiated in x
      for (unsigned int d = 0; d < dim; ++d)
        result[d] = derivative(
          [&](const double e) {
            auto y = x;
            y[d] += e;
            return value(y, t);
          },
          fd_step);
      return result;
    }

    template <int dim>
    double
    ReactionDiffusion<dim>::time_derivative(const dealii::Point<dim> &x, const double t) const
    {
      const int node = field_coupling ? field_coupling->node_of(x) : -1;
      if (node >= 0)
        return field_coupling->frozen_samples().time_derivative[node];
      // away from the nodes (and before attach()): the explicit
      // t-dependence of f only
      return derivative([&](const double e) { return value(x, t + e); }, 1e-4);
    }

    template <int dim>
    void
    ReactionDiffusion<dim>::sample(const PhaseSpace<dim> &x_space, const double t, Samples<dim> &out) const
    {
      if (!field_coupling || !field_coupling->samples_on(x_space))
        {
          Interface<dim>::sample(x_space, t, out);
          return;
        }
      out = field_coupling->frozen_samples();
    }

    template class ReactionDiffusion<1>;
    template class ReactionDiffusion<2>;
    template class ReactionDiffusion<3>;
  } // namespace Signal
} // namespace chemokin

CHEMOKIN_REGISTER_PLUGIN(chemokin::Signal::Interface,
                         chemokin::Signal::ReactionDiffusion,
                         "reaction-diffusion",
                         "M = f(S_1, ..., S_n) (`Log-concentration` in the field names) of "
                         "fields that the bacteria change: reaction-diffusion equations driven "
                         "by the density (subsection `Reaction-diffusion`).")
