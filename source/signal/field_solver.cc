#include <deal.II/base/quadrature_lib.h>
#include <deal.II/dofs/dof_handler.h>
#include <deal.II/dofs/dof_tools.h>
#include <deal.II/fe/fe_q.h>
#include <deal.II/fe/fe_tools.h>
#include <deal.II/fe/fe_values.h>
#include <deal.II/fe/mapping_q1.h>
#include <deal.II/grid/grid_tools.h>
#include <deal.II/lac/affine_constraints.h>
#include <deal.II/lac/dynamic_sparsity_pattern.h>
#include <deal.II/lac/full_matrix.h>
#include <deal.II/lac/solver_cg.h>
#include <deal.II/lac/sparsity_tools.h>
#include <deal.II/lac/trilinos_precondition.h>
#include <deal.II/lac/trilinos_solver.h>
#include <deal.II/lac/trilinos_sparse_matrix.h>

#include <chemokin/base/expression.h>
#include <chemokin/base/input_error.h>
#include <chemokin/base/parameters.h>
#include <chemokin/signal/field_solver.h>

#include <chrono>
#include <deque>
#include <cmath>

namespace chemokin
{
  namespace Signal
  {
    namespace
    {
      /** gamma of the two-stage L-stable SDIRK scheme (Alexander 1977) */
      const double sdirk_gamma = 1 - 1 / std::sqrt(2.0);

    } // namespace

    template <int dim>
    struct FieldSolver<dim>::Implementation
    {
      using Vector = PhaseVector;

      Implementation(const FieldEquations &                          equations,
                     const dealii::parallel::TriangulationBase<dim> &triangulation,
                     const std::array<bool, dim> &                   periodic,
                     unsigned int                                    degree,
                     const std::string &                             reaction_entry);

      unsigned int
      n() const
      {
        return equations.names.size();
      }

      /** (re)build the matrix M + c K of field j and its solver */
      void
      set_diffusion_step(unsigned int j, double c);

      /** x = (M + c_j K)^{-1} b (owned vectors) */
      void
      solve(unsigned int j, Vector &x, const Vector &b);

      /** D(h) for field j: two SDIRK stages */
      void
      diffuse(unsigned int j, double h);

      /** R(h) at every node, from time t */
      void
      react(double t, double h);

      /**
       * R_j(S, rho, x, tau) at all free owned nodes, [j][n] for node
       * free_nodes[n], with S from the field columns (filled by the caller).
       */
      void
      evaluate_reactions(double tau, std::vector<std::vector<double>> &out) const;

      double
      density_at(unsigned int i, double t) const
      {
        return prescribed ? prescribed(position[i], t) : rho.local_element(i);
      }

      FieldEquations                                   equations;
      MPI_Comm                                         comm;
      dealii::FE_Q<dim>                                fe;
      dealii::DoFHandler<dim>                          dofs;
      dealii::IndexSet                                 owned, relevant;
      dealii::AffineConstraints<double>                constraints;
      dealii::TrilinosWrappers::SparseMatrix           stiffness;
      /** M + c K and its solver (factorization or AMG hierarchy) */
      struct System
      {
        double                                                 c = -1;
        dealii::TrilinosWrappers::SparseMatrix                 matrix;
        std::unique_ptr<dealii::TrilinosWrappers::PreconditionJacobi> jacobi;
        std::unique_ptr<dealii::TrilinosWrappers::PreconditionAMG>    amg;
        std::unique_ptr<dealii::TrilinosWrappers::SolverDirect>    direct;
      };
      /**
       * per field the systems of the last few c (the step of a run, and the
       * shorter ones of outputs and the first step): each is set up once
       */
      std::vector<std::deque<System>> systems;
      /** the system in use, per field */
      std::vector<System *> current;
      dealii::SolverControl                            direct_control;
      /** the fields, ghosted */
      std::vector<Vector> S;
      /** lumped mass and the density, owned */
      Vector mass, rho;
      /** work vectors: owned, and with the ghosts of S */
      mutable Vector work[5], ghosted_work;
      /** owned nodes: position, and whether free (not constrained) */
      std::vector<dealii::Point<dim>> position;
      std::vector<bool>               free;
      std::vector<Formula>            reactions, initial_values;
      /** the owned nodes that are not constrained */
      std::vector<unsigned int> free_nodes;
      /** the reactions' variables at the free nodes: fields, rho, x (y, z), t */
      mutable std::vector<std::vector<double>> columns;
      std::function<double(const dealii::Point<dim> &, double)> prescribed;
      mutable double              seconds = 0;
      /** kinetic DoF q of a cell = field DoF lexicographic[q] of the cell */
      std::vector<unsigned int> lexicographic;

      /** the sampling table for one kinetic space: per owned kinetic cell */
      struct Table
      {
        const PhaseSpace<dim> *space   = nullptr;
        unsigned int           n_nodes = 0;
        struct Cell
        {
          /** kinetic node (local x-DoF) of quadrature point q */
          std::vector<unsigned int> nodes;
          /** field DoFs of the cell: global and local (ghosted vector) indices */
          std::vector<dealii::types::global_dof_index> global;
          std::vector<unsigned int>                    local;
          /** phi_a(x_q) and grad phi_a(x_q) at [q * per_cell + a] */
          std::vector<double>                 shape;
          std::vector<dealii::Tensor<1, dim>> shape_gradient;
        };
        std::vector<Cell> cells;
      };
      mutable Table table;

