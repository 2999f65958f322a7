#pragma once

#include <deal.II/base/point.h>
#include <deal.II/base/tensor.h>
#include <deal.II/distributed/tria_base.h>

#include <chemokin/base/formula.h>
#include <chemokin/mesh/phase_space.h>
#include <chemokin/signal/field_equations.h>

#include <array>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace chemokin
{
  namespace Signal
  {
    /**
     * Reaction-diffusion fields on the x-mesh of a kinetic model: continuous
     * Q_k elements (k the kinetic degree) on Gauss-Lobatto nodes with the
     * lumped (Gauss-Lobatto) mass matrix, so that
     *  - the integral of a field is sum_i m_i S_i exactly,
     *  - the reactions act node by node (R_j at each Lobatto node), and
     *  - for k = 1 the diffusion matrix M + c K is an M-matrix (a
     *    non-negative field stays non-negative in an implicit Euler step).
     *
     * One step of length h is the Strang splitting
     *
     *   R(h/2) D(h) R(h/2),
     *
     * second order: D is the diffusion by the L-stable, stiffly accurate
     * two-stage SDIRK scheme (gamma = 1 - 1/sqrt 2; both stages solve with
     * the same matrix M + gamma h D_j K: a direct solve in d = 1, CG in
     * d >= 2, preconditioned by Jacobi while that takes at most 25
     * iterations and by Trilinos' AMG after); R the reactions at every node by the same
     * SDIRK scheme, a Newton iteration per stage with a finite-difference
     * Jacobian (stiff reactions stay stable). Both conserve the linear
     * invariants of the node ODEs; diffusion conserves every integral.
     *
     * rho is the bacterial density: the lumped L2 projection of a model's
     * density (its integral is kept to round-off), frozen during a step, or
     * a prescribed function of (x, t) (for tests).
     */
    template <int dim>
    class FieldSolver
    {
    public:
      FieldSolver(const FieldEquations &                          equations,
                  const dealii::parallel::TriangulationBase<dim> &triangulation,
                  const std::array<bool, dim> &                   periodic,
                  unsigned int                                    degree,
                  const std::string &                             reaction_entry);
      ~FieldSolver();

      unsigned int
      n_fields() const;

      /** S_j = the initial values, interpolated at the nodes. */
      void
      set_initial_values();

      /** rho = the lumped L2 projection of @p density (one value per node of @p space). */
      void
      set_density(const PhaseSpace<dim> &space, const PhaseVector &density);

      /** rho(x, t) prescribed, evaluated at the nodes at every reaction stage. */
      void
      set_density(const std::function<double(const dealii::Point<dim> &, double)> &density);

      /** Advance the fields from @p t by @p h (the Strang step above). */
      void
      advance(double t, double h);

      /**
       * d_t S_j at the nodes, from the field equations: the lumped
       * M^{-1}(-D_j K S_j) + R_j(S, rho, x, t).
       */
      void
      time_derivatives(double t, std::vector<PhaseVector> &rates) const;

      /** Fields sampled at the nodes of a kinetic phase space, [field][local x-DoF]. */
      struct Samples
      {
        std::vector<std::vector<double>>                   value;
        std::vector<std::vector<dealii::Tensor<1, dim>>>   gradient;
        /** of the rates passed to sample() (else empty) */
        std::vector<std::vector<double>>                   rate;
      };

      /**
       * The values and gradients of the fields (and the values of
       * @p rates from time_derivatives(), unless nullptr) at the nodes of a
       * kinetic phase space on the same mesh.
       */
      void
      sample(const PhaseSpace<dim> &space, const std::vector<PhaseVector> *rates, Samples &out) const;

      /**
       * The fields and their gradients at a point @p x of an owned or ghost
       * cell (a search through the mesh: for occasional points, not for
       * every node of a step); false if no such cell holds @p x.
       */
      bool
      point_values(const dealii::Point<dim> &            x,
                   std::vector<double> &                 values,
                   std::vector<dealii::Tensor<1, dim>> &gradients) const;

      /** int S_j dx (collective) */
      double
      integral(unsigned int j) const;

      /** min and max of S_j over the nodes (collective) */
      std::pair<double, double>
      range(unsigned int j) const;

      /** int rho dx of the current density (collective) */
      double
      density_integral() const;

      /**
       * The fields in a kinetic layout: @p space has n_fields() lanes per
       * DoF and the same degree; the kinetic DoF q of a cell holds the
       * field's cell-local DoF q (both are tensor-product lexicographic on
       * Gauss and Gauss-Lobatto points). For checkpoints.
       */
      void
      to_cell_layout(const PhaseSpace<dim> &space, PhaseVector &vector) const;

      void
      from_cell_layout(const PhaseSpace<dim> &space, const PhaseVector &vector);

      /**
       * The fields from their values at the nodes of a kinetic space on
       * this mesh, [local x-DoF * n_fields() + j] (as XMesh transfers them
       * after an adaptation): the DG(k) polynomial of each cell at the
       * cell's Gauss-Lobatto nodes, averaged where cells share a node (they
       * agree where the transfer was an interpolation), then the hanging
       * nodes from their masters.
       */
      void
      from_nodes(const PhaseSpace<dim> &space, const std::vector<double> &values);

      /** The L2 error of S_j against @p exact (collective; Gauss rule of order k + 2). */
      double
      l2_error(unsigned int j, const std::function<double(const dealii::Point<dim> &)> &exact) const;

      /** The fields (to go back to them with set_state()). */
      std::vector<PhaseVector>
      state() const;

      /** Back to state() (and to @p seconds of field_seconds). */
      void
      set_state(const std::vector<PhaseVector> &fields, double seconds);

      /** Seconds spent in advance() and time_derivatives() (this rank). */
      double
      seconds() const;

    private:
      struct Implementation;
      std::unique_ptr<Implementation> impl;
    };
  } // namespace Signal
} // namespace chemokin
