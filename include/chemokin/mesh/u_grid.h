#pragma once

#include <cmath>

namespace chemokin
{
  /**
   * The axis of the internal variable u in the frame relative to the
   * signal (DESIGN §11): n uniform finite-volume cells of size h from
   * `lower`. It is shared by every x-node and velocity, and grows or
   * shrinks at an end by whole cells (LaneAxisGrowth).
   */
  struct UGrid
  {
    double       lower = 0;
    double       h     = 1;
    unsigned int n     = 0;

    double
    center(const unsigned int j) const
    {
      return lower + (j + 0.5) * h;
    }

    /** the face between cells j - 1 and j */
    double
    face(const unsigned int j) const
    {
      return lower + j * h;
    }

    double
    upper() const
    {
      return lower + n * h;
    }

    /** @p below cells more at the lower end, @p above at the upper */
    UGrid
    grown(const unsigned int below, const unsigned int above) const
    {
      return {lower - below * h, h, n + below + above};
    }

    /** @p below cells fewer at the lower end, @p above at the upper */
    UGrid
    shrunk(const unsigned int below, const unsigned int above) const
    {
      return {lower + below * h, h, n - below - above};
    }
  };
} // namespace chemokin
