#include <deal.II/base/utilities.h>

#include <chemokin/base/parameters.h>
#include <chemokin/base/timing.h>
#include <chemokin/checkpoint/cell_data.h>
#include <chemokin/models/x_mesh_model.h>
#include <chemokin/operators/positivity_limiter.h>
#include <chemokin/signal/field_coupling.h>

namespace chemokin
{
  namespace Models
  {
    template <int dim>
    bool
    mark_x_mesh(XMesh<dim> &                mesh,
                const XAdaptivity<dim> &    adaptivity,
                PhaseVector                 rho,
                Signal::FieldCoupling<dim> *coupling)
    {
      std::vector<PhaseVector> indicators{std::move(rho)};
      if (coupling && coupling->attached())
        for (auto &field : coupling->indicator_fields())
          indicators.push_back(std::move(field));
      return adaptivity.mark(mesh, indicators);
    }

    template <int dim>
    void
    add_field_moments(Moments<dim> &moments, Signal::Interface<dim> &signal)
    {
      if (const auto *coupling = signal.coupling())
        moments.fields = coupling->node_fields();
    }

    template <int dim>
    std::vector<std::vector<double>>
    adapt_x_mesh(XMesh<dim> &                                   mesh,
                 const std::vector<typename XMesh<dim>::Lanes> &lanes,
                 Signal::FieldCoupling<dim> *                   coupling)
    {
      // (remesh: the third point of the coupling; before attach() the
      // fields are not on the mesh yet)
      return coupling && coupling->attached() ? coupling->refine_and_coarsen(mesh, lanes) :
                                                mesh.refine_and_coarsen(lanes);
    }

    template <int dim>
    XMeshModel<dim>::XMeshModel(ModelInputs<dim> &&inputs_,
                                const MPI_Comm &   comm,
                                const std::string &name,
                                const std::string &solution_key)
      : inputs(std::move(inputs_))
      , comm(comm)
      , mesh(comm, inputs.domain, inputs.refinement, inputs.degree, inputs.velocities.size())
      , name(name)
      , solution_key(solution_key)
    {
      dealii::Utilities::System::MemoryStats memory;
      dealii::Utilities::System::get_memory_stats(memory);
      resident_before_model = memory.VmRSS;
    }

    template <int dim>
    void
    XMeshModel<dim>::initialize(const XMeshModel<dim> *leader_)
    {
      leader = leader_;
      setup_operators();
      set_initial_condition();
      if (leader)
        {
          // the leader's velocities and mesh, as they are after its initial cycles
          if (inputs.v_adaptivity.enabled())
            {
              inputs.velocities = leader->inputs.velocities;
              mesh.set_velocities(inputs.velocities.size());
            }
          // the leader's initial x-adaptations, one by one: the same history
          // gives the same cells in the same order, so the DoFs are
          // numbered alike and the two solutions compare node by node
          for (const auto &flags : leader->initial_flags)
            {
              set_flags(flags);
              mesh.refine_and_coarsen({});
            }
          if (inputs.x_adaptivity.enabled() || inputs.v_adaptivity.enabled())
            {
              setup_operators();
              set_initial_condition();
            }
        }
      else
        {
          // resolve the initial law in v, then the initial density in x:
          // refine where they vary, then set them anew
          VelocityMesh::Transfer transfer;
          for (unsigned int cycle = 0; cycle < inputs.v_adaptivity.initial_cycles(); ++cycle)
            {
              if (!inputs.v_adaptivity.adapt(inputs.velocities, velocity_profiles(), comm, transfer))
                break;
              mesh.set_velocities(inputs.velocities.size());
              setup_operators();
              set_initial_condition();
            }
          for (unsigned int cycle = 0; cycle < inputs.x_adaptivity.initial_cycles(); ++cycle)
            {
              if (!mark_cells())
                break;
              initial_flags.push_back(last_flags);
              mesh.refine_and_coarsen({});
              setup_operators();
              set_initial_condition();
            }
        }
      if (inputs.positivity_limiter)
        limit_positivity(solution_space(), solution_vector, positivity_skip);
      // density in (the first of the coupling's three points)
      if (auto *coupling = inputs.signal->coupling())
        coupling->attach(mesh.space(), inputs.domain, [this](PhaseVector &rho) { density(rho); });
    }

