#pragma once

#include <chemokin/mesh/phase_space.h>

#include <array>
#include <cstddef>
#include <vector>

namespace chemokin
{
  /**
   * Growing and shrinking the internal-variable axis that every (x-node,
   * velocity) lane shares: the u-axis of the frame relative to the signal,
   * the y-axis of the moving frame (DESIGN §8, §11). An axis grows at an
   * end whose last eighth of cells holds more than the tail tolerance of
   * the mass, and gives an eighth back where its last quarter holds at most
   * a hundredth of it (never below its initial extent), so that it follows
   * the mass both ways without growing and shrinking in turn. A lane is @p n_cells cells every
   * @p stride entries of the solution (stride > n_cells: entries after the
   * cells, the moving frame's lag); lane a = i n_v + k belongs to x-node i
   * and velocity k.
   */
  namespace LaneAxisGrowth
  {
    /** The masses end_masses() finds. */
    struct EndMasses
    {
      /** in the first and in the last `end` cells of every lane (of |q|) */
      double low = 0, high = 0;
      /** in all cells */
      double total = 0;
      /** in the first and in the last 2 `end` cells (of |q|) */
      double low_wide = 0, high_wide = 0;

      /** the lower (upper) end's `end` cells hold more than @p tolerance of the mass */
      bool
      too_full(const bool lower, const double tolerance) const
      {
        return (lower ? low : high) > tolerance * total;
      }

      /** its 2 `end` cells hold at most a hundredth of @p tolerance of the mass */
      bool
      nearly_empty(const bool lower, const double tolerance) const
      {
        return (lower ? low_wide : high_wide) <= 0.01 * tolerance * total;
      }
    };

    /**
     * Mass in the first @p end cells of every lane, in the last @p end
     * cells, in all cells, and in the first and last 2 @p end cells (the
     * ends of |q|),
     * weighted by node_weight[i] * velocity_weights[k] and summed over the
     * ranks (collective).
     */
    EndMasses
    end_masses(const PhaseVector &        q,
               const std::vector<double> &node_weight,
               unsigned int               n_nodes,
               const std::vector<double> &velocity_weights,
               unsigned int               n_cells,
               unsigned int               stride,
               unsigned int               end,
               const MPI_Comm &           comm);

    /**
     * Copy the @p n_lanes lanes of @p old into @p resized, whose lanes have
     * @p below more cells at the lower end and @p above more at the upper
     * (negative: fewer). New cells are empty; the values of cells that go
     * are added to the end cell that stays, so every lane keeps its mass to
     * round-off (what moves is at most what nearly_empty() allowed). The
     * entries after the cells (stride - n_cells of them, the moving frame's
     * lag) follow the new cells.
     */
    void
    copy_resized(const PhaseVector &old,
                 PhaseVector &      resized,
                 std::size_t        n_lanes,
                 unsigned int       n_cells,
                 unsigned int       stride,
                 int                below,
                 int                above);
  } // namespace LaneAxisGrowth
} // namespace chemokin
