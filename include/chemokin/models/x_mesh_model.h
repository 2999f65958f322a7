#pragma once

#include <deal.II/base/mpi.h>
#include <deal.II/grid/cell_id.h>

#include <chemokin/base/memory.h>
#include <chemokin/checkpoint/state.h>
#include <chemokin/mesh/x_adaptivity.h>
#include <chemokin/mesh/x_mesh.h>
#include <chemokin/models/interface.h>
#include <chemokin/models/model_inputs.h>
#include <chemokin/velocity/velocity_mesh.h>

#include <map>
#include <string>
#include <vector>

namespace chemokin
{
  namespace Signal
  {
    template <int dim>
    class FieldCoupling;
  }

  namespace Models
  {
    /**
     * The flags of `Adaptive refinement` (@p adaptivity) on @p mesh from the
     * density @p rho and the fields of @p coupling (nullptr or not attached
     * yet: none): refine
     * where they vary. Whether any cell is flagged (collective).
     */
    template <int dim>
    bool
    mark_x_mesh(XMesh<dim> &                mesh,
                const XAdaptivity<dim> &    adaptivity,
                PhaseVector                 rho,
                Signal::FieldCoupling<dim> *coupling);

    /** The fields of @p signal at the x-nodes into @p moments (none for a formula). */
    template <int dim>
    void
    add_field_moments(Moments<dim> &moments, Signal::Interface<dim> &signal);

    /**
     * Adapt @p mesh by its flags, carrying @p lanes and the fields of
     * @p coupling (nullptr or not attached yet: none) along; the lanes on
     * the new mesh.
     */
    template <int dim>
    std::vector<std::vector<double>>
    adapt_x_mesh(XMesh<dim> &                                   mesh,
                 const std::vector<typename XMesh<dim>::Lanes> &lanes,
                 Signal::FieldCoupling<dim> *                   coupling);

    /**
     * What every kinetic model whose unknowns live on the x-mesh has, in one
     * place: the inputs, the XMesh, the solution vector, the step count, the
     * initial adaptation cycles, x- and v-adaptation (every lane of the
     * solution moves with the mesh), the field coupling of a
     * reaction-diffusion signal, the common statistics and the checkpoint.
     *
     * The solution has `lanes_per_velocity` values per (x-DoF, velocity
     * node), velocity-major: 1 for run and tumble, the y-cells and the lag
     * for the moving frame. A model adds only its operators (setup_operators(),
     * kinetic_step()), its initial data (set_initial_condition()) and its own
     * diagnostics (kinetic_moments(), add_model_statistics(), the
     * save_model_state()/load_model_state() of what only it keeps).
     *
     * `both` runs two of them on one mesh: a model initialized with a
     * leader takes its mesh and velocities, and then every adaptation in x
     * and v from it instead of marking its own, so that the two stay node
     * by node the same discretization (the leader advances first).
     *
     * Interface is a virtual base: the internal-state models also derive
     * from InternalStateInterface.
     */
    template <int dim>
    class XMeshModel : public virtual Interface<dim>
    {
    public:
      void
      advance(double time, double dt) final;

      const PhaseSpace<dim> &
      x_space() const final
      {
        return mesh.space();
      }

      const VelocitySet<dim> &
      velocities() const final
      {
        return inputs.velocities;
      }

      /** kinetic_moments() and the signal's fields */
      void
      compute_moments(Moments<dim> &moments) const final;

      /**
       * add_model_statistics(), then min_value, dofs, cells, velocities and
       * the signal's columns.
       */
      void
      add_statistics(StatisticsRow &row) const final;

      /**
       * The solution by cell (which holds the adapted x-mesh), the step
       * count, the velocity mesh, save_model_state() and the fields, under
       * the keys of the model's name.
       */
      void
      save(Checkpoint::Writer &writer) const final;

      void
      load(const Checkpoint::Reader &reader) final;

      /** The solution, [x-DoF][velocity][lane] on solution_space(). */
      const PhaseVector &
      solution() const
      {
        return solution_vector;
      }

    protected:
      /**
       * @p name keys the checkpoint entries (`model.<name>.*`, the fields'
       * `<name>_signal`); @p solution_key the solution's cell data.
       */
      XMeshModel(ModelInputs<dim> &&inputs,
                 const MPI_Comm &   comm,
                 const std::string &name,
                 const std::string &solution_key);

      /**
       * The set-up the derived constructor calls last (the hooks are its
       * own): operators and initial data, then the initial cycles that
       * resolve the initial law in v and the initial density in x (refine
       * where they vary, set the data anew), or with @p leader its mesh and
       * velocities; then the positivity limiter and the field coupling.
       */
      void
      initialize(const XMeshModel<dim> *leader = nullptr);

