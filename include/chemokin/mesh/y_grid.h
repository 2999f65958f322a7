#pragma once

#include <vector>

namespace chemokin
{
  /**
   * The y-axis of the moving frame (DESIGN §8), y = (m - N(t,x,v))/eps:
   * n uniform finite-volume cells on [-Y, Y]. An unknown is the value of
   * q(y), the density in y, at a cell centre y_j, and integrals in y are
   * sums with the weight h: the midpoint rule, which for the smooth,
   * rapidly decaying profiles in y is spectrally accurate (for the standard
   * normal density and h = 1/4 its error is below e^{-300}): moments of the
   * Maxwellian and the averaged frequency sum_j h lambda(y_j - mu) M_j =
   * Lambdabar(mu) of (1.12) come out exact to round-off.
   *
   * Why finite volumes: the Ornstein-Uhlenbeck operator written as
   * d_y[M d_y(q/M)] (M the standard normal density) has a two-point flux
   * (OrnsteinUhlenbeck) that keeps the discrete Maxwellian exactly
   * stationary, conserves mass to round-off, and gives an M-matrix, so the
   * implicit step keeps q >= 0; the shifts y -> y + s of the tumbling gain
   * are conservative overlap remaps of cells. All of it costs O(n) per
   * (x, v) lane. Accuracy is second order in the cell size.
   */
  class YGrid
  {
  public:
    /** @p half_width Y > 0, @p n_cells >= 2. */
    YGrid(double half_width, unsigned int n_cells);

    unsigned int
    size() const
    {
      return centers.size();
    }

    double
    cell_size() const
    {
      return h;
    }

    double
    half_width() const
    {
      return Y;
    }

    /** Cell centres y_j. */
    std::vector<double> centers;
    /**
     * The discrete Maxwellian: the standard normal density at the centres,
     * scaled so that sum_j h maxwellian_j = 1 exactly.
     */
    std::vector<double> maxwellian;

    /**
     * Conservative remap of cell values @p source, shifted by @p shift
     * (a cell at y moves to y + shift), added with factor @p factor into
     * @p target: each shifted cell is split between the two cells it
     * overlaps, in proportion to the overlap (linear interpolation of the
     * cell values at the shifted centres, second order); what would leave
     * [-Y, Y] stays in the end cell. sum_j target_j grows by exactly
     * factor * sum_j source_j.
     */
    void
    add_shifted(const double *source, double shift, double factor, double *target) const;

    /**
     * The same remap between two grids of cell size h whose cells are
     * offset by whole cells: source cell j (of @p n_source) at y_j moves to
     * y_j + shift, on a target grid of @p n_target cells whose cell
     * j + @p offset has the centre y_j. What lands outside the target stays
     * in its end cells; the target's sum grows by factor * sum(source).
     */
    void
    remap(const double *source,
          int           n_source,
          double        shift,
          double        factor,
          double *      target,
          int           n_target,
          int           offset) const;

  private:
    double Y;
    double h;
  };
} // namespace chemokin
