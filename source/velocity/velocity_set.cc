#include <deal.II/base/numbers.h>
#include <deal.II/base/utilities.h>

#include <chemokin/velocity/velocity_set.h>

#include <algorithm>
#include <array>
#include <map>
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
    // nodes are found by a hash of their coordinates on a grid of cells
    // 4 tolerances wide (a node within the tolerance of the reflected one
    // lies in the reflected one's cell or a neighbour), so that the set-up
    // is O(n log n) also for 3-D rules of 10^5 directions
    const double tolerance = 1e-12 * std::max(1.0, max_speed());
    const double cell      = 4 * tolerance;
    using Key              = std::array<long long, dim>;
    auto key_of            = [&](const dealii::Tensor<1, dim> &v) {
      Key key;
      for (unsigned int d = 0; d < dim; ++d)
        key[d] = std::llround(v[d] / cell);
      return key;
    };
    std::map<Key, std::vector<unsigned int>> cells;
    for (unsigned int l = 0; l < size(); ++l)
      cells[key_of(nodes[l])].push_back(l);

    for (unsigned int j = 0; j < dim; ++j)
      {
        mirror[j].assign(size(), dealii::numbers::invalid_unsigned_int);
        for (unsigned int k = 0; k < size(); ++k)
          {
            dealii::Tensor<1, dim> reflected = nodes[k];
            reflected[j]                     = -reflected[j];
            const Key    centre              = key_of(reflected);
            unsigned int found               = dealii::numbers::invalid_unsigned_int;
            // the reflected node's own cell first (where the match lies
            // unless it is within a tolerance of a cell's edge), then the
            // 3^dim cells around it; of the matches in a cell the lowest index
            auto search = [&](const Key &key) {
              const auto candidates = cells.find(key);
              if (candidates != cells.end())
                for (const unsigned int l : candidates->second)
                  if (l < found && (nodes[l] - reflected).norm() <= tolerance &&
                      std::abs(weights[l] - weights[k]) <= 1e-12 * std::abs(weights[k]))
                    found = l;
            };
            search(centre);
            for (unsigned int n = 0;
                 found == dealii::numbers::invalid_unsigned_int && n < dealii::Utilities::pow(3u, dim);
                 ++n)
              {
                Key          key = centre;
                unsigned int m   = n;
                for (unsigned int d = 0; d < dim; ++d, m /= 3)
                  key[d] += int(m % 3) - 1;
                if (key != centre)
                  search(key);
              }
            mirror[j][k] = found;
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
