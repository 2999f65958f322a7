#include <deal.II/base/utilities.h>

#include <chemokin/base/expression.h>
#include <chemokin/base/parameters.h>
#include <chemokin/checkpoint/cell_data.h>
#include <chemokin/signal/field_coupling.h>

#include <array>
#include <cmath>

namespace chemokin
{
  namespace Signal
  {
    namespace
    {
      std::string
      point_key(const double *x, const int dim)
      {
        return std::string(reinterpret_cast<const char *>(x), dim * sizeof(double));
      }
    } // namespace

    template <int dim>
    FieldCoupling<dim>::FieldCoupling(const FieldEquations &equations,
                                      Formula &             log_concentration,
                                      const double          fd_step)
      : equations(equations)
      , m_formula(log_concentration)
      , fd_step(fd_step)
    {}

    template <int dim>
    int
    FieldCoupling<dim>::node_of(const dealii::Point<dim> &x) const
    {
      if (!solver)
        return -1;
      double coordinates[dim];
      for (unsigned int d = 0; d < dim; ++d)
        coordinates[d] = x[d];
      const auto found = node_index.find(point_key(coordinates, dim));
      return found == node_index.end() ? -1 : int(found->second);
    }

    template <int dim>
    void
    FieldCoupling<dim>::fields_at(const dealii::Point<dim> &            x,
                                      std::vector<double> &                 S,
                                      std::vector<dealii::Tensor<1, dim>> &gradients) const
    {
      if (!solver->point_values(x, S, gradients))
        throw std::runtime_error("the reaction-diffusion fields are not available at x = " +
                                 Parameters::format(x) + " on this MPI rank");
    }

    template <int dim>
    void
    FieldCoupling<dim>::attach(const PhaseSpace<dim> &            x_space,
                                   const Domain<dim> &                domain,
                                   std::function<void(PhaseVector &)> model_density)
    {
      density = std::move(model_density);
      domain_ = &domain;
      build_solver(x_space);
      solver->set_initial_values();
      set_space(x_space);
      density(current_density);
      solver->set_density(x_space, current_density);
      previous_dt = 0;
      pending     = 0;
      field_time  = 0;
      std::vector<PhaseVector> rates;
      solver->time_derivatives(0, rates);
      freeze(0, &rates);
    }

    template <int dim>
    void
    FieldCoupling<dim>::build_solver(const PhaseSpace<dim> &x_space)
    {
      const auto &triangulation =
        dynamic_cast<const dealii::parallel::TriangulationBase<dim> &>(
          x_space.get_dof_handler().get_triangulation());
      solver.reset();
      solver = std::make_unique<FieldSolver<dim>>(equations,
                                                  triangulation,
                                                  domain_->periodic_axes(),
                                                  x_space.get_dof_handler().get_fe().degree,
                                                  "Signal/Reaction-diffusion/Reaction");
      space = nullptr;
      frozen.value.clear();
    }

    template <int dim>
    PhaseVector
    FieldCoupling<dim>::nodal_state() const
    {
      const unsigned int                 n = equations.names.size();
      typename FieldSolver<dim>::Samples fields;
      solver->sample(*space, nullptr, fields);
      PhaseVector state(space->n_owned_dofs() * n);
      for (unsigned int i = 0; i < space->n_owned_dofs(); ++i)
        for (unsigned int j = 0; j < n; ++j)
          state[std::size_t(i) * n + j] = fields.value[j][i];
      return state;
    }

    template <int dim>
    void
    FieldCoupling<dim>::remesh(const PhaseSpace<dim> &x_space, const std::vector<double> &values)
    {
      build_solver(x_space);
      solver->from_nodes(x_space, values);
      set_space(x_space);
      previous_dt = 0;
      // until the next step: M and grad M of the new fields (the step
      // freezes them anew, d_tM included)
      freeze(field_time, nullptr);
    }

    template <int dim>
    void
    FieldCoupling<dim>::rebuild(const PhaseSpace<dim> &x_space)
    {
      // zero fields on the new mesh until load() reads them
      remesh(x_space, std::vector<double>(std::size_t(x_space.n_owned_dofs()) * equations.names.size()));
    }

    template <int dim>
    std::vector<std::vector<double>>
    FieldCoupling<dim>::refine_and_coarsen(XMesh<dim> &                           mesh,
                                               std::vector<typename XMesh<dim>::Lanes> lanes)
    {
      const PhaseVector fields = nodal_state();
      lanes.push_back({&fields, (unsigned int)equations.names.size()});
      auto values = mesh.refine_and_coarsen(lanes);
      remesh(mesh.space(), values.back());
      values.pop_back();
      return values;
    }

    template <int dim>
    std::vector<PhaseVector>
    FieldCoupling<dim>::indicator_fields() const
    {
      std::vector<PhaseVector> result;
      for (auto &[name, field] : node_fields())
        result.push_back(std::move(field));
      return result;
    }

