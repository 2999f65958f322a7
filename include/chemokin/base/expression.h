#pragma once

#include <deal.II/base/function_parser.h>
#include <deal.II/base/point.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace chemokin
{
  /**
   * A scalar muparser expression in @p dim variables (named by
   * @p variables, e.g. "x,y" or "z") and optionally the time "t", checked at
   * construction: a parse error or an unknown name becomes an InputError
   * naming @p entry. deal.II's FunctionParser parses lazily, so the check is
   * an evaluation at @p probe.
   */
  template <int dim>
  class Expression
  {
  public:
    Expression(const std::string &                  expression,
               const std::string &                  variables,
               bool                                 with_time,
               const std::map<std::string, double> &constants,
               const std::string &                  entry,
               const dealii::Point<dim> &           probe,
               double                               fd_step = 1e-4);

    double
    value(const dealii::Point<dim> &p, double t = 0) const;

    /** Gradient by fourth-order central differences. */
    dealii::Tensor<1, dim>
    gradient(const dealii::Point<dim> &p, double t = 0) const;

    /** d/dt by fourth-order central differences (0 if no `t` appears). */
    double
    time_derivative(const dealii::Point<dim> &p, double t) const;

    /** Whether the expression mentions the variable `t`. */
    bool
    depends_on_time() const
    {
      return uses_time;
    }

    const std::string &
    entry() const
    {
      return entry_name;
    }

    const std::string &
    text() const
    {
      return expression_text;
    }

  private:
    std::unique_ptr<dealii::FunctionParser<dim>> parser;
    std::string                                  expression_text;
    std::string                                  entry_name;
    bool                                         uses_time;
    double                                       step;
  };

  /** Whether @p expression uses the identifier @p name. */
  /** The names of the coordinates of x in expressions: x, y, z. */
  inline std::string
  coordinate_names(const int dim)
  {
    return dim == 1 ? "x" : dim == 2 ? "x,y" : "x,y,z";
  }

  /** The same as a list: {x}, {x, y}, {x, y, z}. */
  inline std::vector<std::string>
  coordinate_list(const int dim)
  {
    if (dim == 1)
      return {"x"};
    if (dim == 2)
      return {"x", "y"};
    return {"x", "y", "z"};
  }

  bool
  mentions_identifier(const std::string &expression, const std::string &name);

  /** The message of a deal.II exception, on one line. */
  std::string
  one_line_message(const std::exception &e);
} // namespace chemokin
