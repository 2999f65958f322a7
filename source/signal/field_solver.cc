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
#include <cmath>

namespace chemokin
{
  namespace Signal
  {
    namespace
    {
      /** gamma of the two-stage L-stable SDIRK scheme (Alexander 1977) */
      const double sdirk_gamma = 1 - 1 / std::sqrt(2.0);

      std::vector<std::string>
      coordinate_list(const int dim)
      {
        return dealii::Utilities::split_string_list(coordinate_names(dim));
      }
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
      solve(unsigned int j, Vector &x, const Vector &b) const;

      /** D(h) for field j: two SDIRK stages */
      void
      diffuse(unsigned int j, double h);

      /** R(h) at every node, from time t */
      void
      react(double t, double h);

      /** R(S, rho, x, t) at owned local node i into @p out */
      void
      reaction(const double *S, unsigned int i, double t, double *out) const;

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
      std::vector<dealii::TrilinosWrappers::SparseMatrix> system;
      std::vector<double>                              system_c;
      std::vector<std::unique_ptr<dealii::TrilinosWrappers::PreconditionAMG>> amg;
      std::vector<std::unique_ptr<dealii::TrilinosWrappers::SolverDirect>>    direct;
      dealii::SolverControl                            direct_control;
      /** the fields, ghosted */
      std::vector<Vector> S;
      /** lumped mass and the density, owned */
      Vector mass, rho;
      /** owned nodes: position, and whether free (not constrained) */
      std::vector<dealii::Point<dim>> position;
      std::vector<bool>               free;
      std::vector<Formula>            reactions, initial_values;
      std::function<double(const dealii::Point<dim> &, double)> prescribed;
      mutable std::vector<double> arguments;
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
      arguments.resize(variables.size());
      for (unsigned int j = 0; j < n(); ++j)
        reactions.emplace_back(equations.reactions[j],
                               variables,
                               equations.constants,
                               reaction_entry + " (field " + equations.names[j] + ")");
      system.resize(n());
      system_c.assign(n(), -1);
      amg.resize(n());
      direct.resize(n());
    }

    template <int dim>
    void
    FieldSolver<dim>::Implementation::set_diffusion_step(const unsigned int j, const double c)
    {
      if (system_c[j] == c)
        return;
      system_c[j] = c;
      system[j].copy_from(stiffness);
      system[j] *= c;
      for (unsigned int i = 0; i < owned.n_elements(); ++i)
        if (free[i])
          system[j].add(owned.nth_index_in_set(i), owned.nth_index_in_set(i), mass.local_element(i));
      system[j].compress(dealii::VectorOperation::add);
      if (dim == 1)
        {
          // a tridiagonal (banded) matrix: the direct solve is the fastest
          direct[j] = std::make_unique<dealii::TrilinosWrappers::SolverDirect>(direct_control);
          direct[j]->initialize(system[j]);
        }
      else
        {
          dealii::TrilinosWrappers::PreconditionAMG::AdditionalData data;
          data.elliptic = true;
          amg[j]        = std::make_unique<dealii::TrilinosWrappers::PreconditionAMG>();
          amg[j]->initialize(system[j], data);
        }
    }

    template <int dim>
    void
    FieldSolver<dim>::Implementation::solve(const unsigned int j, Vector &x, const Vector &b) const
    {
      if (dim == 1)
        {
          direct[j]->solve(x, b);
          return;
        }
      // tight enough that 1 and 2 ranks (different AMG hierarchies) agree
      // to 1e-12
      dealii::SolverControl control(1000, 1e-14 * b.l2_norm() + 1e-300);
      dealii::SolverCG<Vector> cg(control);
      cg.solve(system[j], x, b, *amg[j]);
    }

