#include <deal.II/numerics/data_out.h>

#include <chemokin/base/input_error.h>
#include <chemokin/base/memory.h>
#include <chemokin/base/parameters.h>
#include <chemokin/mesh/lane_axis_growth.h>
#include <chemokin/models/signal_frame.h>

#include <cmath>
#include <limits>

namespace chemokin
{
  namespace Models
  {
    template <int dim>
    void
    SignalFrame<dim>::declare_parameters(dealii::ParameterHandler &prm)
    {
      prm.enter_subsection("Internal state");
      prm.declare_entry("U cell size",
                        "auto",
                        dealii::Patterns::Anything(),
                        "`Frame = signal`: the cell size of the u-axis. `auto`: a "
                        "quarter of the standard deviation of the adapted law "
                        "(0.25 in z = (m - M)/eps for `linear`; second order: the "
                        "pathway's drift is then within about 0.5%, halve it for "
                        "0.1%; at most the deviation itself). The range needs "
                        "no setting: it starts where the adapted law lives, "
                        "widened by the shifts of the initial forcing, and grows "
                        "by itself (`U tail tolerance`).");
      prm.declare_entry("U tail tolerance",
                        "1e-8",
                        dealii::Patterns::Double(),
                        "`Frame = signal`: the u-axis grows at an end by a quarter "
                        "of its cells (empty ones: mass is kept exactly) before a "
                        "step when the mass in its end eighth exceeds this "
                        "fraction of the total, and gives an eighth back at an "
                        "end whose quarter holds at most a hundredth of it "
                        "(never inside the initial axis; the mass of the cells "
                        "that go moves to the new end cell). statistics.csv: "
                        "u_tail_mass, the mass in the two end cells, and "
                        "u_lower, u_upper.");
      prm.leave_subsection();
    }

    template <int dim>
    SignalFrame<dim>::SignalFrame(dealii::ParameterHandler &prm, const MPI_Comm &comm)
      : XMeshModel<dim>(ModelInputs<dim>(prm, comm), comm, "signal_frame", "signal_frame_solution")
      , dynamics(*this->inputs.dynamics)
      , q(this->solution_vector)
      , forcing_time(std::numeric_limits<double>::quiet_NaN())
    {
      const InternalStateParameters parameters(prm);
      if (!parameters.methylation_profile.empty())
        throw InputError("Initial condition/Methylation profile",
                         "`Frame = signal` starts from bacteria adapted to the local "
                         "signal (the stationary law of u at the initial signal); leave "
                         "the profile empty");
      if (inputs.adaptation_level)
        throw InputError("Initial condition/Adaptation level",
                         "`Frame = signal` starts from bacteria adapted to the local "
                         "signal; use `Frame = moving` (linear dynamics) for data "
                         "adapted to another level");
      prm.enter_subsection("Internal state");
      tail_tolerance = Parameters::get_positive_double(prm, "Internal state", "U tail tolerance");
      prm.leave_subsection();
      grid           = initial_grid(prm);
      initial_extent = grid;
      this->lanes_per_velocity = grid.n;

      ImexIntegrator::Parts parts;
      // transport and tumbling in one pass over the phase space (DESIGN §6)
      parts.explicit_part = [this](double, const PhaseVector &y, PhaseVector &f) {
        transport->apply(y, f, [this](unsigned int, const double *y_i, double *f_i) {
          tumbling->add_node(y_i, f_i);
        });
      };
      // the same, each x-node's values handed to the integrator's sums
      // (no vector of f_E)
      parts.explicit_part_in_pieces = [this](double, const PhaseVector &y, const ImexIntegrator::Parts::Piece &consume) {
        transport->apply_by_rows(
          y, [this](unsigned int, const double *y_i, double *f_i) { tumbling->add_node(y_i, f_i); }, consume);
      };
      parts.implicit_part = [this](double t, const PhaseVector &y, PhaseVector &f) {
        drift_diffusion->apply(forcing(t), y, f);
      };
      parts.solve = [this](double t, double gamma, const PhaseVector &b, PhaseVector &x) {
        drift_diffusion->solve(forcing(t), gamma, b, x);
      };
      // linear in q (the drift depends on x, v and t only)
      parts.solve_stage = [this](double t, double gamma, const PhaseVector &S, PhaseVector &Y) {
        drift_diffusion->solve(forcing(t), gamma, S, Y);
      };
      parts.reinit = [this](PhaseVector &v) { lanes->reinit(v); };
      integrator = ImexIntegrator::stiffly_accurate(
        parts, comm, parameters.imex_order, "`Frame = signal`", parameters.imex_implementation);
      this->bytes_per_unknown = Memory::bytes_per_imex_unknown(integrator->work_vectors());
      if (dynamics.name() == "linear")
        {
          lag = std::make_unique<CharacteristicLag<dim>>(
            comm, parameters.epsilon, parameters.imex_order, parameters.imex_implementation);
          this->velocity_fields.emplace_back("signal_frame_lag", &lag->values());
        }

      this->initialize();
    }

