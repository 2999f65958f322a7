#include <deal.II/base/exceptions.h>
#include <deal.II/base/utilities.h>

#include <chemokin/base/expression.h>
#include <chemokin/base/input_error.h>

#include <cmath>
#include <iostream>
#include <regex>
#include <sstream>

namespace chemokin
{
  bool
  mentions_identifier(const std::string &expression, const std::string &name)
  {
    const std::regex pattern("(^|[^A-Za-z0-9_])" + name + "($|[^A-Za-z0-9_])");
    return std::regex_search(expression, pattern);
  }

  std::string
  one_line_message(const std::exception &e)
  {
    std::string text;
    if (const auto *deal = dynamic_cast<const dealii::ExceptionBase *>(&e))
      {
        std::ostringstream out;
        deal->print_info(out);
        text = out.str();
      }
    else
      text = e.what();
    // collapse all white space so that the message stays on one line
    std::string result;
    bool        space = false;
    for (const char c : text)
      if (std::isspace(static_cast<unsigned char>(c)))
        space = true;
      else
        {
          if (space && !result.empty())
            result += ' ';
          result += c;
          space = false;
        }
    return result;
  }

  template <int dim>
  Expression<dim>::Expression(const std::string &                  expression,
                              const std::string &                  variables,
                              bool                                 with_time,
                              const std::map<std::string, double> &constants,
                              const std::string &                  entry,
                              const dealii::Point<dim> &           probe,
                              double                               fd_step)
    : expression_text(expression)
    , entry_name(entry)
    , uses_time(with_time && mentions_identifier(expression, "t"))
    , step(fd_step)
  {
    if (dealii::Utilities::trim(expression).empty())
      throw InputError(entry, "the expression is empty");
    parser = std::make_unique<dealii::FunctionParser<dim>>(1, 0.0, fd_step);
    // FunctionParser reports parse errors on std::cerr before throwing; the
    // user gets our one-line message instead
    struct SilenceStandardError
    {
      SilenceStandardError()
        : saved(std::cerr.rdbuf(nullptr))
      {}
      ~SilenceStandardError()
      {
        std::cerr.rdbuf(saved);
      }
      std::streambuf *saved;
    } silence;
    try
      {
        parser->initialize(with_time ? variables + ",t" : variables,
                           expression,
                           constants,
                           with_time);
        const double v = value(probe, 0.0);
        (void)v;
      }
    catch (const InputError &)
      {
        throw;
      }
    catch (const std::exception &e)
      {
        throw InputError(entry,
                         "cannot evaluate '" + expression +
                           "' (variables: " + variables +
                           (with_time ? ",t" : "") +
                           ", plus the constants): " + one_line_message(e));
      }
  }

  template <int dim>
  double
  Expression<dim>::value(const dealii::Point<dim> &p, double t) const
  {
    if (uses_time)
      parser->set_time(t);
    return parser->value(p);
  }

  template <int dim>
  dealii::Tensor<1, dim>
  Expression<dim>::gradient(const dealii::Point<dim> &p, double t) const
  {
    if (uses_time)
      parser->set_time(t);
    dealii::Tensor<1, dim> g;
    for (unsigned int d = 0; d < dim; ++d)
      {
        dealii::Point<dim> q[4] = {p, p, p, p};
        q[0][d] -= 2 * step;
        q[1][d] -= step;
        q[2][d] += step;
        q[3][d] += 2 * step;
        g[d] = (parser->value(q[0]) - 8 * parser->value(q[1]) +
                8 * parser->value(q[2]) - parser->value(q[3])) /
               (12 * step);
      }
    return g;
  }

  template <int dim>
  double
  Expression<dim>::time_derivative(const dealii::Point<dim> &p, double t) const
  {
    if (!uses_time)
      return 0;
    const double f[4] = {value(p, t - 2 * step),
                         value(p, t - step),
                         value(p, t + step),
                         value(p, t + 2 * step)};
    parser->set_time(t);
    return (f[0] - 8 * f[1] + 8 * f[2] - f[3]) / (12 * step);
  }

  template class Expression<1>;
  template class Expression<2>;
  template class Expression<3>;
} // namespace chemokin
