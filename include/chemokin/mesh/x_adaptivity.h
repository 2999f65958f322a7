#pragma once

#include <deal.II/base/parameter_handler.h>

#include <chemokin/mesh/x_mesh.h>

namespace chemokin
{
  /**
   * Adaptive refinement of the x-mesh (DESIGN §9), `subsection Adaptive
   * refinement`: every `Steps between adaptations` steps the models ask
   * mark() for refinement and coarsening flags from the density, then move
   * their vectors with XMesh::refine_and_coarsen() and rebuild their
   * operators on the new mesh.
   *
   * The indicator of a cell K is the relative variation of the density
   *
   *   eta_K = (max - min of rho over the nodes of K and of its face
   *            neighbours) / max_x rho,
   *
   * which measures the jump across the faces of K as well as the variation
   * inside it (DG(0) included). A smooth profile has eta_K ~ 2 h |grad rho|
   * / max rho, so refining until eta < `Refine threshold` resolves it to that
   * fraction of its peak per cell; a jump keeps eta at its relative height
   * and is refined to `Maximum x level`. Because the neighbours of a front
   * cell see its nodes, the refined zone reaches one cell beyond the front
   * on each side, which keeps a moving front inside the fine cells between
   * adaptations. The flags depend on the solution only (thresholds against
   * the global maximum), not on the partition, so runs on any number of
   * ranks refine the same cells.
   */
  template <int dim>
  class XAdaptivity
  {
  public:
    /** Declares `Adapt x`, `Maximum x level`, ... of `Adaptive refinement`. */
    static void
    declare_parameters(dealii::ParameterHandler &prm);

    /** Reads and checks them; @p refinement is `Discretization/Refinement`. */
    XAdaptivity(dealii::ParameterHandler &prm, unsigned int refinement);

    /** Off: the x-mesh of `Discretization/Refinement`, as before. */
    XAdaptivity() = default;

    bool
    enabled() const
    {
      return adapt;
    }

    /** Whether to adapt after step number @p step (counted from 1). */
    bool
    due(unsigned int step) const
    {
      return adapt && step % interval == 0;
    }

    /** `Maximum x level` (with `Adapt x`; else 0). */
    unsigned int
    maximum_level() const
    {
      return max_level;
    }

    /** How many times to adapt to the initial data: enough to reach any level. */
    unsigned int
    initial_cycles() const
    {
      return adapt ? max_level - min_level + 1 : 0;
    }

    /**
     * Set the refinement and coarsening flags of @p mesh from the density
     * @p density (one value per owned x-DoF, as Moments::density). Returns
     * whether any cell changes (collective).
     */
    bool
    mark(XMesh<dim> &mesh, const PhaseVector &density) const;

    /**
     * The same for several functions on the x-nodes (the density and the
     * fields of a reaction-diffusion signal): the indicator of a cell is the
     * largest of theirs, each relative to its own maximum modulus.
     */
    bool
    mark(XMesh<dim> &mesh, const std::vector<PhaseVector> &functions) const;

    /** Refuse `Adapt x` for a model that does not support it. */
    void
    refuse(const std::string &why) const;

  private:
    bool         adapt             = false;
    unsigned int max_level         = 0;
    unsigned int min_level         = 0;
    unsigned int interval          = 1;
    double       refine_threshold  = 0;
    double       coarsen_threshold = 0;
  };
} // namespace chemokin
