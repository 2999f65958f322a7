#pragma once

#include <deal.II/base/mpi.h>
#include <deal.II/base/parameter_handler.h>

#include <chemokin/velocity/velocity_mesh.h>
#include <chemokin/velocity/velocity_set.h>

#include <vector>

namespace chemokin
{
  /**
   * Adaptive refinement of the velocity mesh (DESIGN §9), `subsection
   * Adaptive refinement`: one mesh in v for all x, adapted every `Steps
   * between adaptations` steps on the velocity profiles at every x-node.
   *
   * The indicator of a velocity cell c is the DG jump
   *
   *   eta_c = max over the x-nodes i and the two ends of c of
   *           |f_i on c - f_i on the neighbour| / max_{i,k} f_ik,
   *
   * with f_ik the density at node i and velocity v_k (integrated over y in
   * the moving frame), each cell's polynomial extrapolated to its ends: the
   * largest jump, relative to the peak, of the profile in v at the ends of c
   * anywhere in the box. For a smooth profile it is ~ h^q |f^(q)| (q nodes
   * per cell), so it refines the sharp peak of p(v) ∝ 1/Lambdabar(v.grad M)
   * in a strong gradient where the polynomial misses it; at a jump (v.n = 0
   * next to an inflow wall) it stays at the jump's height and refines to
   * `Maximum v level`. Where the profile is resolved everywhere the cells
   * merge again. The maximum is global, so all ranks flag the same cells.
   */
  template <int dim>
  class VAdaptivity
  {
  public:
    /** Declares `Adapt v`, `Maximum v level`, `V refine threshold`, ... */
    static void
    declare_parameters(dealii::ParameterHandler &prm);

    /**
     * Reads and checks them: @p velocities must be a velocity mesh. The
     * mesh keeps the mirror symmetry of the axes with reflecting walls
     * (@p reflecting).
     */
    VAdaptivity(dealii::ParameterHandler &prm,
                const VelocitySet<dim> &  velocities,
                const std::vector<bool> & reflecting);

    VAdaptivity() = default;

    bool
    enabled() const
    {
      return adapt_v;
    }

    bool
    due(unsigned int step) const
    {
      return adapt_v && step % interval == 0;
    }

    /** Adaptations to the initial velocity law: enough to reach the finest level. */
    unsigned int
    initial_cycles() const
    {
      return adapt_v ? max_level + 1 : 0;
    }

    /**
     * From the profiles @p f (f[i * n_v + k] at the owned x-nodes i), flag
     * and adapt the mesh of @p velocities, which is then replaced by the new
     * set. Returns whether it changed (collective); @p transfer maps the
     * nodal values of every x-node to the new nodes.
     */
    bool
    adapt(VelocitySet<dim> &          velocities,
          const std::vector<double> &f,
          const MPI_Comm &            comm,
          VelocityMesh::Transfer &    transfer) const;

    /**
     * Replace @p velocities by the set of the mesh that VelocityMesh::save()
     * wrote into @p saved (a checkpoint of an adapted run).
     */
    static void
    restore(VelocitySet<dim> &velocities, const std::vector<double> &saved);

    /** Refuse `Adapt v` for a model that does not support it. */
    void
    refuse(const std::string &why) const;

  private:
    bool         adapt_v           = false;
    unsigned int max_level         = 0;
    unsigned int interval          = 1;
    double       refine_threshold  = 0;
    double       coarsen_threshold = 0;
    std::vector<bool> mirror;
  };
} // namespace chemokin