    template <int dim>
    UGrid
    SignalFrame<dim>::initial_grid(dealii::ParameterHandler &prm) const
    {
      const double sigma = dynamics.adapted_deviation();
      prm.enter_subsection("Internal state");
      const std::string size = dealii::Utilities::trim(prm.get("U cell size"));
      prm.leave_subsection();
      double h = 0.25 * sigma;
      if (size != "auto")
        {
          h = Parameters::parse_constants("h=" + size, "Internal state/U cell size").at("h");
          if (!(h > 0) || !std::isfinite(h))
            throw InputError("Internal state/U cell size",
                             "needs `auto` or a positive number, got '" + size + "'");
          // the cells must resolve the adapted law (and wider cells put u
          // where the activity overflows)
          if (!(h <= sigma))
            throw InputError("Internal state/U cell size",
                             Parameters::format(h) + " is wider than the adapted law's standard "
                             "deviation, " + Parameters::format(sigma) + " (`auto` takes a quarter of it)");
        }
      // a forcing mu moves the law by about -mu/kappa, kappa = D/sigma^2 the
      // relaxation rate of u near the adapted state
      const double relaxation = dynamics.noise() / (sigma * sigma);
      const auto & space      = mesh.space();
      const auto & velocities = inputs.velocities;
      inputs.check_signal(space.node_position);
      inputs.signal->sample(space, 0, samples);
      double down = 0, up = 0;
      for (unsigned int i = 0; i < space.n_owned_dofs(); ++i)
        for (unsigned int k = 0; k < velocities.size(); ++k)
          {
            const double shift =
              -dynamics.forcing(samples.value[i],
                                samples.time_derivative[i] + velocities.nodes[k] * samples.gradient[i]) /
              relaxation;
            down = std::max(down, -shift);
            up   = std::max(up, shift);
          }
      down = dealii::Utilities::MPI::max(down, comm);
      up   = dealii::Utilities::MPI::max(up, comm);
      const auto [low, high] = dynamics.adapted_range();
      const double lower = low - down - 2 * sigma, upper = high + up + 2 * sigma;
      const double cells = std::ceil((upper - lower) / h);
      if (!(cells < 1e5))
        throw InputError("Internal state/U cell size",
                         Parameters::format(cells) + " cells of size " + Parameters::format(h) +
                           " on [" + Parameters::format(lower) + ", " + Parameters::format(upper) +
                           "]: too many");
      const unsigned int n = std::max(8.0, cells);
      // centred on the interval the law needs
      return {0.5 * (lower + upper) - 0.5 * n * h, h, n};
    }

