#pragma once

#include <chemokin/time_stepping/ars_tables.h>
#include <chemokin/time_stepping/imex_integrator.h>

#include <vector>

namespace chemokin
{
  /**
   * The globally stiffly accurate pairs ARS(2,2,2) and ARS(4,4,3)
   * (ArsTables) written out with the fewest vectors: instead of keeping
   * every stage's right-hand sides (ARKode: about 26 vectors), each later
   * stage i keeps its running sum
   *
   *   S_i = y_n + dt sum_{j < i} (aE_ij f_E(Y_j) + aI_ij f_I(Y_j)),
   *
   * to which a stage adds its right-hand sides as soon as they are known,
   * so stage i's sum is complete when it starts. The implicit stage
   * Y_i = S_i + g f_I(Y_i), g = gamma dt, is Parts::solve_stage (exact, one
   * pass), and f_I(Y_i) = (Y_i - S_i)/g needs no evaluation of f_I; the
   * new solution is the last stage
   * (b = the last row of A). Storage: the solution, s - 1 sums and one
   * right-hand side: 4 vectors for order 2, 6 for order 3; without the
   * right-hand side (3 and 5) where the explicit part is handed over in
   * pieces (Parts::explicit_part_in_pieces: each x-node's f_E goes into the
   * sums while it is in cache). The same tables
   * as ArkodeImex with Tables::globally_stiffly_accurate, so the same
   * scheme: results agree to round-off (unit/imex_time_convergence).
   */
  class LowStorageImex : public ImexIntegrator
  {
  public:
    LowStorageImex(const Parts &parts, unsigned int order);

    /** frees the work vectors (they are laid out anew by the next step) */
    void
    restart() override;

    /** nothing to do: every step starts from the vector it is given */
    void
    solution_modified() override
    {}

    void
    advance(double t, double dt, PhaseVector &y) override;

    /** the s - 1 sums, and f_E unless the explicit part comes in pieces */
    unsigned int
    work_vectors() const override
    {
      return tables.stages - (parts.explicit_part_in_pieces ? 1 : 0);
    }

  private:
    Parts     parts;
    ArsTables tables;
    /** the running sums of stages 1 ... s - 1 */
    std::vector<PhaseVector> sums;
    /** a right-hand side */
    PhaseVector f;
  };
} // namespace chemokin
