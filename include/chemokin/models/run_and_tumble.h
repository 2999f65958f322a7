#pragma once

#include <deal.II/base/parameter_handler.h>
#include <deal.II/distributed/tria_base.h>
#include <deal.II/fe/fe_dgq.h>

#include <chemokin/mesh/domain.h>
#include <chemokin/mesh/x_mesh.h>
#include <chemokin/models/model_inputs.h>
#include <chemokin/models/interface.h>
#include <chemokin/operators/transport.h>
#include <chemokin/operators/tumbling.h>
#include <chemokin/signal/interface.h>
#include <chemokin/signal/reaction_diffusion.h>
#include <chemokin/time_stepping/explicit_runge_kutta.h>
#include <chemokin/tumbling/tumbling_rate.h>

#include <memory>

namespace chemokin
{
  namespace Models
  {
    /**
     * The run-and-tumble model (1.1)-(1.3):
     *
     *   dp/dt + v.grad_x p = int Lambdabar(D_tM(v')) K(v,v') p(v')
     *                            - Lambdabar(D_tM(v)) K(v',v) p(v) dv',
     *
     * with Lambdabar of (1.12). DG(k) upwind transport on the x-mesh,
     * tumbling pointwise at the nodes, an explicit Runge-Kutta method of
     * deal.II's TimeStepping.
     */
    template <int dim>
    class RunAndTumble : public Interface<dim>
    {
    public:
      /**
       * Reads everything it needs from @p prm and sets up mesh, operators and
       * initial data. All input checks happen here, before any output.
       */
      RunAndTumble(dealii::ParameterHandler &prm, const MPI_Comm &comm);

      /** The same from inputs already read. */
      RunAndTumble(ModelInputs<dim> &&inputs, const MPI_Comm &comm);

      double
      time_step() const override;

      void
      advance(double time, double dt) override;

      const PhaseSpace<dim> &
      x_space() const override
      {
        return *phase_space;
      }

      const VelocitySet<dim> &
      velocities() const override
      {
        return velocity_set;
      }

      void
      compute_moments(Moments<dim> &moments) const override;

      void
      add_statistics(StatisticsRow &row) const override;

      void
      add_output_fields(dealii::DataOut<dim> &    data_out,
                        std::deque<PhaseVector> &storage) const override;

      /** The solution by cell of the x-mesh (which holds the adapted mesh). */
      void
      save(Checkpoint::Writer &writer) const override;

      void
      load(const Checkpoint::Reader &reader) override;

      const PhaseVector &
      solution() const
      {
        return phase_solution;
      }

    private:
      PhaseVector
      right_hand_side(double time, const PhaseVector &y) const;

      /** compute_moments() without the signal's fields */
      void
      kinetic_moments(Moments<dim> &moments) const;

      /** Transport and tumbling on the current x-mesh. */
      void
      setup_operators();

      void
      set_initial_condition();

      /** The flags of `Adaptive refinement` from the density; whether any. */
      bool
      mark_cells();

      /** Adapt the x-mesh and carry the solution over (mass exactly). */
      void
      adapt_mesh();

      /** The solution's owned values: the profiles in v at every x-node. */
      std::vector<double>
      velocity_profiles() const;

      /** Adapt the velocity mesh and carry the solution over (mass exactly). */
      void
      adapt_velocities();

      ModelInputs<dim>                                        inputs;
      const Domain<dim> &                                     domain;
      const VelocitySet<dim> &                                velocity_set;
      const Signal::Interface<dim> &                          signal;
      /** the signal if it is coupled to the bacteria (else nullptr) */
      Signal::ReactionDiffusion<dim> *                        coupled;
      /** M and its derivatives at the nodes, for the tumbling rates */
      mutable Signal::Samples<dim>                            samples;
      const TumblingRate &                                    tumbling_rate;
      XMesh<dim>                                              mesh;
      const PhaseSpace<dim> *                                 phase_space;
      std::unique_ptr<Transport<dim, dim>>                    transport;
      std::unique_ptr<Tumbling<dim>>                          tumbling;
      std::unique_ptr<ExplicitRungeKutta>                     stepper;
      double                                                  cfl;
      PhaseVector                                             phase_solution;
      MPI_Comm                                                comm;
      unsigned int                                            steps = 0;
    };
  } // namespace Models
} // namespace chemokin
