#include <deal.II/distributed/shared_tria.h>
#include <deal.II/distributed/tria.h>
#include <deal.II/grid/grid_generator.h>
#include <deal.II/grid/grid_tools.h>

#include <chemokin/base/input_error.h>
#include <chemokin/mesh/box_mesh.h>

#include <algorithm>
#include <cmath>

namespace chemokin
{
  BoundaryCondition
  parse_boundary_condition(const std::string &name)
  {
    if (name == "periodic")
      return BoundaryCondition::periodic;
    if (name == "reflecting")
      return BoundaryCondition::reflecting;
    if (name == "inflow")
      return BoundaryCondition::inflow;
    throw InputError("Domain/Boundary", "unknown boundary condition " + name);
  }

  template <int dim>
  std::vector<unsigned int>
  box_repetitions(const dealii::Point<dim> &lower, const dealii::Point<dim> &upper)
  {
    double shortest = upper[0] - lower[0];
    for (unsigned int d = 1; d < dim; ++d)
      shortest = std::min(shortest, upper[d] - lower[d]);
    std::vector<unsigned int> repetitions(dim);
    for (unsigned int d = 0; d < dim; ++d)
      repetitions[d] = std::max<unsigned int>(
        1, std::lround((upper[d] - lower[d]) / shortest));
    return repetitions;
  }

  template <int dim>
  std::unique_ptr<dealii::parallel::TriangulationBase<dim>>
  make_box_mesh(const MPI_Comm &              comm,
                const dealii::Point<dim> &    lower,
                const dealii::Point<dim> &    upper,
                const std::array<bool, dim> & periodic,
                const unsigned int            refinement)
  {
    return make_box_mesh<dim>(
      comm, lower, upper, periodic, box_repetitions(lower, upper), refinement);
  }

  template <int dim>
  std::unique_ptr<dealii::parallel::TriangulationBase<dim>>
  make_box_mesh(const MPI_Comm &                 comm,
                const dealii::Point<dim> &       lower,
                const dealii::Point<dim> &       upper,
                const std::array<bool, dim> &    periodic,
                const std::vector<unsigned int> &repetitions,
                const unsigned int               refinement)
  {
    std::unique_ptr<dealii::parallel::TriangulationBase<dim>> tria;
    if constexpr (dim == 1)
      tria = std::make_unique<dealii::parallel::shared::Triangulation<dim>>(
        comm,
        // neighbours differ by one level at most, as p4est's 2:1 balance
        // keeps them in d >= 2 (what the DG face terms expect)
        dealii::Triangulation<dim>::limit_level_difference_at_vertices,
        false,
        dealii::parallel::shared::Triangulation<dim>::partition_zorder);
    else
      tria = std::make_unique<dealii::parallel::distributed::Triangulation<dim>>(
        comm);

    dealii::GridGenerator::subdivided_hyper_rectangle(
      *tria, repetitions, lower, upper, true);

    std::vector<dealii::GridTools::PeriodicFacePair<
      typename dealii::Triangulation<dim>::cell_iterator>>
      pairs;
    for (unsigned int d = 0; d < dim; ++d)
      if (periodic[d])
        dealii::GridTools::collect_periodic_faces(
          static_cast<dealii::Triangulation<dim> &>(*tria), 2 * d, 2 * d + 1, d, pairs);
    if (!pairs.empty())
      tria->add_periodicity(pairs);

    tria->refine_global(refinement);
    return tria;
  }

  template std::unique_ptr<dealii::parallel::TriangulationBase<1>>
  make_box_mesh<1>(const MPI_Comm &,
                   const dealii::Point<1> &,
                   const dealii::Point<1> &,
                   const std::array<bool, 1> &,
                   unsigned int);
  template std::unique_ptr<dealii::parallel::TriangulationBase<2>>
  make_box_mesh<2>(const MPI_Comm &,
                   const dealii::Point<2> &,
                   const dealii::Point<2> &,
                   const std::array<bool, 2> &,
                   unsigned int);
  template std::unique_ptr<dealii::parallel::TriangulationBase<3>>
  make_box_mesh<3>(const MPI_Comm &,
                   const dealii::Point<3> &,
                   const dealii::Point<3> &,
                   const std::array<bool, 3> &,
                   unsigned int);
  template std::unique_ptr<dealii::parallel::TriangulationBase<1>>
  make_box_mesh<1>(const MPI_Comm &,
                   const dealii::Point<1> &,
                   const dealii::Point<1> &,
                   const std::array<bool, 1> &,
                   const std::vector<unsigned int> &,
                   unsigned int);
  template std::vector<unsigned int>
  box_repetitions<1>(const dealii::Point<1> &, const dealii::Point<1> &);
  template std::unique_ptr<dealii::parallel::TriangulationBase<2>>
  make_box_mesh<2>(const MPI_Comm &,
                   const dealii::Point<2> &,
                   const dealii::Point<2> &,
                   const std::array<bool, 2> &,
                   const std::vector<unsigned int> &,
                   unsigned int);
  template std::vector<unsigned int>
  box_repetitions<2>(const dealii::Point<2> &, const dealii::Point<2> &);
  template std::unique_ptr<dealii::parallel::TriangulationBase<3>>
  make_box_mesh<3>(const MPI_Comm &,
                   const dealii::Point<3> &,
                   const dealii::Point<3> &,
                   const std::array<bool, 3> &,
                   const std::vector<unsigned int> &,
                   unsigned int);
  template std::vector<unsigned int>
  box_repetitions<3>(const dealii::Point<3> &, const dealii::Point<3> &);
} // namespace chemokin