    template <int dim>
    void
    SignalFrame<dim>::setup_operators()
    {
      const auto &       velocities = inputs.velocities;
      const unsigned int n_v        = velocities.size();
      const double       x_dofs     = mesh.dof_handler().n_dofs();
      Memory::check(x_dofs * n_v * grid.n * Memory::bytes_per_imex_unknown(integrator->work_vectors()),
                    inputs.memory_limit,
                    inputs.x_adaptivity.enabled() ? "Adaptive refinement/Maximum x level" :
                                                    "Internal state/U cell size",
                    "the frame relative to the signal with " + Parameters::format(x_dofs) +
                      " x-DoFs x " + std::to_string(n_v) + " velocities x " +
                      std::to_string(grid.n) + " u-cells");
      lanes = std::make_unique<PhaseSpace<dim>>(mesh.dof_handler(), n_v * grid.n);
      // every u-cell of v_k moves with v_k; a reflection keeps u
      lane_velocities = velocities.repeated(std::vector<double>(grid.n, grid.h), grid.n * grid.h);
      transport = std::make_unique<Transport<dim, dim>>(*lanes, lane_velocities, inputs.domain.boundary);

      inputs.check_signal(mesh.space().node_position);
      inputs.check_periodic_signal("the signal frame");
      std::vector<double> rates(grid.n);
      for (unsigned int j = 0; j < grid.n; ++j)
        {
          rates[j] = dynamics.rate(grid.center(j));
          if (!std::isfinite(rates[j]) || rates[j] < 0)
            throw InputError("Tumbling/Rate",
                             "lambda = " + Parameters::format(rates[j]) + " at u = " +
                               Parameters::format(grid.center(j)) +
                               ": must be finite and non-negative");
        }
      tumbling = std::make_unique<LocalTumbling>(velocities.weights,
                                                 inputs.kernel->matrix(velocities),
                                                 inputs.kernel->is_uniform(),
                                                 std::move(rates));
      std::vector<double> faces(grid.n - 1);
      for (unsigned int j = 0; j + 1 < grid.n; ++j)
        faces[j] = dynamics.drift(grid.face(j + 1));
      drift_diffusion = std::make_unique<DriftDiffusion>(grid, std::move(faces), dynamics.noise());
      if (lag)
        lag->setup(mesh.space(), velocities, *inputs.signal, inputs.domain);
      // the lanes changed: so does the forcing's layout
      mu.clear();
      forcing_time = std::numeric_limits<double>::quiet_NaN();
    }

    template <int dim>
    const std::vector<double> &
    SignalFrame<dim>::forcing(const double t) const
    {
      if (!mu.empty() && (t == forcing_time || inputs.signal->is_static()))
        return mu;
      const auto &       space      = mesh.space();
      const auto &       velocities = inputs.velocities;
      const unsigned int n_v        = velocities.size();
      mu.resize(std::size_t(space.n_owned_dofs()) * n_v);
      inputs.signal->sample(space, t, samples);
      for (unsigned int i = 0; i < space.n_owned_dofs(); ++i)
        for (unsigned int k = 0; k < n_v; ++k)
          {
            const double value =
              dynamics.forcing(samples.value[i],
                               samples.time_derivative[i] + velocities.nodes[k] * samples.gradient[i]);
            if (!std::isfinite(value))
              throw InputError("Signal/Log-concentration",
                               "the forcing of the internal variable is not finite at x = " +
                                 Parameters::format(space.node_position[i]) +
                                 ", t = " + Parameters::format(t));
            mu[std::size_t(i) * n_v + k] = value;
          }
      forcing_time = t;
      return mu;
    }

    template <int dim>
    void
    SignalFrame<dim>::set_initial_condition()
    {
      // bacteria adapted to the local signal: the discrete stationary law at mu = 0
      const auto                law   = inputs.initial_velocity_law();
      const std::vector<double> adapted = drift_diffusion->stationary(0);
      const unsigned int        n_v   = inputs.velocities.size();
      const auto &              space = mesh.space();
      lanes->reinit(q);
      for (unsigned int i = 0; i < space.n_owned_dofs(); ++i)
        {
          const auto & x   = space.node_position[i];
          const double rho = inputs.initial->density(x);
          if (!std::isfinite(rho) || rho < 0)
            throw InputError("Initial condition/Density",
                             "rho0 = " + Parameters::format(rho) + " at x = " +
                               Parameters::format(x) + ": must be finite and non-negative");
          for (unsigned int k = 0; k < n_v; ++k)
            for (unsigned int j = 0; j < grid.n; ++j)
              q.local_element((std::size_t(i) * n_v + k) * grid.n + j) = rho * law[k] * adapted[j];
        }
      if (lag)
        lag->set_initial_condition();
    }

    template <int dim>
    double
    SignalFrame<dim>::time_step() const
    {
      return inputs.cfl * std::min(transport->max_time_step(), tumbling->max_time_step());
    }

