#pragma once

// The state of FieldSolver (its pimpl), shared by the files that define its
// parts: field_solver.cc (the mesh, diffusion, reactions), field_transfer.cc
// (between the kinetic DG nodes and the continuous fields).

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
#include <chemokin/signal/node_reactions.h>

#include <chrono>
#include <deque>
#include <cmath>

namespace chemokin
{
  namespace Signal
  {
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

      /** R(h) at every node, from time t (NodeReactions) */
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
      NodeReactions               node_reactions;
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

  } // namespace Signal
} // namespace chemokin
