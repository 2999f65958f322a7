#pragma once

#include <deal.II/base/mpi.h>
#include <deal.II/base/parameter_handler.h>

#include <chemokin/base/plugin_registry.h>
#include <chemokin/models/interface.h>

#include <string>

namespace chemokin
{
  namespace Postprocess
  {
    /** What a postprocessor sees at an output time. */
    template <int dim>
    struct OutputState
    {
      double                         time;
      unsigned int                   step;
      double                         time_step;
      /** 0, 1, 2, ...: numbers the output files */
      unsigned int                   output_index;
      const Models::Interface<dim> & model;
      const Models::Moments<dim> &   moments;
      const std::string &            directory;
      MPI_Comm                       comm;
      /** Postprocessors append named columns of `statistics.csv` here. */
      Models::StatisticsRow &        statistics;
    };

    /**
     * A postprocessor runs at every output time. The selected ones are
     * listed in `Output/Postprocessors`; each one's entries live in the
     * subsection `Output`.
     */
    template <int dim>
    class Interface
    {
    public:
      virtual ~Interface() = default;

      virtual void
      parse_parameters(dealii::ParameterHandler &prm) = 0;

      virtual void
      execute(const OutputState<dim> &state) = 0;

      /** State that must survive a restart (keys start with @p key). */
      virtual void
      save(Checkpoint::State &, const std::string & /*key*/) const
      {}

      virtual void
      load(const Checkpoint::State &, const std::string & /*key*/)
      {}
    };

    template <int dim>
    using Registry = PluginRegistry<Interface<dim>>;
  } // namespace Postprocess
} // namespace chemokin
