#pragma once

#include <chemokin/velocity/velocity_set.h>

#include <utility>
#include <vector>

namespace chemokin
{
  /**
   * The velocity set as a DG mesh in v (DESIGN §9): a mesh of a
   * one-dimensional parameter s, `points` Gauss nodes in each cell, so the
   * mass matrix is diagonal (the Gauss weights times the cell width) and the
   * kernels stay velocity-innermost. Two charts:
   *  - `line`, d = 1: v = s on [-c, c] (the `ball` interval);
   *  - `circle`, d = 2: v = c (cos s, sin s), s in [0, 2 pi), periodic (the
   *    `sphere` circle).
   * Cells are bisected and merged again (adapt()); no derivative in v
   * appears, so neighbouring cells may differ by any number of levels.
   *
   * The mesh is kept symmetric under the mirror reflections of the
   * reflecting walls (v_j -> -v_j, which map s -> -s on the line; s -> pi - s
   * (j = 0) and s -> -s (j = 1) on the circle): the coarse mesh is, and a
   * flag on a cell is copied to its images. So every node keeps a mirror
   * partner of equal weight and the reflection stays exact. Periodic and
   * inflow walls need no symmetry, and the mesh may refine on one side only.
   */
  class VelocityMesh
  {
  public:
    enum class Chart
    {
      line,
      circle
    };

    /** @p coarse_cells equal cells (even, for the symmetry). */
    VelocityMesh(Chart chart, double speed, unsigned int coarse_cells, unsigned int points);

    /** The nodes, weights, measure and mirrors of the current mesh. */
    template <int dim>
    VelocitySet<dim>
    velocity_set() const;

    unsigned int
    n_cells() const
    {
      return cells.size();
    }

    unsigned int
    points_per_cell() const
    {
      return points;
    }

    /** The refinement level of cell @p c (0: a coarse cell). */
    unsigned int
    level(unsigned int c) const
    {
      return cells[c].first;
    }

    /**
     * The weights that extrapolate a cell's nodal values to its ends:
     * value(left) = sum_q first[q] f_q, value(right) = sum_q second[q] f_q.
     */
    std::pair<std::vector<double>, std::vector<double>>
    end_weights() const;

    /** Parameter interval [left, right] of cell @p c. */
    std::pair<double, double>
    interval(unsigned int c) const;

    /**
     * The cells before and after @p c along s (across s = 0 on the circle;
     * numbers::invalid_unsigned_int at the ends of the line).
     */
    std::pair<unsigned int, unsigned int>
    neighbors(unsigned int c) const;

    /** new values = sum over old values: rows of (old node, coefficient). */
    struct Transfer
    {
      std::vector<unsigned int> row_start;
      std::vector<unsigned int> column;
      std::vector<double>       value;

      /** new[k'] = sum T(k', k) old[k] for @p n_lanes interleaved lanes per node. */
      void
      apply(const double *old_values, double *new_values, unsigned int n_lanes) const;
    };

    /**
     * Bisect the cells with flag +1 (below @p max_level), merge pairs of
     * sibling cells whose flags are both -1, after copying flags to the
     * images under the reflections of the axes j with @p mirror[j] (a
     * refinement wins over a coarsening). Returns whether the mesh
     * changed and, in @p transfer, the map of nodal values: interpolation of
     * the cell polynomial to the children, L2 projection of the children to
     * the parent. Both keep sum_k w_k p_k exactly.
     */
    bool
    adapt(std::vector<int>         flags,
          unsigned int             max_level,
          const std::vector<bool> &mirror,
          Transfer &               transfer);

    /** The cells as numbers (for checkpoints) and back. */
    std::vector<double>
    save() const;

    void
    load(const std::vector<double> &data);

  private:
    /** Index of the cell [left, right] (either order, periodic), or -1. */
    int
    find(double left, double right) const;

    Chart        chart;
    double       speed;
    double       lower, upper;
    unsigned int coarse_cells;
    unsigned int points;
    /** (level, index on that level), sorted along s */
    std::vector<std::pair<unsigned int, unsigned int>> cells;
  };
} // namespace chemokin
