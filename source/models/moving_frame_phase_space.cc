// The moving frame's phase space for ParaView: p over (x, m) and (x, y) in d = 1, over (x_1, x_2, y) in d = 2.
#include <deal.II/base/quadrature_lib.h>
#include <deal.II/numerics/data_out.h>
#include <chemokin/base/expression.h>
#include <chemokin/base/input_error.h>
#include <chemokin/base/memory.h>
#include <chemokin/base/parameters.h>
#include <chemokin/checkpoint/cell_data.h>
#include <chemokin/models/moving_frame.h>
#include <chemokin/operators/positivity_limiter.h>
#include <cmath>
#include <functional>
#include <limits>

namespace chemokin
{
  namespace Models
  {
    template <int dim>
    void
    MovingFrame<dim>::write_phase_space(const std::string &directory,
                                        const unsigned int index,
                                        const double       time) const
    {
      if constexpr (dim == 1)
        {
          // one sheet per velocity, at height v_k: quads over (x-cell, y-cell)
          // with p = q/eps at the x-ends of the cell (the DG polynomial) and
          // constant in y; the m-view puts each corner at m = N + eps y
          const auto &       velocities = inputs.velocities;
          const unsigned int n_v = velocities.size(), n_y = grid.size();
          const double       h  = grid.cell_size();
          const auto &       fe = mesh.dof_handler().get_fe();
          const LaneLayout   at = lane_layout();
          std::vector<dealii::DataOutBase::Patch<2, 3>> y_patches, m_patches;
          unsigned int                                   c = 0;
          for (const auto &cell : mesh.dof_handler().active_cell_iterators())
            {
              if (!cell->is_locally_owned())
                continue;
              const auto &dofs = mesh.space().cell_dofs[c++];
              for (unsigned int k = 0; k < n_v; ++k)
                {
                  // N = M - eps L with the lag's DG polynomial at the cell ends
                  double N_end[2];
                  for (unsigned int e = 0; e < 2; ++e)
                    {
                      double L = 0;
                      for (unsigned int d = 0; d < dofs.size(); ++d)
                        L += fe.shape_value(d, dealii::Point<1>(e)) *
                             q.local_element(at.lag(dofs[d], k));
                      N_end[e] = inputs.signal->value(cell->vertex(e), time) - epsilon * L;
                    }
                  for (unsigned int j = 0; j < n_y; ++j)
                    {
                      double value[2] = {0, 0};
                      for (unsigned int e = 0; e < 2; ++e)
                        for (unsigned int d = 0; d < dofs.size(); ++d)
                          value[e] += fe.shape_value(d, dealii::Point<1>(e)) *
                                      q.local_element(at.cell(dofs[d], k, j)) /
                                      epsilon;
                      dealii::DataOutBase::Patch<2, 3> y_patch, m_patch;
                      for (auto *patch : {&y_patch, &m_patch})
                        {
                          patch->n_subdivisions = 1;
                          patch->reference_cell = dealii::ReferenceCells::Quadrilateral;
                          patch->data.reinit(2, 4);
                        }
                      y_patch.patch_index = y_patches.size();
                      m_patch.patch_index = m_patches.size();
                      for (unsigned int b = 0; b < 2; ++b)
                        for (unsigned int e = 0; e < 2; ++e)
                          {
                            const unsigned int vertex = e + 2 * b;
                            const double       x      = cell->vertex(e)[0];
                            const double       yy     = grid.centers[j] + (b - 0.5) * h;
                            const double       m      = N_end[e] + epsilon * yy;
                            y_patch.vertices[vertex]  = dealii::Point<3>(x, yy, velocities.nodes[k][0]);
                            m_patch.vertices[vertex]  = dealii::Point<3>(x, m, velocities.nodes[k][0]);
                            for (auto *patch : {&y_patch, &m_patch})
                              patch->data(0, vertex) = value[e];
                            y_patch.data(1, vertex) = m;
                            m_patch.data(1, vertex) = yy;
                          }
                      y_patches.push_back(y_patch);
                      m_patches.push_back(m_patch);
                    }
                }
            }
          // phase.pvd in (x, m), as the fixed frame shows it; phase_y.pvd in (x, y)
          phase_series.write_patches(directory, index, time, comm, m_patches, {"p", "y"});
          phase_y_series.write_patches(directory, index, time, comm, y_patches, {"p", "m"});
        }
      else if constexpr (dim == 2)
        {
          // phase_y.pvd: the volume (x_1, x_2, y), one hexahedron per (x-cell,
          // y-cell), fields p_k = q(v_k)/eps at the x-corners (the DG
          // polynomial), constant in y. The y-grid is the same for every
          // velocity, so one volume holds them all; in m each velocity has
          // its own centre N(v), m = N(v) + eps y. (No m-view: it would be
          // one volume per velocity.)
          const unsigned int n_v = inputs.velocities.size(), n_y = grid.size();
          const double       h  = grid.cell_size();
          const auto &       fe = mesh.dof_handler().get_fe();
          const LaneLayout   at = lane_layout();
          std::vector<dealii::DataOutBase::Patch<3, 3>> patches;
          std::vector<double> corner(4 * std::size_t(n_v) * n_y);
          unsigned int        c = 0;
          for (const auto &cell : mesh.dof_handler().active_cell_iterators())
            {
              if (!cell->is_locally_owned())
                continue;
              const auto &dofs = mesh.space().cell_dofs[c++];
              std::fill(corner.begin(), corner.end(), 0.0);
              for (unsigned int e = 0; e < 4; ++e)
                for (unsigned int d = 0; d < dofs.size(); ++d)
                  {
                    const double shape = fe.shape_value(d, dealii::Point<2>(e % 2, e / 2));
                    const double *const lanes_d = q.begin() + at.lane(dofs[d], 0);
                    for (unsigned int k = 0; k < n_v; ++k)
                      for (unsigned int j = 0; j < n_y; ++j)
                        corner[(std::size_t(e) * n_v + k) * n_y + j] +=
                          shape * lanes_d[at.cell(0, k, j)] / epsilon;
                  }
              for (unsigned int j = 0; j < n_y; ++j)
                {
                  dealii::DataOutBase::Patch<3, 3> patch;
                  patch.n_subdivisions = 1;
                  patch.reference_cell = dealii::ReferenceCells::Hexahedron;
                  patch.patch_index    = patches.size();
                  patch.data.reinit(n_v, 8);
                  for (unsigned int b = 0; b < 2; ++b)
                    for (unsigned int e = 0; e < 4; ++e)
                      {
                        const unsigned int vertex = e + 4 * b;
                        const auto         x      = cell->vertex(e);
                        patch.vertices[vertex] =
                          dealii::Point<3>(x[0], x[1], grid.centers[j] + (b - 0.5) * h);
                        for (unsigned int k = 0; k < n_v; ++k)
                          patch.data(k, vertex) = corner[(std::size_t(e) * n_v + k) * n_y + j];
                      }
                  patches.push_back(std::move(patch));
                }
            }
          std::vector<std::string> names;
          for (unsigned int k = 0; k < n_v; ++k)
            names.push_back(velocity_field_name(k, n_v));
          phase_y_series.write_patches(directory, index, time, comm, patches, names);
        }
    }

    template class MovingFrame<1>;
    template class MovingFrame<2>;
    template class MovingFrame<3>;
  } // namespace Models
} // namespace chemokin
