// FieldSolver between the kinetic model's DG nodes and the continuous
// fields: the density in (the lumped L2 projection), the fields and their
// gradients out at the nodes (and at any point), and the layouts of
// checkpoints and of an adapting mesh.
#include "field_solver_implementation.h"

namespace chemokin
{
  namespace Signal
  {
    template <int dim>
    void
    FieldSolver<dim>::Implementation::build_table(const PhaseSpace<dim> &space) const
    {
      if (table.space == &space && table.n_nodes == space.n_owned_dofs())
        return;
      table.space   = &space;
      table.n_nodes = space.n_owned_dofs();
      table.cells.clear();
      const auto &              kinetic = space.get_dof_handler();
      const dealii::QGauss<dim> gauss(kinetic.get_fe().degree + 1);
      dealii::FEValues<dim>     values(fe, gauss, dealii::update_values | dealii::update_gradients);
      const unsigned int        per_cell = fe.n_dofs_per_cell();
      for_each_cell(space, [&](const auto &field_cell, const auto &kinetic_dofs, const auto &field_dofs) {
        values.reinit(field_cell);
        typename Table::Cell entry;
        entry.global = field_dofs;
        for (const auto g : entry.global)
          entry.local.push_back(S[0].get_partitioner()->global_to_local(g));
        for (unsigned int q = 0; q < gauss.size(); ++q)
          {
            entry.nodes.push_back(space.local_dof(kinetic_dofs[q]));
            for (unsigned int a = 0; a < per_cell; ++a)
              {
                entry.shape.push_back(values.shape_value(a, q));
                entry.shape_gradient.push_back(values.shape_grad(a, q));
              }
          }
        table.cells.push_back(std::move(entry));
      });
    }

    template <int dim>
    void
    FieldSolver<dim>::set_density(const PhaseSpace<dim> &space, const PhaseVector &density)
    {
      auto &I       = *impl;
      I.prescribed  = nullptr;
      I.build_table(space);
      // b_a = int rho_h phi_a (the Gauss rule of the kinetic nodes is
      // exact), condensed: constrained DoFs pass their share to their masters
      PhaseVector &b = I.ghosted_work;
      b              = 0;
      dealii::Vector<double> cell_b(I.fe.n_dofs_per_cell());
      for (const auto &cell : I.table.cells)
        {
          cell_b = 0;
          for (unsigned int q = 0; q < cell.nodes.size(); ++q)
            {
              const double w = density.local_element(cell.nodes[q]) * space.node_weight[cell.nodes[q]];
              for (unsigned int a = 0; a < cell_b.size(); ++a)
                cell_b(a) += w * cell.shape[q * cell_b.size() + a];
            }
          I.constraints.distribute_local_to_global(cell_b, cell.global, b);
        }
      b.compress(dealii::VectorOperation::add);
      for (unsigned int i = 0; i < I.owned.n_elements(); ++i)
        I.rho.local_element(i) = I.free[i] ? b.local_element(i) / I.mass.local_element(i) : 0;
    }

    template <int dim>
    void
    FieldSolver<dim>::sample(const PhaseSpace<dim> &          space,
                             const std::vector<PhaseVector> *rates,
                             Samples &                        out) const
    {
      const auto &I = *impl;
      I.build_table(space);
      const unsigned int n_nodes = space.n_owned_dofs();
      out.value.assign(I.n(), std::vector<double>(n_nodes));
      out.gradient.assign(I.n(), std::vector<dealii::Tensor<1, dim>>(n_nodes));
      out.rate.assign(rates ? I.n() : 0, std::vector<double>(n_nodes));
      for (const auto &cell : I.table.cells)
        {
          const unsigned int per_cell = cell.local.size();
          for (unsigned int q = 0; q < cell.nodes.size(); ++q)
            {
              const unsigned int node = cell.nodes[q];
              for (unsigned int j = 0; j < I.n(); ++j)
                {
                  double                 value = 0, rate = 0;
                  dealii::Tensor<1, dim> gradient;
                  for (unsigned int a = 0; a < per_cell; ++a)
                    {
                      const double s = I.S[j].local_element(cell.local[a]);
                      value += s * cell.shape[q * per_cell + a];
                      gradient += s * cell.shape_gradient[q * per_cell + a];
                      if (rates)
                        rate += (*rates)[j].local_element(cell.local[a]) * cell.shape[q * per_cell + a];
                    }
                  out.value[j][node]    = value;
                  out.gradient[j][node] = gradient;
                  if (rates)
                    out.rate[j][node] = rate;
                }
            }
        }
    }

