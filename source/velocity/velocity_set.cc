#include <deal.II/base/numbers.h>

#include <chemokin/velocity/velocity_set.h>

#include <algorithm>
#include <cmath>

namespace chemokin
{
  template <int dim>
  double
  VelocitySet<dim>::max_speed() const
  {
    double result = 0;
    for (const auto &v : nodes)
      result = std::max(result, v.norm());
    return result;
  }

  template <int dim>
  void
  VelocitySet<dim>::compute_mirrors()
  {
    const double tolerance = 1e-12 * std::max(1.0, max_speed());
    for (unsigned int j = 0; j < dim; ++j)
      {
        mirror[j].assign(size(), dealii::numbers::invalid_unsigned_int);
        for (unsigned int k = 0; k < size(); ++k)
          {
            dealii::Tensor<1, dim> reflected = nodes[k];
            reflected[j]                     = -reflected[j];
            for (unsigned int l = 0; l < size(); ++l)
              if ((nodes[l] - reflected).norm() <= tolerance &&
                  std::abs(weights[l] - weights[k]) <=
                    1e-12 * std::abs(weights[k]))
                {
                  mirror[j][k] = l;
                  break;
                }
          }
      }
  }

  template <int dim>
  bool
  VelocitySet<dim>::is_symmetric() const
  {
    for (unsigned int j = 0; j < dim; ++j)
      if (mirror[j].size() != size() ||
          std::count(mirror[j].begin(),
                     mirror[j].end(),
                     dealii::numbers::invalid_unsigned_int) > 0)
        return false;
    return true;
  }

  template <int dim>
  VelocitySet<dim>
  VelocitySet<dim>::repeated(const std::vector<double> &copy_weights,
                             const double               measure_factor) const
  {
    const unsigned int copies = copy_weights.size();
    VelocitySet<dim>   result;
    for (unsigned int k = 0; k < size(); ++k)
      for (unsigned int j = 0; j < copies; ++j)
        {
          result.nodes.push_back(nodes[k]);
          result.weights.push_back(weights[k] * copy_weights[j]);
        }
    result.measure = measure * measure_factor;
    for (unsigned int d = 0; d < dim; ++d)
      for (unsigned int k = 0; k < size(); ++k)
        for (unsigned int j = 0; j < copies; ++j)
          result.mirror[d].push_back(mirror[d].empty() ||
                                         mirror[d][k] == dealii::numbers::invalid_unsigned_int ?
                                       dealii::numbers::invalid_unsigned_int :
                                       mirror[d][k] * copies + j);
    return result;
  }

  template struct VelocitySet<1>;
  template struct VelocitySet<2>;
  template struct VelocitySet<3>;
} // namespace chemokin
