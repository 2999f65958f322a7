#include <deal.II/base/mpi.h>

#include <chemokin/mesh/lane_axis_growth.h>

#include <algorithm>
#include <cmath>

namespace chemokin
{
  namespace LaneAxisGrowth
  {
    EndMasses
    end_masses(const PhaseVector &        q,
               const std::vector<double> &node_weight,
               const unsigned int         n_nodes,
               const std::vector<double> &velocity_weights,
               const unsigned int         n_cells,
               const unsigned int         stride,
               const unsigned int         end,
               const MPI_Comm &           comm)
    {
      const unsigned int    n_v  = velocity_weights.size();
      const unsigned int    wide = std::min(2 * end, n_cells);
      std::array<double, 5> sums = {}; // low end, high end, all, low wide end, high wide end
      for (unsigned int i = 0; i < n_nodes; ++i)
        for (unsigned int k = 0; k < n_v; ++k)
          {
            const double *const lane = q.begin() + (std::size_t(i) * n_v + k) * stride;
            const double        w    = node_weight[i] * velocity_weights[k];
            // the ends by |q|: the x-transport's DG may leave small
            // negative values, which must not hide the mass next to them
            for (unsigned int j = 0; j < n_cells; ++j)
              {
                const double mass = w * lane[j], size = std::abs(mass);
                sums[0] += j < end ? size : 0;
                sums[1] += j >= n_cells - end ? size : 0;
                sums[2] += mass;
                sums[3] += j < wide ? size : 0;
                sums[4] += j >= n_cells - wide ? size : 0;
              }
          }
      dealii::Utilities::MPI::sum(dealii::ArrayView<const double>(sums.data(), sums.size()),
                                  comm,
                                  dealii::ArrayView<double>(sums.data(), sums.size()));
      EndMasses masses;
      masses.low       = sums[0];
      masses.high      = sums[1];
      masses.total     = sums[2];
      masses.low_wide  = sums[3];
      masses.high_wide = sums[4];
      return masses;
    }

    void
    copy_resized(const PhaseVector &old,
                 PhaseVector &      resized,
                 const std::size_t  n_lanes,
                 const unsigned int n_cells,
                 const unsigned int stride,
                 const int          below,
                 const int          above)
    {
      // old cell j is new cell j + below; old cells outside [0, n_new) fold
      // into the nearest end cell
      const int n_new      = int(n_cells) + below + above;
      const int new_stride = int(stride) + below + above;
      for (std::size_t a = 0; a < n_lanes; ++a)
        {
          const double *const from = old.begin() + a * stride;
          double *const       to   = resized.begin() + a * new_stride;
          std::fill(to, to + n_new, 0.0);
          for (int j = 0; j < int(n_cells); ++j)
            to[std::clamp(j + below, 0, n_new - 1)] += from[j];
          std::copy(from + n_cells, from + stride, to + n_new);
        }
    }
  } // namespace LaneAxisGrowth
} // namespace chemokin
