#include <deal.II/base/numbers.h>
#include <deal.II/base/quadrature_lib.h>

#include <chemokin/base/input_error.h>
#include <chemokin/base/parameters.h>
#include <chemokin/velocity/direction_rule.h>
#include <chemokin/velocity/interface.h>
#include <chemokin/velocity/velocity_mesh.h>

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
     * spaced angles; in d = 3 Gauss nodes in the radius (weight r^2 dr)
     * times the direction rule on S^2 of `sphere`. With a diagonal (collocated) mass matrix this is the
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
        n_directions  = number_of_directions(prm, dim);
        n_radial      = prm.get_integer("Radial points");
      }

      VelocitySet<dim>
      create() const override
      {
        const dealii::QGauss<1> gauss(n_radial);
        VelocitySet<dim>        set;
        if (dim == 1)
          {
            // a DG mesh of (-c, c): the cells (-c, 0) and (0, c), Gauss
            // nodes in each, ordered by velocity
            auto mesh = std::make_shared<VelocityMesh>(VelocityMesh::Chart::line, radius, 2, n_radial);
            set       = mesh->velocity_set<dim>();
            set.mesh  = mesh;
          }
        else
          {
            if (dim == 3 && (n_directions < 2 || n_directions % 2 != 0))
              throw InputError("Velocity space/Number of directions",
                               "d = 3 needs an even number >= 2 of azimuths (got " +
                                 std::to_string(n_directions) + ")");
            // Gauss nodes in the radius with the weight r^{d-1} dr, times
            // the direction rule
            const DirectionRule<dim> rule = make_direction_rule<dim>(n_directions);
            for (unsigned int q = 0; q < gauss.size(); ++q)
              for (unsigned int i = 0; i < rule.directions.size(); ++i)
                {
                  const double r = radius * gauss.point(q)[0];
                  set.nodes.push_back(r * rule.directions[i]);
                  set.weights.push_back(radius * gauss.weight(q) * std::pow(r, dim - 1) *
                                        rule.weights[i]);
                }
            set.measure = dim == 2 ? dealii::numbers::PI * radius * radius :
                                     4.0 / 3.0 * dealii::numbers::PI * std::pow(radius, 3);
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
  "(`Radial points`) times `Number of directions` angles in d = 2 (times the "
  "`sphere` rule on S^2 in d = 3); the interval (-c, c) with Gauss nodes on "
  "each half in d = 1.")
