#include <chemokin/base/input_error.h>
#include <chemokin/models/internal_state.h>
#include <chemokin/models/internal_state_interface.h>
#include <chemokin/output/vtu_series.h>
#include <chemokin/models/moving_frame.h>

namespace chemokin
{
  namespace Models
  {
    void
    declare_internal_state_parameters(dealii::ParameterHandler &prm)
    {
      prm.enter_subsection("Internal state");
      prm.declare_entry(
        "Frame",
        "moving",
        dealii::Patterns::Selection("moving|fixed"),
        "How the internal-state model is solved. `moving`: in the paper's "
        "coordinates y = (m - N(t,x,v))/eps (1.9), on the x-mesh times "
        "(velocity, y) lanes; the cost and the time step do not depend on "
        "eps (entries `Y range`, `Y cell size`); it sees M only through "
        "D_tM = d_tM + v.grad M (the lag L = D_tN is a field, (1.8)), so on a "
        "periodic box a signal such as M = g.x is the unbounded gradient, "
        "without the jump of M at the wall that `fixed` and the particles "
        "see. `fixed`: on an adaptive "
        "(x, m)-mesh refined to the band of width eps around N (entries "
        "`Cells per epsilon`, `Band width`, `Mesh`, ...); its cost grows like "
        "eps^-2, it is kept as the independent reference.");
      prm.leave_subsection();
      InternalState<1>::declare_parameters(prm);
      MovingFrame<1>::declare_parameters(prm);
    }

    template <int dim>
    std::unique_ptr<InternalStateInterface<dim>>
    create_internal_state(dealii::ParameterHandler &prm, const MPI_Comm &comm)
    {
      prm.enter_subsection("Internal state");
      const std::string frame = prm.get("Frame");
      prm.leave_subsection();
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

    template <int dim>
    void
    InternalStateInterface<dim>::add_marginal_fields(dealii::DataOut<dim> &   data_out,
                                                     std::deque<PhaseVector> &storage,
                                                     const PhaseVector &      m_mean,
                                                     const PhaseVector &      y_mean,
                                                     const PhaseVector &      y_variance) const
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
      data_out.add_data_vector(dofs, m_mean, "m_mean");
      data_out.add_data_vector(dofs, y_mean, "offset_mean");
      data_out.add_data_vector(dofs, y_variance, "offset_variance");
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
