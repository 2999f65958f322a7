#include <deal.II/base/numbers.h>
#include <deal.II/base/quadrature_lib.h>

#include <chemokin/velocity/direction_rule.h>

#include <cmath>

namespace chemokin
{
  template <int dim>
  DirectionRule<dim>
  make_direction_rule(const unsigned int n)
  {
    DirectionRule<dim> rule;
    const double       pi = dealii::numbers::PI;
    if constexpr (dim == 1)
      {
        for (const double sign : {-1.0, 1.0})
          {
            dealii::Tensor<1, dim> e;
            e[0] = sign;
            rule.directions.push_back(e);
            rule.weights.push_back(1.0);
          }
      }
    else
      {
        // Gauss-Legendre in cos(theta) on [-1, 1] for d = 3, one "latitude"
        // (the equator, weight 2/2 = 1 per unit length) for d = 2
        std::vector<double> heights{0.0}, height_weights{1.0};
        if constexpr (dim == 3)
          {
            const dealii::QGauss<1> gauss(std::max(1u, n / 2));
            heights.clear();
            height_weights.clear();
            for (unsigned int q = 0; q < gauss.size(); ++q)
              {
                heights.push_back(2 * gauss.point(q)[0] - 1);
                height_weights.push_back(2 * gauss.weight(q));
              }
          }
        for (unsigned int h = 0; h < heights.size(); ++h)
          for (unsigned int i = 0; i < n; ++i)
            {
              const double           angle  = 2.0 * pi * (i + 0.5) / n;
              const double           radius = std::sqrt(1 - heights[h] * heights[h]);
              dealii::Tensor<1, dim> e;
              e[0] = radius * std::cos(angle);
              e[1] = radius * std::sin(angle);
              if constexpr (dim == 3)
                e[2] = heights[h];
              rule.directions.push_back(e);
              rule.weights.push_back(height_weights[h] * 2.0 * pi / n);
            }
      }
    return rule;
  }

  template DirectionRule<1>
  make_direction_rule<1>(unsigned int);
  template DirectionRule<2>
  make_direction_rule<2>(unsigned int);
  template DirectionRule<3>
  make_direction_rule<3>(unsigned int);
} // namespace chemokin
