#include <deal.II/base/mpi.h>

#include <chemokin/output/atomic_file.h>
#include <chemokin/postprocess/interface.h>

#include <filesystem>
#include <iomanip>
#include <sstream>

namespace chemokin
{
  namespace Postprocess
  {
    /**
     * d = 1 only (ignored in d = 2): the density at `Profile points`
     * uniformly spaced points x_i = a + i (b - a)/(n - 1), written to
     * `profiles/density-NNNNN.csv` (columns x,density, and density_limit in
     * `both` mode). A point on a cell
     * interface takes the value of the cell on its right (the last point the
     * value of the last cell).
     */
    template <int dim>
    class Profiles : public Interface<dim>
    {
    public:
      static void
      declare_parameters(dealii::ParameterHandler &prm)
      {
        prm.declare_entry("Profile points",
                          "201",
                          dealii::Patterns::Integer(2),
                          "`profiles` only (d = 1): number of uniformly "
                          "spaced points of profiles/density-NNNNN.csv.");
      }

      void
      parse_parameters(dealii::ParameterHandler &prm) override
      {
        n_points = prm.get_integer("Profile points");
      }

      void
      execute(const OutputState<dim> &state) override
      {
        if (dim != 1)
          return;
        const auto &space       = state.model.x_space();
        const auto &dof_handler = space.get_dof_handler();
        const auto &fe          = dof_handler.get_fe();
        const auto &tria        = dof_handler.get_triangulation();

        double lower = std::numeric_limits<double>::max(), upper = -lower;
        for (const auto &cell : tria.active_cell_iterators())
          if (!cell->is_artificial())
            {
              lower = std::min(lower, cell->vertex(0)[0]);
              upper = std::max(upper, cell->vertex(1)[0]);
            }
        lower = dealii::Utilities::MPI::min(lower, state.comm);
        upper = dealii::Utilities::MPI::max(upper, state.comm);

        // the columns: the density, then what the model has besides
        std::vector<std::pair<std::string, const PhaseVector *>> columns{
          {"density", &state.moments.density}};
        if (state.moments.density_limit.size() > 0)
          columns.emplace_back("density_limit", &state.moments.density_limit);
        if (state.moments.density_error.size() > 0)
          columns.emplace_back("density_error", &state.moments.density_error);
        for (const auto &[name, field] : state.moments.fields)
          columns.emplace_back(name, &field);
        const unsigned int  n_columns = columns.size();
        std::vector<double> values(n_columns * n_points, 0.0);
        unsigned int        c = 0;
        for (const auto &cell : dof_handler.active_cell_iterators())
          {
            if (!cell->is_locally_owned())
              continue;
            const std::vector<unsigned int> &dofs = space.cell_dofs[c++];
            const double a = cell->vertex(0)[0], b = cell->vertex(1)[0];
            for (unsigned int p = 0; p < n_points; ++p)
              {
                const double x = lower + (upper - lower) * p / (n_points - 1);
                const bool   inside =
                  (x >= a && x < b) || (p + 1 == n_points && x == b);
                if (!inside)
                  continue;
                dealii::Point<dim> unit;
                unit[0] = (x - a) / (b - a);
                for (unsigned int i = 0; i < dofs.size(); ++i)
                  {
                    const double phi = fe.shape_value(i, unit);
                    for (unsigned int k = 0; k < n_columns; ++k)
                      values[k * n_points + p] += columns[k].second->local_element(dofs[i]) * phi;
                  }
              }
          }
        dealii::Utilities::MPI::sum(values, state.comm, values);

        if (dealii::Utilities::MPI::this_mpi_process(state.comm) == 0)
          {
            std::filesystem::create_directories(state.directory + "/profiles");
            std::ostringstream out;
            out << "x";
            for (const auto &column : columns)
              out << ',' << column.first;
            out << '\n' << std::setprecision(16);
            for (unsigned int p = 0; p < n_points; ++p)
              {
                out << lower + (upper - lower) * p / (n_points - 1);
                for (unsigned int k = 0; k < n_columns; ++k)
                  out << ',' << values[k * n_points + p];
                out << '\n';
              }
            std::ostringstream name;
            name << state.directory << "/profiles/density-" << std::setw(5)
                 << std::setfill('0') << state.output_index << ".csv";
            write_file_atomically(name.str(), out.str());
          }
      }

    private:
      unsigned int n_points = 201;
    };
  } // namespace Postprocess
} // namespace chemokin

CHEMOKIN_REGISTER_PLUGIN(chemokin::Postprocess::Interface,
                         chemokin::Postprocess::Profiles,
                         "profiles",
                         "d = 1: the density on `Profile points` uniform points, "
                         "profiles/density-NNNNN.csv (columns x,density, then density_limit, "
                         "density_error and the reaction-diffusion fields where the run has them).")
