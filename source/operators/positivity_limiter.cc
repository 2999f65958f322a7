#include <deal.II/base/mpi.h>

#include <chemokin/operators/positivity_limiter.h>

#include <algorithm>
#include <vector>

namespace chemokin
{
  template <int mesh_dim>
  unsigned int
  limit_positivity(const PhaseSpace<mesh_dim> &space,
                   PhaseVector &               vector,
                   const unsigned int          skip_every)
  {
    const unsigned int  n_v     = space.n_velocities();
    unsigned int        changed = 0;
    std::vector<double> deficit(n_v, 0.0), remaining(n_v, 0.0);
    for (const auto &dofs : space.cell_dofs)
      for (unsigned int k = 0; k < n_v; ++k)
        {
          if (skip_every > 0 && (k + 1) % skip_every == 0)
            continue;
          double weight = 0, integral = 0, minimum = 0;
          for (const unsigned int i : dofs)
            {
              const double p = vector.local_element(std::size_t(i) * n_v + k);
              weight += space.node_weight[i];
              integral += space.node_weight[i] * p;
              minimum = std::min(minimum, p);
            }
          if (minimum < 0)
            {
              // a negative average cannot be fixed inside the cell: it is set
              // to zero and its mass is taken from the others (below)
              const double average = std::max(integral / weight, 0.0);
              const double theta   = average / (average - minimum);
              if (integral < 0)
                deficit[k] -= integral;
              for (const unsigned int i : dofs)
                {
                  double &p = vector.local_element(std::size_t(i) * n_v + k);
                  // max: the node of the minimum lands on 0 up to round-off
                  p = std::max(0.0, average + theta * (p - average));
                }
              ++changed;
              integral = average * weight;
            }
          remaining[k] += integral;
        }

    // keep the total mass of every velocity node: scale it down by the
    // (small) mass of the cells that had a negative average
    const MPI_Comm comm = vector.get_mpi_communicator();
    dealii::Utilities::MPI::sum(deficit, comm, deficit);
    dealii::Utilities::MPI::sum(remaining, comm, remaining);
    for (unsigned int k = 0; k < n_v; ++k)
      if (deficit[k] > 0 && remaining[k] > 0)
        {
          const double scale = std::max(0.0, 1.0 - deficit[k] / remaining[k]);
          for (unsigned int i = 0; i < space.n_owned_dofs(); ++i)
            vector.local_element(std::size_t(i) * n_v + k) *= scale;
        }
    return changed;
  }

  template unsigned int
  limit_positivity(const PhaseSpace<1> &, PhaseVector &, unsigned int);
  template unsigned int
  limit_positivity(const PhaseSpace<2> &, PhaseVector &, unsigned int);
  template unsigned int
  limit_positivity(const PhaseSpace<3> &, PhaseVector &, unsigned int);
} // namespace chemokin
