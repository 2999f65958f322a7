#include <deal.II/base/numbers.h>

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
     * Constant speed c: V = c S^{d-1}, with the direction rule of
     * make_direction_rule(): in d = 1 the two nodes -c, +c with weight 1
     * each (|V| = 2); in d = 2 n equally spaced directions with weight
     * 2*pi/n each (|V| = 2*pi), exact for trigonometric polynomials of
     * degree < n; in d = 3 n azimuths times n/2 Gauss-Legendre polar nodes
     * (|V| = 4*pi), exact for polynomials on S^2 of degree < n.
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
        n_directions = number_of_directions(prm, dim);
        points_per_cell = prm.get_integer("Points per cell");
      }

      VelocitySet<dim>
      create() const override
      {
        if (dim == 3 && (n_directions < 2 || n_directions % 2 != 0))
          throw InputError("Velocity space/Number of directions",
                           "d = 3 needs an even number >= 2 of azimuths (got " +
                             std::to_string(n_directions) + ")");
        if (dim == 2)
          {
            // a DG mesh of the angle: n cells, Gauss nodes in each (one: the
            // equally spaced directions 2 pi (i + 1/2)/n)
            if (n_directions % 2 != 0 && points_per_cell > 1)
              throw InputError("Velocity space/Number of directions",
                               "a velocity mesh with `Points per cell` > 1 needs an even number "
                               "of cells (for the mirror symmetry; got " +
                                 std::to_string(n_directions) + ")");
            auto mesh = std::make_shared<VelocityMesh>(VelocityMesh::Chart::circle,
                                                       speed,
                                                       n_directions,
                                                       points_per_cell);
            VelocitySet<dim> set = mesh->velocity_set<dim>();
            set.mesh             = mesh;
            return set;
          }
        if (points_per_cell != 1)
          throw InputError("Velocity space/Points per cell",
                           "`sphere` is a mesh of the angle in d = 2 only (d = 1: the two "
                           "velocities; d = 3: the direction rule); leave it at 1");
        const DirectionRule<dim> rule = make_direction_rule<dim>(n_directions);
        VelocitySet<dim>         set;
        for (unsigned int i = 0; i < rule.directions.size(); ++i)
          {
            set.nodes.push_back(speed * rule.directions[i]);
            set.weights.push_back(rule.weights[i]);
          }
        set.measure = dim == 1 ? 2.0 : dim == 2 ? 2.0 * dealii::numbers::PI : 4.0 * dealii::numbers::PI;
        return set;
      }

    private:
      double       speed        = 1;
      unsigned int n_directions = 16;
      unsigned int points_per_cell = 1;
    };
  } // namespace VelocitySpace
} // namespace chemokin

CHEMOKIN_REGISTER_PLUGIN(
  chemokin::VelocitySpace::Interface,
  chemokin::VelocitySpace::Sphere,
  "sphere",
  "Constant speed `Speed`: the two velocities -c, +c in d = 1, `Number of "
  "directions` equally spaced directions in d = 2, that many azimuths times "
  "half as many Gauss-Legendre polar nodes on S^2 in d = 3 (n = 8: 32 "
  "directions, exact for degree 7). Weights sum to |V| = 2, 2*pi or 4*pi.")
