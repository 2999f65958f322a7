#pragma once

#include <deal.II/base/parameter_handler.h>
#include <deal.II/base/point.h>

#include <map>
#include <string>

namespace chemokin
{
  /**
   * Small helpers that read and check entries of a ParameterHandler. All of
   * them throw InputError naming the entry when the value is unacceptable.
   */
  namespace Parameters
  {
    /** Path of an entry for messages: `Subsection/Entry`. */
    std::string
    entry_path(const std::string &subsection, const std::string &entry);

    double
    get_positive_double(const dealii::ParameterHandler &prm,
                        const std::string &             subsection,
                        const std::string &             entry);

    /**
     * A number in (@p lower, @p upper] (lower exclusive: 0 means positive),
     * else InputError naming the entry, the range and @p why (the reason
     * for the bounds, e.g. "the explicit stages are unstable beyond 1").
     */
    double
    get_double_in(const dealii::ParameterHandler &prm,
                  const std::string &             subsection,
                  const std::string &             entry,
                  double                          lower,
                  double                          upper,
                  const std::string &             why);

    /** A comma-separated list of exactly @p dim numbers. */
    template <int dim>
    dealii::Point<dim>
    get_point(const dealii::ParameterHandler &prm,
              const std::string &             subsection,
              const std::string &             entry);

    /** A number for messages, in %g format. */
    std::string
    format(double value);

    /** A point for messages: "(x, y)". */
    template <int dim>
    std::string
    format(const dealii::Point<dim> &p);

    /** `name=value, name=value` -> map; the values must be numbers. */
    std::map<std::string, double>
    parse_constants(const std::string &text, const std::string &entry);
  } // namespace Parameters
} // namespace chemokin
