#include <deal.II/base/mpi.h>

#include <chemokin/postprocess/interface.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace chemokin
{
  namespace Postprocess
  {
    /**
     * Moments of the density as statistics columns: `mass` = int rho,
     * `x_mean` (and `y_mean`) = centre of mass, `velocity_mean` (and
     * `velocity_mean_y`) = int J / int rho, and `flux_max` = the largest
     * cell average of |J|: zero at a steady state without net flux.
     *
     * With a reaction-diffusion signal (Moments::fields not empty), also
     * the pulse: `pulse_x` (`pulse_y`, `pulse_z`), the density maximum (its
     * node; in d = 1 the vertex of the parabola through the largest node
     * value and its neighbours), and `pulse_speed` = |J| / rho there. For a
     * travelling wave rho(x - c t) the continuity equation gives J = c rho
     * (J vanishes ahead of it), so this is its speed c, read off one output
     * without differencing positions in time.
     */
    template <int dim>
    class Statistics : public Interface<dim>
    {
    public:
      static void
      declare_parameters(dealii::ParameterHandler &)
      {}

      void
      parse_parameters(dealii::ParameterHandler &) override
      {}

      void
      execute(const OutputState<dim> &state) override
      {
        const auto &space   = state.model.x_space();
        const auto &moments = state.moments;
        // local sums: mass, mass * x_j, flux_j
        std::vector<double> sums(1 + 2 * dim, 0.0);
        for (unsigned int i = 0; i < space.n_owned_dofs(); ++i)
          {
            const double w   = space.node_weight[i];
            const double rho = moments.density.local_element(i);
            sums[0] += w * rho;
            for (unsigned int j = 0; j < dim; ++j)
              {
                sums[1 + j] += w * rho * space.node_position[i][j];
                sums[1 + dim + j] += w * moments.flux[j].local_element(i);
              }
          }
        double flux_max = 0;
        for (unsigned int c = 0; c < space.cell_dofs.size(); ++c)
          {
            dealii::Tensor<1, dim> cell_flux;
            for (const unsigned int i : space.cell_dofs[c])
              for (unsigned int j = 0; j < dim; ++j)
                cell_flux[j] +=
                  space.node_weight[i] * state.moments.flux[j].local_element(i);
            flux_max = std::max(flux_max, cell_flux.norm() / space.cell_measure[c]);
          }
        dealii::Utilities::MPI::sum(sums, state.comm, sums);
        flux_max = dealii::Utilities::MPI::max(flux_max, state.comm);

        const char *axis_suffix[3] = {"", "_y", "_z"};
        const char *mean_name[3]   = {"x_mean", "y_mean", "z_mean"};
        state.statistics.emplace_back("mass", sums[0]);
        for (unsigned int j = 0; j < dim; ++j)
          state.statistics.emplace_back(mean_name[j], sums[1 + j] / sums[0]);
        for (unsigned int j = 0; j < dim; ++j)
          state.statistics.emplace_back(std::string("velocity_mean") +
                                          axis_suffix[j],
                                        sums[1 + dim + j] / sums[0]);
        state.statistics.emplace_back("flux_max", flux_max);
        if (!moments.fields.empty())
          add_pulse(state);
      }

    private:
      void
      add_pulse(const OutputState<dim> &state) const
      {
        const auto &   space   = state.model.x_space();
        const auto &   density = state.moments.density;
        const MPI_Comm comm    = state.comm;
        double         high    = -std::numeric_limits<double>::max();
        unsigned int   best    = 0;
        for (unsigned int i = 0; i < space.n_owned_dofs(); ++i)
          if (density.local_element(i) > high)
            {
              high = density.local_element(i);
              best = i;
            }
        const double global_high = dealii::Utilities::MPI::max(high, comm);
        const bool   mine = space.n_owned_dofs() > 0 && high == global_high;
        // the node of the maximum (on ties, of the lowest rank that has one)
        const unsigned int owner =
          dealii::Utilities::MPI::min(mine ? dealii::Utilities::MPI::this_mpi_process(comm) :
                                             dealii::Utilities::MPI::n_mpi_processes(comm),
                                      comm);
        std::vector<double> node(dim + 1 + dim, 0.0); // position, rho, J
        if (dealii::Utilities::MPI::this_mpi_process(comm) == owner)
          {
            for (unsigned int d = 0; d < dim; ++d)
              {
                node[d]           = space.node_position[best][d];
                node[dim + 1 + d] = state.moments.flux[d].local_element(best);
              }
            node[dim] = density.local_element(best);
          }
        dealii::Utilities::MPI::sum(node, comm, node);
        dealii::Point<dim>     position;
        dealii::Tensor<1, dim> flux;
        for (unsigned int d = 0; d < dim; ++d)
          {
            position[d] = node[d];
            flux[d]     = node[dim + 1 + d];
          }
        if constexpr (dim == 1)
          {
            // between nodes: the vertex of the parabola through the maximum
            // and its two neighbours in x (all nodes of the line, gathered)
            std::vector<std::pair<double, double>> local;
            for (unsigned int i = 0; i < space.n_owned_dofs(); ++i)
              local.emplace_back(space.node_position[i][0], density.local_element(i));
            std::vector<std::pair<double, double>> line;
            for (const auto &part : dealii::Utilities::MPI::all_gather(comm, local))
              line.insert(line.end(), part.begin(), part.end());
            std::sort(line.begin(), line.end());
            const auto peak = std::find_if(line.begin(), line.end(), [&](const auto &n) {
              return n.first == position[0];
            });
            if (peak != line.end() && peak != line.begin() && peak + 1 != line.end())
              {
                const auto [x0, f0] = *(peak - 1);
                const auto [x1, f1] = *peak;
                const auto [x2, f2] = *(peak + 1);
                // where the derivative of the interpolating parabola vanishes
                const double a = ((f2 - f1) / (x2 - x1) - (f1 - f0) / (x1 - x0)) / (x2 - x0);
                const double b = (f1 - f0) / (x1 - x0) - a * (x0 + x1);
                if (a < 0)
                  position[0] = std::clamp(-b / (2 * a), x0, x2);
              }
          }
        const char *axis[3] = {"pulse_x", "pulse_y", "pulse_z"};
        for (unsigned int d = 0; d < dim; ++d)
          state.statistics.emplace_back(axis[d], position[d]);
        state.statistics.emplace_back("pulse_speed", node[dim] > 0 ? flux.norm() / node[dim] : 0.0);
      }
    };
  } // namespace Postprocess
} // namespace chemokin

CHEMOKIN_REGISTER_PLUGIN(chemokin::Postprocess::Interface,
                         chemokin::Postprocess::Statistics,
                         "statistics",
                         "Columns mass, x_mean (y_mean), velocity_mean "
                         "(velocity_mean_y) and flux_max of statistics.csv; with a "
                         "reaction-diffusion signal also pulse_x (pulse_y), the density "
                         "maximum, and pulse_speed there.")
