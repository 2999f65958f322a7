#include <deal.II/base/utilities.h>

#include <chemokin/base/input_error.h>
#include <chemokin/base/parameters.h>

#include <cmath>
#include <cstdio>

namespace chemokin
{
  namespace Parameters
  {
    std::string
    format(const double value)
    {
      char buffer[32];
      std::snprintf(buffer, sizeof(buffer), "%g", value);
      return buffer;
    }

    template <int dim>
    std::string
    format(const dealii::Point<dim> &p)
    {
      std::string result = "(";
      for (unsigned int d = 0; d < dim; ++d)
        result += (d ? ", " : "") + format(p[d]);
      return result + ")";
    }

    std::string
    entry_path(const std::string &subsection, const std::string &entry)
    {
      return subsection.empty() ? entry : subsection + "/" + entry;
    }

    namespace
    {
      double
      to_number(const std::string &text, const std::string &entry)
      {
        const std::string trimmed = dealii::Utilities::trim(text);
        std::size_t       used    = 0;
        double            value   = 0;
        try
          {
            value = std::stod(trimmed, &used);
          }
        catch (...)
          {
            used = 0;
          }
        if (trimmed.empty() || used != trimmed.size())
          throw InputError(entry, "'" + trimmed + "' is not a number");
        if (!std::isfinite(value))
          throw InputError(entry, "'" + trimmed + "' is not a finite number");
        return value;
      }
    } // namespace

    double
    get_positive_double(const dealii::ParameterHandler &prm,
                        const std::string &             subsection,
                        const std::string &             entry)
    {
      const std::string path  = entry_path(subsection, entry);
      const double      value = to_number(prm.get(entry), path);
      if (!(value > 0))
        throw InputError(path,
                         "must be positive, got " + prm.get(entry));
      return value;
    }

    double
    get_double_in(const dealii::ParameterHandler &prm,
                  const std::string &             subsection,
                  const std::string &             entry,
                  const double                    lower,
                  const double                    upper,
                  const std::string &             why)
    {
      const std::string path  = entry_path(subsection, entry);
      const double      value = to_number(prm.get(entry), path);
      if (!(value > lower && value <= upper))
        throw InputError(path,
                         "must be in (" + format(lower) + ", " + format(upper) + "], got " +
                           prm.get(entry) + " (" + why + ")");
      return value;
    }

    template <int dim>
    dealii::Point<dim>
    get_point(const dealii::ParameterHandler &prm,
              const std::string &             subsection,
              const std::string &             entry)
    {
      const std::string path = entry_path(subsection, entry);
      const auto parts = dealii::Utilities::split_string_list(prm.get(entry));
      if (parts.size() != dim)
        throw InputError(path,
                         "needs " + std::to_string(dim) +
                           " comma-separated coordinates (one per "
                           "dimension), got '" + prm.get(entry) + "'");
      dealii::Point<dim> p;
      for (unsigned int d = 0; d < dim; ++d)
        p[d] = to_number(parts[d], path);
      return p;
    }

    std::map<std::string, double>
    parse_constants(const std::string &text, const std::string &entry)
    {
      std::map<std::string, double> constants;
      for (const std::string &item : dealii::Utilities::split_string_list(text))
        {
          const auto eq = item.find('=');
          if (eq == std::string::npos)
            throw InputError(entry,
                             "'" + item + "' is not of the form name=value");
          const std::string name = dealii::Utilities::trim(item.substr(0, eq));
          if (name.empty() || !(std::isalpha(name[0]) || name[0] == '_'))
            throw InputError(entry, "'" + name + "' is not a valid name");
          constants[name] = to_number(item.substr(eq + 1), entry);
        }
      return constants;
    }

    template std::string
    format<1>(const dealii::Point<1> &);
    template std::string
    format<2>(const dealii::Point<2> &);
    template std::string
    format<3>(const dealii::Point<3> &);
    template dealii::Point<1>
    get_point<1>(const dealii::ParameterHandler &,
                 const std::string &,
                 const std::string &);
    template dealii::Point<2>
    get_point<2>(const dealii::ParameterHandler &,
                 const std::string &,
                 const std::string &);
    template dealii::Point<3>
    get_point<3>(const dealii::ParameterHandler &,
                 const std::string &,
                 const std::string &);
  } // namespace Parameters
} // namespace chemokin
