#pragma once

#include <deal.II/base/parameter_handler.h>

#include <chemokin/models/interface.h>
#include <chemokin/postprocess/time_integral.h>

#include <memory>

namespace chemokin
{
  namespace Models
  {
    /**
     * What the solvers of the internal-state model (1.4)-(1.5) share beyond
     * Interface: the m-marginal p̄^eps = int p dm, per velocity, on the
     * x-mesh of the run-and-tumble model (so that `both` compares the two
     * node by node). Two solvers implement it (`Internal state/Frame`):
     * MovingFrame, in the paper's coordinates y = (m - N)/eps (1.9), and
     * InternalState, on an adaptive (x, m)-mesh (the fixed frame).
     */
    /**
     * The statistics columns both frames report (compute_moments() fills
     * them): m_mean, offset_mean and offset_variance (of y = (m - N)/eps;
     * not y_mean, the centre of mass in the second coordinate), E1, E3,
     * relative_entropy.
     */
    struct InternalStateStatistics
    {
      double m_mean = 0, y_mean = 0, y_variance = 0;
      /** the integrand of E1 at the last output time */
      double                   e1_integrand     = 0;
      double                   relative_entropy = 0;
      double                   e3               = 0;
      RootTimeIntegralOfSquare e1;

      void
      add_to(StatisticsRow &row) const
      {
        row.emplace_back("m_mean", m_mean);
        row.emplace_back("offset_mean", y_mean);
        row.emplace_back("offset_variance", y_variance);
        row.emplace_back("E1", e1.value());
        row.emplace_back("E3", e3);
        row.emplace_back("relative_entropy", relative_entropy);
      }
    };

    template <int dim>
    class InternalStateInterface : public virtual Interface<dim>
    {
    public:
      /** p̄^eps on x_space(), [x-DoF][v], as of the last compute_moments(). */
      virtual const PhaseVector &
      marginal() const = 0;

    protected:
      /**
       * The output fields every frame writes on the x-mesh: p_k = the
       * m-marginal of velocity k, then @p fields (moments per unit density)
       * by name.
       */
      void
      add_marginal_fields(dealii::DataOut<dim> &                                        data_out,
                          std::deque<PhaseVector> &                                     storage,
                          const std::vector<std::pair<std::string, const PhaseVector *>> &fields) const;
    };

    /** Declares `Internal state/Frame` and the entries of both frames. */
    void
    declare_internal_state_parameters(dealii::ParameterHandler &prm);

    /** The solver that `Internal state/Frame` names. */
    template <int dim>
    std::unique_ptr<InternalStateInterface<dim>>
    create_internal_state(dealii::ParameterHandler &prm, const MPI_Comm &comm);
  } // namespace Models
} // namespace chemokin
