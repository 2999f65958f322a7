#pragma once

#include <deal.II/lac/trilinos_solver.h>
#include <deal.II/lac/trilinos_sparse_matrix.h>

#include <chemokin/mesh/phase_space.h>
#include <chemokin/signal/interface.h>

#include <memory>

namespace chemokin
{
  /**
   * The Fokker-Planck relaxation of the methylation level (1.4),
   *
   *   L p = (1/eps) d_m[(m - M(t,x)) p] + eps d_m^2 p,
   *
   * on the (x, m)-mesh (m is the last axis), the same for every velocity.
   * DG: upwind flux for the drift (m-velocity a = -(m - M)/eps), symmetric
   * interior penalty for the diffusion, zero flux through m = m_min and
   * m = m_max; only faces normal to m couple cells. The matrix A (with the
   * inverse diagonal mass matrix folded in, so dp/dt = A p) is assembled
   * once for a static signal and at every requested time for a moving one.
   *
   * solve() computes (I - gamma A)^{-1} for all velocities with one sparse
   * direct factorization (Trilinos Amesos/KLU), reused while (t, gamma) do
   * not change: the implicit part of an IMEX step costs one factorization
   * per step size and n_v triangular solves.
   */
  template <int dim>
  class FokkerPlanck
  {
  public:
    FokkerPlanck(const PhaseSpace<dim + 1> &    phase_space,
                 const Signal::Interface<dim> &signal,
                 double                        epsilon,
                 double                        penalty = 2.0);

    /** dst = A(t) src for all velocities. */
    void
    apply(double t, const PhaseVector &src, PhaseVector &dst);

    /**
     * x = (I - gamma A(t_lin))^{-1} b for all velocities, where t_lin is the
     * linearization time (set_linearization_time()): t itself for a static
     * signal (exact solve), the start of the time step for a moving one (an
     * approximate Jacobian for Newton's method, refactored once per step).
     */
    void
    solve(double t, double gamma, const PhaseVector &b, PhaseVector &x);

    /** For a moving signal: the time at which solve() uses A. */
    void
    set_linearization_time(double t)
    {
      linearization_time = t;
    }

    /** The assembled A(t) (for tests). */
    const dealii::TrilinosWrappers::SparseMatrix &
    matrix(double t);

  private:
    void
    assemble(double t);

    /** Split/merge velocity k of a phase-space vector. */
    void
    extract(const PhaseVector &phase, unsigned int k, PhaseVector &scalar) const;
    void
    insert(const PhaseVector &scalar, unsigned int k, PhaseVector &phase) const;

    const PhaseSpace<dim + 1> &   phase_space;
    const Signal::Interface<dim> &signal;
    double                        epsilon;
    double                        penalty;

    dealii::IndexSet                       owned;
    dealii::TrilinosWrappers::SparseMatrix operator_matrix;
    double                                 operator_time;
    dealii::TrilinosWrappers::SparseMatrix system_matrix;
    std::unique_ptr<dealii::TrilinosWrappers::SolverDirect> direct_solver;
    dealii::SolverControl                                   solver_control;
    double system_time, system_gamma;
    double linearization_time = 0;

    PhaseVector scalar_in, scalar_out;
  };
} // namespace chemokin
