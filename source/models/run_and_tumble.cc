#include <chemokin/base/input_error.h>
#include <chemokin/base/parameters.h>
#include <chemokin/models/run_and_tumble.h>
#include <chemokin/output/vtu_series.h>
#include <chemokin/tumbling/turning_kernel.h>

#include <cmath>
#include <chemokin/models/registry.h>

namespace chemokin
{
  namespace Models
  {
    template <int dim>
    RunAndTumble<dim>::RunAndTumble(dealii::ParameterHandler &prm,
                                    const MPI_Comm &          comm)
      : RunAndTumble(ModelInputs<dim>(prm, comm), comm)
    {}

    template <int dim>
    RunAndTumble<dim>::RunAndTumble(ModelInputs<dim> &&     inputs,
                                    const MPI_Comm &        comm,
                                    const XMeshModel<dim> *leader)
      : XMeshModel<dim>(std::move(inputs), comm, "run_and_tumble", "x_solution")
    {
      stepper = std::make_unique<ExplicitRungeKutta>(
        this->inputs.time_stepping_scheme, "Discretization/Time stepping scheme");
      this->initialize(leader);
    }

    template <int dim>
    void
    RunAndTumble<dim>::setup_operators()
    {
      const auto &inputs     = this->inputs;
      const auto &space      = this->mesh.space();
      const auto &velocities = inputs.velocities;
      transport = std::make_unique<Transport<dim, dim>>(space, velocities, inputs.domain.boundary);

      inputs.check_signal(space.node_position);

      // Lambdabar(D_tM(t, x_i, v_k)) at every node and velocity: a static
      // signal evaluates it once, exactly; a moving one at every stage, from
      // the interpolation table (relative error ~1e-11). So does an
      // adaptive run, which evaluates it anew after every adaptation: the
      // exact quadrature costs as much as hundreds of steps there.
      const bool moving = !inputs.signal->is_static();
      const bool table  = moving || inputs.x_adaptivity.enabled() || inputs.v_adaptivity.enabled();
      auto rate_function = [this, table](const double t, std::vector<double> &rate) {
        const auto &       space      = this->mesh.space();
        const auto &       velocities = this->inputs.velocities;
        const TumblingRate *rates_linear = this->inputs.tumbling_rate.get();
        const unsigned int n_v        = velocities.size();
        this->inputs.signal->sample(space, t, samples);
        for (unsigned int i = 0; i < space.n_owned_dofs(); ++i)
          {
            const auto &x     = space.node_position[i];
            const auto &grad  = samples.gradient[i];
            const double dtdm = samples.time_derivative[i];
            for (unsigned int k = 0; k < n_v; ++k)
              {
                const double mu = dtdm + velocities.nodes[k] * grad;
                // the pathway's limit: lambda averaged over its stationary law at mu
                const double r  = !rates_linear ? this->inputs.dynamics->averaged_rate(samples.value[i], mu) :
                                  table         ? rates_linear->averaged_rate_interpolated(mu) :
                                                  rates_linear->averaged_rate(mu);
                if (!std::isfinite(r) || r < 0)
                  throw InputError(
                    "Tumbling/Rate",
                    "Lambdabar at D_tM = " + Parameters::format(mu) + ": " +
                      Parameters::format(r) + " at x = " + Parameters::format(x) + ": must be finite and non-negative");
                rate[std::size_t(i) * n_v + k] = r;
              }
          }
      };
      tumbling = std::make_unique<Tumbling<dim>>(space,
                                                 velocities.weights,
                                                 inputs.kernel->matrix(velocities),
                                                 inputs.kernel->is_uniform(),
                                                 rate_function,
                                                 moving);
    }

    template <int dim>
    void
    RunAndTumble<dim>::set_initial_condition()
    {
      // p0 = rho0(x) g(v) at the nodes (collocation = L2 projection here),
      // g = 1/|V| or the normalized `Velocity profile`
      const auto &       space = this->mesh.space();
      const unsigned int n_v   = this->inputs.velocities.size();
      const auto         law   = this->inputs.initial_velocity_law();
      auto &             p     = this->solution_vector;
      space.reinit(p);
      for (unsigned int i = 0; i < space.n_owned_dofs(); ++i)
        {
          const auto & x   = space.node_position[i];
          const double rho = this->inputs.initial->density(x);
          if (!std::isfinite(rho) || rho < 0)
            throw InputError("Initial condition/Density",
                             "rho0 = " + Parameters::format(rho) + " at x = " + Parameters::format(x) + ": must be finite and non-negative");
          for (unsigned int k = 0; k < n_v; ++k)
            p.local_element(std::size_t(i) * n_v + k) = rho * law[k];
        }
    }

    template <int dim>
    double
    RunAndTumble<dim>::time_step() const
    {
      return this->inputs.cfl * std::min(transport->max_time_step(), tumbling->max_time_step());
    }

    template <int dim>
    PhaseVector
    RunAndTumble<dim>::right_hand_side(const double       time,
                                       const PhaseVector &y) const
    {
      PhaseVector result;
      this->mesh.space().reinit(result);
      transport->apply(time, y, result, tumbling.get());
      return result;
    }

    template <int dim>
    void
    RunAndTumble<dim>::kinetic_step(const double time, const double dt)
    {
      stepper->advance(
        [this](const double t, const PhaseVector &y) { return right_hand_side(t, y); },
        time,
        dt,
        this->solution_vector);
    }

    template <int dim>
    void
    RunAndTumble<dim>::kinetic_moments(Moments<dim> &moments) const
    {
      const auto &       space      = this->mesh.space();
      const auto &       velocities = this->inputs.velocities;
      const unsigned int n_v        = velocities.size();
      space.reinit_scalar(moments.density, false);
      for (auto &f : moments.flux)
        space.reinit_scalar(f, false);
      for (unsigned int i = 0; i < space.n_owned_dofs(); ++i)
        {
          double                 rho = 0;
          dealii::Tensor<1, dim> flux;
          for (unsigned int k = 0; k < n_v; ++k)
            {
              const double wp =
                velocities.weights[k] * this->solution_vector.local_element(std::size_t(i) * n_v + k);
              rho += wp;
              flux += wp * velocities.nodes[k];
            }
          moments.density.local_element(i) = rho;
          for (unsigned int j = 0; j < dim; ++j)
            moments.flux[j].local_element(i) = flux[j];
        }
    }

    template <int dim>
    void
    RunAndTumble<dim>::add_output_fields(dealii::DataOut<dim> &    data_out,
                                         std::deque<PhaseVector> &storage) const
    {
      const auto &       space = this->mesh.space();
      const unsigned int n_v   = this->inputs.velocities.size();
      const std::size_t  first = storage.size();
      storage.resize(first + n_v);
      for (unsigned int k = 0; k < n_v; ++k)
        {
          PhaseVector &field = storage[first + k];
          space.reinit_scalar(field, false);
          for (unsigned int i = 0; i < space.n_owned_dofs(); ++i)
            field.local_element(i) = this->solution_vector.local_element(std::size_t(i) * n_v + k);
        }
      for (unsigned int k = 0; k < n_v; ++k)
        data_out.add_data_vector(this->mesh.dof_handler(), storage[first + k], velocity_field_name(k, n_v));
    }

    template class RunAndTumble<1>;
    template class RunAndTumble<2>;
    template class RunAndTumble<3>;
  } // namespace Models
} // namespace chemokin

CHEMOKIN_REGISTER_MODEL(chemokin::Models::RunAndTumble,
                        "run and tumble",
                        "the kinetic model (1.1)-(1.3) with the gradient-dependent tumbling "
                        "frequency (1.12).")
