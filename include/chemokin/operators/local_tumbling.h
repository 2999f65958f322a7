#pragma once

#include <deal.II/lac/full_matrix.h>

#include <vector>

namespace chemokin
{
  /**
   * The tumbling operator of the frame relative to the signal (DESIGN
   * §11): a tumble keeps m and the signal, so u is the same before and
   * after it, and the operator is pointwise in (x, u),
   *
   *   Q[q](v_k, u_j) = lambda_j (sum_l K(v_k, v_l) w_l q(v_l, u_j) - q(v_k, u_j)),
   *
   * lambda_j = lambda(u_j) shared by every x-node and velocity. Mass is
   * conserved to round-off when sum_k w_k K(v_k, v_l) = 1 (the kernels of
   * TurningKernel). For a uniform kernel the gain is one sum over the
   * velocities per u-cell: O(n_v n_u) per x-node instead of O(n_v^2 n_u).
   *
   * Layout per x-node: n_v lanes of n_u values, velocity-major.
   */
  class LocalTumbling
  {
  public:
    LocalTumbling(const std::vector<double> &       weights,
                  const dealii::FullMatrix<double> &kernel,
                  bool                              uniform,
                  std::vector<double>               rates);

    /** f += Q[q] for the n_v n_u values of one x-node */
    void
    add_node(const double *q, double *f) const;

    /** 1 / the largest frequency (explicit stability, CFL 1) */
    double
    max_time_step() const;

    const std::vector<double> &
    rates() const
    {
      return lambda;
    }

  private:
    unsigned int               n_v, n_u;
    std::vector<double>        weights;
    /** K(k, l) w_l */
    dealii::FullMatrix<double> kernel_times_weight;
    bool                       uniform;
    double                     uniform_kernel;
    std::vector<double>        lambda;
    mutable std::vector<double> gain;
  };
} // namespace chemokin
