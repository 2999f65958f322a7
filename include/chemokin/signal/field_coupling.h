#pragma once

#include <chemokin/base/formula.h>
#include <chemokin/checkpoint/state.h>
#include <chemokin/mesh/domain.h>
#include <chemokin/mesh/x_mesh.h>
#include <chemokin/signal/field_equations.h>
#include <chemokin/signal/field_solver.h>
#include <chemokin/signal/interface.h>

#include <functional>
#include <memory>
#include <unordered_map>

namespace chemokin
{
  namespace Signal
  {
    /**
     * The coupling of a kinetic model to the fields it changes (DESIGN §10):
     * the fields S_j on the model's x-mesh (FieldSolver), driven by its
     * density, and M = f(S, x, t) with its derivatives frozen at the nodes
     * for the kinetic step. A model reaches it through
     * Signal::Interface::coupling() (nullptr for signals the bacteria do not
     * change) and calls it at three points:
     *
     *  1. density in: attach() once, with the model's density at the x-nodes
     *     (asked for again at every step);
     *  2. step(): around every kinetic step, the Strang splitting
     *
     *       F(dt/2) K(dt) F(dt/2)
     *
     *     of the fields F (the bacteria frozen) and the kinetic model K (the
     *     fields frozen at t + dt/2). The F(dt/2) that ends a step and the
     *     one that begins the next see the same bacteria and are done as one
     *     (the fields run half a step behind; outputs advance a copy to the
     *     model's time, checkpoints save the state as it is). K reads
     *     D_tM = d_tM + v.grad M with d_tM = sum_j (df/dS_j) d_tS_j by the
     *     chain rule through the field equations, d_tS_j at t + dt/2 with rho
     *     extrapolated linearly from the last two steps, grad M from the
     *     finite-element gradients: second order in dt;
     *  3. remesh: refine_and_coarsen() when the x-mesh adapts (the fields
     *     move with the model's lanes), rebuild() when it is rebuilt from a
     *     checkpoint, set_space() when only the velocities changed.
     *
     * Besides, it reports: node_fields() (output, profiles),
     * indicator_fields() (`Adapt x`), add_statistics(), save(), load().
     */
    template <int dim>
    class FieldCoupling
    {
    public:
      /**
       * @p log_concentration is f in the columns (fields, x (y, z), t);
       * @p fd_step the step of its x-derivatives.
       */
      FieldCoupling(const FieldEquations &equations, Formula &log_concentration, double fd_step);

      /**
       * Put the fields on the mesh of @p space (a model's x-mesh, Q_k with k
       * its degree) with their initial values. @p density gives the model's
       * density on @p space.
       */
      void
      attach(const PhaseSpace<dim> &            space,
             const Domain<dim> &                domain,
             std::function<void(PhaseVector &)> density);

      bool
      attached() const
      {
        return solver != nullptr;
      }

      /** One coupled step from @p t: F(dt/2), @p kinetic_step (K(dt)), F(dt/2). */
      void
      step(double t, double dt, const std::function<void()> &kinetic_step);

      /**
       * The model adapts its x-mesh: mesh.refine_and_coarsen(@p lanes) with
       * the fields carried along as values at the nodes, then the fields
       * anew on the new mesh (no extrapolation of rho over the change).
       * Returns the transferred @p lanes (the fields' are not among them).
       */
      std::vector<std::vector<double>>
      refine_and_coarsen(XMesh<dim> &mesh, std::vector<typename XMesh<dim>::Lanes> lanes);

      /** The x-mesh was rebuilt (from a checkpoint): a solver on it; load() sets the fields. */
      void
      rebuild(const PhaseSpace<dim> &space);

      /** The attached mesh got a new phase-space layout (other velocities, the same x-DoFs). */
      void
      set_space(const PhaseSpace<dim> &space);

      /** The fields at the nodes of the attached space, for output. */
      std::vector<std::pair<std::string, PhaseVector>>
      node_fields() const;

      /** The fields' values at the nodes, for the refinement indicator of `Adapt x`. */
      std::vector<PhaseVector>
      indicator_fields() const;

      /**
       * Statistics: per field `<S>_integral`, `<S>_min`, `<S>_max`;
       * `field_seconds`, the wall time of the field solves.
       */
      void
      add_statistics(std::vector<std::pair<std::string, double>> &row) const;

      /** The fields and the extrapolation state, under @p name. */
      void
      save(Checkpoint::Writer &writer, const std::string &name) const;

      /**
       * What save() wrote, on the model's current x-mesh @p space (a model
       * that rebuilt its mesh from the checkpoint calls rebuild() first).
       */
      void
      load(const Checkpoint::Reader &reader, const std::string &name, const PhaseSpace<dim> &space);

      /** For the signal: the frozen M, grad M and d_tM at the nodes of the attached space. */
      const Samples<dim> &
      frozen_samples() const
      {
        return frozen;
      }

      /** Whether @p space is the attached one (with M frozen on it). */
      bool
      samples_on(const PhaseSpace<dim> &space) const
      {
        return solver && &space == this->space && space.n_owned_dofs() == frozen.value.size();
      }

      /** Node index of @p x in the attached space, or -1. */
      int
      node_of(const dealii::Point<dim> &x) const;

      /** The fields and their gradients at a point off the nodes (else an error). */
      void
      fields_at(const dealii::Point<dim> &            x,
                std::vector<double> &                 S,
                std::vector<dealii::Tensor<1, dim>> &gradients) const;

      const FieldSolver<dim> &
      fields() const
      {
        return *solver;
      }

    private:
      /**
       * M and its derivatives at the nodes of the attached space from the
       * current fields (d_tM from @p rates; without them, its explicit part)
       */
      void
      freeze(double t, const std::vector<PhaseVector> *rates);

      /** A new field solver on the current mesh of @p space. */
      void
      build_solver(const PhaseSpace<dim> &space);

      /** The fields anew on the mesh of @p space, from their @p values at its nodes. */
      void
      remesh(const PhaseSpace<dim> &space, const std::vector<double> &values);

      /** The fields at the nodes, [local x-DoF * n_fields + j]. */
      PhaseVector
      nodal_state() const;

      /** @p report() with the fields advanced to the model's time (on a copy) */
      template <typename F>
      auto
      at_model_time(const F &report) const;

      const FieldEquations &equations;
      Formula &             m_formula;
      double                fd_step;

      const PhaseSpace<dim> *            space   = nullptr;
      const Domain<dim> *                domain_ = nullptr;
      std::function<void(PhaseVector &)> density;
      /** mutable: outputs advance a copy of the fields to the model's time */
      mutable std::unique_ptr<FieldSolver<dim>> solver;
      /** the time of the fields, and the advance they owe to reach the model's time */
      double field_time = 0, pending = 0;
      /** the density at the last step's start and that step's length */
      PhaseVector previous_density;
      double      previous_dt = 0;
      /** the model's density (when last asked for) */
      mutable PhaseVector current_density;
      /** frozen M, grad M, d_tM at the nodes */
      Samples<dim>                                  frozen;
      std::unordered_map<std::string, unsigned int> node_index;
      /** the bulk-mode columns of `Log-concentration` at the nodes */
      std::vector<std::vector<double>> columns;
    };
  } // namespace Signal
} // namespace chemokin
