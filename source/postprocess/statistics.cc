#include <deal.II/base/mpi.h>

#include <chemokin/postprocess/interface.h>

#include <cmath>

namespace chemokin
{
  namespace Postprocess
  {
    /**
     * Moments of the density as statistics columns: `mass` = int rho,
     * `x_mean` (and `y_mean`) = centre of mass, `velocity_mean` (and
     * `velocity_mean_y`) = int J / int rho, and `flux_max` = the largest
     * cell average of |J|: zero at a steady state without net flux.
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
      }
    };
  } // namespace Postprocess
} // namespace chemokin

CHEMOKIN_REGISTER_PLUGIN(chemokin::Postprocess::Interface,
                         chemokin::Postprocess::Statistics,
                         "statistics",
                         "Columns mass, x_mean (y_mean), velocity_mean "
                         "(velocity_mean_y) and flux_max of statistics.csv.")