    template <int dim>
    void
    XMeshModel<dim>::density(PhaseVector &rho) const
    {
      Moments<dim> moments;
      kinetic_moments(moments);
      rho = std::move(moments.density);
    }

    template <int dim>
    std::vector<double>
    XMeshModel<dim>::velocity_profiles() const
    {
      return std::vector<double>(solution_vector.begin(),
                                 solution_vector.begin() + solution_vector.locally_owned_size());
    }

    template <int dim>
    double
    XMeshModel<dim>::min_value() const
    {
      return global_min(solution_vector);
    }

    template <int dim>
    bool
    XMeshModel<dim>::mark_cells()
    {
      auto &tria = mesh.triangulation();
      if (leader)
        {
          // the leader's flags on the same cells
          if (!leader->last_x_adapted)
            return false;
          set_flags(leader->last_flags);
          return true;
        }
      PhaseVector rho;
      density(rho);
      last_x_adapted = mark_x_mesh(mesh, inputs.x_adaptivity, std::move(rho), inputs.signal->coupling());
      if (last_x_adapted)
        keep_refinement_within_memory();
      last_flags.clear();
      for (const auto &cell : tria.active_cell_iterators())
        if (!cell->is_artificial() && (cell->refine_flag_set() || cell->coarsen_flag_set()))
          last_flags[cell->id()] = cell->refine_flag_set() ? 1 : 2;
      return last_x_adapted;
    }

    template <int dim>
    void
    XMeshModel<dim>::keep_refinement_within_memory()
    {
      auto &             tria     = mesh.triangulation();
      const unsigned int children = 1u << dim;
      // the 1-D mesh is shared: every rank counts the cells it owns
      double old_cells = 0, new_cells = 0;
      bool   refines = false;
      for (const auto &cell : tria.active_cell_iterators())
        if (cell->is_locally_owned())
          {
            old_cells += 1;
            new_cells += cell->refine_flag_set() ? children :
                         cell->coarsen_flag_set() ? 1.0 / children :
                                                    1.0;
            refines = refines || cell->refine_flag_set();
          }
      old_cells = dealii::Utilities::MPI::sum(old_cells, comm);
      new_cells = dealii::Utilities::MPI::sum(new_cells, comm);
      if (!dealii::Utilities::MPI::logical_or(refines, comm))
        return;
      const double per_cell = double(mesh.dof_handler().get_fe().n_dofs_per_cell()) *
                              inputs.velocities.size() * lanes_per_velocity;
      // bytes per unknown: the model's figure, or what the run holds now
      // per unknown beyond what it held before the model was made (the
      // operators' face data on adapted meshes, the mesh itself), if more
      dealii::Utilities::System::MemoryStats memory;
      dealii::Utilities::System::get_memory_stats(memory);
      const double held = dealii::Utilities::MPI::sum(
        1024.0 * (double(memory.VmRSS) - double(resident_before_model)), comm);
      const double rate = std::max(bytes_per_unknown, held / (old_cells * per_cell));
      // the refined model, and the old solution until it is carried over
      const double bytes = per_cell * (new_cells * rate + old_cells * sizeof(double));
      if (bytes <= inputs.memory_limit)
        return;
      for (const auto &cell : tria.active_cell_iterators())
        if (cell->refine_flag_set())
          cell->clear_refine_flag();
      tria.prepare_coarsening_and_refinement();
      bool coarsens = false;
      for (const auto &cell : tria.active_cell_iterators())
        if (cell->is_locally_owned() && cell->coarsen_flag_set())
          coarsens = true;
      last_x_adapted = dealii::Utilities::MPI::logical_or(coarsens, comm);
      if (!refinement_capped && dealii::Utilities::MPI::this_mpi_process(comm) == 0)
        std::cout << "chemokin: warning: the x-mesh stops refining at " << Parameters::format(old_cells)
                  << " cells: " << Parameters::format(new_cells) << " cells would need about "
                  << Memory::format(bytes) << ", more than the memory limit of "
                  << Memory::format(inputs.memory_limit)
                  << " (`Memory limit`); coarsening goes on (raise `Memory limit` or lower "
                     "`Adaptive refinement/Maximum x level`)"
                  << std::endl;
      refinement_capped = true;
    }