      void
      build_table(const PhaseSpace<dim> &space) const;

      /**
       * f(field cell, kinetic DoFs, field DoFs) for every locally owned cell
       * of a kinetic space on this mesh (the field's DoFHandler has the
       * same cells)
       */
      template <typename F>
      void
      for_each_cell(const PhaseSpace<dim> &space, const F &f) const
      {
        const auto &kinetic = space.get_dof_handler();
        std::vector<dealii::types::global_dof_index> kinetic_dofs(kinetic.get_fe().n_dofs_per_cell()),
          field_dofs(fe.n_dofs_per_cell());
        for (const auto &cell : kinetic.active_cell_iterators())
          if (cell->is_locally_owned())
            {
              const typename dealii::DoFHandler<dim>::active_cell_iterator field_cell(
                &dofs.get_triangulation(), cell->level(), cell->index(), &dofs);
              cell->get_dof_indices(kinetic_dofs);
              field_cell->get_dof_indices(field_dofs);
              f(field_cell, kinetic_dofs, field_dofs);
            }
      }

      /** apply the constraints to the owned entries, then refresh the ghosts */
      void
      make_consistent(Vector &v) const
      {
        v.zero_out_ghost_values();
        constraints.distribute(v);
        v.update_ghost_values();
      }
    };

    template <int dim>
    FieldSolver<dim>::Implementation::Implementation(
      const FieldEquations &                          equations,
      const dealii::parallel::TriangulationBase<dim> &triangulation,
      const std::array<bool, dim> &                   periodic,
      const unsigned int                              degree,
      const std::string &                             reaction_entry)
      : equations(equations)
      , comm(triangulation.get_communicator())
      , fe(degree)
      , dofs(triangulation)
      , direct_control(1, 0)
      , lexicographic(dealii::FETools::lexicographic_to_hierarchic_numbering<dim>(degree))
    {
      dofs.distribute_dofs(fe);
      owned = dofs.locally_owned_dofs();
      dealii::DoFTools::extract_locally_relevant_dofs(dofs, relevant);
      constraints.reinit(relevant);
      dealii::DoFTools::make_hanging_node_constraints(dofs, constraints);
      for (unsigned int d = 0; d < dim; ++d)
        if (periodic[d])
          dealii::DoFTools::make_periodicity_constraints(dofs, 2 * d, 2 * d + 1, d, constraints);
      constraints.close();

      dealii::DynamicSparsityPattern pattern(relevant);
      dealii::DoFTools::make_sparsity_pattern(dofs, pattern, constraints, false);
      dealii::SparsityTools::distribute_sparsity_pattern(pattern, owned, comm, relevant);
      stiffness.reinit(owned, owned, pattern, comm);

      S.resize(n());
      for (auto &s : S)
        s.reinit(owned, relevant, comm);
      mass.reinit(owned, relevant, comm);
      rho.reinit(owned, comm);
      for (auto &w : work)
        w.reinit(rho);
      ghosted_work.reinit(mass);

      // stiffness K (Gauss rule) and lumped mass (Gauss-Lobatto rule: the
      // nodes of FE_Q, so the mass matrix it integrates is diagonal)
      const dealii::QGauss<dim>        gauss(degree + 1);
      const dealii::QGaussLobatto<dim> lobatto(degree + 1);
      dealii::FEValues<dim> values(fe, gauss, dealii::update_gradients | dealii::update_JxW_values);
      dealii::FEValues<dim> lumped(fe, lobatto, dealii::update_values | dealii::update_JxW_values);
      const unsigned int    per_cell = fe.n_dofs_per_cell();
      dealii::FullMatrix<double> cell_matrix(per_cell, per_cell);
      dealii::Vector<double>     cell_mass(per_cell);
      std::vector<dealii::types::global_dof_index> indices(per_cell);
      for (const auto &cell : dofs.active_cell_iterators())
        if (cell->is_locally_owned())
          {
            values.reinit(cell);
            lumped.reinit(cell);
            cell_matrix = 0;
            cell_mass   = 0;
            for (unsigned int q = 0; q < gauss.size(); ++q)
              for (unsigned int a = 0; a < per_cell; ++a)
                for (unsigned int b = 0; b < per_cell; ++b)
                  cell_matrix(a, b) +=
                    values.shape_grad(a, q) * values.shape_grad(b, q) * values.JxW(q);
            for (unsigned int q = 0; q < lobatto.size(); ++q)
              for (unsigned int a = 0; a < per_cell; ++a)
                cell_mass(a) += lumped.shape_value(a, q) * lumped.JxW(q);
            cell->get_dof_indices(indices);
            constraints.distribute_local_to_global(cell_matrix, indices, stiffness);
            constraints.distribute_local_to_global(cell_mass, indices, mass);
          }
      stiffness.compress(dealii::VectorOperation::add);
      mass.compress(dealii::VectorOperation::add);

      // owned nodes: positions and constraints
      std::map<dealii::types::global_dof_index, dealii::Point<dim>> points;
      dealii::DoFTools::map_dofs_to_support_points(dealii::MappingQ1<dim>(), dofs, points);
      position.resize(owned.n_elements());
      free.resize(owned.n_elements());
      for (unsigned int i = 0; i < owned.n_elements(); ++i)
        {
          const auto g = owned.nth_index_in_set(i);
          position[i]  = points.at(g);
          free[i]      = !constraints.is_constrained(g);
        }

      // R_j in the fields, rho, the coordinates and t
      std::vector<std::string> variables = equations.names;
      variables.push_back("rho");
      for (const auto &c : coordinate_list(dim))
        variables.push_back(c);
      variables.push_back("t");
      for (unsigned int j = 0; j < n(); ++j)
        reactions.emplace_back(equations.reactions[j],
                               variables,
                               equations.constants,
                               reaction_entry + " (field " + equations.names[j] + ")");
      for (unsigned int i = 0; i < owned.n_elements(); ++i)
        if (free[i])
          free_nodes.push_back(i);
      columns.assign(variables.size(), std::vector<double>(free_nodes.size()));
      for (unsigned int d = 0; d < dim; ++d)
        for (unsigned int n = 0; n < free_nodes.size(); ++n)
          columns[this->n() + 1 + d][n] = position[free_nodes[n]][d];
      std::vector<double *> pointers;
      for (auto &c : columns)
        pointers.push_back(c.data());
      for (auto &r : reactions)
        r.bind(pointers);
      systems.resize(n());
      current.assign(n(), nullptr);
    }

