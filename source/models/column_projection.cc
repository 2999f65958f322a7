#include <deal.II/base/quadrature_lib.h>

#include <chemokin/mesh/box_mesh.h>
#include <chemokin/models/column_projection.h>

#include <algorithm>
#include <cmath>

namespace chemokin
{
  template <int dim>
  ColumnProjection<dim>::ColumnProjection(const Domain<dim> &domain,
                                          const unsigned int refinement,
                                          const unsigned int degree)
    : domain(domain)
    , fe(dealii::QGauss<1>(degree + 1))
  {
    const auto repetitions = domain.repetitions();
    double     volume      = 1;
    for (unsigned int d = 0; d < dim; ++d)
      {
        cells_per_axis[d] = repetitions[d] << refinement;
        width[d]          = (domain.upper[d] - domain.lower[d]) / cells_per_axis[d];
        volume *= width[d];
      }
    const dealii::QGauss<dim> gauss(degree + 1);
    for (unsigned int q = 0; q < gauss.size(); ++q)
      node_weight.push_back(gauss.weight(q) * volume);
  }

  template <int dim>
  unsigned int
  ColumnProjection<dim>::cell_index(const dealii::Point<dim> &x) const
  {
    unsigned int index = 0, stride = 1;
    for (unsigned int d = 0; d < dim; ++d)
      {
        // truncation instead of std::floor: the same bin after the clamp
        // (only (-1, 0) truncates differently, to 0), without a libm call in
        // the particles' inner loop
        const double       s = (x[d] - domain.lower[d]) / width[d];
        const unsigned int i = s <= 0 ? 0 : s >= cells_per_axis[d] ? cells_per_axis[d] - 1 :
                                                                    static_cast<unsigned int>(s);
        index += stride * i;
        stride *= cells_per_axis[d];
      }
    return index;
  }

  template <int dim>
  std::vector<unsigned int>
  ColumnProjection<dim>::cells_in(const dealii::Point<dim> &lower,
                                  const dealii::Point<dim> &upper) const
  {
    // the index ranges along every axis, then their product
    std::vector<unsigned int> cells{0};
    unsigned int              stride = 1;
    for (unsigned int d = 0; d < dim; ++d)
      {
        const int first = std::lround((lower[d] - domain.lower[d]) / width[d]);
        const int end   = std::lround((upper[d] - domain.lower[d]) / width[d]);
        std::vector<unsigned int> next;
        for (const unsigned int c : cells)
          for (int i = std::max(first, 0); i < std::min<int>(std::max(end, first + 1), cells_per_axis[d]); ++i)
            next.push_back(c + stride * i);
        cells.swap(next);
        stride *= cells_per_axis[d];
      }
    return cells;
  }

  template <int dim>
  unsigned int
  ColumnProjection<dim>::n_cells() const
  {
    unsigned int n = 1;
    for (const unsigned int c : cells_per_axis)
      n *= c;
    return n;
  }

  template <int dim>
  double
  ColumnProjection<dim>::cell_volume() const
  {
    double v = 1;
    for (const double w : width)
      v *= w;
    return v;
  }

  template <int dim>
  dealii::Point<dim>
  ColumnProjection<dim>::reference_point(const unsigned int        J,
                                         const dealii::Point<dim> &x) const
  {
    dealii::Point<dim> xi;
    unsigned int       rest = J;
    for (unsigned int d = 0; d < dim; ++d)
      {
        const unsigned int i = rest % cells_per_axis[d];
        rest /= cells_per_axis[d];
        xi[d] = (x[d] - (domain.lower[d] + i * width[d])) / width[d];
      }
    return xi;
  }

  template <int dim>
  void
  ColumnProjection<dim>::clear(const unsigned int channels)
  {
    n_channels = channels;
    std::size_t n_cells = 1;
    for (const unsigned int n : cells_per_axis)
      n_cells *= n;
    coefficients.assign(n_cells * node_weight.size() * channels, 0.0);
  }

  template <int dim>
  void
  ColumnProjection<dim>::add(const dealii::Point<dim> &x,
                             const double              weight,
                             const double *            values)
  {
    const unsigned int       J  = cell_index(x);
    const dealii::Point<dim> xi = reference_point(J, x);
    double *const c = &coefficients[std::size_t(J) * node_weight.size() * n_channels];
    for (unsigned int j = 0; j < node_weight.size(); ++j)
      {
        const double phi = weight * fe.shape_value(j, xi);
        for (unsigned int k = 0; k < n_channels; ++k)
          c[j * n_channels + k] += phi * values[k];
      }
  }

  template <int dim>
  void
  ColumnProjection<dim>::finish(const MPI_Comm &comm)
  {
    dealii::Utilities::MPI::sum(coefficients, comm, coefficients);
    const std::size_t per_cell = node_weight.size() * n_channels;
    for (std::size_t i = 0; i < coefficients.size(); ++i)
      coefficients[i] /= node_weight[(i % per_cell) / n_channels];
  }

  template <int dim>
  double
  ColumnProjection<dim>::value(const unsigned int c, const dealii::Point<dim> &x) const
  {
    const unsigned int       J  = cell_index(x);
    const dealii::Point<dim> xi = reference_point(J, x);
    const double *const coefficient =
      &coefficients[std::size_t(J) * node_weight.size() * n_channels];
    double result = 0;
    for (unsigned int j = 0; j < node_weight.size(); ++j)
      result += coefficient[j * n_channels + c] * fe.shape_value(j, xi);
    return result;
  }

  template <int dim>
  void
  ColumnProjection<dim>::copy_to(const PhaseSpace<dim> &x_space,
                                 const unsigned int     first,
                                 const unsigned int     n,
                                 PhaseVector &          vector) const
  {
    for (const auto &dofs : x_space.cell_dofs)
      {
        dealii::Point<dim> centre;
        for (const unsigned int i : dofs)
          centre += x_space.node_position[i] / double(dofs.size());
        const unsigned int  J = cell_index(centre);
        const double *const c =
          &coefficients[std::size_t(J) * node_weight.size() * n_channels];
        for (unsigned int j = 0; j < dofs.size(); ++j)
          for (unsigned int k = 0; k < n; ++k)
            vector.local_element(std::size_t(dofs[j]) * n + k) =
              c[j * n_channels + first + k];
      }
  }

  template class ColumnProjection<1>;
  template class ColumnProjection<2>;
  template class ColumnProjection<3>;
} // namespace chemokin