    template <int dim>
    void
    FieldCoupling<dim>::set_space(const PhaseSpace<dim> &x_space)
    {
      // (the old space may be gone: compare with what was frozen on it)
      AssertThrow(frozen.value.empty() || x_space.n_owned_dofs() == frozen.value.size(),
                  dealii::ExcMessage("the x-mesh changed without remesh()"));
      space = &x_space;
      node_index.clear();
      for (unsigned int i = 0; i < x_space.n_owned_dofs(); ++i)
        {
          double coordinates[dim];
          for (unsigned int d = 0; d < dim; ++d)
            coordinates[d] = x_space.node_position[i][d];
          node_index[point_key(coordinates, dim)] = i;
        }
    }

    template <int dim>
    void
    FieldCoupling<dim>::freeze(const double t, const std::vector<PhaseVector> *rates)
    {
      typename FieldSolver<dim>::Samples fields;
      solver->sample(*space, rates, fields);
      const unsigned int n = equations.names.size(), n_nodes = space->n_owned_dofs();
      // f and its partial derivatives (4th-order central differences) at
      // all nodes in muparser's bulk mode: columns fields, x (y, z), t
      if (columns.size() != n + dim + 1 || columns[0].size() != n_nodes)
        {
          columns.assign(n + dim + 1, std::vector<double>(n_nodes));
          std::vector<double *> pointers;
          for (auto &c : columns)
            pointers.push_back(c.data());
          m_formula.bind(pointers);
        }
      for (unsigned int j = 0; j < n; ++j)
        columns[j] = fields.value[j];
      for (unsigned int i = 0; i < n_nodes; ++i)
        for (unsigned int d = 0; d < dim; ++d)
          columns[n + d][i] = space->node_position[i][d];
      std::fill(columns[n + dim].begin(), columns[n + dim].end(), t);

      frozen.value.resize(n_nodes);
      frozen.gradient.assign(n_nodes, dealii::Tensor<1, dim>());
      frozen.time_derivative.assign(n_nodes, 0.0);
      m_formula.evaluate(n_nodes, frozen.value.data());
      for (unsigned int i = 0; i < n_nodes; ++i)
        if (!std::isfinite(frozen.value[i]))
          throw std::runtime_error("Signal/Log-concentration: M = " +
                                   Parameters::format(frozen.value[i]) + " at x = " +
                                   Parameters::format(space->node_position[i]) + ", t = " +
                                   Parameters::format(t) + " for the fields there");
      // d f / d(column c) at every node by fourth-order central differences
      // with steps h_i ~ 1e-3 (truncation ~1e-13 f^(5), round-off ~1e-13 f:
      // the fields differ in their last bits between rank counts, and a
      // smaller step would magnify that beyond 1e-12 in D_tM)
      std::vector<double> step(n_nodes), partial(n_nodes), shifted(n_nodes);
      auto differentiate = [&](const unsigned int c) {
        const std::vector<double> centre = columns[c];
        std::fill(partial.begin(), partial.end(), 0.0);
        for (const auto &[shift, weight] : std::array<std::pair<double, double>, 4>{
               {{-2, 1. / 12}, {-1, -8. / 12}, {1, 8. / 12}, {2, -1. / 12}}})
          {
            for (unsigned int i = 0; i < n_nodes; ++i)
              columns[c][i] = centre[i] + shift * step[i];
            m_formula.evaluate(n_nodes, shifted.data());
            for (unsigned int i = 0; i < n_nodes; ++i)
              partial[i] += weight * shifted[i] / step[i];
          }
        columns[c] = centre;
      };
      for (unsigned int j = 0; j < n; ++j)
        if (m_formula.uses(equations.names[j]))
          {
            for (unsigned int i = 0; i < n_nodes; ++i)
              step[i] = 1e-3 * (1 + std::abs(columns[j][i]));
            differentiate(j);
            for (unsigned int i = 0; i < n_nodes; ++i)
              {
                frozen.gradient[i] += partial[i] * fields.gradient[j][i];
                if (rates)
                  frozen.time_derivative[i] += partial[i] * fields.rate[j][i];
              }
          }
      const auto coordinates = coordinate_list(dim);
      for (unsigned int d = 0; d < dim; ++d)
        if (m_formula.uses(coordinates[d]))
          {
            std::fill(step.begin(), step.end(), fd_step);
            differentiate(n + d);
            for (unsigned int i = 0; i < n_nodes; ++i)
              frozen.gradient[i][d] += partial[i];
          }
      if (m_formula.uses("t"))
        {
          std::fill(step.begin(), step.end(), 1e-4);
          differentiate(n + dim);
          for (unsigned int i = 0; i < n_nodes; ++i)
            frozen.time_derivative[i] += partial[i];
        }
    }