    template <int dim>
    void
    FieldSolver<dim>::Implementation::set_diffusion_step(const unsigned int j, const double c)
    {
      // the same c up to round-off (dt is remaining/n, recomputed every step)
      for (auto &system : systems[j])
        if (std::abs(system.c - c) <= 1e-12 * c)
          {
            current[j] = &system;
            return;
          }
      if (systems[j].size() == 3)
        systems[j].pop_front();
      System &system = systems[j].emplace_back();
      system.c       = c;
      system.matrix.copy_from(stiffness);
      system.matrix *= c;
      for (unsigned int i = 0; i < owned.n_elements(); ++i)
        if (free[i])
          system.matrix.add(owned.nth_index_in_set(i), owned.nth_index_in_set(i), mass.local_element(i));
      system.matrix.compress(dealii::VectorOperation::add);
      if (dim == 1)
        {
          // a tridiagonal (banded) matrix: the direct solve is the fastest
          system.direct = std::make_unique<dealii::TrilinosWrappers::SolverDirect>(direct_control);
          system.direct->initialize(system.matrix);
        }
      else
        {
          system.jacobi = std::make_unique<dealii::TrilinosWrappers::PreconditionJacobi>();
          system.jacobi->initialize(system.matrix);
        }
      current[j] = &system;
    }

    template <int dim>
    void
    FieldSolver<dim>::Implementation::solve(const unsigned int j, Vector &x, const Vector &b)
    {
      if (dim == 1)
        {
          current[j]->direct->solve(x, b);
          return;
        }
      // tight enough that 1 and 2 ranks (different preconditioners) agree
      // to 1e-12. M + c K is dominated by the mass matrix for the steps of
      // the kinetic CFL condition (c / h^2 = O(1)): Jacobi converges in a
      // few iterations there and costs far less than an AMG V-cycle. Once
      // it needs more than 25 (larger steps, finer meshes), the system
      // switches to Trilinos' AMG for good.
      dealii::SolverControl    control(1000, 1e-14 * b.l2_norm() + 1e-300);
      dealii::SolverCG<Vector> cg(control);
      System &                 system = *current[j];
      if (system.amg)
        {
          cg.solve(system.matrix, x, b, *system.amg);
          return;
        }
      cg.solve(system.matrix, x, b, *system.jacobi);
      if (control.last_step() > 25)
        {
          dealii::TrilinosWrappers::PreconditionAMG::AdditionalData data;
          data.elliptic = true;
          system.amg    = std::make_unique<dealii::TrilinosWrappers::PreconditionAMG>();
          system.amg->initialize(system.matrix, data);
        }
    }

    template <int dim>
    void
    FieldSolver<dim>::Implementation::diffuse(const unsigned int j, const double h)
    {
      const double D = equations.diffusion[j];
      if (D == 0)
        return;
      set_diffusion_step(j, sdirk_gamma * h * D);
      Vector &y0 = work[0], &b = work[1], &Y1 = work[2], &Y2 = work[3], &KY = work[4];
      y0.copy_locally_owned_data_from(S[j]);
      for (unsigned int i = 0; i < owned.n_elements(); ++i)
        b.local_element(i) = free[i] ? mass.local_element(i) * y0.local_element(i) : 0;
      Y1 = y0;
      solve(j, Y1, b);
      constraints.distribute(Y1);
      // stage 2: (M + gamma h D K) Y2 = M y0 - (1 - gamma) h D K Y1
      stiffness.vmult(KY, Y1);
      for (unsigned int i = 0; i < owned.n_elements(); ++i)
        b.local_element(i) = free[i] ? mass.local_element(i) * y0.local_element(i) -
                                         (1 - sdirk_gamma) * h * D * KY.local_element(i) :
                                       0;
      Y2 = Y1;
      solve(j, Y2, b);
      constraints.distribute(Y2);
      S[j].zero_out_ghost_values();
      S[j].copy_locally_owned_data_from(Y2);
      S[j].update_ghost_values();
    }

