#include <deal.II/base/utilities.h>

#include <chemokin/base/expression.h>
#include <chemokin/base/formula.h>
#include <chemokin/base/input_error.h>
#include <chemokin/signal/field_equations.h>

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

      bool
      is_identifier(const std::string &name)
      {
        if (name.empty() || !(std::isalpha(name[0]) || name[0] == '_'))
          return false;
        for (const char c : name)
          if (!(std::isalnum(c) || c == '_'))
            return false;
        return true;
      }
    } // namespace

    FieldEquations
    read_field_equations(const FieldEquationsText &           text,
                         const std::map<std::string, double> &constants,
                         const int                            dim)
    {
      FieldEquations equations;
      equations.constants = constants;
      equations.names     = dealii::Utilities::split_string_list(text.fields);
      if (equations.names.empty())
        throw InputError(section + "Fields", "needs at least one field name");
      std::set<std::string> reserved{"rho", "t", "x", "y", "z"};
      std::set<std::string> seen;
      for (const auto &name : equations.names)
        {
          if (!is_identifier(name))
            throw InputError(section + "Fields",
                             "'" + name + "' is not a name (letters, digits, _; not starting with a digit)");
          if (reserved.count(name) || constants.count(name))
            throw InputError(section + "Fields",
                             "'" + name + "' is taken (rho, x, y, z, t and the user constants are)");
          if (!seen.insert(name).second)
            throw InputError(section + "Fields", "'" + name + "' appears twice");
        }
      const unsigned int n = equations.names.size();
      auto count = [&](const std::vector<std::string> &list, const std::string &entry, const std::string &what) {
        if (list.size() != n)
          throw InputError(section + entry,
                           "has " + std::to_string(list.size()) + " " + what + " for " +
                             std::to_string(n) + " field(s) (" + text.fields + ")");
      };
      const auto diffusion = dealii::Utilities::split_string_list(text.diffusion);
      count(diffusion, "Diffusion", "coefficient(s)");
      for (unsigned int j = 0; j < n; ++j)
        {
          double D = 0;
          try
            {
              std::size_t end = 0;
              D               = std::stod(diffusion[j], &end);
              if (end != diffusion[j].size())
                throw std::invalid_argument(diffusion[j]);
            }
          catch (const std::exception &)
            {
              throw InputError(section + "Diffusion",
                               "'" + diffusion[j] + "' (field " + equations.names[j] +
                                 ") is not a number");
            }
          // the implicit step's matrix has entries D dt / h^2: beyond 1e12
          // (in the units of the domain and of time) they leave the range
          // where the solvers are exact (1e300 overflows)
          if (!(D >= 0) || !(D <= 1e12))
            throw InputError(section + "Diffusion",
                             "D = " + diffusion[j] + " for field " + equations.names[j] +
                               ": must be in [0, 1e12]");
          equations.diffusion.push_back(D);
        }
      equations.reactions = split_expressions(text.reactions);
      count(equations.reactions, "Reaction", "expression(s)");
      equations.initial_values = split_expressions(text.initial_values);
      count(equations.initial_values, "Initial values", "expression(s)");

      // compile every reaction now: unknown names are reported here
      const auto               coordinates        = coordinate_list(dim);
      std::vector<std::string> reaction_variables = equations.names;
      reaction_variables.push_back("rho");
      reaction_variables.insert(reaction_variables.end(), coordinates.begin(), coordinates.end());
      reaction_variables.push_back("t");
      for (unsigned int j = 0; j < n; ++j)
        Formula(equations.reactions[j],
                reaction_variables,
                constants,
                section + "Reaction (field " + equations.names[j] + ")");
      return equations;
    }
  } // namespace Signal
} // namespace chemokin
