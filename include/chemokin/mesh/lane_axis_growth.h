#pragma once

#include <chemokin/mesh/phase_space.h>

#include <array>
#include <cstddef>
#include <vector>

namespace chemokin
{
  /**
   * Growing the internal-variable axis that every (x-node, velocity) lane
   * shares: the u-axis of the frame relative to the signal, the y-axis of
   * the moving frame (DESIGN §8, §11). A lane is @p n_cells cells every
   * @p stride entries of the solution (stride > n_cells: entries after the
   * cells, the moving frame's lag); lane a = i n_v + k belongs to x-node i
   * and velocity k.
   */
  namespace LaneAxisGrowth
  {
    /**
     * Mass in the first @p end cells of every lane, in the last @p end
     * cells, and in all cells, weighted by node_weight[i] * velocity_weights[k]
     * and summed over the ranks (collective).
     */
    std::array<double, 3>
    end_masses(const PhaseVector &        q,
               const std::vector<double> &node_weight,
               unsigned int               n_nodes,
               const std::vector<double> &velocity_weights,
               unsigned int               n_cells,
               unsigned int               stride,
               unsigned int               end,
               const MPI_Comm &           comm);

    /**
     * Copy the @p n_lanes lanes of @p old into @p grown, whose lanes have
     * @p below empty cells before the old cells and @p above after them;
     * the entries after the cells (stride - n_cells of them) follow the
     * new cells. Mass is kept exactly: no value changes.
     */
    void
    copy_into_grown(const PhaseVector &old,
                    PhaseVector &      grown,
                    std::size_t        n_lanes,
                    unsigned int       n_cells,
                    unsigned int       stride,
                    unsigned int       below,
                    unsigned int       above);
  } // namespace LaneAxisGrowth
} // namespace chemokin