    template <int dim>
    void
    FieldSolver<dim>::Implementation::evaluate_reactions(const double tau,
                                                         std::vector<std::vector<double>> &out) const
    {
      const unsigned int N = free_nodes.size();
      auto &             rho_column = columns[n()];
      for (unsigned int k = 0; k < N; ++k)
        rho_column[k] = density_at(free_nodes[k], tau);
      std::fill(columns.back().begin(), columns.back().end(), tau);
      out.resize(n());
      for (unsigned int j = 0; j < n(); ++j)
        {
          out[j].resize(N);
          reactions[j].evaluate(N, out[j].data());
        }
    }

    namespace
    {
      /** A^{-1} in place (n x n, row-major; Gauss-Jordan with partial pivoting) */
      bool
      invert(std::vector<double> &A, const unsigned int n)
      {
        std::vector<unsigned int> column(n);
        std::vector<double>       inverse(n * n, 0.0);
        for (unsigned int i = 0; i < n; ++i)
          inverse[i * n + i] = 1;
        for (unsigned int c = 0; c < n; ++c)
          {
            unsigned int pivot = c;
            for (unsigned int r = c + 1; r < n; ++r)
              if (std::abs(A[r * n + c]) > std::abs(A[pivot * n + c]))
                pivot = r;
            if (!(std::abs(A[pivot * n + c]) > 0))
              return false;
            for (unsigned int k = 0; k < n; ++k)
              {
                std::swap(A[c * n + k], A[pivot * n + k]);
                std::swap(inverse[c * n + k], inverse[pivot * n + k]);
              }
            const double scale = 1 / A[c * n + c];
            for (unsigned int k = 0; k < n; ++k)
              {
                A[c * n + k] *= scale;
                inverse[c * n + k] *= scale;
              }
            for (unsigned int r = 0; r < n; ++r)
              if (r != c)
                {
                  const double f = A[r * n + c];
                  for (unsigned int k = 0; k < n; ++k)
                    {
                      A[r * n + k] -= f * A[c * n + k];
                      inverse[r * n + k] -= f * inverse[c * n + k];
                    }
                }
          }
        A.swap(inverse);
        return true;
      }
    } // namespace

