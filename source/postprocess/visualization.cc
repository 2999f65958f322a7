#include <deal.II/base/data_out_base.h>
#include <deal.II/numerics/data_out.h>

#include <chemokin/output/vtu_series.h>
#include <chemokin/postprocess/interface.h>

#include <deque>
#include <sstream>

namespace chemokin
{
  namespace Postprocess
  {
    /**
     * ParaView output: `solution_NNNNN.pvtu` (one .vtu piece per rank) with
     * the fields density, flux_x (flux_y), the MPI subdomain and, if
     * `Velocity fields` is set, p_k for every velocity node; plus
     * `solution.pvd`, the time series ParaView opens.
     */
    template <int dim>
    class Visualization : public Interface<dim>
    {
    public:
      static void
      declare_parameters(dealii::ParameterHandler &prm)
      {
        prm.declare_entry("Velocity fields",
                          "true",
                          dealii::Patterns::Bool(),
                          "`visualization` only: also write p(x, v_k) for "
                          "every velocity node (fields p_00, p_01, ...).");
        prm.declare_entry("Phase space",
                          "true",
                          dealii::Patterns::Bool(),
                          "`visualization` only, internal-state model: also "
                          "write the (x, m) phase space, p(x, m, v_k) for every "
                          "velocity, as the series phase.pvd (fixed frame, and "
                          "moving frame in d = 1), and in the moving frame over "
                          "(x, y), y = (m - N)/eps, as phase_y.pvd (d = 1, 2).");
      }

      void
      parse_parameters(dealii::ParameterHandler &prm) override
      {
        velocity_fields = prm.get_bool("Velocity fields");
        phase_space     = prm.get_bool("Phase space");
      }

      void
      execute(const OutputState<dim> &state) override
      {
        const auto &dof_handler = state.model.x_space().get_dof_handler();
        dealii::DataOut<dim> data_out;
        data_out.attach_dof_handler(dof_handler);
        data_out.add_data_vector(state.moments.density, "density");
        if (state.moments.density_limit.size() > 0)
          data_out.add_data_vector(state.moments.density_limit, "density_limit");
        const char *flux_name[3] = {"flux_x", "flux_y", "flux_z"};
        for (unsigned int j = 0; j < dim; ++j)
          data_out.add_data_vector(state.moments.flux[j], flux_name[j]);
        for (const auto &[name, field] : state.moments.fields)
          data_out.add_data_vector(field, name);
        std::deque<PhaseVector> storage;
        if (velocity_fields)
          state.model.add_output_fields(data_out, storage);
        dealii::Vector<float> subdomain(
          dof_handler.get_triangulation().n_active_cells());
        subdomain = dealii::Utilities::MPI::this_mpi_process(state.comm);
        data_out.add_data_vector(subdomain, "subdomain");
        data_out.build_patches(std::max(1u, dof_handler.get_fe().degree));

        dealii::DataOutBase::VtkFlags flags;
        flags.time = state.time;
        // the fastest zlib level: output costs as much as stepping with the best one
        flags.compression_level = dealii::DataOutBase::VtkFlags::best_speed;
        data_out.set_flags(flags);
        series.write(state.directory, state.output_index, state.time, state.comm, data_out);
        if (phase_space)
          state.model.write_phase_space(state.directory, state.output_index, state.time);
      }

      void
      save(Checkpoint::State &checkpoint, const std::string &key) const override
      {
        series.save(checkpoint, key + ".series");
      }

      void
      load(const Checkpoint::State &checkpoint, const std::string &key) override
      {
        series.load(checkpoint, key + ".series");
      }

    private:
      bool                                      velocity_fields = true;
      bool                                      phase_space     = true;
      VtuSeries                                 series{"solution"};
    };
  } // namespace Postprocess
} // namespace chemokin

CHEMOKIN_REGISTER_PLUGIN(chemokin::Postprocess::Interface,
                         chemokin::Postprocess::Visualization,
                         "visualization",
                         "ParaView files: solution_NNNNN.pvtu per output time "
                         "and the series solution.pvd.")
