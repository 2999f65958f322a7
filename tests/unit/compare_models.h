#pragma once
// What the tests that compare two solvers of one model share: the L1
// distance and drifts of two (x, v) densities on one x-mesh, and cell
// averages of a field.
#include <chemokin/mesh/phase_space.h>
#include <chemokin/velocity/velocity_set.h>

#include <cmath>
#include <vector>

namespace test
{
  /** sum_i w_i sum_k w_k |a - b| over the x-mesh, the mass of a, and the drifts of a and b */
  struct Comparison
  {
    double l1 = 0, mass = 0, drift_a = 0, drift_b = 0;
  };

  inline Comparison
  compare(const chemokin::PhaseSpace<1> & space,
          const chemokin::VelocitySet<1> &velocities,
          const chemokin::PhaseVector &   a,
          const chemokin::PhaseVector &   b)
  {
    Comparison         c;
    const unsigned int n_v    = velocities.size();
    double             mass_b = 0;
    for (unsigned int i = 0; i < space.n_owned_dofs(); ++i)
      for (unsigned int k = 0; k < n_v; ++k)
        {
          const std::size_t index = std::size_t(i) * n_v + k;
          const double      w     = space.node_weight[i] * velocities.weights[k];
          c.l1 += w * std::abs(a.local_element(index) - b.local_element(index));
          c.mass += w * a.local_element(index);
          mass_b += w * b.local_element(index);
          c.drift_a += w * a.local_element(index) * velocities.nodes[k][0];
          c.drift_b += w * b.local_element(index) * velocities.nodes[k][0];
        }
    c.drift_a /= c.mass;
    c.drift_b /= mass_b;
    return c;
  }

  /** Cell averages of a field on the x-mesh. */
  template <int dim>
  std::vector<double>
  cell_averages(const chemokin::PhaseSpace<dim> &space, const chemokin::PhaseVector &field)
  {
    std::vector<double> result;
    for (unsigned int c = 0; c < space.cell_dofs.size(); ++c)
      {
        double sum = 0;
        for (const unsigned int i : space.cell_dofs[c])
          sum += space.node_weight[i] * field.local_element(i);
        result.push_back(sum / space.cell_measure[c]);
      }
    return result;
  }
} // namespace test