    template <int dim>
    void
    FieldSolver<dim>::Implementation::react(const double t, const double h)
    {
      // all free nodes at once (muparser's bulk mode); per node the
      // n_f x n_f stage equations of the SDIRK scheme by a simplified Newton
      // iteration: the matrix (I - a dR/dS)^{-1} by finite differences at
      // the start of the step, for both stages (it converges to round-off
      // with any matrix close enough; linear reactions in two iterations)
      const unsigned int n_f = n(), N = free_nodes.size();
      using Columns          = std::vector<std::vector<double>>;
      Columns y0(n_f, std::vector<double>(N)), Y = y0, c = y0, R, R0, R_shifted;
      std::vector<double> J(std::size_t(N) * n_f * n_f), block(n_f * n_f), G(n_f);
      for (unsigned int j = 0; j < n_f; ++j)
        for (unsigned int k = 0; k < N; ++k)
          y0[j][k] = S[j].local_element(free_nodes[k]);

      auto newton_matrices = [&](const double a, const double tau) {
        for (unsigned int j = 0; j < n_f; ++j)
          columns[j] = y0[j];
        evaluate_reactions(tau, R0);
        for (unsigned int l = 0; l < n_f; ++l)
          {
            for (unsigned int k = 0; k < N; ++k)
              columns[l][k] = y0[l][k] + 1e-7 * (1 + std::abs(y0[l][k]));
            evaluate_reactions(tau, R_shifted);
            for (unsigned int k = 0; k < N; ++k)
              {
                const double e = columns[l][k] - y0[l][k];
                for (unsigned int m = 0; m < n_f; ++m)
                  J[(std::size_t(k) * n_f + m) * n_f + l] =
                    (m == l) - a * (R_shifted[m][k] - R0[m][k]) / e;
              }
            columns[l] = y0[l];
          }
        bool ok = true;
        for (unsigned int k = 0; k < N; ++k)
          {
            std::copy(J.begin() + std::size_t(k) * n_f * n_f,
                      J.begin() + std::size_t(k + 1) * n_f * n_f,
                      block.begin());
            ok = invert(block, n_f) && ok;
            std::copy(block.begin(), block.end(), J.begin() + std::size_t(k) * n_f * n_f);
          }
        // collective: every rank takes the same branches
        return dealii::Utilities::MPI::min(int(ok), comm) != 0;
      };
      // Y = c + a R(Y, tau), from Y = c (R(c) given in @p R_start if not
      // nullptr). Stops when the next change, estimated from the
      // contraction of the last two (Hairer & Wanner IV.8), is below
      // round-off: an affine R stops after its second iteration.
      auto implicit_stage = [&](const double a, const double tau, const Columns *R_start) {
        Y                  = c;
        double last_change = 0;
        for (unsigned int iteration = 0; iteration < 50; ++iteration)
          {
            if (iteration == 0 && R_start)
              R = *R_start;
            else
              {
                for (unsigned int j = 0; j < n_f; ++j)
                  columns[j] = Y[j];
                evaluate_reactions(tau, R);
              }
            double change = 0, size = 0;
            for (unsigned int k = 0; k < N; ++k)
              for (unsigned int m = 0; m < n_f; ++m)
                {
                  G[m] = Y[m][k] - c[m][k] - a * R[m][k];
                  if (m + 1 == n_f)
                    for (unsigned int q = 0; q < n_f; ++q)
                      {
                        double d = 0;
                        for (unsigned int l = 0; l < n_f; ++l)
                          d += J[(std::size_t(k) * n_f + q) * n_f + l] * G[l];
                        Y[q][k] -= d;
                        change = std::max(change, std::abs(d));
                        size   = std::max(size, std::abs(Y[q][k]));
                      }
                }
            change = dealii::Utilities::MPI::max(change, comm);
            size   = dealii::Utilities::MPI::max(size, comm);
            if (!std::isfinite(change))
              return false;
            const double tolerance = 1e-14 * (1 + size);
            if (change <= tolerance)
              return true;
            if (iteration > 0 && last_change > 0)
              {
                const double contraction = change / last_change;
                if (contraction < 1 && contraction / (1 - contraction) * change <= tolerance)
                  return true;
              }
            last_change = change;
          }
        return false;
      };

      const double a         = sdirk_gamma * h;
      bool         converged = newton_matrices(a, t + a);
      // stage 1: Y1 = y0 + gamma h R(Y1)
      c         = y0;
      converged = converged && implicit_stage(a, t + a, &R0);
      // stage 2: Y2 = y0 + (1 - gamma) h R(Y1) + gamma h R(Y2), with
      // h R(Y1) = (Y1 - y0) / gamma from the stage equation
      for (unsigned int j = 0; j < n_f; ++j)
        for (unsigned int k = 0; k < N; ++k)
          c[j][k] = y0[j][k] + (1 - sdirk_gamma) / sdirk_gamma * (Y[j][k] - y0[j][k]);
      converged = converged && implicit_stage(a, t + h, nullptr);
      // the stiff limit of the second-order scheme can undershoot: where it
      // would make a non-negative field negative, take the implicit Euler
      // step instead (non-negative for the usual production-decay reactions)
      std::vector<unsigned int> undershoot;
      for (unsigned int k = 0; k < N; ++k)
        for (unsigned int j = 0; j < n_f; ++j)
          if (y0[j][k] >= 0 && Y[j][k] < 0)
            {
              undershoot.push_back(k);
              break;
            }
      // collective, like the iterations
      const bool fall_back =
        dealii::Utilities::MPI::max(int(!converged || !undershoot.empty()), comm) != 0;
      converged = dealii::Utilities::MPI::min(int(converged), comm) != 0;
      if (fall_back)
        {
          const Columns second_order = Y;
          c                          = y0;
          if (!(newton_matrices(h, t + h) && implicit_stage(h, t + h, &R0)))
            throw std::runtime_error(
              "the reactions of `Signal/Reaction-diffusion/Reaction` have no finite solution "
              "of the implicit step at t = " + Parameters::format(t) + " (dt = " +
              Parameters::format(h) + ")");
          if (converged)
            {
              // implicit Euler only where the second-order step undershot
              Columns mixed = second_order;
              for (const unsigned int k : undershoot)
                for (unsigned int j = 0; j < n_f; ++j)
                  mixed[j][k] = Y[j][k];
              Y = mixed;
            }
        }
      for (unsigned int j = 0; j < n_f; ++j)
        for (unsigned int k = 0; k < N; ++k)
          S[j].local_element(free_nodes[k]) = Y[j][k];
      for (auto &s : S)
        make_consistent(s);
    }

    template <int dim>
    void
    FieldSolver<dim>::Implementation::build_table(const PhaseSpace<dim> &space) const
    {
      if (table.space == &space && table.n_nodes == space.n_owned_dofs())
        return;
      table.space   = &space;
      table.n_nodes = space.n_owned_dofs();
      table.cells.clear();
      const auto &              kinetic = space.get_dof_handler();
      const dealii::QGauss<dim> gauss(kinetic.get_fe().degree + 1);
      dealii::FEValues<dim>     values(fe, gauss, dealii::update_values | dealii::update_gradients);
      const unsigned int        per_cell = fe.n_dofs_per_cell();
      for_each_cell(space, [&](const auto &field_cell, const auto &kinetic_dofs, const auto &field_dofs) {
        values.reinit(field_cell);
        typename Table::Cell entry;
        entry.global = field_dofs;
        for (const auto g : entry.global)
          entry.local.push_back(S[0].get_partitioner()->global_to_local(g));
        for (unsigned int q = 0; q < gauss.size(); ++q)
          {
            entry.nodes.push_back(space.local_dof(kinetic_dofs[q]));
            for (unsigned int a = 0; a < per_cell; ++a)
              {
                entry.shape.push_back(values.shape_value(a, q));
                entry.shape_gradient.push_back(values.shape_grad(a, q));
              }
          }
        table.cells.push_back(std::move(entry));
      });
    }

