#include <deal.II/base/quadrature_lib.h>
#include <deal.II/distributed/solution_transfer.h>

#include <chemokin/base/timing.h>
#include <chemokin/base/expression.h>
#include <chemokin/base/input_error.h>
#include <chemokin/base/parameters.h>
#include <chemokin/mesh/box_mesh.h>
#include <chemokin/mesh/xm_coordinates.h>
#include <chemokin/base/memory.h>
#include <chemokin/checkpoint/cell_data.h>
#include <chemokin/models/internal_state.h>
#include <chemokin/models/internal_state_parameters.h>
#include <chemokin/operators/positivity_limiter.h>
#include <chemokin/output/atomic_file.h>
#include <chemokin/tumbling/gauss_hermite.h>

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
    InternalState<dim>::declare_parameters(dealii::ParameterHandler &prm)
    {
      prm.enter_subsection("Internal state");
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
      const Domain<dim> &           domain = inputs.domain;
      const InternalStateParameters parameters(prm);
      epsilon              = parameters.epsilon;
      methylation_profile  = parameters.methylation_profile;
      const unsigned order = parameters.imex_order;
      prm.enter_subsection("Internal state");
      cells_per_epsilon =
        Parameters::get_positive_double(prm, "Internal state", "Cells per epsilon");
      band_width = Parameters::get_positive_double(prm, "Internal state", "Band width");
      refinement_interval  = prm.get_integer("Refinement interval");
      uniform_mesh         = prm.get("Mesh") == "uniform";
      max_level            = prm.get_integer("Maximum refinement level");
      const std::string interval = dealii::Utilities::trim(prm.get("Methylation interval"));
      prm.leave_subsection();
      prm.enter_subsection("Initial condition");
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
      std::vector<unsigned int> repetitions = domain.repetitions();
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
      integrator = std::make_unique<ArkodeImex>(parts, comm, order, inputs.signal->is_static());

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
      Memory::check(dofs * (inputs.velocities.size() * Memory::bytes_per_imex_unknown(integrator->work_vectors()) +
                            Memory::bytes_per_xm_dof),
                    inputs.memory_limit,
                    "Internal state/Cells per epsilon",
                    "the (x, m)-mesh of " + Parameters::format(cells) + " cells with " +
                      std::to_string(inputs.velocities.size()) + " velocities");
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
        {
          const Timing::Scope timing("adaptation");
          adapt_mesh();
        }
      // after the transfer too: interpolation to new cells can undershoot
      if (inputs.positivity_limiter)
        {
          const Timing::Scope timing("positivity limiter");
          // ARKode steps on from its own copy of the state: make it take
          // the clipped one
          if (dealii::Utilities::MPI::max(limit_positivity(*phase_space, phase_solution), comm) > 0)
            integrator->solution_modified();
        }
    }

    template <int dim>
    void
    InternalState<dim>::add_output_fields(dealii::DataOut<dim> &   data_out,
                                          std::deque<PhaseVector> &storage) const
    {
      this->add_marginal_fields(data_out,
                                storage,
                                {{"m_mean", &m_mean_field},
                                 {"offset_mean", &y_mean_field},
                                 {"offset_variance", &y_variance_field}});
    }

    template class InternalState<1>;
    template class InternalState<2>;
  } // namespace Models
} // namespace chemokin
