#include <deal.II/base/quadrature_lib.h>
#include <deal.II/fe/fe_values.h>

#include <chemokin/base/timing.h>
#include <chemokin/base/input_error.h>
#include <chemokin/mesh/face_neighbors.h>
#include <chemokin/operators/transport.h>

#include <algorithm>
#include <map>

namespace chemokin
{
  template <int dim, int mesh_dim>
  Transport<dim, mesh_dim>::Transport(
    const PhaseSpace<mesh_dim> &               phase_space,
    const VelocitySet<dim> &                   velocities,
    const std::array<BoundaryCondition, dim> & boundary)
    : phase_space(phase_space)
    , n_v(velocities.size())
  {
    static_assert(mesh_dim >= dim, "x must be part of the mesh");
    constexpr unsigned int n_coef = 2 * dim;

    for (unsigned int j = 0; j < dim; ++j)
      {
        v_plus[j].resize(n_v);
        v_minus[j].resize(n_v);
        v_component[j].resize(n_v);
        for (unsigned int k = 0; k < n_v; ++k)
          {
            v_plus[j][k]      = std::max(velocities.nodes[k][j], 0.0);
            v_minus[j][k]     = std::min(velocities.nodes[k][j], 0.0);
            v_component[j][k] = velocities.nodes[k][j];
          }
        if (boundary[j] == BoundaryCondition::reflecting)
          {
            if (!velocities.is_symmetric())
              throw InputError("Domain/Boundary",
                               "reflecting walls need a velocity set that is "
                               "symmetric about every axis (in d = 2 use an "
                               "even `Velocity space/Number of directions`)");
            mirror[j] = velocities.mirror[j];
          }
      }

    for (unsigned int k = 0; k < n_v; ++k)
      {
        std::array<unsigned int, dim> slot;
        for (unsigned int j = 0; j < dim; ++j)
          slot[j] = velocities.nodes[k][j] < 0 ? 1 : 0;
        if (segments.empty() || segments.back().slot != slot)
          segments.push_back({k, k + 1, slot, 0});
        else
          segments.back().end = k + 1;
      }

    std::array<double, dim> max_abs_velocity{};
    for (unsigned int j = 0; j < dim; ++j)
      for (unsigned int k = 0; k < n_v; ++k)
        max_abs_velocity[j] =
          std::max(max_abs_velocity[j], std::abs(velocities.nodes[k][j]));

    const auto &dof_handler = phase_space.get_dof_handler();
    const auto &fe          = dof_handler.get_fe();
    const unsigned int n_dofs = fe.n_dofs_per_cell();
    const dealii::QGauss<mesh_dim>     quadrature(fe.degree + 1);
    const dealii::QGauss<mesh_dim - 1> face_quadrature(fe.degree + 1);
    const auto face_flags = dealii::update_values | dealii::update_JxW_values;
    dealii::FEValues<mesh_dim> fe_values(fe,
                                         quadrature,
                                         dealii::update_values |
                                           dealii::update_gradients |
                                           dealii::update_JxW_values);
    dealii::FEFaceValues<mesh_dim> wall_face(fe, face_quadrature, face_flags);
    FaceNeighbors<mesh_dim>        neighbors(fe, face_quadrature, face_flags);

    // rows[i][l] = coefficients of the entry (i, l), before the mass scaling
    std::vector<std::map<unsigned int, std::array<double, n_coef>>> rows(
      phase_space.n_owned_dofs());
    auto entry = [&](unsigned int i, unsigned int l) -> std::array<double, n_coef> & {
      auto it = rows[i].find(l);
      if (it == rows[i].end())
        it = rows[i].emplace(l, std::array<double, n_coef>{}).first;
      return it->second;
    };

    std::vector<dealii::types::global_dof_index> dofs(n_dofs), neighbor_dofs(n_dofs);
    std::vector<unsigned int> here(n_dofs), there(n_dofs);
    time_step_limit = std::numeric_limits<double>::max();

    for (const auto &cell : dof_handler.active_cell_iterators())
      {
        if (!cell->is_locally_owned())
          continue;
        cell->get_dof_indices(dofs);
        for (unsigned int i = 0; i < n_dofs; ++i)
          here[i] = phase_space.local_dof(dofs[i]);

        // CFL: sum_j max|v_j| / h_j, with the DG(k) stability factor 2k+1
        double rate = 0;
        for (unsigned int j = 0; j < dim; ++j)
          rate += max_abs_velocity[j] / cell->extent_in_direction(j);
        if (rate > 0)
          time_step_limit =
            std::min(time_step_limit, 1.0 / ((2 * fe.degree + 1) * rate));

        // volume term: int p v.grad(phi_i), for both signs of v_j
        fe_values.reinit(cell);
        for (unsigned int q = 0; q < quadrature.size(); ++q)
          for (unsigned int i = 0; i < n_dofs; ++i)
            for (unsigned int l = 0; l < n_dofs; ++l)
              for (unsigned int j = 0; j < dim; ++j)
                {
                  const double c = fe_values.shape_value(l, q) *
                                   fe_values.shape_grad(i, q)[j] *
                                   fe_values.JxW(q);
                  auto &e = entry(here[i], here[l]);
                  e[2 * j] += c;
                  e[2 * j + 1] += c;
                }

        // face terms: -int (v.n) p_upwind phi_i with n = s e_j
        for (const unsigned int f : cell->face_indices())
          {
            const unsigned int j = f / 2;
            if (j >= dim)
              continue; // faces normal to m carry no transport
            const double       s       = (f % 2 == 1) ? 1.0 : -1.0;
            const unsigned int out_sign = s > 0 ? 0 : 1; // v_j > 0 leaves an upper face
            const unsigned int in_sign  = 1 - out_sign;

            // adds -s int phi_l(face A) phi_i(face B) for the given pair of
            // (sub)face evaluators; 'neighbor' selects which DoFs l belong to
            auto add_face =
              [&](const dealii::FEValuesBase<mesh_dim> &test_side,
                  const dealii::FEValuesBase<mesh_dim> &trial_side,
                  const std::vector<unsigned int> &     trial_dofs,
                  const unsigned int                    sign_slot,
                  const bool                            wall) {
                for (unsigned int q = 0; q < face_quadrature.size(); ++q)
                  for (unsigned int i = 0; i < n_dofs; ++i)
                    for (unsigned int l = 0; l < n_dofs; ++l)
                      {
                        const double c = -s * trial_side.shape_value(l, q) *
                                         test_side.shape_value(i, q) *
                                         test_side.JxW(q);
                        if (c == 0)
                          continue;
                        if (wall)
                          wall_entries.push_back(
                            {here[i], trial_dofs[l], j, s > 0, c});
                        else
                          entry(here[i], trial_dofs[l])[2 * j + sign_slot] += c;
                      }
              };

            if (FaceNeighbors<mesh_dim>::is_wall(cell, f))
              {
                wall_face.reinit(cell, f);
                add_face(wall_face, wall_face, here, out_sign, false);
                if (boundary[j] == BoundaryCondition::reflecting)
                  add_face(wall_face, wall_face, here, in_sign, true);
                continue;
              }
            neighbors.visit(
              cell,
              f,
              [&](const dealii::FEValuesBase<mesh_dim> &here_side,
                  const dealii::FEValuesBase<mesh_dim> &there_side,
                  const auto &                          neighbor) {
                neighbor->get_dof_indices(neighbor_dofs);
                for (unsigned int l = 0; l < n_dofs; ++l)
                  there[l] = phase_space.local_dof(neighbor_dofs[l]);
                add_face(here_side, here_side, here, out_sign, false);
                add_face(here_side, there_side, there, in_sign, false);
              });
          }
      }

    // compress into CSR, folding in the inverse of the diagonal mass matrix
    row_start.assign(1, 0);
    for (unsigned int i = 0; i < rows.size(); ++i)
      {
        const double scale = 1.0 / phase_space.node_weight[i];
        for (const auto &[l, c] : rows[i])
          {
            column.push_back(l);
            for (const double value : c)
              coefficient.push_back(value * scale);
          }
        row_start.push_back(column.size());
      }
    for (auto &w : wall_entries)
      w.value /= phase_space.node_weight[w.row];
    std::stable_sort(wall_entries.begin(), wall_entries.end(), [](const WallEntry &a, const WallEntry &b) {
      return a.row < b.row;
    });
    wall_start.assign(rows.size() + 1, 0);
    for (const WallEntry &w : wall_entries)
      ++wall_start[w.row + 1];
    for (std::size_t r = 0; r < rows.size(); ++r)
      wall_start[r + 1] += wall_start[r];

    // one upwind matrix per sign pattern that occurs
    std::vector<std::array<unsigned int, dim>> patterns;
    for (Segment &segment : segments)
      {
        auto it = std::find(patterns.begin(), patterns.end(), segment.slot);
        segment.pattern = it - patterns.begin();
        if (it == patterns.end())
          patterns.push_back(segment.slot);
      }
    for (const auto &slot : patterns)
      {
        UpwindMatrix matrix;
        matrix.row_start.assign(1, 0);
        for (unsigned int r = 0; r + 1 < row_start.size(); ++r)
          {
            for (unsigned int e = row_start[r]; e < row_start[r + 1]; ++e)
              {
                std::array<double, dim> c;
                bool                    nonzero = false;
                for (unsigned int j = 0; j < dim; ++j)
                  {
                    c[j] = coefficient[std::size_t(e) * n_coef + 2 * j + slot[j]];
                    nonzero |= c[j] != 0;
                  }
                if (!nonzero)
                  continue;
                matrix.column.push_back(column[e]);
                matrix.coefficient.insert(matrix.coefficient.end(), c.begin(), c.end());
              }
            matrix.row_start.push_back(matrix.column.size());
          }
        upwind.push_back(std::move(matrix));
      }
    // the combined matrix is not needed any more: only its row count
    std::vector<unsigned int>().swap(column);
    std::vector<double>().swap(coefficient);

    time_step_limit = dealii::Utilities::MPI::min(time_step_limit,
                                                  dof_handler.get_communicator());
  }

