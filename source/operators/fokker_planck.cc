#include <deal.II/base/quadrature_lib.h>
#include <deal.II/dofs/dof_tools.h>
#include <deal.II/fe/fe_values.h>
#include <deal.II/lac/dynamic_sparsity_pattern.h>
#include <deal.II/lac/sparsity_tools.h>

#include <chemokin/base/timing.h>
#include <chemokin/mesh/face_neighbors.h>
#include <chemokin/mesh/xm_coordinates.h>
#include <chemokin/operators/fokker_planck.h>

#include <cmath>
#include <iostream>
#include <limits>

namespace chemokin
{
  template <int dim>
  FokkerPlanck<dim>::FokkerPlanck(const PhaseSpace<dim + 1> &    phase_space,
                                  const Signal::Interface<dim> &signal,
                                  const double                  epsilon,
                                  const double                  penalty)
    : phase_space(phase_space)
    , signal(signal)
    , epsilon(epsilon)
    , penalty(penalty)
    , operator_time(std::numeric_limits<double>::quiet_NaN())
    , solver_control(1, 0)
    , system_time(std::numeric_limits<double>::quiet_NaN())
    , system_gamma(std::numeric_limits<double>::quiet_NaN())
  {
    const auto &dof_handler = phase_space.get_dof_handler();
    owned                   = dof_handler.locally_owned_dofs();

    // couplings: every cell with itself and its neighbours across m-faces
    dealii::IndexSet relevant = owned;
    relevant.add_indices(phase_space.get_dof_partitioner()->ghost_indices());
    dealii::DynamicSparsityPattern dsp(dof_handler.n_dofs(),
                                       dof_handler.n_dofs(),
                                       relevant);
    const unsigned int n = dof_handler.get_fe().n_dofs_per_cell();
    std::vector<dealii::types::global_dof_index> dofs(n), neighbor_dofs(n);
    for (const auto &cell : dof_handler.active_cell_iterators())
      if (cell->is_locally_owned())
        {
          cell->get_dof_indices(dofs);
          for (const auto i : dofs)
            for (const auto j : dofs)
              dsp.add(i, j);
          for (const unsigned int f : {2 * dim, 2 * dim + 1})
            {
              if (cell->at_boundary(f))
                continue;
              const auto neighbor = cell->neighbor(f);
              std::vector<typename dealii::DoFHandler<dim + 1>::active_cell_iterator>
                others;
              if (neighbor->has_children())
                for (unsigned int sf = 0; sf < cell->face(f)->n_children(); ++sf)
                  others.push_back(cell->neighbor_child_on_subface(f, sf));
              else
                others.push_back(neighbor);
              for (const auto &other : others)
                {
                  other->get_dof_indices(neighbor_dofs);
                  for (const auto i : dofs)
                    for (const auto j : neighbor_dofs)
                      dsp.add(i, j);
                }
            }
        }
    dealii::SparsityTools::distribute_sparsity_pattern(
      dsp, owned, dof_handler.get_communicator(), relevant);
    operator_matrix.reinit(owned, owned, dsp, dof_handler.get_communicator());
    system_matrix.reinit(owned, owned, dsp, dof_handler.get_communicator());
    phase_space.reinit_scalar(scalar_in, false);
    phase_space.reinit_scalar(scalar_out, false);
  }

