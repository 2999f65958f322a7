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
    namespace
    {

      double
      standard_normal(const double y)
      {
        return std::exp(-0.5 * y * y) / std::sqrt(2 * M_PI);
      }
    } // namespace

    template <int dim>
    void
    InternalState<dim>::declare_parameters(dealii::ParameterHandler &prm)
    {
      prm.enter_subsection("Internal state");
      prm.declare_entry("Epsilon",
                        "0.1",
                        dealii::Patterns::Double(),
                        "Adaptation time eps > 0 (relative to the observation "
                        "time): m relaxes to M on the time scale eps and its "
                        "spread around N(t,x,v) is eps.");
      prm.declare_entry("Methylation interval",
                        "auto",
                        dealii::Patterns::Anything(),
                        "The m-interval of the (x, m)-mesh, `m_min, m_max`, or "
                        "`auto`: the range of M over the domain and [0, T] "
                        "widened by (Band width + 4) eps on both sides. It "
                        "must hold the band around N.");
      prm.declare_entry("Cells per epsilon",
                        "4",
                        dealii::Patterns::Double(),
                        "Target cell size in m inside the band: "
                        "h_m <= eps / (cells per epsilon).");
      prm.declare_entry("Band width",
                        "4",
                        dealii::Patterns::Double(),
                        "Half-width of the refined band around N(t,x,v_k), in "
                        "units of eps (the profile (1/eps) G((m-N)/eps) is "
                        "below 3e-4 of its peak at 4 eps).");
      prm.declare_entry("Mesh",
                        "adaptive",
                        dealii::Patterns::Selection("adaptive|uniform"),
                        "`adaptive`: refine the (x, m)-mesh to the target h_m "
                        "inside the band and coarsen it outside. `uniform`: "
                        "every cell at the target size, everywhere (the "
                        "reference that the adaptive mesh is measured against, "
                        "doc/performance.md).");
      prm.declare_entry("Refinement interval",
                        "10",
                        dealii::Patterns::Integer(1),
                        "Time steps between two adaptations of the (x, m)-mesh "
                        "to the band.");
      prm.declare_entry("Maximum refinement level",
                        "12",
                        dealii::Patterns::Integer(0, 30),
                        "Largest refinement level of (x, m)-cells (the coarse "
                        "mesh has the x-resolution of `Discretization/"
                        "Refinement`).");
      prm.declare_entry("IMEX order",
                        "3",
                        dealii::Patterns::Integer(2, 5),
                        "Order of the additive (IMEX) Runge-Kutta method: "
                        "explicit transport and tumbling, implicit "
                        "Fokker-Planck (fixed frame: ARKode's pairs, 2 to 5) "
                        "or Ornstein-Uhlenbeck operator (moving frame: the "
                        "globally stiffly accurate ARS(2,2,2) and ARS(4,4,3), "
                        "2 or 3).");
      prm.leave_subsection();
    }

    template <int dim>
    InternalState<dim>::InternalState(dealii::ParameterHandler &prm,
                                      const MPI_Comm &          comm)
      : inputs(prm, comm)
      , comm(comm)
      , fe(dealii::QGauss<1>(inputs.degree + 1))
      , x_mesh(comm, inputs.domain, inputs.refinement, inputs.degree, inputs.velocities.size())
      , projection(inputs.domain, inputs.refinement, inputs.degree)
    {
      inputs.x_adaptivity.refuse("the fixed frame adapts its (x, m)-mesh by `Internal state/Mesh`; "
                                 "`Internal state/Frame = moving` adapts x");
      inputs.v_adaptivity.refuse("the fixed frame keeps its velocity set; "
                                 "`Internal state/Frame = moving` adapts v");
      inputs.refuse_velocity_profile("the fixed frame");
      inputs.refuse_coupled_signal(
        "the fixed frame (`Internal state/Frame = fixed`): its concentration centre N is the "
        "formula (3.3) along the characteristics, which needs M as a formula; use `Frame = moving`, "
        "which solves the lag L = D_tN on the x-mesh");
      const Domain<dim> &domain = inputs.domain;
      prm.enter_subsection("Internal state");
      epsilon = Parameters::get_positive_double(prm, "Internal state", "Epsilon");
      cells_per_epsilon =
        Parameters::get_positive_double(prm, "Internal state", "Cells per epsilon");
      band_width = Parameters::get_positive_double(prm, "Internal state", "Band width");
      refinement_interval  = prm.get_integer("Refinement interval");
      uniform_mesh         = prm.get("Mesh") == "uniform";
      max_level            = prm.get_integer("Maximum refinement level");
      const unsigned order = prm.get_integer("IMEX order");
      const std::string interval = dealii::Utilities::trim(prm.get("Methylation interval"));
      prm.leave_subsection();
      prm.enter_subsection("Initial condition");
      methylation_profile = dealii::Utilities::trim(prm.get("Methylation profile"));
      if (inputs.adaptation_level)
        throw InputError("Initial condition/Adaptation level",
                         "is read by `Internal state/Frame = moving` and the particles only; "
                         "for `fixed`, give the initial profile in m with `Methylation profile`");
      prm.leave_subsection();
      const double end_time = prm.get_double("End time");

      centre = std::make_unique<ConcentrationCentre<dim>>(*inputs.signal, epsilon, domain);

      // the range of M over the box and [0, T] (N is an average of M values)
      double       m_low = std::numeric_limits<double>::max(), m_high = -m_low;
      const unsigned int samples = dim == 1 ? 201 : 41;
      for (unsigned int it = 0; it <= 20; ++it)
        for (unsigned int i = 0; i < std::pow(samples, dim); ++i)
          {
            dealii::Point<dim> x;
            unsigned int       rest = i;
            for (unsigned int d = 0; d < dim; ++d)
              {
                x[d] = domain.lower[d] + (domain.upper[d] - domain.lower[d]) *
                                           (rest % samples) / (samples - 1);
                rest /= samples;
              }
            const double m = inputs.signal->value(x, end_time * it / 20);
            if (!std::isfinite(m))
              throw InputError("Signal/Log-concentration",
                               "M is not finite at x = " + Parameters::format(x));
            m_low  = std::min(m_low, m);
            m_high = std::max(m_high, m);
          }
      if (interval == "auto")
        {
          m_min = m_low - (band_width + 4) * epsilon;
          m_max = m_high + (band_width + 4) * epsilon;
        }
      else
        {
          const auto values =
            Parameters::parse_constants("a=" + dealii::Utilities::replace_in_string(
                                                 interval, ",", ", b="),
                                        "Internal state/Methylation interval");
          if (values.size() != 2 || !(values.at("b") > values.at("a")))
            throw InputError("Internal state/Methylation interval",
                             "needs `auto` or two numbers m_min < m_max, got '" +
                               interval + "'");
          m_min = values.at("a");
          m_max = values.at("b");
          if (m_min > m_low - band_width * epsilon || m_max < m_high + band_width * epsilon)
            throw InputError("Internal state/Methylation interval",
                             "[" + Parameters::format(m_min) + ", " +
                               Parameters::format(m_max) +
                               "] cannot hold the band: M ranges over [" +
                               Parameters::format(m_low) + ", " +
                               Parameters::format(m_high) +
                               "], so the interval must contain at least [" +
                               Parameters::format(m_low - band_width * epsilon) + ", " +
                               Parameters::format(m_high + band_width * epsilon) +
                               "] (or use `auto`)");
        }

      // the coarse (x, m)-mesh: the x-cells of the x-mesh, nearly square in m
      // where the band needs refining (eps / cells per eps < h_x). Where it
      // does not (large eps), the cells are already band cells, as tall as
      // the target h_m: square cells would waste (h_m / h_x) times as many.
      // Refinement is isotropic (p4est), and the band is tilted with slope
      // grad M in (x, m), so h_x must shrink with h_m; the mesh is therefore
      // never made wider in x than in m.
      std::vector<unsigned int> repetitions = box_repetitions(domain.lower, domain.upper);
      double                    h_x         = std::numeric_limits<double>::max();
      for (unsigned int d = 0; d < dim; ++d)
        {
          repetitions[d] <<= inputs.refinement;
          h_x = std::min(h_x, (domain.upper[d] - domain.lower[d]) / repetitions[d]);
        }
      const double target = epsilon / cells_per_epsilon;
      repetitions.push_back(std::max<unsigned int>(
        1,
        target > h_x ? std::ceil((m_max - m_min) / target - 1e-9) :
                       std::lround((m_max - m_min) / h_x)));
      coarse_repetitions = repetitions;
      for (unsigned int d = 0; d < dim; ++d)
        {
          coarse_lower[d]    = domain.lower[d];
          coarse_upper[d]    = domain.upper[d];
          coarse_periodic[d] = domain.boundary[d] == BoundaryCondition::periodic;
        }
      coarse_lower[dim] = m_min;
      coarse_upper[dim] = m_max;
      make_coarse_mesh();

      ImexIntegrator::Parts parts;
      parts.explicit_part = [this](double t, const PhaseVector &y, PhaseVector &f) {
        transport->apply(t, y, f, tumbling.get());
      };
      parts.implicit_part = [this](double t, const PhaseVector &y, PhaseVector &f) {
        fokker_planck->apply(t, y, f);
      };
      parts.solve = [this](double t, double gamma, const PhaseVector &b, PhaseVector &x) {
        fokker_planck->solve(t, gamma, b, x);
      };
      parts.reinit = [this](PhaseVector &v) { phase_space->reinit(v); };
      integrator = std::make_unique<ImexIntegrator>(parts,
                                                    comm,
                                                    order,
                                                    inputs.signal->is_static());

      // refine towards the band around N(0) = M(0), then set the data
      for (unsigned int cycle = 0; cycle <= max_level; ++cycle)
        {
          if (!mark_cells(0.0))
            break;
          check_memory();
          triangulation->execute_coarsening_and_refinement();
        }
      setup_dofs();
      set_initial_condition();
      if (inputs.positivity_limiter)
        limit_positivity(*phase_space, phase_solution);
    }

    template <int dim>
    void
    InternalState<dim>::check_memory() const
    {
      // the cells after the flagged refinement, before it happens
      const unsigned int children = dealii::GeometryInfo<dim + 1>::max_children_per_cell;
      double             cells    = 0;
      for (const auto &cell : triangulation->active_cell_iterators())
        if (cell->is_locally_owned())
          cells += cell->refine_flag_set() ? children : 1;
      cells = dealii::Utilities::MPI::sum(cells, comm);
      const double dofs = cells * std::pow(inputs.degree + 1.0, dim + 1);
      Memory::check(dofs * (inputs.velocities.size() * Memory::bytes_per_imex_unknown +
                            Memory::bytes_per_xm_dof),
                    inputs.memory_limit,
                    "Internal state/Cells per epsilon",
                    "the (x, m)-mesh of " + Parameters::format(cells) + " cells with " +
                      std::to_string(inputs.velocities.size()) + " velocities");
    }

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
    void
    InternalState<dim>::save(Checkpoint::Writer &writer) const
    {
      triangulation->save(writer.directory + "/xm_mesh");
      Checkpoint::save_cell_data(writer, "xm_solution", *phase_space, phase_solution);
      auto &state = writer.state;
      state.set("model.internal_state.time", time_now);
      state.set("model.internal_state.steps", steps);
      statistics.e1.save(state, "model.internal_state.e1");
      phase_series.save(state, "model.internal_state.phase_series");
      volume_series.save(state, "model.internal_state.volume_series");
    }

    template <int dim>
    void
    InternalState<dim>::load(const Checkpoint::Reader &reader)
    {
      // p4est restores the refinement on a fresh coarse mesh, on any number
      // of ranks; the values follow by cell id
      make_coarse_mesh();
      triangulation->load(reader.directory + "/xm_mesh");
      setup_dofs();
      phase_space->reinit(phase_solution);
      Checkpoint::load_cell_data(reader, "xm_solution", *phase_space, phase_solution);
      const auto &state = reader.state;
      time_now          = state.get("model.internal_state.time");
      steps             = state.get("model.internal_state.steps");
      statistics.e1.load(state, "model.internal_state.e1");
      phase_series.load(state, "model.internal_state.phase_series");
      volume_series.load(state, "model.internal_state.volume_series");
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
    void
    InternalState<dim>::set_initial_condition()
    {
      std::unique_ptr<Expression<dim + 1>> profile;
      if (!methylation_profile.empty())
        {
          auto constants   = inputs.constants;
          constants["eps"] = epsilon;
          dealii::Point<dim + 1> probe;
          for (unsigned int d = 0; d < dim; ++d)
            probe[d] = inputs.domain.center()[d];
          probe[dim] = 0.5 * (m_min + m_max);
          profile    = std::make_unique<Expression<dim + 1>>(
            methylation_profile,
            dim == 1 ? "x,m" : "x,y,m",
            false,
            constants,
            "Initial condition/Methylation profile",
            probe);
        }
      const unsigned int n_v = inputs.velocities.size();
      phase_space->reinit(phase_solution);
      for (unsigned int i = 0; i < phase_space->n_owned_dofs(); ++i)
        {
          const auto &       p   = phase_space->node_position[i];
          const auto         x   = x_part<dim>(p);
          const double       rho = inputs.initial->density(x);
          const double       f =
            profile ? profile->value(p) :
                      standard_normal((p[dim] - inputs.signal->value(x, 0)) / epsilon) /
                        epsilon;
          if (!std::isfinite(rho) || rho < 0)
            throw InputError("Initial condition/Density",
                             "rho0 = " + Parameters::format(rho) + " at x = " +
                               Parameters::format(x) + ": must be finite and non-negative");
          if (!std::isfinite(f) || f < 0)
            throw InputError("Initial condition/Methylation profile",
                             "the profile is " + Parameters::format(f) +
                               " at (x, m) = " + Parameters::format(p) +
                               ": must be finite and non-negative");
          for (unsigned int k = 0; k < n_v; ++k)
            phase_solution.local_element(std::size_t(i) * n_v + k) =
              rho / inputs.velocities.measure * f;
        }
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

    template <int dim>
    double
    InternalState<dim>::time_step() const
    {
      return inputs.cfl *
             std::min(transport->max_time_step(), tumbling->max_time_step());
    }

    template <int dim>
    void
    InternalState<dim>::advance(const double time, const double dt)
    {
      fokker_planck->set_linearization_time(time);
      integrator->advance(time, dt, phase_solution);
      time_now = time + dt;
      ++steps;
      if (steps % refinement_interval == 0)
        adapt_mesh();
      // after the transfer too: interpolation to new cells can undershoot
      if (inputs.positivity_limiter)
        limit_positivity(*phase_space, phase_solution);
    }

    template <int dim>
    double
    InternalState<dim>::mass() const
    {
      const unsigned int n_v = inputs.velocities.size();
      double             sum = 0;
      for (unsigned int i = 0; i < phase_space->n_owned_dofs(); ++i)
        for (unsigned int k = 0; k < n_v; ++k)
          sum += phase_space->node_weight[i] * inputs.velocities.weights[k] *
                 phase_solution.local_element(std::size_t(i) * n_v + k);
      return dealii::Utilities::MPI::sum(sum, comm);
    }

    template <int dim>
    double
    InternalState<dim>::min_cell_m() const
    {
      double h = std::numeric_limits<double>::max();
      for (const auto &cell : triangulation->active_cell_iterators())
        if (cell->is_locally_owned())
          h = std::min(h, cell->extent_in_direction(dim));
      return dealii::Utilities::MPI::min(h, comm);
    }

    template <int dim>
    void
    InternalState<dim>::compute_moments(Moments<dim> &moments) const
    {
      const auto &       velocities = inputs.velocities;
      const unsigned int n_v        = velocities.size();
      const double       t          = time_now;
      const unsigned int n_x_nodes  = std::pow(inputs.degree + 1, dim);

      // pass 1: marginals per velocity (projected on the x-mesh) and the
      // m-moments: sums of p, m p, y p, y^2 p with y = (m - N(t,x,v))/eps
      projection.clear(n_v + 3);
      std::vector<double> values(n_v + 3), centre_values(n_x_nodes * n_v);
      double              sums[4] = {0, 0, 0, 0};
      for (const auto &dofs : phase_space->cell_dofs)
        {
          for (unsigned int q = 0; q < n_x_nodes; ++q)
            {
              const auto &n = centre->values(
                t, x_part<dim>(phase_space->node_position[dofs[q]]), velocities);
              std::copy(n.begin(), n.end(), centre_values.begin() + q * n_v);
            }
          for (unsigned int q = 0; q < dofs.size(); ++q)
            {
              const unsigned int i = dofs[q];
              const auto &       p = phase_space->node_position[i];
              const double       w = phase_space->node_weight[i];
              values[n_v] = values[n_v + 1] = values[n_v + 2] = 0;
              for (unsigned int k = 0; k < n_v; ++k)
                {
                  values[k] = phase_solution.local_element(std::size_t(i) * n_v + k);
                  const double vp = velocities.weights[k] * values[k];
                  const double y =
                    (p[dim] - centre_values[(q % n_x_nodes) * n_v + k]) / epsilon;
                  values[n_v] += vp * p[dim];
                  values[n_v + 1] += vp * y;
                  values[n_v + 2] += vp * y * y;
                  sums[0] += w * vp;
                }
              sums[1] += w * values[n_v];
              sums[2] += w * values[n_v + 1];
              sums[3] += w * values[n_v + 2];
              projection.add(x_part<dim>(p), w, values.data());
            }
        }
      projection.finish(comm);
      dealii::Utilities::MPI::sum(dealii::ArrayView<const double>(sums, 4),
                                  comm,
                                  dealii::ArrayView<double>(sums, 4));
      stat_mass       = sums[0];
      statistics.m_mean     = sums[1] / sums[0];
      statistics.y_mean     = sums[2] / sums[0];
      statistics.y_variance = sums[3] / sums[0] - statistics.y_mean * statistics.y_mean;

      x_mesh.space().reinit(marginal_vector);
      projection.copy_to(x_mesh.space(), 0, n_v, marginal_vector);
      for (auto *field : {&m_mean_field, &y_mean_field, &y_variance_field})
        x_mesh.space().reinit_scalar(*field, false);
      projection.copy_to(x_mesh.space(), n_v, 1, m_mean_field);
      projection.copy_to(x_mesh.space(), n_v + 1, 1, y_mean_field);
      projection.copy_to(x_mesh.space(), n_v + 2, 1, y_variance_field);
      x_mesh.space().reinit_scalar(moments.density, false);
      for (auto &f : moments.flux)
        x_mesh.space().reinit_scalar(f, false);
      for (unsigned int i = 0; i < x_mesh.space().n_owned_dofs(); ++i)
        {
          double                 rho = 0;
          dealii::Tensor<1, dim> flux;
          for (unsigned int k = 0; k < n_v; ++k)
            {
              const double wp = velocities.weights[k] *
                                marginal_vector.local_element(std::size_t(i) * n_v + k);
              rho += wp;
              flux += wp * velocities.nodes[k];
            }
          moments.density.local_element(i) = rho;
          for (unsigned int j = 0; j < dim; ++j)
            moments.flux[j].local_element(i) = flux[j];
          // the m-moments per unit density (none where there are no bacteria)
          const double scale = rho > 1e-300 ? 1.0 / rho : 0.0;
          m_mean_field.local_element(i) *= scale;
          y_mean_field.local_element(i) *= scale;
          y_variance_field.local_element(i) =
            y_variance_field.local_element(i) * scale -
            std::pow(y_mean_field.local_element(i), 2);
        }

      // pass 2: the distance to the local equilibrium pbar^eps M_{eps,N}
      // (the integrand of E1, Theorem 2.1) and the relative entropy of
      // Proposition 4.1
      double distance = 0, entropy = 0;
      std::vector<double> marginal_values(n_x_nodes * n_v);
      for (const auto &dofs : phase_space->cell_dofs)
        {
          for (unsigned int q = 0; q < n_x_nodes; ++q)
            {
              const auto  x = x_part<dim>(phase_space->node_position[dofs[q]]);
              const auto &n = centre->values(t, x, velocities);
              for (unsigned int k = 0; k < n_v; ++k)
                {
                  centre_values[q * n_v + k]   = n[k];
                  marginal_values[q * n_v + k] = projection.value(k, x);
                }
            }
          for (unsigned int q = 0; q < dofs.size(); ++q)
            {
              const unsigned int i = dofs[q];
              const double       m = phase_space->node_position[i][dim];
              const double       w = phase_space->node_weight[i];
              for (unsigned int k = 0; k < n_v; ++k)
                {
                  const unsigned int c = (q % n_x_nodes) * n_v + k;
                  const double       p = phase_solution.local_element(std::size_t(i) * n_v + k);
                  const double       equilibrium =
                    marginal_values[c] *
                    standard_normal((m - centre_values[c]) / epsilon) / epsilon;
                  distance += w * velocities.weights[k] * std::abs(p - equilibrium);
                  if (p > 0 && equilibrium > 0)
                    entropy += w * velocities.weights[k] * p * std::log(p / equilibrium);
                }
            }
        }
      statistics.e1_integrand     = dealii::Utilities::MPI::sum(distance, comm);
      statistics.relative_entropy = dealii::Utilities::MPI::sum(entropy, comm);

      // E3 = sup |D_tM - D_tN| / (1 + |v|^2) over the x-nodes
      double e3 = 0;
      for (unsigned int i = 0; i < x_mesh.space().n_owned_dofs(); ++i)
        for (unsigned int k = 0; k < n_v; ++k)
          {
            const auto &x = x_mesh.space().node_position[i];
            const auto &v = velocities.nodes[k];
            e3 = std::max(e3,
                          std::abs(inputs.signal->path_derivative(x, v, t) -
                                   centre->path_derivative(t, x, v)) /
                            (1 + v.norm_square()));
          }
      statistics.e3 = dealii::Utilities::MPI::max(e3, comm);

      statistics.e1.add(t, statistics.e1_integrand);
    }

    template <int dim>
    void
    InternalState<dim>::add_statistics(StatisticsRow &row) const
    {
      statistics.add_to(row);
      row.emplace_back("min_value", global_min(phase_solution));
      row.emplace_back("dofs", double(dof_handler.n_dofs()) * inputs.velocities.size());
      row.emplace_back("cells", double(triangulation->n_global_active_cells()));
      row.emplace_back("min_cell_m", min_cell_m());
    }

    template <int dim>
    void
    InternalState<dim>::add_output_fields(dealii::DataOut<dim> &   data_out,
                                          std::deque<PhaseVector> &storage) const
    {
      this->add_marginal_fields(data_out, storage, m_mean_field, y_mean_field, y_variance_field);
    }

    template <int dim>
    void
    InternalState<dim>::write_phase_space(const std::string &directory,
                                          const unsigned int index,
                                          const double       time) const
    {
      const unsigned int       n_v = inputs.velocities.size();
      std::vector<PhaseVector> fields(n_v);
      dealii::DataOut<dim + 1> data_out;
      data_out.attach_dof_handler(dof_handler);
      for (unsigned int k = 0; k < n_v; ++k)
        {
          phase_space->reinit_scalar(fields[k], false);
          for (unsigned int i = 0; i < phase_space->n_owned_dofs(); ++i)
            fields[k].local_element(i) =
              phase_solution.local_element(std::size_t(i) * n_v + k);
          data_out.add_data_vector(fields[k], velocity_field_name(k, n_v));
        }
      data_out.build_patches(std::max(1u, inputs.degree));
      dealii::DataOutBase::VtkFlags flags;
      flags.time = time;
      // the fastest zlib level: output costs as much as stepping with the best one
      flags.compression_level = dealii::DataOutBase::VtkFlags::best_speed;
      data_out.set_flags(flags);
      phase_series.write(directory, index, time, comm, data_out);
      if constexpr (dim == 1)
        write_phase_volume(directory, index, time);
    }

    template <int dim>
    void
    InternalState<dim>::write_phase_volume(const std::string &directory,
                                           const unsigned int index,
                                           const double       time) const
    {
      // d = 1: the whole phase space (x, v, m) as a 3-D volume, one
      // hexahedron per (x, m)-cell and velocity slab (between the midpoints of
      // neighbouring velocity nodes), with p at the cell's corners
      const auto &       velocities = inputs.velocities;
      const unsigned int n_v        = velocities.size();
      std::vector<double> slab(n_v + 1);
      for (unsigned int k = 0; k <= n_v; ++k)
        {
          const double left  = velocities.nodes[k == 0 ? 0 : k - 1][0];
          const double right = velocities.nodes[k == n_v ? n_v - 1 : k][0];
          slab[k] = (k == 0)   ? left - 0.5 * (velocities.nodes[std::min(1u, n_v - 1)][0] - left) :
                    (k == n_v) ? right + 0.5 * (right - velocities.nodes[n_v >= 2 ? n_v - 2 : 0][0]) :
                                 0.5 * (left + right);
        }
      std::vector<dealii::DataOutBase::Patch<3, 3>> patches;
      unsigned int                                  c = 0;
      for (const auto &cell : dof_handler.active_cell_iterators())
        {
          if (!cell->is_locally_owned())
            continue;
          const auto &dofs = phase_space->cell_dofs[c++];
          // p at the four corners of the (x, m)-cell, for every velocity
          std::vector<double> corner(4 * n_v, 0.0);
          for (unsigned int v = 0; v < 4; ++v)
            {
              const auto unit = dealii::GeometryInfo<2>::unit_cell_vertex(v);
              for (unsigned int i = 0; i < dofs.size(); ++i)
                {
                  const double phi = fe.shape_value(i, dealii::Point<dim + 1>(unit[0], unit[1]));
                  for (unsigned int k = 0; k < n_v; ++k)
                    corner[v * n_v + k] +=
                      phi * phase_solution.local_element(std::size_t(dofs[i]) * n_v + k);
                }
            }
          for (unsigned int k = 0; k < n_v; ++k)
            {
              dealii::DataOutBase::Patch<3, 3> patch;
              patch.n_subdivisions = 1;
              patch.reference_cell = dealii::ReferenceCells::Hexahedron;
              patch.patch_index    = patches.size();
              patch.data.reinit(1, 8);
              // vertices lexicographic in (x, v, m); the (x, m) corner index
              // of deal.II's square is x + 2 m
              for (unsigned int vm = 0; vm < 2; ++vm)
                for (unsigned int vv = 0; vv < 2; ++vv)
                  for (unsigned int vx = 0; vx < 2; ++vx)
                    {
                      const unsigned int vertex = vx + 2 * vv + 4 * vm;
                      const auto         corner_point = cell->vertex(vx + 2 * vm);
                      patch.vertices[vertex] =
                        dealii::Point<3>(corner_point[0], slab[k + vv], corner_point[1]);
                      patch.data(0, vertex) = corner[(vx + 2 * vm) * n_v + k];
                    }
              patches.push_back(patch);
            }
        }
      volume_series.write_patches(directory, index, time, comm, patches, {"p"});
    }

    template class InternalState<1>;
    template class InternalState<2>;
  } // namespace Models
} // namespace chemokin
