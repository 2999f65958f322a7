#pragma once

#include <chemokin/mesh/phase_space.h>

namespace chemokin
{
  /**
   * The scaling limiter of Zhang and Shu (J. Comput. Phys. 229, 2010) on a
   * phase-space vector: in every cell and for every velocity node, the DG
   * polynomial is contracted towards its cell average,
   *
   *   p <- pbar + theta (p - pbar),  theta = min(1, pbar / (pbar - min_q p_q)),
   *
   * so that its values at the nodes are non-negative. The average is taken
   * with the nodal (Gauss) weights, which are the mass matrix, so the mass of
   * the cell is kept exactly. A cell whose average is itself negative (the
   * implicit Fokker-Planck step does not preserve the sign of averages) is
   * set to zero, and its negative mass is taken from all cells of the same
   * velocity node in proportion to their mass: the total mass of every
   * velocity node is kept, and every nodal value ends non-negative.
   *
   * Collective over the vector's communicator; reads and writes the owned
   * entries of @p vector; returns the number of (cell, velocity) pairs it
   * changed on this rank. With @p skip_every > 0 the lanes k with
   * (k + 1) % skip_every == 0 are left alone (the moving frame's lags,
   * which are not densities).
   */
  template <int mesh_dim>
  unsigned int
  limit_positivity(const PhaseSpace<mesh_dim> &space,
                   PhaseVector &               vector,
                   unsigned int                skip_every = 0);
} // namespace chemokin