    template <int dim>
    void
    SignalFrame<dim>::resize_axis()
    {
      const auto &       space  = mesh.space();
      const unsigned int n_v    = inputs.velocities.size(), n = grid.n;
      const unsigned int eighth = std::max(2u, n / 8);
      const auto         sums   = LaneAxisGrowth::end_masses(q,
                                                   space.node_weight,
                                                   space.n_owned_dofs(),
                                                   inputs.velocities.weights,
                                                   n,
                                                   n,
                                                   eighth,
                                                   comm);
      // grow by a quarter where the end eighth is too full; give an eighth
      // back where the end quarter is nearly empty, outside the initial axis
      const unsigned int step  = std::max(4u, n / 4);
      const auto         shrinks = [&](const bool lower) {
        const double edge = lower ? grid.lower + eighth * grid.h : grid.upper() - eighth * grid.h;
        return sums.nearly_empty(lower, tail_tolerance) &&
               (lower ? edge <= initial_extent.lower + 1e-9 * grid.h :
                        edge >= initial_extent.upper() - 1e-9 * grid.h);
      };
      const unsigned int below = sums.too_full(true, tail_tolerance) ? step : 0;
      const unsigned int above = sums.too_full(false, tail_tolerance) ? step : 0;
      const unsigned int cut_below = below == 0 && shrinks(true) ? eighth : 0;
      const unsigned int cut_above = above == 0 && shrinks(false) ? eighth : 0;
      if (below + above + cut_below + cut_above == 0)
        return;
      const PhaseVector old(q);
      const std::size_t n_lanes = std::size_t(space.n_owned_dofs()) * n_v;
      grid                      = grid.grown(below, above).shrunk(cut_below, cut_above);
      this->lanes_per_velocity  = grid.n;
      setup_operators();
      lanes->reinit(q);
      LaneAxisGrowth::copy_resized(
        old, q, n_lanes, n, n, int(below) - int(cut_below), int(above) - int(cut_above));
      solution_replaced();
    }

    template <int dim>
    void
    SignalFrame<dim>::kinetic_step(const double time, const double dt)
    {
      resize_axis();
      integrator->advance(time, dt, q);
      if (lag)
        lag->advance(time, dt);
    }

    template <int dim>
    void
    SignalFrame<dim>::density(PhaseVector &rho) const
    {
      const auto &       velocities = inputs.velocities;
      const unsigned int n_v        = velocities.size();
      const auto &       space      = mesh.space();
      space.reinit_scalar(rho, false);
      for (unsigned int i = 0; i < space.n_owned_dofs(); ++i)
        {
          double sum = 0;
          for (unsigned int k = 0; k < n_v; ++k)
            {
              const double *const lane = q.begin() + (std::size_t(i) * n_v + k) * grid.n;
              double              s    = 0;
              for (unsigned int j = 0; j < grid.n; ++j)
                s += lane[j];
              sum += velocities.weights[k] * s;
            }
          rho.local_element(i) = sum * grid.h;
        }
    }

    template <int dim>
    std::vector<double>
    SignalFrame<dim>::velocity_profiles() const
    {
      const unsigned int  n_v = inputs.velocities.size(), n_x = mesh.space().n_owned_dofs();
      std::vector<double> f(std::size_t(n_x) * n_v);
      for (std::size_t a = 0; a < f.size(); ++a)
        {
          double sum = 0;
          for (unsigned int j = 0; j < grid.n; ++j)
            sum += q.local_element(a * grid.n + j);
          f[a] = grid.h * sum;
        }
      return f;
    }

