// The fixed frame's phase space for ParaView: p on the (x, m)-mesh, and in d = 1 the volume (x, v, m).
#include <deal.II/base/quadrature_lib.h>
#include <deal.II/distributed/solution_transfer.h>
#include <chemokin/base/expression.h>
#include <chemokin/base/input_error.h>
#include <chemokin/base/parameters.h>
#include <chemokin/mesh/box_mesh.h>
#include <chemokin/mesh/xm_coordinates.h>
#include <chemokin/base/memory.h>
#include <chemokin/checkpoint/cell_data.h>
#include <chemokin/models/internal_state.h>
#include <chemokin/operators/positivity_limiter.h>
#include <chemokin/output/atomic_file.h>
#include <deal.II/numerics/data_out.h>
#include <fstream>
#include <iomanip>
#include <sstream>
#include <cmath>

namespace chemokin
{
  namespace Models
  {
    template <int dim>
    void
    InternalState<dim>::write_phase_space(const std::string &directory,
                                          const unsigned int index,
                                          const double       time) const
    {
      const unsigned int       n_v = inputs.velocities.size();
      std::vector<PhaseVector> fields(n_v);
      dealii::DataOut<dim + 1> data_out;
      data_out.attach_dof_handler(dof_handler);
      for (unsigned int k = 0; k < n_v; ++k)
        {
          phase_space->reinit_scalar(fields[k], false);
          for (unsigned int i = 0; i < phase_space->n_owned_dofs(); ++i)
            fields[k].local_element(i) =
              phase_solution.local_element(std::size_t(i) * n_v + k);
          data_out.add_data_vector(fields[k], velocity_field_name(k, n_v));
        }
      data_out.build_patches(std::max(1u, inputs.degree));
      dealii::DataOutBase::VtkFlags flags;
      flags.time = time;
      // the fastest zlib level: output costs as much as stepping with the best one
      flags.compression_level = dealii::DataOutBase::VtkFlags::best_speed;
      data_out.set_flags(flags);
      phase_series.write(directory, index, time, comm, data_out);
      if constexpr (dim == 1)
        write_phase_volume(directory, index, time);
    }

    template <int dim>
    void
    InternalState<dim>::write_phase_volume(const std::string &directory,
                                           const unsigned int index,
                                           const double       time) const
    {
      // d = 1: the whole phase space (x, v, m) as a 3-D volume, one
      // hexahedron per (x, m)-cell and velocity slab (between the midpoints of
      // neighbouring velocity nodes), with p at the cell's corners
      const auto &       velocities = inputs.velocities;
      const unsigned int n_v        = velocities.size();
      std::vector<double> slab(n_v + 1);
      for (unsigned int k = 0; k <= n_v; ++k)
        {
          const double left  = velocities.nodes[k == 0 ? 0 : k - 1][0];
          const double right = velocities.nodes[k == n_v ? n_v - 1 : k][0];
          slab[k] = (k == 0)   ? left - 0.5 * (velocities.nodes[std::min(1u, n_v - 1)][0] - left) :
                    (k == n_v) ? right + 0.5 * (right - velocities.nodes[n_v >= 2 ? n_v - 2 : 0][0]) :
                                 0.5 * (left + right);
        }
      std::vector<dealii::DataOutBase::Patch<3, 3>> patches;
      unsigned int                                  c = 0;
      for (const auto &cell : dof_handler.active_cell_iterators())
        {
          if (!cell->is_locally_owned())
            continue;
          const auto &dofs = phase_space->cell_dofs[c++];
          // p at the four corners of the (x, m)-cell, for every velocity
          std::vector<double> corner(4 * n_v, 0.0);
          for (unsigned int v = 0; v < 4; ++v)
            {
              const auto unit = dealii::GeometryInfo<2>::unit_cell_vertex(v);
              for (unsigned int i = 0; i < dofs.size(); ++i)
                {
                  const double phi = fe.shape_value(i, dealii::Point<dim + 1>(unit[0], unit[1]));
                  for (unsigned int k = 0; k < n_v; ++k)
                    corner[v * n_v + k] +=
                      phi * phase_solution.local_element(std::size_t(dofs[i]) * n_v + k);
                }
            }
          for (unsigned int k = 0; k < n_v; ++k)
            {
              dealii::DataOutBase::Patch<3, 3> patch;
              patch.n_subdivisions = 1;
              patch.reference_cell = dealii::ReferenceCells::Hexahedron;
              patch.patch_index    = patches.size();
              patch.data.reinit(1, 8);
              // vertices lexicographic in (x, v, m); the (x, m) corner index
              // of deal.II's square is x + 2 m
              for (unsigned int vm = 0; vm < 2; ++vm)
                for (unsigned int vv = 0; vv < 2; ++vv)
                  for (unsigned int vx = 0; vx < 2; ++vx)
                    {
                      const unsigned int vertex = vx + 2 * vv + 4 * vm;
                      const auto         corner_point = cell->vertex(vx + 2 * vm);
                      patch.vertices[vertex] =
                        dealii::Point<3>(corner_point[0], slab[k + vv], corner_point[1]);
                      patch.data(0, vertex) = corner[(vx + 2 * vm) * n_v + k];
                    }
              patches.push_back(patch);
            }
        }
      volume_series.write_patches(directory, index, time, comm, patches, {"p"});
    }

    template class InternalState<1>;
    template class InternalState<2>;
  } // namespace Models
} // namespace chemokin