    template <int dim>
    FieldSolver<dim>::FieldSolver(const FieldEquations &                          equations,
                                  const dealii::parallel::TriangulationBase<dim> &triangulation,
                                  const std::array<bool, dim> &                   periodic,
                                  const unsigned int                              degree,
                                  const std::string &                             reaction_entry)
      : impl(std::make_unique<Implementation>(equations, triangulation, periodic, degree, reaction_entry))
    {}

    template <int dim>
    FieldSolver<dim>::~FieldSolver() = default;

    template <int dim>
    unsigned int
    FieldSolver<dim>::n_fields() const
    {
      return impl->n();
    }

    template <int dim>
    void
    FieldSolver<dim>::set_initial_values()
    {
      auto &      I = *impl;
      for (unsigned int j = 0; j < I.n(); ++j)
        {
          const Formula initial(I.equations.initial_values[j],
                                coordinate_list(dim),
                                I.equations.constants,
                                "Signal/Reaction-diffusion/Initial values (field " +
                                  I.equations.names[j] + ")");
          for (unsigned int i = 0; i < I.owned.n_elements(); ++i)
            {
              double x[dim];
              for (unsigned int d = 0; d < dim; ++d)
                x[d] = I.position[i][d];
              const double value = initial(x);
              if (!std::isfinite(value))
                throw InputError("Signal/Reaction-diffusion/Initial values",
                                 "field " + I.equations.names[j] + " is " +
                                   Parameters::format(value) + " at x = " +
                                   Parameters::format(I.position[i]));
              I.S[j].local_element(i) = value;
            }
          I.make_consistent(I.S[j]);
        }
    }

    template <int dim>
    void
    FieldSolver<dim>::set_density(const PhaseSpace<dim> &space, const PhaseVector &density)
    {
      auto &I       = *impl;
      I.prescribed  = nullptr;
      I.build_table(space);
      // b_a = int rho_h phi_a (the Gauss rule of the kinetic nodes is
      // exact), condensed: constrained DoFs pass their share to their masters
      PhaseVector &b = I.ghosted_work;
      b              = 0;
      dealii::Vector<double> cell_b(I.fe.n_dofs_per_cell());
      for (const auto &cell : I.table.cells)
        {
          cell_b = 0;
          for (unsigned int q = 0; q < cell.nodes.size(); ++q)
            {
              const double w = density.local_element(cell.nodes[q]) * space.node_weight[cell.nodes[q]];
              for (unsigned int a = 0; a < cell_b.size(); ++a)
                cell_b(a) += w * cell.shape[q * cell_b.size() + a];
            }
          I.constraints.distribute_local_to_global(cell_b, cell.global, b);
        }
      b.compress(dealii::VectorOperation::add);
      for (unsigned int i = 0; i < I.owned.n_elements(); ++i)
        I.rho.local_element(i) = I.free[i] ? b.local_element(i) / I.mass.local_element(i) : 0;
    }

    template <int dim>
    void
    FieldSolver<dim>::set_density(
      const std::function<double(const dealii::Point<dim> &, double)> &density)
    {
      impl->prescribed = density;
    }

    template <int dim>
    void
    FieldSolver<dim>::advance(const double t, const double h)
    {
      const auto start = std::chrono::steady_clock::now();
      auto &     I     = *impl;
      // the cheaper part outside: in d = 1 the reactions cost more than the
      // direct solves, in d >= 2 the AMG solves more than the reactions
      if (dim == 1)
        {
          for (unsigned int j = 0; j < I.n(); ++j)
            I.diffuse(j, h / 2);
          I.react(t, h);
          for (unsigned int j = 0; j < I.n(); ++j)
            I.diffuse(j, h / 2);
        }
      else
        {
          I.react(t, h / 2);
          for (unsigned int j = 0; j < I.n(); ++j)
            I.diffuse(j, h);
          I.react(t + h / 2, h / 2);
        }
      I.seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    }

    template <int dim>
    void
    FieldSolver<dim>::time_derivatives(const double t, std::vector<PhaseVector> &rates) const
    {
      const auto start = std::chrono::steady_clock::now();
      auto &     I     = *impl;
      rates.resize(I.n());
      PhaseVector &owned_S = I.work[0], &KS = I.work[1];
      for (unsigned int j = 0; j < I.n(); ++j)
        {
          if (rates[j].size() != I.mass.size())
            rates[j].reinit(I.mass);
          owned_S.copy_locally_owned_data_from(I.S[j]);
          I.stiffness.vmult(KS, owned_S);
          for (unsigned int i = 0; i < I.owned.n_elements(); ++i)
            rates[j].local_element(i) =
              I.free[i] ? -I.equations.diffusion[j] * KS.local_element(i) / I.mass.local_element(i) :
                          0;
        }
      for (unsigned int j = 0; j < I.n(); ++j)
        for (unsigned int k = 0; k < I.free_nodes.size(); ++k)
          I.columns[j][k] = I.S[j].local_element(I.free_nodes[k]);
      std::vector<std::vector<double>> R;
      I.evaluate_reactions(t, R);
      for (unsigned int j = 0; j < I.n(); ++j)
        for (unsigned int k = 0; k < I.free_nodes.size(); ++k)
          rates[j].local_element(I.free_nodes[k]) += R[j][k];
      for (auto &r : rates)
        I.make_consistent(r);
      I.seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    }

