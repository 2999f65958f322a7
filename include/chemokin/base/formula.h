#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace mu
{
  class Parser;
}

namespace chemokin
{
  /**
   * A scalar muparser expression in a list of variables known only at run
   * time (the field names of `Signal/Reaction-diffusion`, `rho`, the
   * coordinates and `t`). deal.II's FunctionParser<dim> fixes the number of
   * variables at compile time, so this wraps muparser (which deal.II links)
   * directly. The expression is compiled once; evaluation copies the
   * variable values into the parser's storage and runs its bytecode.
   *
   * An empty expression, a syntax error or a name that is neither a
   * variable nor a user constant is an InputError naming @p entry.
   */
  class Formula
  {
  public:
    Formula(const std::string &                  expression,
            const std::vector<std::string> &     variables,
            const std::map<std::string, double> &constants,
            const std::string &                  entry);
    ~Formula();
    Formula(Formula &&) noexcept;

    /** The value at @p values (one per variable, in the constructor's order). */
    double
    operator()(const double *values) const;

    /**
     * Evaluation at many points: variable v is read from columns[v][0 .. n)
     * by evaluate(n, results). Bind once, then refill the columns.
     */
    void
    bind(const std::vector<double *> &columns);

    void
    evaluate(unsigned int n, double *results) const;

    /** Whether the expression uses the variable @p name. */
    bool
    uses(const std::string &name) const;

    const std::string &
    text() const
    {
      return expression_text;
    }

  private:
    std::unique_ptr<mu::Parser> parser;
    /** the variables' storage, bound to the parser */
    std::unique_ptr<std::vector<double>> storage;
    /** the columns of evaluate() */
    std::vector<double *> bound;
    std::vector<std::string>    variable_names;
    std::map<std::string, double> constant_values;
    std::vector<std::string>             used;
    std::string                          expression_text;
    std::string                          entry_name;
  };

  /**
   * Split a `;`-separated list of expressions (commas belong to function
   * calls inside them); entries are trimmed, empty trailing ones dropped.
   */
  std::vector<std::string>
  split_expressions(const std::string &list);
} // namespace chemokin