    template <int dim>
    void
    XMeshModel<dim>::set_flags(const std::map<dealii::CellId, char> &flags)
    {
      for (const auto &cell : mesh.triangulation().active_cell_iterators())
        if (!cell->is_artificial())
          {
            const auto flag = flags.find(cell->id());
            if (flag != flags.end() && flag->second == 1)
              cell->set_refine_flag();
            else if (flag != flags.end() && flag->second == 2)
              cell->set_coarsen_flag();
          }
    }

    template <int dim>
    void
    XMeshModel<dim>::adapt_mesh()
    {
      if (!mark_cells())
        return;
      // every lane moves (and the velocity fields, and the fields of a
      // reaction-diffusion signal)
      std::vector<typename XMesh<dim>::Lanes> lanes{{&solution_vector, solution_space().n_velocities()}};
      for (const auto &field : velocity_fields)
        lanes.push_back({field.second, mesh.space().n_velocities()});
      auto values = adapt_x_mesh(mesh, lanes, inputs.signal->coupling());
      setup_operators();
      solution_space().reinit(solution_vector);
      for (std::size_t i = 0; i < values[0].size(); ++i)
        solution_vector.local_element(i) = values[0][i];
      for (std::size_t f = 0; f < velocity_fields.size(); ++f)
        {
          PhaseVector &field = *velocity_fields[f].second;
          mesh.space().reinit(field);
          for (std::size_t i = 0; i < values[f + 1].size(); ++i)
            field.local_element(i) = values[f + 1][i];
        }
      solution_replaced();
    }

    template <int dim>
    void
    XMeshModel<dim>::adapt_velocities()
    {
      const unsigned int n_old = inputs.velocities.size();
      if (leader)
        {
          if (!leader->last_v_adapted)
            return;
          inputs.velocities = leader->inputs.velocities;
          last_v_transfer   = leader->last_v_transfer;
        }
      else
        {
          last_v_adapted =
            inputs.v_adaptivity.adapt(inputs.velocities, velocity_profiles(), comm, last_v_transfer);
          if (!last_v_adapted)
            return;
        }
      // every lane of a velocity moves with it (the moving frame's y-cells
      // at fixed y and its lag, a smooth function of v)
      const unsigned int       n_new = inputs.velocities.size();
      const PhaseVector        old   = solution_vector;
      std::vector<PhaseVector> old_fields;
      for (const auto &field : velocity_fields)
        old_fields.push_back(*field.second);
      mesh.set_velocities(n_new);
      setup_operators();
      velocities_changed();
      solution_space().reinit(solution_vector);
      const auto transfer = [&](const PhaseVector &from, PhaseVector &to, const std::size_t n) {
        for (unsigned int i = 0; i < mesh.space().n_owned_dofs(); ++i)
          last_v_transfer.apply(from.begin() + i * n_old * n, to.begin() + i * n_new * n, n);
      };
      transfer(old, solution_vector, lanes_per_velocity);
      for (std::size_t f = 0; f < velocity_fields.size(); ++f)
        {
          mesh.space().reinit(*velocity_fields[f].second);
          transfer(old_fields[f], *velocity_fields[f].second, 1);
        }
      solution_replaced();
    }

    template <int dim>
    void
    XMeshModel<dim>::velocities_changed()
    {
      auto *const coupling = inputs.signal->coupling();
      if (coupling && coupling->attached())
        coupling->set_space(mesh.space());
    }

    template <int dim>
    void
    XMeshModel<dim>::advance(const double time, const double dt)
    {
      // the second point of the coupling: the fields around the kinetic step
      if (auto *coupling = inputs.signal->coupling())
        {
          const Timing::Scope timing("fields");
          coupling->step(time, dt, [&] {
            const Timing::Scope timing("time integration");
            kinetic_step(time, dt);
          });
        }
      else
        kinetic_step(time, dt);
      time_now = time + dt;
      ++steps;
      {
        const Timing::Scope timing("adaptation");
        if (inputs.v_adaptivity.due(steps))
          adapt_velocities();
        if (inputs.x_adaptivity.due(steps))
          adapt_mesh();
      }
      // after the transfer too: interpolation to new cells can undershoot
      if (inputs.positivity_limiter)
        {
          const Timing::Scope timing("positivity limiter");
          if (dealii::Utilities::MPI::max(
                limit_positivity(solution_space(), solution_vector, positivity_skip), comm) > 0)
            solution_modified();
        }
    }

