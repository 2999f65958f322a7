#pragma once

#include <deal.II/base/parameter_handler.h>

#include <chemokin/base/expression.h>
#include <chemokin/dynamics/interface.h>
#include <chemokin/initial_conditions/interface.h>
#include <chemokin/mesh/domain.h>
#include <chemokin/mesh/x_adaptivity.h>
#include <chemokin/signal/interface.h>
#include <chemokin/tumbling/tumbling_rate.h>
#include <chemokin/tumbling/turning_kernel.h>
#include <chemokin/velocity/v_adaptivity.h>
#include <chemokin/velocity/velocity_set.h>

#include <memory>

namespace chemokin
{
  namespace Models
  {
    /**
     * What every kinetic model reads from the parameter file: the box, the
     * velocity set, the signal, the tumbling frequency and turning kernel,
     * the initial density and the x-discretization (subsection
     * `Discretization`). Reading it checks it (InputError names the entry).
     */
    template <int dim>
    struct ModelInputs
    {
      /** Declares `subsection Discretization`. */
      static void
      declare_parameters(dealii::ParameterHandler &prm);

      /**
       * Also checks that the phase space on the x-mesh fits into
       * `Memory limit` (collective over @p comm).
       */
      ModelInputs(dealii::ParameterHandler &prm, const MPI_Comm &comm);

      Domain<dim>                                       domain;
      VelocitySet<dim>                                  velocities;
      std::map<std::string, double>                     constants;
      std::unique_ptr<Signal::Interface<dim>>           signal;
      /** lambda(z) of the linear dynamics; nullptr with `Dynamics = pathway` */
      std::unique_ptr<TumblingRate>                     tumbling_rate;
      /** `Internal state/Dynamics`, in the frame relative to the signal (DESIGN §11) */
      std::unique_ptr<Dynamics::Interface>              dynamics;
      std::unique_ptr<TurningKernel::Interface<dim>>    kernel;
      std::unique_ptr<InitialConditions::Interface<dim>> initial;
      /**
       * `Initial condition/Adaptation level` N0(x), the level the bacteria
       * are adapted to at t = 0 (internal state); nullptr: N0 = M(0, x)
       */
      std::unique_ptr<Expression<dim>>                  adaptation_level;
      /** `Initial condition/Velocity profile` f(v); nullptr: f = 1 */
      std::unique_ptr<Expression<dim>>                  velocity_profile;
      unsigned int                                      degree;
      unsigned int                                      refinement;
      double                                            cfl;
      std::string                                       time_stepping_scheme;
      bool                                              positivity_limiter;
      /** `Adaptive refinement` of the x-mesh */
      XAdaptivity<dim>                                  x_adaptivity;
      /** `Adaptive refinement` of the velocity mesh */
      VAdaptivity<dim>                                  v_adaptivity;
      /** bytes the run may use over all ranks (`Memory limit`) */
      double                                            memory_limit;

      /** Refuse `Signal/Type = reaction-diffusion` for a model that cannot couple to it. */
      void
      refuse_coupled_signal(const std::string &model) const;

      /**
       * Check that M and its derivatives are finite at @p points (at t = 0),
       * else InputError naming `Signal/Log-concentration` and the point.
       */
      void
      check_signal(const std::vector<dealii::Point<dim>> &points) const;

      /**
       * A frame relative to the signal (y = (m - M)/eps) identifies the
       * states of opposite periodic walls at the same y: the torus of a
       * signal whose jump M(upper) - M(lower) is one constant along the
       * walls and in time (M periodic, or an affine gradient plus a
       * periodic part: the infinite gradient, as the run-and-tumble model
       * sees it). Else (M = x y on a torus) InputError naming
       * `Signal/Log-concentration` for @p model. Fields on the torus pass.
       */
      void
      check_periodic_signal(const std::string &model) const;

      /**
       * The initial velocity law on the current velocity set: g_k =
       * f(v_k) / sum_l w_l f(v_l), so that p0 = rho0(x) g_k has density
       * rho0 (g_k = 1/|V| without `Velocity profile`).
       */
      std::vector<double>
      initial_velocity_law() const;

      /** Refuse `Velocity profile` for a model that has no use for it. */
      void
      refuse_velocity_profile(const std::string &model) const;
    };
  } // namespace Models
} // namespace chemokin
