// The fixed frame's (x, m)-mesh: the band of width eps around N(t, x, v) that it is refined to, its adaptation and its DoFs.
#include <deal.II/base/quadrature_lib.h>
#include <deal.II/distributed/solution_transfer.h>
#include <chemokin/base/expression.h>
#include <chemokin/base/input_error.h>
#include <chemokin/base/parameters.h>
#include <chemokin/mesh/box_mesh.h>
#include <chemokin/mesh/xm_coordinates.h>
#include <chemokin/base/memory.h>
#include <chemokin/checkpoint/cell_data.h>
#include <chemokin/models/internal_state.h>
#include <chemokin/operators/positivity_limiter.h>
#include <chemokin/output/atomic_file.h>
#include <deal.II/numerics/data_out.h>
#include <fstream>
#include <iomanip>
#include <sstream>
#include <cmath>

namespace chemokin
{
  namespace Models
  {
    template <int dim>
    void
    InternalState<dim>::make_coarse_mesh()
    {
      auto mesh = make_box_mesh<dim + 1>(
        comm, coarse_lower, coarse_upper, coarse_periodic, coarse_repetitions, 0);
      auto *distributed =
        dynamic_cast<dealii::parallel::distributed::Triangulation<dim + 1> *>(mesh.get());
      AssertThrow(distributed != nullptr, dealii::ExcInternalError());
      dof_handler.reinit(*distributed);
      triangulation_owner = std::move(mesh);
      triangulation       = distributed;
    }

    template <int dim>
    bool
    InternalState<dim>::meets_band(const double                  t,
                                   const dealii::Point<dim + 1> &low,
                                   const dealii::Point<dim + 1> &high) const
    {
      if (uniform_mesh)
        return true; // every cell is refined as if it were in the band
      // N over the cell's x-extent (3 samples per axis), all velocities
      double             n_low = std::numeric_limits<double>::max(), n_high = -n_low;
      const unsigned int n_samples = std::pow(3, dim);
      for (unsigned int s = 0; s < n_samples; ++s)
        {
          dealii::Point<dim> x;
          unsigned int       rest = s;
          for (unsigned int d = 0; d < dim; ++d, rest /= 3)
            x[d] = low[d] + 0.5 * (rest % 3) * (high[d] - low[d]);
          for (const double n : centre->values(t, x, inputs.velocities))
            {
              n_low  = std::min(n_low, n);
              n_high = std::max(n_high, n);
            }
        }
      return high[dim] >= n_low - band_width * epsilon &&
             low[dim] <= n_high + band_width * epsilon;
    }

    template <int dim>
    double
    InternalState<dim>::max_band_cell_m() const
    {
      double h = 0;
      for (const auto &cell : triangulation->active_cell_iterators())
        if (cell->is_locally_owned())
          {
            dealii::Point<dim + 1> low = cell->vertex(0), high = cell->vertex(0);
            for (const unsigned int v : cell->vertex_indices())
              for (unsigned int d = 0; d <= dim; ++d)
                {
                  low[d]  = std::min(low[d], cell->vertex(v)[d]);
                  high[d] = std::max(high[d], cell->vertex(v)[d]);
                }
            if (meets_band(time_now, low, high))
              h = std::max(h, high[dim] - low[dim]);
          }
      return dealii::Utilities::MPI::max(h, comm);
    }

    template <int dim>
    bool
    InternalState<dim>::mark_cells(const double t)
    {
      const double target     = epsilon / cells_per_epsilon;
      bool         refine_any = false;
      for (const auto &cell : triangulation->active_cell_iterators())
        {
          if (!cell->is_locally_owned())
            continue;
          dealii::Point<dim + 1> low = cell->vertex(0), high = cell->vertex(0);
          for (const unsigned int v : cell->vertex_indices())
            for (unsigned int d = 0; d <= dim; ++d)
              {
                low[d]  = std::min(low[d], cell->vertex(v)[d]);
                high[d] = std::max(high[d], cell->vertex(v)[d]);
              }
          const bool in_band = meets_band(t, low, high);
          const double h_m = high[dim] - low[dim];
          if (in_band && h_m > target * (1 + 1e-10) &&
              static_cast<unsigned int>(cell->level()) < max_level)
            {
              cell->set_refine_flag();
              refine_any = true;
            }
          else if (!in_band && cell->level() > 0)
            cell->set_coarsen_flag();
        }
      triangulation->prepare_coarsening_and_refinement();
      bool changed = false;
      for (const auto &cell : triangulation->active_cell_iterators())
        if (cell->is_locally_owned() && (cell->refine_flag_set() || cell->coarsen_flag_set()))
          changed = true;
      return dealii::Utilities::MPI::logical_or(refine_any || changed, comm);
    }

