#include <chemokin/base/input_error.h>
#include <chemokin/models/both.h>

namespace chemokin
{
  namespace Models
  {
    namespace
    {
      /** @p prm, once it is known not to ask for x-adaptivity. */
      dealii::ParameterHandler &
      without_x_adaptivity(dealii::ParameterHandler &prm)
      {
        prm.enter_subsection("Adaptive refinement");
        const bool adapt_x = prm.get_bool("Adapt x"), adapt_v = prm.get_bool("Adapt v");
        prm.leave_subsection();
        if (adapt_x || adapt_v)
          throw InputError(adapt_x ? "Adaptive refinement/Adapt x" : "Adaptive refinement/Adapt v",
                           "`Model = both` compares the two models node by node on one "
                           "x-mesh and velocity set; adapt them in separate runs (`run and tumble`, "
                           "`internal state` with `Frame = moving`)");
        return prm;
      }
    } // namespace

    template <int dim>
    Both<dim>::Both(dealii::ParameterHandler &prm, const MPI_Comm &comm)
      : internal_state(create_internal_state<dim>(without_x_adaptivity(prm), comm))
      , limit(prm, comm)
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
