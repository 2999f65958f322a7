#include <deal.II/base/quadrature_lib.h>
#include <deal.II/fe/fe_dgq.h>

#include <chemokin/base/input_error.h>
#include <chemokin/base/parameters.h>
#include <chemokin/checkpoint/cell_data.h>
#include <chemokin/initial_conditions/interface.h>
#include <chemokin/models/run_and_tumble.h>
#include <chemokin/operators/positivity_limiter.h>
#include <chemokin/tumbling/turning_kernel.h>
#include <chemokin/output/vtu_series.h>
#include <chemokin/velocity/interface.h>

#include <cmath>

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
    RunAndTumble<dim>::RunAndTumble(ModelInputs<dim> &&inputs_, const MPI_Comm &comm)
      : inputs(std::move(inputs_))
      , domain(inputs.domain)
      , velocity_set(inputs.velocities)
      , signal(*inputs.signal)
      , coupled(inputs.coupled_signal())
      , tumbling_rate(*inputs.tumbling_rate)
      , mesh(comm, inputs.domain, inputs.refinement, inputs.degree, inputs.velocities.size())
      , phase_space(&mesh.space())
      , cfl(inputs.cfl)
      , comm(comm)
    {
      stepper = std::make_unique<ExplicitRungeKutta>(
        inputs.time_stepping_scheme, "Discretization/Time stepping scheme");
      setup_operators();
      set_initial_condition();
      // resolve the initial law in v, then the initial density in x:
      // refine where they vary, then set them anew
      VelocityMesh::Transfer transfer;
      for (unsigned int cycle = 0; cycle < inputs.v_adaptivity.initial_cycles(); ++cycle)
        {
          if (!inputs.v_adaptivity.adapt(inputs.velocities, velocity_profiles(), comm, transfer))
            break;
          mesh.set_velocities(velocity_set.size());
          setup_operators();
          set_initial_condition();
        }
      for (unsigned int cycle = 0; cycle < inputs.x_adaptivity.initial_cycles(); ++cycle)
        {
          if (!mark_cells())
            break;
          mesh.refine_and_coarsen({});
          setup_operators();
          set_initial_condition();
        }
      if (coupled)
        coupled->attach(*phase_space, domain, [this](PhaseVector &rho) {
          Moments<dim> moments;
          kinetic_moments(moments);
          rho = std::move(moments.density);
        });
    }

    template <int dim>
    std::vector<double>
    RunAndTumble<dim>::velocity_profiles() const
    {
      return std::vector<double>(phase_solution.begin(),
                                 phase_solution.begin() + phase_solution.locally_owned_size());
    }

    template <int dim>
    void
    RunAndTumble<dim>::adapt_velocities()
    {
      VelocityMesh::Transfer transfer;
      const unsigned int     n_old = velocity_set.size();
      if (!inputs.v_adaptivity.adapt(inputs.velocities, velocity_profiles(), comm, transfer))
        return;
      const unsigned int n_new = velocity_set.size();
      const PhaseVector  old   = phase_solution;
      mesh.set_velocities(n_new);
      setup_operators();
      phase_space->reinit(phase_solution);
      for (unsigned int i = 0; i < phase_space->n_owned_dofs(); ++i)
        transfer.apply(old.begin() + std::size_t(i) * n_old,
                       phase_solution.begin() + std::size_t(i) * n_new,
                       1);
    }

    template <int dim>
    void
    RunAndTumble<dim>::setup_operators()
    {
      phase_space = &mesh.space();
      transport   = std::make_unique<Transport<dim, dim>>(*phase_space,
                                                        velocity_set,
                                                        domain.boundary);

      inputs.check_signal(phase_space->node_position);

      // Lambdabar(D_tM(t, x_i, v_k)) at every node and velocity: a static
      // signal evaluates it once, exactly; a moving one at every stage, from
      // the interpolation table (relative error ~1e-11). So does an
      // adaptive run, which evaluates it anew after every adaptation: the
      // exact quadrature costs as much as hundreds of steps there.
      const unsigned int n_v = velocity_set.size();
      const bool moving = !signal.is_static();
      const bool table  = moving || inputs.x_adaptivity.enabled() || inputs.v_adaptivity.enabled();
      auto rate_function = [this, n_v, table](const double t, std::vector<double> &rate) {
        signal.sample(*phase_space, t, samples);
        for (unsigned int i = 0; i < phase_space->n_owned_dofs(); ++i)
          {
            const auto &x     = phase_space->node_position[i];
            const auto &grad  = samples.gradient[i];
            const double dtdm = samples.time_derivative[i];
            for (unsigned int k = 0; k < n_v; ++k)
              {
                const double mu = dtdm + velocity_set.nodes[k] * grad;
                const double r  = table ?
                                    tumbling_rate.averaged_rate_interpolated(mu) :
                                    tumbling_rate.averaged_rate(mu);
                if (!std::isfinite(r) || r < 0)
                  throw InputError(
                    "Tumbling/Rate",
                    "Lambdabar(" + Parameters::format(mu) + ") = " +
                      Parameters::format(r) + " at x = " + Parameters::format(x) + ": must be finite and non-negative");
                rate[std::size_t(i) * n_v + k] = r;
              }
          }
      };
      tumbling = std::make_unique<Tumbling<dim>>(*phase_space,
                                                 velocity_set.weights,
                                                 inputs.kernel->matrix(velocity_set),
                                                 inputs.kernel->is_uniform(),
                                                 rate_function,
                                                 moving);
      if (coupled && coupled->attached())
        coupled->set_space(*phase_space);
    }

    template <int dim>
    void
    RunAndTumble<dim>::set_initial_condition()
    {
      // p0 = rho0(x) g(v) at the nodes (collocation = L2 projection here),
      // g = 1/|V| or the normalized `Velocity profile`
      const unsigned int n_v = velocity_set.size();
      const auto         law = inputs.initial_velocity_law();
      phase_space->reinit(phase_solution);
      for (unsigned int i = 0; i < phase_space->n_owned_dofs(); ++i)
        {
          const auto & x   = phase_space->node_position[i];
          const double rho = inputs.initial->density(x);
          if (!std::isfinite(rho) || rho < 0)
            throw InputError("Initial condition/Density",
                             "rho0 = " + Parameters::format(rho) + " at x = " + Parameters::format(x) + ": must be finite and non-negative");
          for (unsigned int k = 0; k < n_v; ++k)
            phase_solution.local_element(std::size_t(i) * n_v + k) = rho * law[k];
        }
    }

    template <int dim>
    bool
    RunAndTumble<dim>::mark_cells()
    {
      Moments<dim> moments;
      kinetic_moments(moments);
      // refine where the density or a field varies
      std::vector<PhaseVector> indicators{moments.density};
      if (coupled)
        for (auto &field : coupled->indicator_fields())
          indicators.push_back(std::move(field));
      return inputs.x_adaptivity.mark(mesh, indicators);
    }

    template <int dim>
    void
    RunAndTumble<dim>::adapt_mesh()
    {
      if (!mark_cells())
        return;
      // the fields of a reaction-diffusion signal move with the mesh too
      const std::vector<typename XMesh<dim>::Lanes> lanes{{&phase_solution, velocity_set.size()}};
      auto values = coupled ? coupled->refine_and_coarsen(mesh, lanes) : mesh.refine_and_coarsen(lanes);
      setup_operators();
      phase_space->reinit(phase_solution);
      for (std::size_t i = 0; i < values[0].size(); ++i)
        phase_solution.local_element(i) = values[0][i];
    }

    template <int dim>
    double
    RunAndTumble<dim>::time_step() const
    {
      return cfl * std::min(transport->max_time_step(), tumbling->max_time_step());
    }

    template <int dim>
    PhaseVector
    RunAndTumble<dim>::right_hand_side(const double       time,
                                       const PhaseVector &y) const
    {
      PhaseVector result;
      phase_space->reinit(result);
      transport->apply(time, y, result, tumbling.get());
      return result;
    }

    template <int dim>
    void
    RunAndTumble<dim>::advance(const double time, const double dt)
    {
      auto kinetic_step = [&] {
        stepper->advance(
          [this](const double t, const PhaseVector &y) { return right_hand_side(t, y); },
          time,
          dt,
          phase_solution);
      };
      if (coupled)
        coupled->step(time, dt, kinetic_step);
      else
        kinetic_step();
      ++steps;
      if (inputs.v_adaptivity.due(steps))
        adapt_velocities();
      if (inputs.x_adaptivity.due(steps))
        adapt_mesh();
      // after the transfer too: interpolation to new cells can undershoot
      if (inputs.positivity_limiter)
        limit_positivity(*phase_space, phase_solution);
    }

    template <int dim>
    void
    RunAndTumble<dim>::compute_moments(Moments<dim> &moments) const
    {
      kinetic_moments(moments);
      if (coupled)
        moments.fields = coupled->node_fields();
    }

    template <int dim>
    void
    RunAndTumble<dim>::kinetic_moments(Moments<dim> &moments) const
    {
      const unsigned int n_v = velocity_set.size();
      phase_space->reinit_scalar(moments.density, false);
      for (auto &f : moments.flux)
        phase_space->reinit_scalar(f, false);
      for (unsigned int i = 0; i < phase_space->n_owned_dofs(); ++i)
        {
          double                 rho = 0;
          dealii::Tensor<1, dim> flux;
          for (unsigned int k = 0; k < n_v; ++k)
            {
              const double wp =
                velocity_set.weights[k] *
                phase_solution.local_element(std::size_t(i) * n_v + k);
              rho += wp;
              flux += wp * velocity_set.nodes[k];
            }
          moments.density.local_element(i) = rho;
          for (unsigned int j = 0; j < dim; ++j)
            moments.flux[j].local_element(i) = flux[j];
        }
    }

    template <int dim>
    void
    RunAndTumble<dim>::add_statistics(StatisticsRow &row) const
    {
      row.emplace_back("min_value", global_min(phase_solution));
      row.emplace_back("dofs", double(mesh.dof_handler().n_dofs()) * velocity_set.size());
      row.emplace_back("cells", double(mesh.n_cells()));
      row.emplace_back("velocities", double(velocity_set.size()));
      if (coupled)
        coupled->add_statistics(row);
    }

    template <int dim>
    void
    RunAndTumble<dim>::add_output_fields(dealii::DataOut<dim> &    data_out,
                                         std::deque<PhaseVector> &storage) const
    {
      const unsigned int n_v   = velocity_set.size();
      const std::size_t  first = storage.size();
      storage.resize(first + n_v);
      for (unsigned int k = 0; k < n_v; ++k)
        {
          PhaseVector &field = storage[first + k];
          phase_space->reinit_scalar(field, false);
          for (unsigned int i = 0; i < phase_space->n_owned_dofs(); ++i)
            field.local_element(i) =
              phase_solution.local_element(std::size_t(i) * n_v + k);
        }
      for (unsigned int k = 0; k < n_v; ++k)
        data_out.add_data_vector(mesh.dof_handler(), storage[first + k], velocity_field_name(k, n_v));
    }

    template <int dim>
    void
    RunAndTumble<dim>::save(Checkpoint::Writer &writer) const
    {
      Checkpoint::save_cell_data(writer, "x_solution", *phase_space, phase_solution);
      writer.state.set("model.run_and_tumble.steps", steps);
      if (velocity_set.mesh)
        writer.state.set("model.run_and_tumble.velocity_mesh", velocity_set.mesh->save());
      if (coupled)
        coupled->save(writer, "run_and_tumble_signal");
    }

    template <int dim>
    void
    RunAndTumble<dim>::load(const Checkpoint::Reader &reader)
    {
      if (inputs.v_adaptivity.enabled())
        {
          // the adapted velocity mesh of the checkpoint
          VAdaptivity<dim>::restore(inputs.velocities,
                                    reader.state.get_vector("model.run_and_tumble.velocity_mesh"));
          mesh.set_velocities(velocity_set.size());
        }
      if (inputs.x_adaptivity.enabled())
        {
          // the adapted mesh of the checkpoint, on a fresh coarse mesh (and
          // the fields on it, read below)
          mesh.rebuild(Checkpoint::saved_cells<dim>(reader, "x_solution"));
          if (coupled)
            coupled->remesh(mesh.space(),
                            std::vector<double>(std::size_t(mesh.space().n_owned_dofs()) *
                                                coupled->fields().n_fields()));
        }
      if (inputs.x_adaptivity.enabled() || inputs.v_adaptivity.enabled())
        {
          setup_operators();
          phase_space->reinit(phase_solution);
        }
      Checkpoint::load_cell_data(reader, "x_solution", *phase_space, phase_solution);
      steps = reader.state.get("model.run_and_tumble.steps");
      if (coupled)
        coupled->load(reader, "run_and_tumble_signal", *phase_space);
    }

    template class RunAndTumble<1>;
    template class RunAndTumble<2>;
    template class RunAndTumble<3>;
  } // namespace Models
} // namespace chemokin