      /** The layout of the solution on the current mesh and velocities. */
      virtual const PhaseSpace<dim> &
      solution_space() const = 0;

      /** Operators (and solution_space()) for the current mesh and velocities. */
      virtual void
      setup_operators() = 0;

      /** The initial data on the current mesh and velocities. */
      virtual void
      set_initial_condition() = 0;

      /** One step of the kinetic equation, the signal frozen. */
      virtual void
      kinetic_step(double time, double dt) = 0;

      /** Density and flux at the x-nodes (and what the model keeps of them). */
      virtual void
      kinetic_moments(Moments<dim> &moments) const = 0;

      /** rho at the x-nodes: for the indicator of `Adapt x` and the fields. */
      virtual void
      density(PhaseVector &rho) const;

      /**
       * The density in (x, v), [owned x-node][v], for the indicator of
       * `Adapt v` (default: the solution itself, one lane per velocity).
       */
      virtual std::vector<double>
      velocity_profiles() const;

      /** The smallest density value (for `min_value`). */
      virtual double
      min_value() const;

      /** Columns of this model, ahead of the common ones. */
      virtual void
      add_model_statistics(StatisticsRow &) const
      {}

      /** Scalar state beyond the solution and the step count. */
      virtual void
      save_model_state(Checkpoint::State &) const
      {}

      virtual void
      load_model_state(const Checkpoint::State &)
      {}

      /**
       * Restore a layout of the lanes that the model changed itself (the
       * u-axis of the frame relative to the signal) before the solution is
       * read; whether it did (the operators are then set up anew).
       */
      virtual bool
      load_layout(const Checkpoint::State &)
      {
        return false;
      }

      /**
       * The solution was replaced (adaptation, checkpoint): forget what was
       * kept of the old one (an integrator's history).
       */
      virtual void
      solution_replaced()
      {}

      /**
       * The solution was changed between two steps on the same mesh (the
       * positivity limiter clipped it): an integrator that keeps its own
       * copy of the state must take the new one.
       */
      virtual void
      solution_modified()
      {
        solution_replaced();
      }

      ModelInputs<dim> inputs;
      MPI_Comm         comm;
      XMesh<dim>       mesh;
      /** values per (x-DoF, velocity); set before initialize() */
      unsigned int lanes_per_velocity = 1;
      /**
       * bytes the model keeps per unknown (Memory::bytes_per_*_unknown), for
       * the memory check before a refinement; set before initialize()
       */
      double bytes_per_unknown = Memory::bytes_per_explicit_unknown;
      /** lanes the positivity limiter leaves alone (limit_positivity's skip_every) */
      unsigned int positivity_skip = 0;
      PhaseVector  solution_vector;
      /**
       * Vectors beside the solution with one value per (x-DoF, velocity) of
       * mesh.space(), by checkpoint key (the lag of the frame relative to
       * the signal): they move with the x- and v-mesh as the solution does
       * and are saved with it. The model registers them in its constructor
       * (they must outlive it); setup_operators() leaves their values alone.
       */
      std::vector<std::pair<std::string, PhaseVector *>> velocity_fields;
      /** the time of the solution, and the steps taken */
      double       time_now = 0;
      unsigned int steps    = 0;

    private:
      /** The refinement flags from the density and the fields (or the leader's); whether any. */
      bool
      mark_cells();

      /**
       * Drop the refinement flags if the refined mesh would not fit into
       * `Memory limit` (the old and the new solution live side by side
       * during the transfer); one warning per run. Collective.
       */
      void
      keep_refinement_within_memory();

      /** Adapt the x-mesh and carry every lane (and the fields) over. */
      void
      adapt_mesh();

      /** Adapt the velocity mesh and carry every lane over. */
      void
      adapt_velocities();

      /** refinement (1) and coarsening (2) flags on the cells of @p flags */
      void
      set_flags(const std::map<dealii::CellId, char> &flags);

      /** the coupling saw a new phase-space layout of the same x-DoFs */
      void
      velocities_changed();

      std::string name, solution_key;
      /** `both`: the model whose adaptations this one repeats */
      const XMeshModel<dim> *leader = nullptr;
      /** the last adaptations, for a follower: the flagged cells (1 refine, 2 coarsen), the v-transfer */
      std::map<dealii::CellId, char> last_flags;
      /** the flags of the initial cycles, for a follower to repeat them */
      std::vector<std::map<dealii::CellId, char>> initial_flags;
      /** whether the memory limit has stopped a refinement (warned once) */
      bool refinement_capped = false;
      /** this rank's resident memory (KiB) when the model was made */
      unsigned long resident_before_model = 0;
      bool                   last_x_adapted = false;
      VelocityMesh::Transfer last_v_transfer;
      bool                   last_v_adapted = false;
    };
  } // namespace Models
} // namespace chemokin