  template <int dim, int mesh_dim>
  void
  Transport<dim, mesh_dim>::add_to(const double,
                                   const PhaseVector &src,
                                   PhaseVector &      dst) const
  {
    const Timing::Scope timing("transport and tumbling");
    kernel<true>(src, dst.begin(), n_v, [](unsigned int, const double *, double *) {}, [](unsigned int, const double *) {});
  }

  template <int dim, int mesh_dim>
  void
  Transport<dim, mesh_dim>::apply(const double               time,
                                  const PhaseVector &        src,
                                  PhaseVector &              dst,
                                  const Tumbling<mesh_dim> *tumbling) const
  {
    const Timing::Scope timing("transport and tumbling");
    if (!tumbling)
      {
        kernel<false>(src, dst.begin(), n_v, [](unsigned int, const double *, double *) {}, [](unsigned int, const double *) {});
        return;
      }
    tumbling->rates(time);
    std::vector<double> scratch(n_v);
    kernel<false>(src, dst.begin(), n_v, [&](const unsigned int i, const double *src_i, double *dst_i) {
      tumbling->add_row(i, src_i, dst_i, scratch.data());
    }, [](unsigned int, const double *) {});
  }

  template <int dim, int mesh_dim>
  void
  Transport<dim, mesh_dim>::apply(const PhaseVector &src,
                                  PhaseVector &      dst,
                                  const RowOperator &row) const
  {
    const Timing::Scope timing("transport and tumbling");
    kernel<false>(src, dst.begin(), n_v, row, [](unsigned int, const double *) {});
  }

