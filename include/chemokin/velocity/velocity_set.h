#pragma once

#include <deal.II/base/tensor.h>

#include <array>
#include <memory>
#include <string>
#include <vector>

namespace chemokin
{
  class VelocityMesh;

  /**
   * The discrete velocity space: nodes v_k and weights w_k such that
   * sum_k w_k f(v_k) approximates the integral of f over V. The weights sum
   * to |V| (`measure`). The phase-space vector stores, for every spatial
   * degree of freedom, the values at all nodes contiguously.
   */
  template <int dim>
  struct VelocitySet
  {
    std::vector<dealii::Tensor<1, dim>> nodes;
    std::vector<double>                 weights;
    /** |V|: the weights sum to it. */
    double measure = 0;

    /**
     * The DG mesh in v the nodes come from (`sphere` in d = 2, `ball` in
     * d = 1), which `Adapt v` refines; nullptr for the other sets.
     */
    std::shared_ptr<const VelocityMesh> mesh;

    unsigned int
    size() const
    {
      return nodes.size();
    }

    /** max_k |v_k|. */
    double
    max_speed() const;

    /**
     * For every axis j, the index of the node v_k - 2 (v_k)_j e_j (the
     * specular reflection at a wall normal to e_j), or
     * numbers::invalid_unsigned_int where the set has no such node of equal
     * weight. Computed by compute_mirrors().
     */
    std::array<std::vector<unsigned int>, dim> mirror;

    void
    compute_mirrors();

    /** Whether every node has a mirror partner along every axis. */
    bool
    is_symmetric() const;

    /**
     * Every node repeated copy_weights.size() times in a row (node k, copy
     * j at k * copies + j), with weight w_k * copy_weights[j]; a mirror
     * maps copy j to copy j of the mirror node. The lanes of the moving
     * frame: each velocity's y-cells and lag move with that velocity.
     */
    VelocitySet<dim>
    repeated(const std::vector<double> &copy_weights, double measure_factor) const;
  };
} // namespace chemokin