    template <int dim>
    bool
    FieldSolver<dim>::point_values(const dealii::Point<dim> &            x,
                                   std::vector<double> &                 values,
                                   std::vector<dealii::Tensor<1, dim>> &gradients) const
    {
      const auto &I = *impl;
      std::pair<typename dealii::DoFHandler<dim>::active_cell_iterator, dealii::Point<dim>> found;
      try
        {
          found = dealii::GridTools::find_active_cell_around_point(dealii::MappingQ1<dim>(), I.dofs, x);
        }
      catch (...)
        {
          return false;
        }
      if (found.first == I.dofs.end() || found.first->is_artificial())
        return false;
      const dealii::Quadrature<dim> point(dealii::GeometryInfo<dim>::project_to_unit_cell(found.second));
      dealii::FEValues<dim> fe_values(I.fe, point, dealii::update_values | dealii::update_gradients);
      fe_values.reinit(found.first);
      values.resize(I.n());
      gradients.resize(I.n());
      std::vector<double>                 v(1);
      std::vector<dealii::Tensor<1, dim>> g(1);
      for (unsigned int j = 0; j < I.n(); ++j)
        {
          fe_values.get_function_values(I.S[j], v);
          fe_values.get_function_gradients(I.S[j], g);
          values[j]    = v[0];
          gradients[j] = g[0];
        }
      return true;
    }

    template <int dim>
    void
    FieldSolver<dim>::to_cell_layout(const PhaseSpace<dim> &space, PhaseVector &vector) const
    {
      const auto &       I      = *impl;
      const unsigned int n_f    = I.n();
      const auto &       kinetic = space.get_dof_handler();
      AssertThrow(space.n_velocities() == n_f &&
                    kinetic.get_fe().n_dofs_per_cell() == I.fe.n_dofs_per_cell(),
                  dealii::ExcInternalError());
      space.reinit(vector);
      I.for_each_cell(space, [&](const auto &, const auto &kinetic_dofs, const auto &field_dofs) {
        for (unsigned int q = 0; q < kinetic_dofs.size(); ++q)
          for (unsigned int j = 0; j < n_f; ++j)
            vector.local_element(std::size_t(space.local_dof(kinetic_dofs[q])) * n_f + j) =
              I.S[j](field_dofs[I.lexicographic[q]]);
      });
    }

    template <int dim>
    void
    FieldSolver<dim>::from_cell_layout(const PhaseSpace<dim> &space, const PhaseVector &vector)
    {
      auto &             I       = *impl;
      const unsigned int n_f     = I.n();
      // every DoF of an owned cell, owned or not: compress(insert) hands
      // the values of DoFs on cells of other ranks to their owners
      for (unsigned int j = 0; j < n_f; ++j)
        {
          PhaseVector ghosted(I.owned, I.relevant, I.comm);
          I.for_each_cell(space, [&](const auto &, const auto &kinetic_dofs, const auto &field_dofs) {
            for (unsigned int q = 0; q < kinetic_dofs.size(); ++q)
              ghosted(field_dofs[I.lexicographic[q]]) =
                vector.local_element(std::size_t(space.local_dof(kinetic_dofs[q])) * n_f + j);
          });
          ghosted.compress(dealii::VectorOperation::insert);
          I.S[j].zero_out_ghost_values();
          I.S[j].copy_locally_owned_data_from(ghosted);
          I.make_consistent(I.S[j]);
        }
    }

    template <int dim>
    void
    FieldSolver<dim>::from_nodes(const PhaseSpace<dim> &space, const std::vector<double> &values)
    {
      auto &             I        = *impl;
      const unsigned int n_f      = I.n();
      const auto &       kinetic  = space.get_dof_handler();
      const auto &       dg       = kinetic.get_fe();
      const auto &       support  = I.fe.get_unit_support_points();
      const unsigned int per_cell = I.fe.n_dofs_per_cell();
      // phi^DG_q at the field's support points, the same on every cell
      dealii::FullMatrix<double> phi(per_cell, dg.n_dofs_per_cell());
      for (unsigned int a = 0; a < per_cell; ++a)
        for (unsigned int q = 0; q < dg.n_dofs_per_cell(); ++q)
          phi(a, q) = dg.shape_value(q, support[a]);
      PhaseVector              count(I.owned, I.relevant, I.comm);
      std::vector<PhaseVector> sum(n_f, count);
      I.for_each_cell(space, [&](const auto &, const auto &kinetic_dofs, const auto &field_dofs) {
        for (unsigned int a = 0; a < per_cell; ++a)
          {
            count(field_dofs[a]) += 1;
            for (unsigned int j = 0; j < n_f; ++j)
              {
                double value = 0;
                for (unsigned int q = 0; q < kinetic_dofs.size(); ++q)
                  value += phi(a, q) * values[std::size_t(space.local_dof(kinetic_dofs[q])) * n_f + j];
                sum[j](field_dofs[a]) += value;
              }
          }
      });
      count.compress(dealii::VectorOperation::add);
      for (unsigned int j = 0; j < n_f; ++j)
        {
          sum[j].compress(dealii::VectorOperation::add);
          I.S[j].zero_out_ghost_values();
          for (unsigned int i = 0; i < I.owned.n_elements(); ++i)
            I.S[j].local_element(i) =
              count.local_element(i) > 0 ? sum[j].local_element(i) / count.local_element(i) : 0;
          I.make_consistent(I.S[j]);
        }
    }

    template class FieldSolver<1>;
    template class FieldSolver<2>;
    template class FieldSolver<3>;
  } // namespace Signal
} // namespace chemokin
