#include <chemokin/models/both.h>
#include <chemokin/models/registry.h>

namespace chemokin
{
  namespace Models
  {
    template <int dim>
    Both<dim>::Both(dealii::ParameterHandler &prm, const MPI_Comm &comm)
      : internal_state(create_internal_state<dim>(prm, comm))
      // the limit on the internal state's mesh and velocities, adapting with
      // it (the fixed frame refuses adaptivity)
      , limit(ModelInputs<dim>(prm, comm),
              comm,
              dynamic_cast<const XMeshModel<dim> *>(internal_state.get()))
      , comm(comm)
    {
      // the two x-meshes are built from the same parameters: same DoFs
      AssertThrow(limit.solution().locally_owned_size() ==
                    internal_state->marginal().locally_owned_size() ||
                    internal_state->marginal().size() == 0,
                  dealii::ExcInternalError());
    }

    template <int dim>
    double
    Both<dim>::time_step() const
    {
      return std::min(internal_state->time_step(), limit.time_step());
    }

    template <int dim>
    void
    Both<dim>::advance(const double time, const double dt)
    {
      internal_state->advance(time, dt);
      limit.advance(time, dt);
    }

    template <int dim>
    void
    Both<dim>::compute_moments(Moments<dim> &moments) const
    {
      internal_state->compute_moments(moments);
      limit.compute_moments(limit_moments);
      moments.density_limit = limit_moments.density;
    }

    template <int dim>
    void
    Both<dim>::add_statistics(StatisticsRow &row) const
    {
      internal_state->add_statistics(row);

      const auto &space      = x_space();
      const auto &velocities = this->velocities();
      const auto &marginal   = internal_state->marginal();
      const auto &p_limit    = limit.solution();
      AssertThrow(marginal.locally_owned_size() == p_limit.locally_owned_size(),
                  dealii::ExcInternalError());
      const unsigned int n_v = velocities.size();
      // E2, and the limit's centre of mass and drift
      double sums[2 + 2 * dim] = {};
      for (unsigned int i = 0; i < space.n_owned_dofs(); ++i)
        for (unsigned int k = 0; k < n_v; ++k)
          {
            const std::size_t index = std::size_t(i) * n_v + k;
            const double      w     = space.node_weight[i] * velocities.weights[k];
            sums[0] += w * std::abs(marginal.local_element(index) - p_limit.local_element(index));
            sums[1] += w * p_limit.local_element(index);
            for (unsigned int j = 0; j < dim; ++j)
              {
                sums[2 + j] += w * p_limit.local_element(index) * space.node_position[i][j];
                sums[2 + dim + j] +=
                  w * p_limit.local_element(index) * velocities.nodes[k][j];
              }
          }
      dealii::Utilities::MPI::sum(dealii::ArrayView<const double>(sums, 2 + 2 * dim),
                                  comm,
                                  dealii::ArrayView<double>(sums, 2 + 2 * dim));
      row.emplace_back("E2", sums[0]);
      row.emplace_back("mass_limit", sums[1]);
      const char *axis[3]   = {"x", "y", "z"};
      const char *suffix[3] = {"", "_y", "_z"};
      for (unsigned int j = 0; j < dim; ++j)
        row.emplace_back(std::string(axis[j]) + "_mean_limit", sums[2 + j] / sums[1]);
      for (unsigned int j = 0; j < dim; ++j)
        row.emplace_back(std::string("velocity_mean") + suffix[j] + "_limit",
                         sums[2 + dim + j] / sums[1]);
    }

    template <int dim>
    void
    Both<dim>::add_output_fields(dealii::DataOut<dim> &    data_out,
                                 std::deque<PhaseVector> &storage) const
    {
      internal_state->add_output_fields(data_out, storage);
    }

    template <int dim>
    void
    Both<dim>::save(Checkpoint::Writer &writer) const
    {
      internal_state->save(writer);
      limit.save(writer);
    }

    template <int dim>
    void
    Both<dim>::load(const Checkpoint::Reader &reader)
    {
      internal_state->load(reader);
      limit.load(reader);
    }

    template class Both<1>;
    template class Both<2>;
    template class Both<3>;
  } // namespace Models
} // namespace chemokin

CHEMOKIN_REGISTER_MODEL(chemokin::Models::Both,
                        "both",
                        "the internal-state model and its run-and-tumble limit side by side on "
                        "the same x-mesh, with the distances of Theorem 2.1 between them.")
