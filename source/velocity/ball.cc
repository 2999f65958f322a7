#include <deal.II/base/numbers.h>
#include <deal.II/base/quadrature_lib.h>

#include <chemokin/base/parameters.h>
#include <chemokin/velocity/interface.h>

#include <cmath>

namespace chemokin
{
  namespace VelocitySpace
  {
    /**
     * V = open ball of radius c. DG in v with Gauss nodes: in d = 1 the
     * interval (-c, c) is split at 0 into two cells, each with `Radial
     * points` Gauss-Legendre nodes; in d = 2 polar coordinates, Gauss
     * nodes in the radius (weight r dr) times `Number of directions` equally
     * spaced angles. With a diagonal (collocated) mass matrix this is the
     * exact DG-in-v discretization, because no derivative in v appears.
     */
    template <int dim>
    class Ball : public Interface<dim>
    {
    public:
      static void
      declare_parameters(dealii::ParameterHandler &prm)
      {
        prm.declare_entry("Radial points",
                          "4",
                          dealii::Patterns::Integer(1),
                          "`ball` only: number of Gauss points in |v| "
                          "(per half-interval in d = 1).");
      }

      void
      parse_parameters(dealii::ParameterHandler &prm) override
      {
        radius = Parameters::get_positive_double(prm, "Velocity space", "Speed");
        n_directions  = prm.get_integer("Number of directions");
        n_radial      = prm.get_integer("Radial points");
      }

      VelocitySet<dim>
      create() const override
      {
        const dealii::QGauss<1> gauss(n_radial);
        VelocitySet<dim>        set;
        if (dim == 1)
          {
            for (const double sign : {-1.0, 1.0})
              for (unsigned int q = 0; q < gauss.size(); ++q)
                {
                  // order the nodes by velocity: -c ... 0 ... +c
                  const unsigned int     qq = sign < 0 ? gauss.size() - 1 - q : q;
                  dealii::Tensor<1, dim> v;
                  v[0] = sign * radius * gauss.point(qq)[0];
                  set.nodes.push_back(v);
                  set.weights.push_back(radius * gauss.weight(qq));
                }
            set.measure = 2.0 * radius;
          }
        else
          {
            for (unsigned int q = 0; q < gauss.size(); ++q)
              for (unsigned int i = 0; i < n_directions; ++i)
                {
                  const double r = radius * gauss.point(q)[0];
                  const double angle =
                    2.0 * dealii::numbers::PI * (i + 0.5) / n_directions;
                  dealii::Tensor<1, dim> v;
                  v[0] = r * std::cos(angle);
                  v[1] = r * std::sin(angle);
                  set.nodes.push_back(v);
                  set.weights.push_back(radius * gauss.weight(q) * r * 2.0 *
                                        dealii::numbers::PI / n_directions);
                }
            set.measure = dealii::numbers::PI * radius * radius;
          }
        return set;
      }

    private:
      double       radius       = 1;
      unsigned int n_directions = 16;
      unsigned int n_radial     = 4;
    };
  } // namespace VelocitySpace
} // namespace chemokin

CHEMOKIN_REGISTER_PLUGIN(
  chemokin::VelocitySpace::Interface,
  chemokin::VelocitySpace::Ball,
  "ball",
  "The ball |v| < `Speed` (the paper's open V): Gauss nodes in |v| "
  "(`Radial points`) times `Number of directions` angles in d = 2; the "
  "interval (-c, c) with Gauss nodes on each half in d = 1.")
