#pragma once

#include <cstddef>

namespace chemokin
{
  /**
   * Where the moving frame keeps its unknowns (DESIGN §8): per x-node, per
   * velocity node, a lane of n_y y-cells followed by the lag L, so that
   * the entries of one node are contiguous (the y-cells are the SIMD lane,
   * DESIGN §6):
   *
   *   [x-node i][velocity k][y-cell j = 0 ... n_y - 1, lag].
   */
  struct LaneLayout
  {
    unsigned int n_velocities;
    unsigned int n_y;

    /** entries per (x-node, velocity): the y-cells and the lag */
    unsigned int
    block() const
    {
      return n_y + 1;
    }

    /** entries per x-node */
    std::size_t
    per_node() const
    {
      return std::size_t(n_velocities) * block();
    }

    /** the first entry (y-cell 0) of velocity @p k at x-node @p i */
    std::size_t
    lane(const std::size_t i, const unsigned int k) const
    {
      return (i * n_velocities + k) * block();
    }

    /** y-cell @p j of velocity @p k at x-node @p i */
    std::size_t
    cell(const std::size_t i, const unsigned int k, const unsigned int j) const
    {
      return lane(i, k) + j;
    }

    /** the lag L of velocity @p k at x-node @p i */
    std::size_t
    lag(const std::size_t i, const unsigned int k) const
    {
      return lane(i, k) + n_y;
    }

    /** the lag of the (x-node, velocity) pair @p a = i n_v + k */
    std::size_t
    lag_of_pair(const std::size_t a) const
    {
      return a * block() + n_y;
    }

    /** whether entry @p a is a lag (not a density) */
    bool
    is_lag(const std::size_t a) const
    {
      return (a + 1) % block() == 0;
    }
  };
} // namespace chemokin
