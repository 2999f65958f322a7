#pragma once

#include <deal.II/base/mpi.h>
#include <deal.II/base/point.h>
#include <deal.II/fe/fe_dgq.h>

#include <chemokin/mesh/domain.h>
#include <chemokin/mesh/phase_space.h>

#include <vector>

namespace chemokin
{
  /**
   * L2 projection of functions of (x, m) integrated over m onto DG(k) in x,
   * on the uniform x-grid of the box (the x-mesh of `Refinement` global
   * levels, which every (x, m)-cell lies inside). With the Gauss-node DG
   * basis the mass matrix is diagonal, so the coefficient of x-node j of
   * x-cell J is
   *
   *   c_J,j = (sum over (x, m)-nodes i in column J of w_i phi_j(x_i) f_i) / W_J,j,
   *
   * exact when f is the DG solution (the integrand is a polynomial of degree
   * 2k in x on every (x, m)-cell). Every rank adds the contributions of its
   * own cells to an array over the whole grid, which one Allreduce
   * completes: the two meshes may be partitioned independently.
   */
  template <int dim>
  class ColumnProjection
  {
  public:
    ColumnProjection(const Domain<dim> &domain,
                     unsigned int       refinement,
                     unsigned int       degree);

    /** Start a projection of @p channels functions. */
    void
    clear(unsigned int channels);

    /** Add w * values[c] phi_j(x) to every coefficient (j, c) of x's cell. */
    void
    add(const dealii::Point<dim> &x, double weight, const double *values);

    /** Sum over ranks and divide by the diagonal mass matrix. */
    void
    finish(const MPI_Comm &comm);

    /** The projection of channel @p c at the point @p x. */
    double
    value(unsigned int c, const dealii::Point<dim> &x) const;

    /**
     * Copy channels [first, first + n) into a vector on @p x_space laid out
     * as [x-DoF][n] (the layout of a phase-space vector when n = n_v).
     */
    void
    copy_to(const PhaseSpace<dim> &x_space,
            unsigned int           first,
            unsigned int           n,
            PhaseVector &          vector) const;

    /** Index of the uniform x-cell containing @p x. */
    unsigned int
    cell_index(const dealii::Point<dim> &x) const;

    /**
     * The uniform x-cells that make up the box [@p lower, @p upper] (a cell
     * of an adapted x-mesh no finer than this grid).
     */
    std::vector<unsigned int>
    cells_in(const dealii::Point<dim> &lower, const dealii::Point<dim> &upper) const;

    /** Number of cells of the uniform x-grid. */
    unsigned int
    n_cells() const;

    /** Volume of one cell of the uniform x-grid. */
    double
    cell_volume() const;

  private:
    dealii::Point<dim> reference_point(unsigned int J, const dealii::Point<dim> &x) const;

    Domain<dim>                          domain;
    std::array<unsigned int, dim>        cells_per_axis;
    std::array<double, dim>              width;
    dealii::FE_DGQArbitraryNodes<dim>    fe;
    std::vector<double>                  node_weight; // reference, times cell volume
    unsigned int                         n_channels = 0;
    std::vector<double>                  coefficients; // [J][j][c]
  };
} // namespace chemokin
