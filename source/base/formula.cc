#include <deal.II/base/utilities.h>

#include <chemokin/base/formula.h>
#include <chemokin/base/input_error.h>

#include <muParser.h>

#include <deal.II/base/exceptions.h>

#include <algorithm>
#include <cmath>

namespace chemokin
{
  Formula::Formula(const std::string &                  expression,
                   const std::vector<std::string> &     variables,
                   const std::map<std::string, double> &constants,
                   const std::string &                  entry)
    : parser(std::make_unique<mu::Parser>())
    , storage(std::make_unique<std::vector<double>>(variables.size(), 0.0))
    , variable_names(variables)
    , constant_values(constants)
    , expression_text(dealii::Utilities::trim(expression))
    , entry_name(entry)
  {
    if (expression_text.empty())
      throw InputError(entry, "the expression is empty");
    try
      {
        for (unsigned int v = 0; v < variables.size(); ++v)
          parser->DefineVar(variables[v], &(*storage)[v]);
        for (const auto &[name, value] : constants)
          if (std::find(variables.begin(), variables.end(), name) == variables.end())
            parser->DefineConst(name, value);
        parser->SetExpr(expression_text);
        // GetUsedVar parses and reports undefined names (as an error of
        // its own, "Unexpected token")
        for (const auto &[name, pointer] : parser->GetUsedVar())
          used.push_back(name);
        parser->Eval();
      }
    catch (const mu::Parser::exception_type &e)
      {
        std::string known;
        for (const auto &v : variables)
          known += (known.empty() ? "" : ", ") + v;
        throw InputError(entry,
                         "cannot evaluate '" + expression_text + "': " + e.GetMsg() +
                           " (the names it may use: " + known + " and the user constants)");
      }
  }

  Formula::~Formula() = default;

  Formula::Formula(Formula &&) noexcept = default;

  double
  Formula::operator()(const double *values) const
  {
    std::copy(values, values + storage->size(), storage->begin());
    return parser->Eval();
  }

  void
  Formula::bind(const std::vector<double *> &columns)
  {
    AssertThrow(columns.size() == variable_names.size(), dealii::ExcInternalError());
    bound = columns;
  }

  void
  Formula::evaluate(const unsigned int n, double *results) const
  {
    AssertThrow(bound.size() == storage->size(), dealii::ExcInternalError());
    // muparser's own bulk mode parses the expression anew on every call
    // and runs an OpenMP loop: slower here than its bytecode point by point
    double *const values = storage->data();
    for (unsigned int i = 0; i < n; ++i)
      {
        for (unsigned int v = 0; v < bound.size(); ++v)
          values[v] = bound[v][i];
        results[i] = parser->Eval();
      }
  }

  bool
  Formula::uses(const std::string &name) const
  {
    return std::find(used.begin(), used.end(), name) != used.end();
  }

  std::vector<std::string>
  split_expressions(const std::string &list)
  {
    std::vector<std::string> result;
    std::string              current;
    for (const char c : list + ";")
      if (c == ';')
        {
          result.push_back(dealii::Utilities::trim(current));
          current.clear();
        }
      else
        current += c;
    while (!result.empty() && result.back().empty())
      result.pop_back();
    return result;
  }
} // namespace chemokin
