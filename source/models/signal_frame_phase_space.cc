// The frame relative to the signal for ParaView: q over (x, u) in d = 1.
#include <deal.II/base/data_out_base.h>

#include <chemokin/models/signal_frame.h>

namespace chemokin
{
  namespace Models
  {
    template <int dim>
    void
    SignalFrame<dim>::write_phase_space(const std::string &directory,
                                        const unsigned int index,
                                        const double       time) const
    {
      if constexpr (dim == 1)
        {
          // phase_u.pvd: one sheet per velocity at height v_k, quads over
          // (x-cell, u-cell), q at the x-ends of the cell (the DG polynomial)
          // and constant in u; with the methylation level m (at the signal
          // of each end) and, for the pathway, the activity a(u)
          const auto &       velocities = inputs.velocities;
          const unsigned int n_v = velocities.size(), n = grid.n;
          const auto &       fe = mesh.dof_handler().get_fe();
          std::vector<dealii::DataOutBase::Patch<2, 3>> patches;
          unsigned int                                   c = 0;
          for (const auto &cell : mesh.dof_handler().active_cell_iterators())
            {
              if (!cell->is_locally_owned())
                continue;
              const auto & dofs = mesh.space().cell_dofs[c++];
              const double M[2] = {inputs.signal->value(cell->vertex(0), time),
                                   inputs.signal->value(cell->vertex(1), time)};
              for (unsigned int k = 0; k < n_v; ++k)
                for (unsigned int j = 0; j < n; ++j)
                  {
                    double value[2] = {0, 0};
                    for (unsigned int e = 0; e < 2; ++e)
                      for (unsigned int d = 0; d < dofs.size(); ++d)
                        value[e] += fe.shape_value(d, dealii::Point<1>(e)) *
                                    q.local_element((std::size_t(dofs[d]) * n_v + k) * n + j);
                    dealii::DataOutBase::Patch<2, 3> patch;
                    patch.n_subdivisions = 1;
                    patch.reference_cell = dealii::ReferenceCells::Quadrilateral;
                    patch.patch_index    = patches.size();
                    patch.data.reinit(3, 4);
                    for (unsigned int b = 0; b < 2; ++b)
                      for (unsigned int e = 0; e < 2; ++e)
                        {
                          const unsigned int vertex = e + 2 * b;
                          const double       u      = grid.face(j + b);
                          patch.vertices[vertex] =
                            dealii::Point<3>(cell->vertex(e)[0], u, velocities.nodes[k][0]);
                          patch.data(0, vertex) = value[e];
                          patch.data(1, vertex) = dynamics.methylation(u, M[e]);
                          patch.data(2, vertex) = dynamics.activity(u);
                        }
                    patches.push_back(std::move(patch));
                  }
            }
          phase_series.write_patches(directory, index, time, comm, patches, {"q", "m", "a"});
        }
    }

    template class SignalFrame<1>;
    template class SignalFrame<2>;
    template class SignalFrame<3>;
  } // namespace Models
} // namespace chemokin