    template <int dim>
    void
    FieldCoupling<dim>::step(const double t, const double dt, const std::function<void()> &kinetic_step)
    {
      AssertThrow(solver, dealii::ExcMessage("ReactionDiffusion::step() before attach()"));
      // F(dt/2) of this step and the F(dt_last/2) the last step owes: the
      // bacteria have not moved in between, so the two are one F of the sum
      // (one Strang step of the fields, not two). The density is taken anew:
      // the model may have adapted its velocities since.
      density(current_density);
      solver->set_density(*space, current_density);
      solver->advance(field_time, pending + dt / 2);
      field_time = t + dt / 2;
      // the rates at t + dt/2, rho extrapolated from the last two steps
      PhaseVector midpoint = current_density;
      if (previous_dt > 0 && previous_density.size() == current_density.size())
        midpoint.add(0.5 * dt / previous_dt, current_density, -0.5 * dt / previous_dt, previous_density);
      solver->set_density(*space, midpoint);
      std::vector<PhaseVector> rates;
      solver->time_derivatives(field_time, rates);
      freeze(field_time, &rates);
      previous_density = current_density;
      previous_dt      = dt;

      kinetic_step();
      pending = dt / 2;
    }

    template <int dim>
    template <typename F>
    auto
    FieldCoupling<dim>::at_model_time(const F &report) const
    {
      // the fields are pending/2 behind the bacteria: advance a copy
      density(current_density);
      if (pending == 0)
        return report();
      solver->set_density(*space, current_density);
      const auto   fields  = solver->state();
      const double seconds = solver->seconds();
      solver->advance(field_time, pending);
      const auto result = report();
      solver->set_state(fields, seconds);
      return result;
    }

    template <int dim>
    std::vector<std::pair<std::string, PhaseVector>>
    FieldCoupling<dim>::node_fields() const
    {
      std::vector<std::pair<std::string, PhaseVector>> result;
      if (!solver)
        return result;
      return at_model_time([&] {
        typename FieldSolver<dim>::Samples fields;
        solver->sample(*space, nullptr, fields);
        for (unsigned int j = 0; j < equations.names.size(); ++j)
          {
            PhaseVector v;
            space->reinit_scalar(v, false);
            for (unsigned int i = 0; i < space->n_owned_dofs(); ++i)
              v.local_element(i) = fields.value[j][i];
            result.emplace_back(equations.names[j], std::move(v));
          }
        return result;
      });
    }

    template <int dim>
    void
    FieldCoupling<dim>::add_statistics(std::vector<std::pair<std::string, double>> &row) const
    {
      if (!solver)
        return;
      at_model_time([&] {
        for (unsigned int j = 0; j < equations.names.size(); ++j)
          {
            const auto &name  = equations.names[j];
            const auto  range = solver->range(j);
            row.emplace_back(name + "_integral", solver->integral(j));
            row.emplace_back(name + "_min", range.first);
            row.emplace_back(name + "_max", range.second);
          }
        return 0;
      });
      row.emplace_back("field_seconds",
                       dealii::Utilities::MPI::max(solver->seconds(), space->get_dof_handler().get_communicator()));
    }

    template <int dim>
    void
    FieldCoupling<dim>::save(Checkpoint::Writer &writer, const std::string &name) const
    {
      const PhaseSpace<dim> field_layout(space->get_dof_handler(), equations.names.size());
      PhaseVector           fields;
      solver->to_cell_layout(field_layout, fields);
      Checkpoint::save_cell_data(writer, name + "_fields", field_layout, fields);
      writer.state.set(name + ".previous_dt", previous_dt);
      writer.state.set(name + ".pending", pending);
      writer.state.set(name + ".field_time", field_time);

      if (previous_dt > 0)
        {
          const PhaseSpace<dim> scalar(space->get_dof_handler(), 1);
          Checkpoint::save_cell_data(writer, name + "_previous_density", scalar, previous_density);
        }
    }

    template <int dim>
    void
    FieldCoupling<dim>::load(const Checkpoint::Reader &reader,
                                 const std::string &       name,
                                 const PhaseSpace<dim> &   x_space)
    {
      // (a model that rebuilt its mesh from the checkpoint has called
      // remesh(): the solver is on the current mesh)
      set_space(x_space);
      const PhaseSpace<dim> field_layout(space->get_dof_handler(), equations.names.size());
      PhaseVector           fields;
      field_layout.reinit(fields);
      Checkpoint::load_cell_data(reader, name + "_fields", field_layout, fields);
      solver->from_cell_layout(field_layout, fields);
      previous_dt = reader.state.get(name + ".previous_dt");
      pending     = reader.state.get(name + ".pending");
      field_time  = reader.state.get(name + ".field_time");

      if (previous_dt > 0)
        {
          const PhaseSpace<dim> scalar(space->get_dof_handler(), 1);
          scalar.reinit(previous_density);
          Checkpoint::load_cell_data(reader, name + "_previous_density", scalar, previous_density);
        }
      density(current_density);
      freeze(field_time, nullptr);
    }

    template class FieldCoupling<1>;
    template class FieldCoupling<2>;
    template class FieldCoupling<3>;
  } // namespace Signal
} // namespace chemokin
