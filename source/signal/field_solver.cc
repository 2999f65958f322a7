#include "field_solver_implementation.h"

#include <chrono>
#include <cmath>

namespace chemokin
{
  namespace Signal
  {
    namespace
    {
      /** gamma of the two-stage L-stable SDIRK scheme (Alexander 1977) */
      const double sdirk_gamma = NodeReactions::gamma();
    } // namespace

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
      , node_reactions(comm, reaction_entry)
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
          // M + c K is dominated by the mass matrix for the steps of the
          // kinetic CFL condition (c / h^2 = O(1)): Jacobi converges in a few
          // iterations there and costs far less than an AMG V-cycle. Which
          // of the two a system uses is decided by the matrix alone, with a
          // probe solve of a fixed right-hand side (the lumped mass): more
          // than 25 Jacobi iterations choose Trilinos' AMG. A resumed run
          // (whose cache of systems starts empty) then solves with the same
          // preconditioners, bit for bit, as the run that was not stopped.
          Vector &probe = work[3], &x = work[4];
          for (unsigned int i = 0; i < owned.n_elements(); ++i)
            probe.local_element(i) = free[i] ? mass.local_element(i) : 0;
          x = 0;
          dealii::SolverControl    control(25, 1e-14 * probe.l2_norm() + 1e-300, false, false);
          dealii::SolverCG<Vector> cg(control);
          try
            {
              cg.solve(system.matrix, x, probe, *system.jacobi);
            }
          catch (const dealii::SolverControl::NoConvergence &)
            {
              dealii::TrilinosWrappers::PreconditionAMG::AdditionalData data;
              data.elliptic = true;
              system.amg    = std::make_unique<dealii::TrilinosWrappers::PreconditionAMG>();
              system.amg->initialize(system.matrix, data);
            }
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
          AssertThrow(std::isfinite(x.linfty_norm()),
                      dealii::ExcMessage("the direct solve gave a field that is not finite"));
          return;
        }
      // tight enough that 1 and 2 ranks (different preconditioners) agree
      // to 1e-12; the preconditioner was chosen in set_diffusion_step().
      // Fields beyond about 1e150 overflow the norm: CG would then take its
      // initial guess as converged and leave the field undiffused
      const double norm = b.l2_norm();
      AssertThrow(std::isfinite(norm),
                  dealii::ExcMessage("the norm of the right-hand side is " + Parameters::format(norm) +
                                     ": fields beyond about 1e150 cannot be solved in double precision"));
      dealii::SolverControl    control(1000, 1e-14 * norm + 1e-300);
      dealii::SolverCG<Vector> cg(control);
      System &                 system = *current[j];
      if (system.amg)
        cg.solve(system.matrix, x, b, *system.amg);
      else
        cg.solve(system.matrix, x, b, *system.jacobi);
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

    template <int dim>
    void
    FieldSolver<dim>::Implementation::react(const double t, const double h)
    {
      // all free nodes at once (muparser's bulk mode)
      const unsigned int n_f = n(), N = free_nodes.size();
      NodeReactions::Columns values(n_f, std::vector<double>(N));
      for (unsigned int j = 0; j < n_f; ++j)
        for (unsigned int k = 0; k < N; ++k)
          values[j][k] = S[j].local_element(free_nodes[k]);
      node_reactions.step(
        t,
        h,
        [this, n_f](const double tau, const NodeReactions::Columns &fields, NodeReactions::Columns &R) {
          for (unsigned int j = 0; j < n_f; ++j)
            columns[j] = fields[j];
          evaluate_reactions(tau, R);
        },
        values);
      for (unsigned int j = 0; j < n_f; ++j)
        for (unsigned int k = 0; k < N; ++k)
          S[j].local_element(free_nodes[k]) = values[j][k];
      for (auto &s : S)
        make_consistent(s);
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
      // a Trilinos or solver failure says nothing a user can act on: name
      // the entries that make the systems M + c D_j K
      const auto diffuse = [&](const unsigned int j, const double step) {
        try
          {
            I.diffuse(j, step);
          }
        catch (const dealii::ExceptionBase &e)
          {
            throw InputError("Signal/Reaction-diffusion/Diffusion",
                             "the diffusion of " + I.equations.names[j] + " (D = " +
                               Parameters::format(I.equations.diffusion[j]) +
                               ") could not be solved from t = " + Parameters::format(t) +
                               " by " + Parameters::format(step) + " (" + one_line_message(e) +
                               "): check `Diffusion`, the fields' values (`Reaction`, "
                               "`Initial values`) and the step (`Discretization/CFL`)");
          }
      };
      // the cheaper part outside: in d = 1 the reactions cost more than the
      // direct solves, in d >= 2 the AMG solves more than the reactions
      if (dim == 1)
        {
          for (unsigned int j = 0; j < I.n(); ++j)
            diffuse(j, h / 2);
          I.react(t, h);
          for (unsigned int j = 0; j < I.n(); ++j)
            diffuse(j, h / 2);
        }
      else
        {
          I.react(t, h / 2);
          for (unsigned int j = 0; j < I.n(); ++j)
            diffuse(j, h);
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
