#include <deal.II/base/mpi.h>

#include <chemokin/mesh/lane_axis_growth.h>

#include <algorithm>

namespace chemokin
{
  namespace LaneAxisGrowth
  {
    std::array<double, 3>
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
      std::array<double, 3> sums = {}; // low end, high end, all
      for (unsigned int i = 0; i < n_nodes; ++i)
        for (unsigned int k = 0; k < n_v; ++k)
          {
            const double *const lane = q.begin() + (std::size_t(i) * n_v + k) * stride;
            const double        w    = node_weight[i] * velocity_weights[k];
            for (unsigned int j = 0; j < n_cells; ++j)
              {
                sums[0] += j < end ? w * lane[j] : 0;
                sums[1] += j >= n_cells - end ? w * lane[j] : 0;
                sums[2] += w * lane[j];
              }
          }
      dealii::Utilities::MPI::sum(dealii::ArrayView<const double>(sums.data(), 3),
                                  comm,
                                  dealii::ArrayView<double>(sums.data(), 3));
      return sums;
    }

    void
    copy_into_grown(const PhaseVector &old,
                    PhaseVector &      grown,
                    const std::size_t  n_lanes,
                    const unsigned int n_cells,
                    const unsigned int stride,
                    const unsigned int below,
                    const unsigned int above)
    {
      const unsigned int new_stride = stride + below + above;
      for (std::size_t a = 0; a < n_lanes; ++a)
        {
          const double *const from = old.begin() + a * stride;
          double *const       to   = grown.begin() + a * new_stride;
          std::fill(to, to + below, 0.0);
          std::copy(from, from + n_cells, to + below);
          std::fill(to + below + n_cells, to + below + n_cells + above, 0.0);
          std::copy(from + n_cells, from + stride, to + below + n_cells + above);
        }
    }
  } // namespace LaneAxisGrowth
} // namespace chemokin
