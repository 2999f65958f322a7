#include <deal.II/base/numbers.h>

#include <chemokin/base/parameters.h>
#include <chemokin/velocity/interface.h>

#include <cmath>

namespace chemokin
{
  namespace VelocitySpace
  {
    /**
     * Constant speed c: V = c S^{d-1}. In d = 1 the two nodes -c, +c with
     * weight 1 each (|V| = 2); in d = 2 n equally spaced directions with
     * weight 2*pi/n each (|V| = 2*pi, the length of the unit circle). The
     * equal-weight rule on the circle is the trapezoidal rule, exact for
     * trigonometric polynomials of degree < n.
     */
    template <int dim>
    class Sphere : public Interface<dim>
    {
    public:
      static void
      declare_parameters(dealii::ParameterHandler &)
      {}

      void
      parse_parameters(dealii::ParameterHandler &prm) override
      {
        speed = Parameters::get_positive_double(prm, "Velocity space", "Speed");
        n_directions = prm.get_integer("Number of directions");
      }

      VelocitySet<dim>
      create() const override
      {
        VelocitySet<dim> set;
        if (dim == 1)
          {
            for (const double sign : {-1.0, 1.0})
              {
                dealii::Tensor<1, dim> v;
                v[0] = sign * speed;
                set.nodes.push_back(v);
                set.weights.push_back(1.0);
              }
            set.measure = 2.0;
          }
        else
          {
            for (unsigned int i = 0; i < n_directions; ++i)
              {
                const double angle =
                  2.0 * dealii::numbers::PI * (i + 0.5) / n_directions;
                dealii::Tensor<1, dim> v;
                v[0] = speed * std::cos(angle);
                v[1] = speed * std::sin(angle);
                set.nodes.push_back(v);
                set.weights.push_back(2.0 * dealii::numbers::PI /
                                      n_directions);
              }
            set.measure = 2.0 * dealii::numbers::PI;
          }
        return set;
      }

    private:
      double       speed        = 1;
      unsigned int n_directions = 16;
    };
  } // namespace VelocitySpace
} // namespace chemokin

CHEMOKIN_REGISTER_PLUGIN(
  chemokin::VelocitySpace::Interface,
  chemokin::VelocitySpace::Sphere,
  "sphere",
  "Constant speed `Speed`: the two velocities -c, +c in d = 1, `Number of "
  "directions` equally spaced directions in d = 2. Weights sum to |V| = 2 "
  "(d = 1) or 2*pi (d = 2).")