    template <int dim>
    void
    FieldSolver<dim>::sample(const PhaseSpace<dim> &          space,
                             const std::vector<PhaseVector> *rates,
                             Samples &                        out) const
    {
      const auto &I = *impl;
      I.build_table(space);
      const unsigned int n_nodes = space.n_owned_dofs();
      out.value.assign(I.n(), std::vector<double>(n_nodes));
      out.gradient.assign(I.n(), std::vector<dealii::Tensor<1, dim>>(n_nodes));
      out.rate.assign(rates ? I.n() : 0, std::vector<double>(n_nodes));
      for (const auto &cell : I.table.cells)
        {
          const unsigned int per_cell = cell.local.size();
          for (unsigned int q = 0; q < cell.nodes.size(); ++q)
            {
              const unsigned int node = cell.nodes[q];
              for (unsigned int j = 0; j < I.n(); ++j)
                {
                  double                 value = 0, rate = 0;
                  dealii::Tensor<1, dim> gradient;
                  for (unsigned int a = 0; a < per_cell; ++a)
                    {
                      const double s = I.S[j].local_element(cell.local[a]);
                      value += s * cell.shape[q * per_cell + a];
                      gradient += s * cell.shape_gradient[q * per_cell + a];
                      if (rates)
                        rate += (*rates)[j].local_element(cell.local[a]) * cell.shape[q * per_cell + a];
                    }
                  out.value[j][node]    = value;
                  out.gradient[j][node] = gradient;
                  if (rates)
                    out.rate[j][node] = rate;
                }
            }
        }
    }

    template <int dim>
    bool
    FieldSolver<dim>::point_values(const dealii::Point<dim> &            x,
                                   std::vector<double> &                 values,
                                   std::vector<dealii::Tensor<1, dim>> &gradients) const
    {
      const auto &I = *impl;
      std::pair<typename dealii::DoFHandler<dim>::active_cell_iterator, dealii::Point<dim>> found;
      try
        {
          found = dealii::GridTools::find_active_cell_around_point(dealii::MappingQ1<dim>(), I.dofs, x);
        }
      catch (...)
        {
          return false;
        }
      if (found.first == I.dofs.end() || found.first->is_artificial())
        return false;
      const dealii::Quadrature<dim> point(dealii::GeometryInfo<dim>::project_to_unit_cell(found.second));
      dealii::FEValues<dim> fe_values(I.fe, point, dealii::update_values | dealii::update_gradients);
      fe_values.reinit(found.first);
      values.resize(I.n());
      gradients.resize(I.n());
      std::vector<double>                 v(1);
      std::vector<dealii::Tensor<1, dim>> g(1);
      for (unsigned int j = 0; j < I.n(); ++j)
        {
          fe_values.get_function_values(I.S[j], v);
          fe_values.get_function_gradients(I.S[j], g);
          values[j]    = v[0];
          gradients[j] = g[0];
        }
      return true;
    }

    template <int dim>
    double
    FieldSolver<dim>::integral(const unsigned int j) const
    {
      const auto &I   = *impl;
      double      sum = 0;
      for (unsigned int i = 0; i < I.owned.n_elements(); ++i)
        if (I.free[i])
          sum += I.mass.local_element(i) * I.S[j].local_element(i);
      return dealii::Utilities::MPI::sum(sum, I.comm);
    }

    template <int dim>
    double
    FieldSolver<dim>::density_integral() const
    {
      const auto &I   = *impl;
      double      sum = 0;
      for (unsigned int i = 0; i < I.owned.n_elements(); ++i)
        if (I.free[i])
          sum += I.mass.local_element(i) * I.density_at(i, 0);
      return dealii::Utilities::MPI::sum(sum, I.comm);
    }

    template <int dim>
    std::pair<double, double>
    FieldSolver<dim>::range(const unsigned int j) const
    {
      const auto &I    = *impl;
      double      low  = std::numeric_limits<double>::max();
      double      high = -low;
      for (unsigned int i = 0; i < I.owned.n_elements(); ++i)
        {
          low  = std::min(low, I.S[j].local_element(i));
          high = std::max(high, I.S[j].local_element(i));
        }
      return {dealii::Utilities::MPI::min(low, I.comm), dealii::Utilities::MPI::max(high, I.comm)};
    }

    template <int dim>
    void
    FieldSolver<dim>::to_cell_layout(const PhaseSpace<dim> &space, PhaseVector &vector) const
    {
      const auto &       I      = *impl;
      const unsigned int n_f    = I.n();
      const auto &       kinetic = space.get_dof_handler();
      AssertThrow(space.n_velocities() == n_f &&
                    kinetic.get_fe().n_dofs_per_cell() == I.fe.n_dofs_per_cell(),
                  dealii::ExcInternalError());
      space.reinit(vector);
      I.for_each_cell(space, [&](const auto &, const auto &kinetic_dofs, const auto &field_dofs) {
        for (unsigned int q = 0; q < kinetic_dofs.size(); ++q)
          for (unsigned int j = 0; j < n_f; ++j)
            vector.local_element(std::size_t(space.local_dof(kinetic_dofs[q])) * n_f + j) =
              I.S[j](field_dofs[I.lexicographic[q]]);
      });
    }