    template <int dim>
    void
    SignalFrame<dim>::kinetic_moments(Moments<dim> &moments) const
    {
      const auto &       velocities = inputs.velocities;
      const unsigned int n_v        = velocities.size(), n = grid.n;
      const auto &       space      = mesh.space();
      const auto &       rates      = tumbling->rates();
      Signal::Samples<dim> signal;
      inputs.signal->sample(space, time_now, signal);
      std::vector<double> u(n), a(n);
      for (unsigned int j = 0; j < n; ++j)
        {
          u[j] = grid.center(j);
          a[j] = dynamics.activity(u[j]);
        }

      space.reinit(marginal_vector);
      for (auto *field : {&m_mean_field, &u_mean_field, &u_variance_field, &activity_field,
                          &rate_field, &moments.density})
        space.reinit_scalar(*field, false);
      for (auto &f : moments.flux)
        space.reinit_scalar(f, false);

      totals.fill(0);
      const auto &lane_forcing = forcing(time_now);
      // `linear`: q against q̄ G(y) at y = z + L (the paper's E1), G the
      // normal density at the cell centres normalized on the grid as the
      // moving frame's, and E3 = |D_tM - L|/(1 + |v|^2)
      double              centre[4] = {}; // y, y^2, |q - q̄ G(z + L)|, E3
      std::vector<double> centred(lag ? n : 0);
      const std::vector<double> *const path_derivatives =
        lag ? &lag->path_derivatives(time_now) : nullptr;
      for (unsigned int i = 0; i < space.n_owned_dofs(); ++i)
        {
          const double w_x     = space.node_weight[i];
          double       node[7] = {}; // rho, m, u, u^2, a, a^2, lambda
          dealii::Tensor<1, dim> flux;
          for (unsigned int k = 0; k < n_v; ++k)
            {
              const double *const lane = q.begin() + (std::size_t(i) * n_v + k) * n;
              double              s[7] = {};
              for (unsigned int j = 0; j < n; ++j)
                {
                  s[0] += lane[j];
                  s[1] += lane[j] * dynamics.methylation(u[j], signal.value[i]);
                  s[2] += lane[j] * u[j];
                  s[3] += lane[j] * u[j] * u[j];
                  s[4] += lane[j] * a[j];
                  s[5] += lane[j] * a[j] * a[j];
                  s[6] += lane[j] * rates[j];
                }
              const double w = velocities.weights[k] * grid.h;
              marginal_vector.local_element(std::size_t(i) * n_v + k) = grid.h * s[0];
              for (unsigned int c = 0; c < 7; ++c)
                node[c] += w * s[c];
              flux += w * s[0] * velocities.nodes[k];
              totals[7] += w_x * w * (lane[0] + lane[n - 1]);
              // the distance and the entropy against the quasi-static
              // equilibrium of the lane, q̄ rho_mu at its forcing mu now (not
              // the paper's E1, whose centre N of (1.8) this frame does not carry)
              const auto law = drift_diffusion->stationary(lane_forcing[std::size_t(i) * n_v + k]);
              const double lane_mass = grid.h * s[0];
              double       distance = 0, entropy = 0;
              for (unsigned int j = 0; j < n; ++j)
                {
                  const double equilibrium = lane_mass * law[j];
                  distance += std::abs(lane[j] - equilibrium);
                  if (lane[j] > 0 && equilibrium > 0)
                    entropy += lane[j] * std::log(lane[j] / equilibrium);
                }
              totals[8] += w_x * w * distance;
              totals[9] += w_x * w * entropy;
              if (lag)
                {
                  const std::size_t pair = std::size_t(i) * n_v + k;
                  const double      L    = lag->values().local_element(pair);
                  double            norm = 0, e1 = 0;
                  for (unsigned int j = 0; j < n; ++j)
                    {
                      centred[j] = std::exp(-0.5 * (u[j] + L) * (u[j] + L));
                      norm += grid.h * centred[j];
                    }
                  for (unsigned int j = 0; j < n; ++j)
                    e1 += std::abs(lane[j] - lane_mass * centred[j] / norm);
                  centre[0] += w_x * w * (s[2] + L * s[0]);
                  centre[1] += w_x * w * (s[3] + 2 * L * s[2] + L * L * s[0]);
                  centre[2] += w_x * w * e1;
                  centre[3] = std::max(centre[3],
                                       std::abs((*path_derivatives)[pair] - L) /
                                         (1 + velocities.nodes[k].norm_square()));
                }
            }
          moments.density.local_element(i) = node[0];
          for (unsigned int d = 0; d < dim; ++d)
            moments.flux[d].local_element(i) = flux[d];
          const double scale = node[0] > 1e-300 ? 1.0 / node[0] : 0.0;
          m_mean_field.local_element(i)     = node[1] * scale;
          u_mean_field.local_element(i)     = node[2] * scale;
          u_variance_field.local_element(i) = node[3] * scale - std::pow(node[2] * scale, 2);
          activity_field.local_element(i)   = node[4] * scale;
          rate_field.local_element(i)       = node[6] * scale;
          for (unsigned int c = 0; c < 7; ++c)
            totals[c] += w_x * node[c];
        }
      dealii::Utilities::MPI::sum(dealii::ArrayView<const double>(totals.data(), totals.size()),
                                  comm,
                                  dealii::ArrayView<double>(totals.data(), totals.size()));
      if (lag)
        {
          centre[3] = dealii::Utilities::MPI::max(centre[3], comm);
          dealii::Utilities::MPI::sum(dealii::ArrayView<const double>(centre, 3),
                                      comm,
                                      dealii::ArrayView<double>(centre, 3));
          const double mass                = totals[0] > 0 ? totals[0] : 1;
          centre_statistics.y_mean         = centre[0] / mass;
          centre_statistics.y_variance     = centre[1] / mass - std::pow(centre[0] / mass, 2);
          centre_statistics.e1_integrand   = centre[2];
          centre_statistics.e3             = centre[3];
          centre_statistics.e1.add(time_now, centre[2]);
        }
    }