    template <int dim>
    void
    FieldSolver<dim>::Implementation::diffuse(const unsigned int j, const double h)
    {
      const double D = equations.diffusion[j];
      if (D == 0)
        return;
      set_diffusion_step(j, sdirk_gamma * h * D);
      Vector y0(owned, comm), b(owned, comm), Y1(owned, comm), Y2(owned, comm), KY(owned, comm);
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
    FieldSolver<dim>::Implementation::reaction(const double *     fields,
                                               const unsigned int i,
                                               const double       t,
                                               double *           out) const
    {
      const unsigned int n_f = n();
      std::copy(fields, fields + n_f, arguments.begin());
      arguments[n_f] = density_at(i, t);
      for (unsigned int d = 0; d < dim; ++d)
        arguments[n_f + 1 + d] = position[i][d];
      arguments[n_f + 1 + dim] = t;
      for (unsigned int j = 0; j < n_f; ++j)
        out[j] = reactions[j](arguments.data());
    }

    template <int dim>
    void
    FieldSolver<dim>::Implementation::react(const double t, const double h)
    {
      const unsigned int n_f = n();
      std::vector<double> y0(n_f), Y(n_f), R(n_f), R1(n_f), c(n_f), G(n_f), shifted(n_f), R_shifted(n_f);
      dealii::FullMatrix<double> J(n_f, n_f);
      // Y = c + a R(Y, tau) by Newton's method with a finite-difference
      // Jacobian taken at the start (the iteration converges to round-off
      // for any Jacobian close enough; linear reactions in 2 iterations)
      auto implicit_stage = [&](const unsigned int i, const double a, const double tau) {
        Y = c;
        reaction(Y.data(), i, tau, R.data());
        for (unsigned int l = 0; l < n_f; ++l)
          {
            shifted        = Y;
            const double e = 1e-7 * (1 + std::abs(Y[l]));
            shifted[l] += e;
            reaction(shifted.data(), i, tau, R_shifted.data());
            for (unsigned int k = 0; k < n_f; ++k)
              J(k, l) = (k == l) - a * (R_shifted[k] - R[k]) / e;
          }
        J.gauss_jordan();
        for (unsigned int iteration = 0; iteration < 50; ++iteration)
          {
            double change = 0, size = 0;
            for (unsigned int k = 0; k < n_f; ++k)
              G[k] = Y[k] - c[k] - a * R[k];
            for (unsigned int k = 0; k < n_f; ++k)
              {
                double d = 0;
                for (unsigned int l = 0; l < n_f; ++l)
                  d += J(k, l) * G[l];
                Y[k] -= d;
                change = std::max(change, std::abs(d));
                size   = std::max(size, std::abs(Y[k]));
              }
            reaction(Y.data(), i, tau, R.data());
            if (!std::isfinite(change))
              break;
            if (change <= 1e-14 * (1 + size))
              return true;
          }
        return false;
      };
      for (unsigned int i = 0; i < owned.n_elements(); ++i)
        {
          if (!free[i])
            continue;
          for (unsigned int j = 0; j < n_f; ++j)
            y0[j] = S[j].local_element(i);
          // stage 1: Y1 = y0 + gamma h R(Y1)
          c = y0;
          bool converged = implicit_stage(i, sdirk_gamma * h, t + sdirk_gamma * h);
          R1             = R;
          // stage 2: Y2 = y0 + (1 - gamma) h R(Y1) + gamma h R(Y2)
          for (unsigned int j = 0; j < n_f; ++j)
            c[j] = y0[j] + (1 - sdirk_gamma) * h * R1[j];
          converged = converged && implicit_stage(i, sdirk_gamma * h, t + h);
          // the stiff limit of the second-order scheme can undershoot:
          // where it would make a non-negative field negative, take the
          // implicit Euler step instead (non-negative for the usual
          // production-decay reactions)
          bool undershoot = false;
          for (unsigned int j = 0; j < n_f; ++j)
            undershoot = undershoot || (y0[j] >= 0 && Y[j] < 0);
          if (undershoot || !converged)
            {
              c         = y0;
              converged = implicit_stage(i, h, t + h);
            }
          if (!converged)
            throw std::runtime_error(
              "the reactions of `Signal/Reaction-diffusion/Reaction` did not converge at x = " +
              Parameters::format(position[i]) + ", t = " + Parameters::format(t) +
              " (no finite solution of the implicit step)");
          for (unsigned int j = 0; j < n_f; ++j)
            S[j].local_element(i) = Y[j];
        }
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
      std::vector<dealii::types::global_dof_index> kinetic_dofs(kinetic.get_fe().n_dofs_per_cell());
      for (const auto &cell : kinetic.active_cell_iterators())
        if (cell->is_locally_owned())
          {
            const typename dealii::DoFHandler<dim>::active_cell_iterator field_cell(
              &dofs.get_triangulation(), cell->level(), cell->index(), &dofs);
            values.reinit(field_cell);
            cell->get_dof_indices(kinetic_dofs);
            typename Table::Cell entry;
            entry.global.resize(per_cell);
            field_cell->get_dof_indices(entry.global);
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
          }
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
    const std::vector<std::string> &
    FieldSolver<dim>::names() const
    {
      return impl->equations.names;
    }

    template <int dim>
    void
    FieldSolver<dim>::set_initial_values()
    {
      auto &      I = *impl;
      const auto &coordinates = coordinate_names(dim);
      for (unsigned int j = 0; j < I.n(); ++j)
        {
          const Formula initial(I.equations.initial_values[j],
                                dealii::Utilities::split_string_list(coordinates),
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
      PhaseVector         b(I.owned, I.relevant, I.comm);
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
      I.react(t, h / 2);
      for (unsigned int j = 0; j < I.n(); ++j)
        I.diffuse(j, h);
      I.react(t + h / 2, h / 2);
      I.seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    }

    template <int dim>
    void
    FieldSolver<dim>::time_derivatives(const double t, std::vector<PhaseVector> &rates) const
    {
      const auto start = std::chrono::steady_clock::now();
      auto &     I     = *impl;
      rates.resize(I.n());
      PhaseVector owned_S(I.owned, I.comm), KS(I.owned, I.comm);
      std::vector<double> fields(I.n()), R(I.n());
      for (unsigned int j = 0; j < I.n(); ++j)
        {
          rates[j].reinit(I.owned, I.relevant, I.comm);
          owned_S.copy_locally_owned_data_from(I.S[j]);
          I.stiffness.vmult(KS, owned_S);
          for (unsigned int i = 0; i < I.owned.n_elements(); ++i)
            rates[j].local_element(i) =
              I.free[i] ? -I.equations.diffusion[j] * KS.local_element(i) / I.mass.local_element(i) :
                          0;
        }
      for (unsigned int i = 0; i < I.owned.n_elements(); ++i)
        if (I.free[i])
          {
            for (unsigned int j = 0; j < I.n(); ++j)
              fields[j] = I.S[j].local_element(i);
            I.reaction(fields.data(), i, t, R.data());
            for (unsigned int j = 0; j < I.n(); ++j)
              rates[j].local_element(i) += R[j];
          }
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
      std::vector<dealii::types::global_dof_index> kinetic_dofs(I.fe.n_dofs_per_cell()),
        field_dofs(I.fe.n_dofs_per_cell());
      for (const auto &cell : kinetic.active_cell_iterators())
        if (cell->is_locally_owned())
          {
            const typename dealii::DoFHandler<dim>::active_cell_iterator field_cell(
              &I.dofs.get_triangulation(), cell->level(), cell->index(), &I.dofs);
            cell->get_dof_indices(kinetic_dofs);
            field_cell->get_dof_indices(field_dofs);
            for (unsigned int q = 0; q < kinetic_dofs.size(); ++q)
              for (unsigned int j = 0; j < n_f; ++j)
                vector.local_element(std::size_t(space.local_dof(kinetic_dofs[q])) * n_f + j) =
                  I.S[j](field_dofs[I.lexicographic[q]]);
          }
    }

    template <int dim>
    void
    FieldSolver<dim>::from_cell_layout(const PhaseSpace<dim> &space, const PhaseVector &vector)
    {
      auto &             I       = *impl;
      const unsigned int n_f     = I.n();
      const auto &       kinetic = space.get_dof_handler();
      std::vector<dealii::types::global_dof_index> kinetic_dofs(I.fe.n_dofs_per_cell()),
        field_dofs(I.fe.n_dofs_per_cell());
      // every DoF of an owned cell, owned or not: compress(insert) hands
      // the values of DoFs on cells of other ranks to their owners
      for (unsigned int j = 0; j < n_f; ++j)
        {
          PhaseVector ghosted(I.owned, I.relevant, I.comm);
          for (const auto &cell : kinetic.active_cell_iterators())
            if (cell->is_locally_owned())
              {
                const typename dealii::DoFHandler<dim>::active_cell_iterator field_cell(
                  &I.dofs.get_triangulation(), cell->level(), cell->index(), &I.dofs);
                cell->get_dof_indices(kinetic_dofs);
                field_cell->get_dof_indices(field_dofs);
                for (unsigned int q = 0; q < kinetic_dofs.size(); ++q)
                  ghosted(field_dofs[I.lexicographic[q]]) =
                    vector.local_element(std::size_t(space.local_dof(kinetic_dofs[q])) * n_f + j);
              }
          ghosted.compress(dealii::VectorOperation::insert);
          I.S[j].zero_out_ghost_values();
          I.S[j].copy_locally_owned_data_from(ghosted);
          I.make_consistent(I.S[j]);
        }
    }

    template <int dim>
    std::vector<std::pair<dealii::Point<dim>, double>>
    FieldSolver<dim>::nodal_values(const unsigned int j) const
    {
      std::vector<std::pair<dealii::Point<dim>, double>> result;
      for (unsigned int i = 0; i < impl->owned.n_elements(); ++i)
        result.emplace_back(impl->position[i], impl->S[j].local_element(i));
      return result;
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
