#pragma once

#include <deal.II/base/parameter_handler.h>

#include <chemokin/models/x_mesh_model.h>
#include <chemokin/operators/transport.h>
#include <chemokin/operators/tumbling.h>
#include <chemokin/signal/interface.h>
#include <chemokin/time_stepping/explicit_runge_kutta.h>

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
     * deal.II's TimeStepping. One lane per (x-DoF, velocity): the solution
     * is p at the nodes.
     */
    template <int dim>
    class RunAndTumble : public XMeshModel<dim>
    {
    public:
      /**
       * Reads everything it needs from @p prm and sets up mesh, operators and
       * initial data. All input checks happen here, before any output.
       */
      RunAndTumble(dealii::ParameterHandler &prm, const MPI_Comm &comm);

      /**
       * The same from inputs already read; with @p leader (`both`), on its
       * mesh and velocities and adapting with it.
       */
      RunAndTumble(ModelInputs<dim> &&     inputs,
                   const MPI_Comm &        comm,
                   const XMeshModel<dim> *leader = nullptr);

      double
      time_step() const override;

      void
      add_output_fields(dealii::DataOut<dim> &    data_out,
                        std::deque<PhaseVector> &storage) const override;

    private:
      const PhaseSpace<dim> &
      solution_space() const override
      {
        return this->mesh.space();
      }

      void
      setup_operators() override;

      void
      set_initial_condition() override;

      void
      kinetic_step(double time, double dt) override;

      void
      kinetic_moments(Moments<dim> &moments) const override;

      PhaseVector
      right_hand_side(double time, const PhaseVector &y) const;

      /** M and its derivatives at the nodes, for the tumbling rates */
      mutable Signal::Samples<dim>         samples;
      std::unique_ptr<Transport<dim, dim>> transport;
      std::unique_ptr<Tumbling<dim>>       tumbling;
      std::unique_ptr<ExplicitRungeKutta>  stepper;
    };
  } // namespace Models
} // namespace chemokin