    template <int dim>
    void
    FieldSolver<dim>::from_cell_layout(const PhaseSpace<dim> &space, const PhaseVector &vector)
    {
      auto &             I       = *impl;
      const unsigned int n_f     = I.n();
      // every DoF of an owned cell, owned or not: compress(insert) hands
      // the values of DoFs on cells of other ranks to their owners
      for (unsigned int j = 0; j < n_f; ++j)
        {
          PhaseVector ghosted(I.owned, I.relevant, I.comm);
          I.for_each_cell(space, [&](const auto &, const auto &kinetic_dofs, const auto &field_dofs) {
            for (unsigned int q = 0; q < kinetic_dofs.size(); ++q)
              ghosted(field_dofs[I.lexicographic[q]]) =
                vector.local_element(std::size_t(space.local_dof(kinetic_dofs[q])) * n_f + j);
          });
          ghosted.compress(dealii::VectorOperation::insert);
          I.S[j].zero_out_ghost_values();
          I.S[j].copy_locally_owned_data_from(ghosted);
          I.make_consistent(I.S[j]);
        }
    }

    template <int dim>
    void
    FieldSolver<dim>::from_nodes(const PhaseSpace<dim> &space, const std::vector<double> &values)
    {
      auto &             I        = *impl;
      const unsigned int n_f      = I.n();
      const auto &       kinetic  = space.get_dof_handler();
      const auto &       dg       = kinetic.get_fe();
      const auto &       support  = I.fe.get_unit_support_points();
      const unsigned int per_cell = I.fe.n_dofs_per_cell();
      // phi^DG_q at the field's support points, the same on every cell
      dealii::FullMatrix<double> phi(per_cell, dg.n_dofs_per_cell());
      for (unsigned int a = 0; a < per_cell; ++a)
        for (unsigned int q = 0; q < dg.n_dofs_per_cell(); ++q)
          phi(a, q) = dg.shape_value(q, support[a]);
      PhaseVector              count(I.owned, I.relevant, I.comm);
      std::vector<PhaseVector> sum(n_f, count);
      I.for_each_cell(space, [&](const auto &, const auto &kinetic_dofs, const auto &field_dofs) {
        for (unsigned int a = 0; a < per_cell; ++a)
          {
            count(field_dofs[a]) += 1;
            for (unsigned int j = 0; j < n_f; ++j)
              {
                double value = 0;
                for (unsigned int q = 0; q < kinetic_dofs.size(); ++q)
                  value += phi(a, q) * values[std::size_t(space.local_dof(kinetic_dofs[q])) * n_f + j];
                sum[j](field_dofs[a]) += value;
              }
          }
      });
      count.compress(dealii::VectorOperation::add);
      for (unsigned int j = 0; j < n_f; ++j)
        {
          sum[j].compress(dealii::VectorOperation::add);
          I.S[j].zero_out_ghost_values();
          for (unsigned int i = 0; i < I.owned.n_elements(); ++i)
            I.S[j].local_element(i) =
              count.local_element(i) > 0 ? sum[j].local_element(i) / count.local_element(i) : 0;
          I.make_consistent(I.S[j]);
        }
    }

    template <int dim>
    double
    FieldSolver<dim>::l2_error(
      const unsigned int                                        j,
      const std::function<double(const dealii::Point<dim> &)> &exact) const
    {
      const auto &               I = *impl;
      const dealii::QGauss<dim>  gauss(I.fe.degree + 2);
      dealii::FEValues<dim>      values(I.fe, gauss,
                                   dealii::update_values | dealii::update_quadrature_points |
                                     dealii::update_JxW_values);
      std::vector<double>        S_q(gauss.size());
      double                     sum = 0;
      for (const auto &cell : I.dofs.active_cell_iterators())
        if (cell->is_locally_owned())
          {
            values.reinit(cell);
            values.get_function_values(I.S[j], S_q);
            for (unsigned int q = 0; q < gauss.size(); ++q)
              sum += dealii::Utilities::fixed_power<2>(S_q[q] - exact(values.quadrature_point(q))) *
                     values.JxW(q);
          }
      return std::sqrt(dealii::Utilities::MPI::sum(sum, I.comm));
    }

    template <int dim>
    std::vector<PhaseVector>
    FieldSolver<dim>::state() const
    {
      return impl->S;
    }

    template <int dim>
    void
    FieldSolver<dim>::set_state(const std::vector<PhaseVector> &fields, const double seconds)
    {
      impl->S       = fields;
      impl->seconds = seconds;
    }

    template <int dim>
    double
    FieldSolver<dim>::seconds() const
    {
      return impl->seconds;
    }

    template class FieldSolver<1>;
    template class FieldSolver<2>;
    template class FieldSolver<3>;
  } // namespace Signal
} // namespace chemokin
