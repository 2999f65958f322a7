#pragma once

#include <deal.II/base/mpi.h>
#include <deal.II/base/parameter_handler.h>

#include <string>
#include <vector>

namespace chemokin
{
  /**
   * The eps-convergence study of Theorem 2.1 (`chemokin-convergence`): the
   * case of a parameter file, run in `both` mode for a list of adaptation
   * times eps, each also one mesh step finer to separate the discretization
   * error from the modelling error.
   */
  namespace Study
  {
    /** Declare `subsection Convergence study`. */
    void
    declare_parameters(dealii::ParameterHandler &prm);

    /** One run of the study: its inputs and what Theorem 2.1 measures. */
    struct Result
    {
      double       epsilon;
      unsigned int mesh; // 0: the mesh of the file, 1: one step finer
      unsigned int refinement;
      double       cells_per_epsilon;
      double       e1, e2;   // at the end time T
      double       e3, e3_max; // at T, and the largest over the output times
      double       e2_mesh_change; // |E2(fine) - E2(base)| / E2(base), or NaN
      double       velocity_mean, velocity_mean_limit, x_mean, x_mean_limit;
      double       cells, dofs, wall_seconds;
    };

    /**
     * Least-squares slope of log(value) against log(eps) over the results
     * on @p mesh (NaN with fewer than two positive values).
     */
    double
    fitted_slope(const std::vector<Result> &results,
                 double Result::*           value,
                 unsigned int               mesh = 0);

    /**
     * Run the study described by @p prm. Each run writes into
     * `<Output directory>/eps-<eps>[-refined]/`; the study writes
     * `convergence.csv` (one row per run) and `rates.csv` (fitted slopes)
     * into `<Output directory>/`.
     */
    std::vector<Result>
    run_convergence_study(dealii::ParameterHandler &prm,
                          const MPI_Comm &          comm,
                          const std::string &       input_file = "");
  } // namespace Study
} // namespace chemokin