  template <int dim>
  void
  FokkerPlanck<dim>::assemble(const double t)
  {
    const Timing::Scope timing("internal state");
    constexpr int mesh_dim = dim + 1;
    constexpr int m_axis   = dim;
    const auto &  dof_handler = phase_space.get_dof_handler();
    const auto &  fe          = dof_handler.get_fe();
    const unsigned int n      = fe.n_dofs_per_cell();
    const dealii::QGauss<mesh_dim>     quadrature(fe.degree + 1);
    const dealii::QGauss<mesh_dim - 1> face_quadrature(fe.degree + 1);
    dealii::FEValues<mesh_dim> fe_values(fe,
                                         quadrature,
                                         dealii::update_values |
                                           dealii::update_gradients |
                                           dealii::update_quadrature_points |
                                           dealii::update_JxW_values);
    FaceNeighbors<mesh_dim> neighbors(fe,
                                      face_quadrature,
                                      dealii::update_values |
                                        dealii::update_gradients |
                                        dealii::update_quadrature_points |
                                        dealii::update_JxW_values);
    dealii::FullMatrix<double> local(n, n), coupling(n, n);
    std::vector<dealii::types::global_dof_index> dofs(n), neighbor_dofs(n);
    const bool static_signal = signal.is_static();
    const double sigma0      = penalty * (fe.degree + 1) * (fe.degree + 1);

    // rows are divided by the diagonal mass matrix: dp/dt = A p
    auto scale_rows = [this](const std::vector<dealii::types::global_dof_index> &rows,
                             dealii::FullMatrix<double> &                        matrix) {
      for (unsigned int i = 0; i < rows.size(); ++i)
        {
          const double scale = 1.0 / phase_space.node_weight[phase_space.local_dof(rows[i])];
          for (unsigned int l = 0; l < matrix.n(); ++l)
            matrix(i, l) *= scale;
        }
    };

    operator_matrix = 0;
    for (const auto &cell : dof_handler.active_cell_iterators())
      {
        if (!cell->is_locally_owned())
          continue;
        cell->get_dof_indices(dofs);
        fe_values.reinit(cell);
        local = 0;
        // volume: -(1/eps) int (m - M) p d_m phi_i - eps int d_m p d_m phi_i
        for (unsigned int q = 0; q < quadrature.size(); ++q)
          {
            const auto & point = fe_values.quadrature_point(q);
            const double drift =
              (point[m_axis] - signal.value(x_part<dim>(point), static_signal ? 0 : t)) /
              epsilon;
            for (unsigned int i = 0; i < n; ++i)
              for (unsigned int l = 0; l < n; ++l)
                local(i, l) -= (drift * fe_values.shape_value(l, q) +
                                epsilon * fe_values.shape_grad(l, q)[m_axis]) *
                               fe_values.shape_grad(i, q)[m_axis] *
                               fe_values.JxW(q);
          }
        scale_rows(dofs, local);
        operator_matrix.add(dofs, local);

        const double h_here = cell->extent_in_direction(m_axis);
        for (const unsigned int f : {2 * dim, 2 * dim + 1})
          {
            if (cell->at_boundary(f))
              continue; // zero flux at m_min and m_max
            const double s = (f % 2 == 1) ? 1.0 : -1.0; // outward normal along m
            neighbors.visit(
              cell,
              f,
              [&](const dealii::FEValuesBase<mesh_dim> &here,
                  const dealii::FEValuesBase<mesh_dim> &there,
                  const auto &                          neighbor) {
                neighbor->get_dof_indices(neighbor_dofs);
                const double sigma =
                  sigma0 / std::min(h_here, neighbor->extent_in_direction(m_axis));
                local    = 0;
                coupling = 0;
                for (unsigned int q = 0; q < here.n_quadrature_points; ++q)
                  {
                    const auto & point = here.quadrature_point(q);
                    const double JxW   = here.JxW(q);
                    // outward m-velocity a.n = -(m - M) s / eps: upwind side
                    const double a_n =
                      -(point[m_axis] -
                        signal.value(x_part<dim>(point), static_signal ? 0 : t)) *
                      s / epsilon;
                    for (unsigned int i = 0; i < n; ++i)
                      {
                        const double phi_i  = here.shape_value(i, q);
                        const double dphi_i = here.shape_grad(i, q)[m_axis];
                        for (unsigned int l = 0; l < n; ++l)
                          {
                            const double p_here   = here.shape_value(l, q);
                            const double p_there  = there.shape_value(l, q);
                            const double dp_here  = here.shape_grad(l, q)[m_axis];
                            const double dp_there = there.shape_grad(l, q)[m_axis];
                            // drift: -int a.n p_upwind phi_i
                            local(i, l) -= (a_n > 0 ? a_n * p_here : 0.0) * phi_i * JxW;
                            coupling(i, l) -=
                              (a_n < 0 ? a_n * p_there : 0.0) * phi_i * JxW;
                            // SIPG, with [p] = s (p_here - p_there), test
                            // function phi_i of this cell:
                            // eps ({d_m p} s phi_i + [p] d_m phi_i / 2
                            //      - sigma [p] s phi_i)
                            local(i, l) +=
                              epsilon *
                              (0.5 * dp_here * s * phi_i + 0.5 * s * p_here * dphi_i -
                               sigma * p_here * phi_i) *
                              JxW;
                            coupling(i, l) +=
                              epsilon *
                              (0.5 * dp_there * s * phi_i - 0.5 * p_there * dphi_i * s +
                               sigma * p_there * phi_i) *
                              JxW;
                          }
                      }
                  }
                scale_rows(dofs, local);
                scale_rows(dofs, coupling);
                operator_matrix.add(dofs, local);
                for (unsigned int i = 0; i < n; ++i)
                  for (unsigned int l = 0; l < n; ++l)
                    operator_matrix.add(dofs[i], neighbor_dofs[l], coupling(i, l));
              });
          }
      }
    operator_matrix.compress(dealii::VectorOperation::add);

    // Conservation: sum_i w_i A_ij = 0 for every column j. Assembled in
    // floating point the column sums are ~1e-16 |A| with |A| ~ 1/eps^2, and
    // the same every step: a systematic drift of the mass. Move them into
    // the diagonal.
    PhaseVector weights, column_sums;
    phase_space.reinit_scalar(weights, false);
    phase_space.reinit_scalar(column_sums, false);
    for (unsigned int i = 0; i < phase_space.n_owned_dofs(); ++i)
      weights.local_element(i) = phase_space.node_weight[i];
    operator_matrix.Tvmult(column_sums, weights);
    for (auto j = owned.begin(); j != owned.end(); ++j)
      {
        const unsigned int local = phase_space.local_dof(*j);
        operator_matrix.add(*j,
                            *j,
                            -column_sums.local_element(local) /
                              phase_space.node_weight[local]);
      }
    operator_matrix.compress(dealii::VectorOperation::add);

    operator_time = t;
  }

