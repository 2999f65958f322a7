#include <chemokin/base/input_error.h>
#include <chemokin/base/parameters.h>
#include <chemokin/mesh/domain.h>

namespace chemokin
{
  template <int dim>
  void
  Domain<dim>::declare_parameters(dealii::ParameterHandler &prm)
  {
    prm.enter_subsection("Domain");
    prm.declare_entry("Lower corner",
                      "0",
                      dealii::Patterns::Anything(),
                      "Lower corner of the box, one coordinate per dimension, "
                      "comma separated.");
    prm.declare_entry("Upper corner",
                      "10",
                      dealii::Patterns::Anything(),
                      "Upper corner of the box; every coordinate must exceed "
                      "that of `Lower corner`.");
    prm.declare_entry(
      "Boundary",
      "reflecting",
      dealii::Patterns::Selection("periodic|reflecting|inflow"),
      "Boundary condition on all walls. `periodic`: the box is a torus. "
      "`reflecting`: specular reflection v -> v - 2(v.n)n (needs a velocity "
      "set symmetric about every axis). `inflow`: nothing enters.");
    prm.declare_entry("Coarse cells",
                      "1",
                      dealii::Patterns::Integer(1, 1024),
                      "Coarse cells across the shortest edge of the box (the "
                      "other axes get as many more as they are longer), before "
                      "`Discretization/Refinement` halves them: a cube with 3 "
                      "and Refinement = 3 has 24^d cells, where powers of 2 "
                      "alone give 16^d or 32^d.");
    prm.leave_subsection();
  }

  template <int dim>
  Domain<dim>
  Domain<dim>::parse(dealii::ParameterHandler &prm)
  {
    Domain<dim> domain;
    prm.enter_subsection("Domain");
    domain.lower = Parameters::get_point<dim>(prm, "Domain", "Lower corner");
    domain.upper = Parameters::get_point<dim>(prm, "Domain", "Upper corner");
    for (unsigned int d = 0; d < dim; ++d)
      if (!(domain.upper[d] > domain.lower[d]))
        throw InputError("Domain/Upper corner",
                         "coordinate " + std::to_string(d) + " (" +
                           Parameters::format(domain.upper[d]) +
                           ") must be larger than that of `Lower corner` (" +
                           Parameters::format(domain.lower[d]) + ")");
    domain.boundary.fill(parse_boundary_condition(prm.get("Boundary")));
    domain.coarse_cells = prm.get_integer("Coarse cells");
    prm.leave_subsection();
    return domain;
  }

  template <int dim>
  double
  Domain<dim>::size() const
  {
    double result = 0;
    for (unsigned int d = 0; d < dim; ++d)
      result = std::max(result, upper[d] - lower[d]);
    return result;
  }

  template <int dim>
  std::vector<unsigned int>
  Domain<dim>::repetitions() const
  {
    auto result = box_repetitions(lower, upper);
    for (auto &n : result)
      n *= coarse_cells;
    return result;
  }

  template <int dim>
  std::array<bool, dim>
  Domain<dim>::periodic_axes() const
  {
    std::array<bool, dim> result;
    for (unsigned int d = 0; d < dim; ++d)
      result[d] = boundary[d] == BoundaryCondition::periodic;
    return result;
  }

  template struct Domain<1>;
  template struct Domain<2>;
  template struct Domain<3>;
} // namespace chemokin