    template <int dim>
    void
    InternalState<dim>::setup_dofs()
    {
      dof_handler.distribute_dofs(fe);
      const auto &velocities = inputs.velocities;
      phase_space = std::make_unique<PhaseSpace<dim + 1>>(dof_handler, velocities.size());
      transport   = std::make_unique<Transport<dim, dim + 1>>(*phase_space,
                                                             velocities,
                                                             inputs.domain.boundary);
      // lambda(z), z = (m - M(t, x))/eps: the same for every velocity
      const unsigned int n_v = velocities.size();
      auto rate_function = [this, n_v](const double t, std::vector<double> &rate) {
        for (unsigned int i = 0; i < phase_space->n_owned_dofs(); ++i)
          {
            const auto & p = phase_space->node_position[i];
            const double z = (p[dim] - inputs.signal->value(x_part<dim>(p), t)) / epsilon;
            const double r = inputs.tumbling_rate->rate(z);
            if (!std::isfinite(r) || r < 0)
              throw InputError("Tumbling/Rate",
                               "lambda(" + Parameters::format(z) + ") = " +
                                 Parameters::format(r) +
                                 ": must be finite and non-negative");
            std::fill(rate.begin() + std::size_t(i) * n_v,
                      rate.begin() + std::size_t(i + 1) * n_v,
                      r);
          }
      };
      tumbling = std::make_unique<Tumbling<dim + 1>>(*phase_space,
                                                     velocities.weights,
                                                     inputs.kernel->matrix(velocities),
                                                     inputs.kernel->is_uniform(),
                                                     rate_function,
                                                     !inputs.signal->is_static());
      fokker_planck =
        std::make_unique<FokkerPlanck<dim>>(*phase_space, *inputs.signal, epsilon);
      integrator->restart();
    }

    template <int dim>
    bool
    InternalState<dim>::adapt_mesh()
    {
      if (!mark_cells(time_now))
        return false;
      const unsigned int       n_v = inputs.velocities.size();
      std::vector<PhaseVector> old_fields(n_v), new_fields(n_v);
      std::vector<const PhaseVector *> in;
      std::vector<PhaseVector *>       out;
      for (unsigned int k = 0; k < n_v; ++k)
        {
          phase_space->reinit_scalar(old_fields[k], true);
          for (unsigned int i = 0; i < phase_space->n_owned_dofs(); ++i)
            old_fields[k].local_element(i) =
              phase_solution.local_element(std::size_t(i) * n_v + k);
          old_fields[k].update_ghost_values();
          in.push_back(&old_fields[k]);
        }
      dealii::parallel::distributed::SolutionTransfer<dim + 1, PhaseVector> transfer(
        dof_handler);
      transfer.prepare_for_coarsening_and_refinement(in);
      triangulation->execute_coarsening_and_refinement();
      setup_dofs();
      for (unsigned int k = 0; k < n_v; ++k)
        {
          phase_space->reinit_scalar(new_fields[k], false);
          out.push_back(&new_fields[k]);
        }
      transfer.interpolate(out);
      phase_space->reinit(phase_solution);
      for (unsigned int k = 0; k < n_v; ++k)
        for (unsigned int i = 0; i < phase_space->n_owned_dofs(); ++i)
          phase_solution.local_element(std::size_t(i) * n_v + k) =
            new_fields[k].local_element(i);
      integrator->restart();
      return true;
    }

    template class InternalState<1>;
    template class InternalState<2>;
  } // namespace Models
} // namespace chemokin
