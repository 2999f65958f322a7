#include <chemokin/base/input_error.h>
#include <chemokin/models/internal_state.h>
#include <chemokin/models/internal_state_interface.h>
#include <chemokin/models/internal_state_parameters.h>
#include <chemokin/output/vtu_series.h>
#include <chemokin/models/moving_frame.h>
#include <chemokin/models/signal_frame.h>
#include <chemokin/models/registry.h>

namespace chemokin
{
  namespace Models
  {
    void
    declare_internal_state_parameters(dealii::ParameterHandler &prm)
    {
      InternalStateParameters::declare_parameters(prm);
      InternalState<1>::declare_parameters(prm);
      MovingFrame<1>::declare_parameters(prm);
      SignalFrame<1>::declare_parameters(prm);
      Dynamics::declare_parameters(prm);
    }

    template <int dim>
    std::unique_ptr<InternalStateInterface<dim>>
    create_internal_state(dealii::ParameterHandler &prm, const MPI_Comm &comm)
    {
      const std::string frame = InternalStateParameters(prm).frame;
      if (frame == "signal")
        return std::make_unique<SignalFrame<dim>>(prm, comm);
      if (frame == "fixed")
        {
          // the fixed frame meshes (x, m): a (d+1)-dimensional p4est mesh
          if constexpr (dim <= 2)
            return std::make_unique<InternalState<dim>>(prm, comm);
          else
            throw InputError("Internal state/Frame",
                             "`fixed` meshes (x, m) with one more dimension than x and "
                             "exists for d = 1, 2 only; d = 3 needs `Frame = moving`");
        }
      return std::make_unique<MovingFrame<dim>>(prm, comm);
    }

    namespace
    {
      const std::string description =
        "the model (1.4)-(1.5) with the methylation level m (subsection `Internal state`).";
      template <int dim>
      std::unique_ptr<Interface<dim>>
      make_internal_state(dealii::ParameterHandler &prm, const MPI_Comm &comm)
      {
        return create_internal_state<dim>(prm, comm);
      }
      const bool registered[3] = {
        Registry<1>::get().add("internal state", description, nullptr, &make_internal_state<1>),
        Registry<2>::get().add("internal state", description, nullptr, &make_internal_state<2>),
        Registry<3>::get().add("internal state", description, nullptr, &make_internal_state<3>)};
    } // namespace

    template <int dim>
    void
    InternalStateInterface<dim>::add_marginal_fields(
      dealii::DataOut<dim> &                                          data_out,
      std::deque<PhaseVector> &                                       storage,
      const std::vector<std::pair<std::string, const PhaseVector *>> &fields) const
    {
      const auto &       space    = this->x_space();
      const auto &       dofs     = space.get_dof_handler();
      const PhaseVector &marginal = this->marginal();
      const unsigned int n_v      = this->velocities().size();
      for (unsigned int k = 0; k < n_v; ++k)
        {
          storage.emplace_back();
          PhaseVector &field = storage.back();
          space.reinit_scalar(field, false);
          for (unsigned int i = 0; i < space.n_owned_dofs(); ++i)
            field.local_element(i) = marginal.local_element(std::size_t(i) * n_v + k);
          data_out.add_data_vector(dofs, field, velocity_field_name(k, n_v));
        }
      for (const auto &[name, field] : fields)
        data_out.add_data_vector(dofs, *field, name);
    }

    template class InternalStateInterface<1>;
    template class InternalStateInterface<2>;
    template class InternalStateInterface<3>;

    template std::unique_ptr<InternalStateInterface<1>>
    create_internal_state<1>(dealii::ParameterHandler &, const MPI_Comm &);
    template std::unique_ptr<InternalStateInterface<2>>
    create_internal_state<2>(dealii::ParameterHandler &, const MPI_Comm &);
    template std::unique_ptr<InternalStateInterface<3>>
    create_internal_state<3>(dealii::ParameterHandler &, const MPI_Comm &);
  } // namespace Models
} // namespace chemokin