    template <int dim>
    void
    SignalFrame<dim>::add_model_statistics(StatisticsRow &row) const
    {
      const double mass  = totals[0] > 0 ? totals[0] : 1;
      const auto   mean  = [&](const unsigned int c) { return totals[c] / mass; };
      row.emplace_back("m_mean", mean(1));
      row.emplace_back("u_mean", mean(2));
      row.emplace_back("u_variance", mean(3) - mean(2) * mean(2));
      row.emplace_back("equilibrium_distance", totals[8]);
      row.emplace_back("relative_entropy", totals[9]);
      if (lag)
        {
          row.emplace_back("offset_mean", centre_statistics.y_mean);
          row.emplace_back("offset_variance", centre_statistics.y_variance);
          row.emplace_back("E1", centre_statistics.e1.value());
          row.emplace_back("E3", centre_statistics.e3);
        }
      if (dynamics.has_activity())
        {
          row.emplace_back("activity_mean", mean(4));
          row.emplace_back("activity_variance", mean(5) - mean(4) * mean(4));
        }
      row.emplace_back("tumbling_rate_mean", mean(6));
      row.emplace_back("u_tail_mass", mean(7));
      row.emplace_back("u_lower", grid.lower);
      row.emplace_back("u_upper", grid.upper());
    }

    template <int dim>
    void
    SignalFrame<dim>::add_output_fields(dealii::DataOut<dim> &    data_out,
                                        std::deque<PhaseVector> &storage) const
    {
      std::vector<std::pair<std::string, const PhaseVector *>> fields = {
        {"m_mean", &m_mean_field}, {"u_mean", &u_mean_field}, {"u_variance", &u_variance_field}};
      if (dynamics.has_activity())
        fields.emplace_back("activity_mean", &activity_field);
      fields.emplace_back("tumbling_rate_mean", &rate_field);
      this->add_marginal_fields(data_out, storage, fields);
    }

    template <int dim>
    void
    SignalFrame<dim>::save_model_state(Checkpoint::State &state) const
    {
      state.set("model.signal_frame.u_grid", std::vector<double>{grid.lower, grid.h, double(grid.n)});
      phase_series.save(state, "model.signal_frame.phase_series");
      if (lag)
        centre_statistics.e1.save(state, "model.signal_frame.e1");
    }

    template <int dim>
    void
    SignalFrame<dim>::load_model_state(const Checkpoint::State &state)
    {
      phase_series.load(state, "model.signal_frame.phase_series");
      if (lag)
        centre_statistics.e1.load(state, "model.signal_frame.e1");
    }

    template <int dim>
    bool
    SignalFrame<dim>::load_layout(const Checkpoint::State &state)
    {
      const auto saved = state.get_vector("model.signal_frame.u_grid");
      if (saved.size() != 3 || !(saved[2] >= 2))
        throw std::runtime_error("the checkpoint holds no u-axis of the frame relative to the signal");
      grid                     = {saved[0], saved[1], static_cast<unsigned int>(saved[2])};
      this->lanes_per_velocity = grid.n;
      return true;
    }

    template class SignalFrame<1>;
    template class SignalFrame<2>;
    template class SignalFrame<3>;
  } // namespace Models
} // namespace chemokin
