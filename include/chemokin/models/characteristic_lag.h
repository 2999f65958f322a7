#pragma once

#include <chemokin/mesh/phase_space.h>
#include <chemokin/mesh/domain.h>
#include <chemokin/operators/lag_relaxation.h>
#include <chemokin/operators/transport.h>
#include <chemokin/signal/interface.h>
#include <chemokin/time_stepping/imex_integrator.h>
#include <chemokin/velocity/velocity_set.h>

#include <memory>

namespace chemokin
{
  namespace Models
  {
    /**
     * The lag L = D_tN = (M - N)/eps of (1.8) as an equation of its own on
     * the x-mesh, one value per (x-DoF, velocity), for a model that does not
     * carry N in its unknowns (the frame relative to the signal with the
     * linear dynamics, whose E1 and E3 are measured against the centre N):
     *
     *   d_t L + v.grad_x L = (D_tM - L)/eps,   L(0) = 0,
     *
     * with the moving frame's operators (Transport of the run-and-tumble
     * layout, LagRelaxation with a block of one) and the moving frame's
     * integrator (explicit transport, exact implicit relaxation, the initial
     * layer resolved), so that the two frames follow the same N. The owner
     * registers values() among its velocity fields: the x- and v-mesh carry
     * it along and the checkpoint keeps it.
     */
    template <int dim>
    class CharacteristicLag
    {
    public:
      CharacteristicLag(const MPI_Comm &   comm,
                        double             epsilon,
                        unsigned int       imex_order,
                        const std::string &imex_implementation);

      /** The operators on @p space (run-and-tumble layout) and @p velocities; the values stay. */
      void
      setup(const PhaseSpace<dim> &        space,
            const VelocitySet<dim> &       velocities,
            const Signal::Interface<dim> &signal,
            const Domain<dim> &            domain);

      /** L = 0 on the current space (N(0) = M(0): cells adapted to the initial signal). */
      void
      set_initial_condition();

      /** L from t to t + dt. */
      void
      advance(double t, double dt);

      /** The values changed under the integrator (adaptation, checkpoint). */
      void
      restart()
      {
        integrator->restart();
      }

      /** L at [i n_v + k] (owned x-DoF i, velocity k). */
      PhaseVector &
      values()
      {
        return lag;
      }

      const PhaseVector &
      values() const
      {
        return lag;
      }

      /** D_tM(t, x_i, v_k) at [i n_v + k]. */
      const std::vector<double> &
      path_derivatives(double t) const
      {
        return relaxation->path_derivatives(t);
      }

    private:
      double                                epsilon;
      const PhaseSpace<dim> *               space = nullptr;
      std::unique_ptr<Transport<dim, dim>>  transport;
      std::unique_ptr<LagRelaxation<dim>>   relaxation;
      std::unique_ptr<ImexIntegrator>       integrator;
      PhaseVector                           lag;
    };
  } // namespace Models
} // namespace chemokin