  template <int dim, int mesh_dim>
  void
  Transport<dim, mesh_dim>::apply_by_rows(const PhaseVector &src,
                                          const RowOperator &row,
                                          const RowConsumer &finished) const
  {
    const Timing::Scope timing("transport and tumbling");
    row_buffer.resize(n_v);
    kernel<false>(src, row_buffer.data(), 0, row, [&](const unsigned int i, const double *values) {
      finished(std::size_t(i) * n_v, n_v, values);
    });
  }

  template <int dim, int mesh_dim>
  template <bool add, typename Row, typename Finished>
  void
  Transport<dim, mesh_dim>::kernel(const PhaseVector &src,
                                   double *const      out,
                                   const std::size_t  out_stride,
                                   const Row &        row,
                                   const Finished &   finished) const
  {
    // row r of the result at out + r out_stride (out_stride 0: one row's
    // buffer, reused by every row)
    src.update_ghost_values();
    const double *const in = src.begin(); // owned, then ghosts
    const unsigned int  nv = n_v;

    // out_r[k] = sum_j v_kj sum_e C_e[j] in_e[k] over the upwind matrix of
    // the segment, in blocks of B velocities whose partial sums stay in
    // registers
    constexpr unsigned int B = 16;
    auto block = [&](const unsigned int r, const Segment &segment, const unsigned int k0, const auto width) {
      constexpr unsigned int W = decltype(width)::value;
      const unsigned int     n = W ? W : segment.end - k0;
      const UpwindMatrix &   matrix      = upwind[segment.pattern];
      double                 sum[dim][B] = {};
      for (unsigned int e = matrix.row_start[r]; e < matrix.row_start[r + 1]; ++e)
        {
          const double *const in_l = in + std::size_t(matrix.column[e]) * nv + k0;
          const double *const c    = &matrix.coefficient[std::size_t(e) * dim];
          for (unsigned int j = 0; j < dim; ++j)
            {
              const double cj = c[j];
              if (W)
                for (unsigned int b = 0; b < W; ++b)
                  sum[j][b] += cj * in_l[b];
              else
                for (unsigned int b = 0; b < n; ++b)
                  sum[j][b] += cj * in_l[b];
            }
        }
      double *const out_r = out + r * out_stride + k0;
      for (unsigned int b = 0; b < n; ++b)
        {
          double value = add ? out_r[b] : 0.0;
          for (unsigned int j = 0; j < dim; ++j)
            value += v_component[j][k0 + b] * sum[j][b];
          out_r[b] = value;
        }
    };

    for (unsigned int r = 0; r + 1 < row_start.size(); ++r)
      {
        for (const Segment &segment : segments)
          {
            unsigned int k0 = segment.begin;
            for (; k0 + B <= segment.end; k0 += B)
              block(r, segment, k0, std::integral_constant<unsigned int, B>());
            for (; k0 + 8 <= segment.end; k0 += 8)
              block(r, segment, k0, std::integral_constant<unsigned int, 8>());
            for (; k0 + 4 <= segment.end; k0 += 4)
              block(r, segment, k0, std::integral_constant<unsigned int, 4>());
            if (k0 < segment.end)
              block(r, segment, k0, std::integral_constant<unsigned int, 0>());
          }
        double *const out_r = out + r * out_stride;
        row(r, in + std::size_t(r) * nv, out_r);
        // the reflections at walls, after the row operator (as before the
        // rows were handed on: the same sums in the same order)
        for (unsigned int w = wall_start[r]; w < wall_start[r + 1]; ++w)
          {
            const WallEntry &   wall = wall_entries[w];
            const double *const in_l = in + std::size_t(wall.column) * nv;
            const double *const v =
              wall.upper ? v_minus[wall.axis].data() : v_plus[wall.axis].data();
            const unsigned int *const partner = mirror[wall.axis].data();
            for (unsigned int k = 0; k < nv; ++k)
              out_r[k] += wall.value * v[k] * in_l[partner[k]];
          }
        finished(r, out_r);
      }
  }

  template <int dim, int mesh_dim>
  double
  Transport<dim, mesh_dim>::max_time_step() const
  {
    return time_step_limit;
  }

  template class Transport<1, 1>;
  template class Transport<2, 2>;
  template class Transport<3, 3>;
  template class Transport<1, 2>;
  template class Transport<2, 3>;
} // namespace chemokin
