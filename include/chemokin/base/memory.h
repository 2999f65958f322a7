#pragma once

#include <deal.II/base/mpi.h>
#include <deal.II/base/parameter_handler.h>

#include <string>

namespace chemokin
{
  /**
   * The memory check: before a model allocates its phase-space vectors it
   * estimates their size from cells x DoFs per cell x velocities, and a run
   * that cannot fit is refused with a message naming the estimate and the
   * limit, instead of being killed by the system half-way.
   */
  namespace Memory
  {
    /** Declares the top-level entry `Memory limit`. */
    void
    declare_parameters(dealii::ParameterHandler &prm);

    /**
     * The memory the run may use, in bytes, over all ranks: `Memory limit`
     * GiB, or for `auto` what the nodes have available (MemAvailable of
     * each node shared by the ranks on it, and at most each rank's
     * address-space limit), for a balanced load: n_ranks times the smallest
     * share. Collective.
     */
    double
    limit(dealii::ParameterHandler &prm, const MPI_Comm &comm);

    /**
     * Bytes per unknown, for the estimates. A phase-space unknown (one DoF
     * and one velocity) of an explicit Runge-Kutta method holds the solution,
     * the stages and the tumbling rates (about 10 doubles); of an IMEX
     * method the solution, the integrator's @p work_vectors and 4 more (the
     * ghosts, the output's and the mesh transfer's copies): 240 bytes with
     * ARKode (25 work vectors), 72 with the low-storage ARS(4,4,3) (4 sums). An
     * (x, m)-DoF adds the Fokker-Planck matrix, its factorization and the
     * node geometry. Measured peaks (doc/performance.md) lie below these
     * figures.
     */
    constexpr double bytes_per_explicit_unknown = 80;
    constexpr double
    bytes_per_imex_unknown(const unsigned int work_vectors)
    {
      return 8. * (work_vectors + 5);
    }
    constexpr double bytes_per_xm_dof = 1500;

    /**
     * Throw InputError naming @p entry if @p bytes exceed @p limit; @p what
     * says what was estimated (e.g. "the (x, m)-mesh of 2.1e7 cells").
     */
    void
    check(double bytes, double limit, const std::string &entry, const std::string &what);

    /** "1.5 GiB" */
    std::string
    format(double bytes);
  } // namespace Memory
} // namespace chemokin