  template <int dim>
  const dealii::TrilinosWrappers::SparseMatrix &
  FokkerPlanck<dim>::matrix(const double t)
  {
    if (std::isnan(operator_time) || (!signal.is_static() && t != operator_time))
      assemble(t);
    return operator_matrix;
  }

  template <int dim>
  void
  FokkerPlanck<dim>::extract(const PhaseVector &phase,
                             const unsigned int k,
                             PhaseVector &      scalar) const
  {
    const unsigned int nv = phase_space.n_velocities();
    for (unsigned int i = 0; i < phase_space.n_owned_dofs(); ++i)
      scalar.local_element(i) = phase.local_element(std::size_t(i) * nv + k);
  }

  template <int dim>
  void
  FokkerPlanck<dim>::insert(const PhaseVector &scalar,
                            const unsigned int k,
                            PhaseVector &      phase) const
  {
    const unsigned int nv = phase_space.n_velocities();
    for (unsigned int i = 0; i < phase_space.n_owned_dofs(); ++i)
      phase.local_element(std::size_t(i) * nv + k) = scalar.local_element(i);
  }

  template <int dim>
  void
  FokkerPlanck<dim>::apply(const double t, const PhaseVector &src, PhaseVector &dst)
  {
    const Timing::Scope timing("internal state");
    const auto &A = matrix(t);
    for (unsigned int k = 0; k < phase_space.n_velocities(); ++k)
      {
        extract(src, k, scalar_in);
        A.vmult(scalar_out, scalar_in);
        insert(scalar_out, k, dst);
      }
  }

  template <int dim>
  void
  FokkerPlanck<dim>::solve(const double /*t: see set_linearization_time()*/,
                           const double       gamma,
                           const PhaseVector &b,
                           PhaseVector &      x)
  {
    const Timing::Scope timing("internal state");
    // a static signal: A does not depend on t, one factorization per gamma
    const double t_lin = signal.is_static() ? 0.0 : linearization_time;
    // gamma = h a_ii varies in the last bits with the step size: refactor
    // only for a real change
    if (!direct_solver || std::abs(gamma - system_gamma) > 1e-10 * gamma ||
        t_lin != system_time)
      {
        system_matrix.copy_from(matrix(t_lin));
        system_matrix *= -gamma;
        for (auto row = owned.begin(); row != owned.end(); ++row)
          system_matrix.add(*row, *row, 1.0);
        system_matrix.compress(dealii::VectorOperation::add);
        direct_solver =
          std::make_unique<dealii::TrilinosWrappers::SolverDirect>(solver_control);
        direct_solver->initialize(system_matrix);
        system_time  = t_lin;
        system_gamma = gamma;
      }
    // one step of iterative refinement: the mass error of a solve is the
    // weighted sum of its residual, which the refinement brings to round-off
    // even when gamma |A| is large (eps small)
    PhaseVector residual, correction;
    phase_space.reinit_scalar(residual, false);
    phase_space.reinit_scalar(correction, false);
    for (unsigned int k = 0; k < phase_space.n_velocities(); ++k)
      {
        extract(b, k, scalar_in);
        direct_solver->solve(scalar_out, scalar_in);
        system_matrix.vmult(residual, scalar_out);
        residual.sadd(-1.0, 1.0, scalar_in);
        direct_solver->solve(correction, residual);
        scalar_out += correction;
        insert(scalar_out, k, x);
      }
  }

  template class FokkerPlanck<1>;
  template class FokkerPlanck<2>;
} // namespace chemokin
