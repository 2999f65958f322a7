#pragma once

#include <chemokin/base/formula.h>
#include <chemokin/checkpoint/state.h>
#include <chemokin/mesh/domain.h>
#include <chemokin/mesh/x_mesh.h>
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
     * Signals the bacteria change (DESIGN §10): fields S_j (an attractant
     * they secrete, a nutrient they consume) solve reaction-diffusion
     * equations driven by the bacterial density rho = int p dv (dm),
     *
     *   d_t S_j = D_j Laplace S_j + R_j(S, rho, x, t),
     *
     * (FieldSolver), and the log-signal is a function of them,
     * M = f(S, x, t) (`Log-concentration` in the field names).
     *
     * Coupling (step()): the Strang splitting
     *
     *   F(dt/2) K(dt) F(dt/2)
     *
     * of the fields F (the bacteria frozen: rho fixed) and the kinetic model
     * K (the fields frozen at t + dt/2). The F(dt/2) that ends a step and the
     * one that begins the next see the same bacteria and are done as one
     * (the fields run half a step behind; outputs advance a copy to the
     * model's time, and checkpoints save the state as it is). K reads D_tM = d_tM + v.grad M with
     * d_tM = sum_j (df/dS_j) d_tS_j by the chain rule through the field
     * equations, d_tS_j evaluated at t + dt/2 with rho extrapolated
     * linearly from the last two steps, and grad M from the finite-element
     * gradients: second order in dt. The models call step() around their
     * kinetic step; a model that is not coupled ignores it.
     *
     * Before attach() (while a model sets itself up) M is f of the initial
     * values, d_tM its explicit t-derivative only.
     */
    template <int dim>
    class ReactionDiffusion : public Interface<dim>
    {
    public:
      /** Declares subsection `Reaction-diffusion` of `Signal`. */
      static void
      declare_parameters(dealii::ParameterHandler &prm);

      void
      parse_parameters(dealii::ParameterHandler &prm) override;

      void
      initialize(const std::map<std::string, double> &constants,
                 const dealii::Point<dim> &           probe,
                 double                               length_scale) override;

      double
      value(const dealii::Point<dim> &x, double t) const override;

      dealii::Tensor<1, dim>
      gradient(const dealii::Point<dim> &x, double t) const override;

      double
      time_derivative(const dealii::Point<dim> &x, double t) const override;

      bool
      is_static() const override
      {
        return false;
      }

      void
      sample(const PhaseSpace<dim> &space, double t, Samples<dim> &out) const override;

      /**
       * Put the fields on the mesh of @p space (a model's x-mesh, Q_k with k
       * its degree) with their initial values. @p density gives the model's
       * density on @p space.
       */
      void
      attach(const PhaseSpace<dim> &                       space,
             const Domain<dim> &                           domain,
             std::function<void(PhaseVector &)>            density);

      /**
       * The attached mesh got a new phase-space layout (other velocities,
       * the same x-DoFs).
       */
      void
      set_space(const PhaseSpace<dim> &space);

      /**
       * The fields at the nodes of the attached space, [local x-DoF *
       * n_fields + j]: what the model hands to XMesh::refine_and_coarsen()
       * with its own lanes when the x-mesh adapts.
       */
      PhaseVector
      nodal_state() const;

      /**
       * The x-mesh has adapted: the fields anew on it, from @p values (the
       * transferred nodal_state()); no extrapolation of rho over the change.
       */
      void
      remesh(const PhaseSpace<dim> &space, const std::vector<double> &values);

      /**
       * The model adapts its x-mesh: mesh.refine_and_coarsen(@p lanes) with
       * the fields carried along as nodal_state(), then remesh(). Returns
       * the transferred @p lanes (the fields' are not among them).
       */
      std::vector<std::vector<double>>
      refine_and_coarsen(XMesh<dim> &mesh, std::vector<typename XMesh<dim>::Lanes> lanes);

      /** The fields' values at the nodes, for the refinement indicator of `Adapt x`. */
      std::vector<PhaseVector>
      indicator_fields() const;

      bool
      attached() const
      {
        return solver != nullptr;
      }

      /** One coupled step from @p t: F(dt/2), @p kinetic_step (K(dt)), F(dt/2). */
      void
      step(double t, double dt, const std::function<void()> &kinetic_step);

      /** The fields at the nodes of the attached space, for output. */
      std::vector<std::pair<std::string, PhaseVector>>
      node_fields() const;

      /**
       * Statistics: per field `<S>_integral`, `<S>_min`, `<S>_max`;
       * `field_seconds`, the wall time of the field solves. (The pulse
       * position and speed are the statistics postprocessor's.)
       */
      void
      add_statistics(std::vector<std::pair<std::string, double>> &row) const;

      /** The fields and the extrapolation state, under @p name. */
      void
      save(Checkpoint::Writer &writer, const std::string &name) const;

      /**
       * What save() wrote, on the model's current x-mesh @p space (a model
       * that rebuilt its mesh from the checkpoint calls remesh() first).
       */
      void
      load(const Checkpoint::Reader &reader, const std::string &name, const PhaseSpace<dim> &space);

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

      /** @p report() with the fields advanced to the model's time (on a copy) */
      template <typename F>
      auto
      at_model_time(const F &report) const;

      /** the fields and their gradients at a point off the nodes (else an error) */
      void
      fields_at(const dealii::Point<dim> &            x,
                std::vector<double> &                 S,
                std::vector<dealii::Tensor<1, dim>> &gradients) const;

      /** f(S, x, t) */
      double
      log_concentration(const double *S, const dealii::Point<dim> &x, double t) const;

      /** node index of @p x in the attached space, or -1 */
      int
      node_of(const dealii::Point<dim> &x) const;

      FieldEquations              equations;
      std::string                 fields_text, diffusion_text, reaction_text, initial_text, m_text;
      std::unique_ptr<Formula>    m_formula;
      std::vector<Formula>        initial;
      double                      fd_step = 1e-4;

      const PhaseSpace<dim> *              space = nullptr;
      const Domain<dim> *                  domain_ = nullptr;
      std::function<void(PhaseVector &)>   density;
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
      Samples<dim> frozen;
      std::unordered_map<std::string, unsigned int> node_index;
      mutable std::vector<double>                   arguments;
      /** the bulk-mode columns of `Log-concentration` at the nodes */
      std::vector<std::vector<double>> columns;
    };
  } // namespace Signal
} // namespace chemokin