    template <int dim>
    void
    XMeshModel<dim>::compute_moments(Moments<dim> &moments) const
    {
      kinetic_moments(moments);
      add_field_moments(moments, *inputs.signal);
    }

    template <int dim>
    void
    XMeshModel<dim>::add_statistics(StatisticsRow &row) const
    {
      add_model_statistics(row);
      row.emplace_back("min_value", min_value());
      row.emplace_back("dofs", double(mesh.dof_handler().n_dofs()) * solution_space().n_velocities());
      row.emplace_back("cells", double(mesh.n_cells()));
      row.emplace_back("velocities", double(inputs.velocities.size()));
      if (const auto *coupling = inputs.signal->coupling())
        coupling->add_statistics(row);
    }

    template <int dim>
    void
    XMeshModel<dim>::save(Checkpoint::Writer &writer) const
    {
      Checkpoint::save_cell_data(writer, solution_key, solution_space(), solution_vector);
      for (const auto &[key, field] : velocity_fields)
        Checkpoint::save_cell_data(writer, key, mesh.space(), *field);
      auto &state = writer.state;
      state.set("model." + name + ".steps", steps);
      state.set("model." + name + ".time", time_now);
      if (inputs.velocities.mesh)
        state.set("model." + name + ".velocity_mesh", inputs.velocities.mesh->save());
      save_model_state(state);
      if (const auto *coupling = inputs.signal->coupling())
        coupling->save(writer, name + "_signal");
    }

    template <int dim>
    void
    XMeshModel<dim>::load(const Checkpoint::Reader &reader)
    {
      const auto &state    = reader.state;
      auto *const coupling = inputs.signal->coupling();
      if (inputs.v_adaptivity.enabled())
        {
          // the adapted velocity mesh of the checkpoint
          VAdaptivity<dim>::restore(inputs.velocities,
                                    state.get_vector("model." + name + ".velocity_mesh"));
          mesh.set_velocities(inputs.velocities.size());
        }
      if (inputs.x_adaptivity.enabled())
        {
          // the adapted mesh of the checkpoint, on a fresh coarse mesh (and
          // the fields on it, read below)
          mesh.rebuild(Checkpoint::saved_cells<dim>(reader, solution_key));
          if (coupling)
            coupling->rebuild(mesh.space());
        }
      const bool relaid = load_layout(state);
      if (inputs.x_adaptivity.enabled() || inputs.v_adaptivity.enabled() || relaid)
        setup_operators();
      solution_space().reinit(solution_vector);
      Checkpoint::load_cell_data(reader, solution_key, solution_space(), solution_vector);
      for (const auto &[key, field] : velocity_fields)
        {
          mesh.space().reinit(*field);
          Checkpoint::load_cell_data(reader, key, mesh.space(), *field);
        }
      steps    = state.get("model." + name + ".steps");
      time_now = state.get("model." + name + ".time");
      load_model_state(state);
      if (coupling)
        coupling->load(reader, name + "_signal", mesh.space());
      solution_replaced();
    }

    template class XMeshModel<1>;
    template class XMeshModel<2>;
    template class XMeshModel<3>;
    template bool
    mark_x_mesh(XMesh<1> &, const XAdaptivity<1> &, PhaseVector, Signal::FieldCoupling<1> *);
    template bool
    mark_x_mesh(XMesh<2> &, const XAdaptivity<2> &, PhaseVector, Signal::FieldCoupling<2> *);
    template bool
    mark_x_mesh(XMesh<3> &, const XAdaptivity<3> &, PhaseVector, Signal::FieldCoupling<3> *);
    template void
    add_field_moments(Moments<1> &, Signal::Interface<1> &);
    template void
    add_field_moments(Moments<2> &, Signal::Interface<2> &);
    template void
    add_field_moments(Moments<3> &, Signal::Interface<3> &);
    template std::vector<std::vector<double>>
    adapt_x_mesh(XMesh<1> &, const std::vector<XMesh<1>::Lanes> &, Signal::FieldCoupling<1> *);
    template std::vector<std::vector<double>>
    adapt_x_mesh(XMesh<2> &, const std::vector<XMesh<2>::Lanes> &, Signal::FieldCoupling<2> *);
    template std::vector<std::vector<double>>
    adapt_x_mesh(XMesh<3> &, const std::vector<XMesh<3>::Lanes> &, Signal::FieldCoupling<3> *);
  } // namespace Models
} // namespace chemokin
