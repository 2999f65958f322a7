#pragma once

#include <deal.II/base/mpi.h>

#include <cmath>
#include <functional>
#include <string>
#include <vector>

namespace chemokin
{
  namespace Signal
  {
    /**
     * The reaction part of the field equations: at every node k of a set
     * the small ODE system dS/dt = R(S, tau) of the n fields, independent
     * of the other nodes (no mesh here), all nodes at once.
     *
     * One step of length h is the two-stage L-stable SDIRK scheme
     * (gamma = 1 - 1/sqrt 2, Alexander 1977); each stage solves its n x n
     * equations per node by a simplified Newton iteration with the matrix
     * (I - gamma h dR/dS)^{-1} by finite differences at the start of the
     * step (deal.II's FullMatrix::gauss_jordan), stopped when the next
     * change, estimated from the contraction of the last two (Hairer &
     * Wanner IV.8), is below round-off: an affine R stops after its second
     * iteration. Where the second-order step would make a non-negative field
     * negative (the stiff limit can undershoot), that node takes an implicit
     * Euler step instead (non-negative for production-decay reactions).
     *
     * Every decision is collective over the communicator, so that all
     * ranks of a distributed field take the same branches.
     */
    class NodeReactions
    {
    public:
      /** Values by field and node: [j][k]. */
      using Columns = std::vector<std::vector<double>>;

      /** R(S, tau) at every node: @p R[j][k] from @p S[j][k]. */
      using Rates = std::function<void(double tau, const Columns &S, Columns &R)>;

      /** gamma of the SDIRK scheme */
      static double
      gamma()
      {
        return 1 - 1 / std::sqrt(2.0);
      }

      /** @p entry names the reactions in the error of a step without solution. */
      NodeReactions(const MPI_Comm &comm, const std::string &entry);

      /** S(t) -> S(t + h) at every node, in place. */
      void
      step(double t, double h, const Rates &rates, Columns &S) const;

    private:
      MPI_Comm    comm;
      std::string entry;
    };
  } // namespace Signal
} // namespace chemokin
