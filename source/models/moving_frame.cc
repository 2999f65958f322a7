#include <deal.II/base/quadrature_lib.h>
#include <deal.II/numerics/data_out.h>

#include <chemokin/base/expression.h>
#include <chemokin/base/input_error.h>
#include <chemokin/base/memory.h>
#include <chemokin/base/parameters.h>
#include <chemokin/checkpoint/cell_data.h>
#include <chemokin/models/moving_frame.h>
#include <chemokin/operators/positivity_limiter.h>

#include <cmath>
#include <functional>
#include <limits>

namespace chemokin
{
  namespace Models
  {
    namespace
    {
      double
      read_epsilon(dealii::ParameterHandler &prm)
      {
        prm.enter_subsection("Internal state");
        const double eps = Parameters::get_positive_double(prm, "Internal state", "Epsilon");
        prm.leave_subsection();
        return eps;
      }

      /**
       * `Y range = auto`: 8 (the normal density is 1e-15 of its peak there)
       * plus the largest shift |s(v, v')| = |L(v') - L(v)| <= max |(v' - v).grad M|
       * (Lemma 3.1), sampled over the box and [0, T]: a tumble moves mass by
       * s in y, and every y of a velocity is m - N(v) for an m near some N(v').
       */
      template <int dim>
      YGrid
      read_y_grid(dealii::ParameterHandler &prm, const ModelInputs<dim> &inputs)
      {
        const double end_time = prm.get_double("End time");
        prm.enter_subsection("Internal state");
        const std::string range = dealii::Utilities::trim(prm.get("Y range"));
        const double      h =
          Parameters::get_positive_double(prm, "Internal state", "Y cell size");
        prm.leave_subsection();
        double Y = 0;
        if (range == "auto")
          {
            const auto &       domain  = inputs.domain;
            const auto &       v       = inputs.velocities;
            const unsigned int samples = dim == 1 ? 101 : 21;
            double             spread  = 0;
            for (unsigned int it = 0; it <= 10; ++it)
              for (unsigned int i = 0; i < std::pow(samples, dim); ++i)
                {
                  dealii::Point<dim> x;
                  unsigned int       rest = i;
                  for (unsigned int d = 0; d < dim; ++d, rest /= samples)
                    x[d] = domain.lower[d] +
                           (domain.upper[d] - domain.lower[d]) * (rest % samples) / (samples - 1);
                  const auto grad = inputs.signal->gradient(x, end_time * it / 10);
                  double     low = std::numeric_limits<double>::max(), high = -low;
                  for (unsigned int k = 0; k < v.size(); ++k)
                    {
                      low  = std::min(low, v.nodes[k] * grad);
                      high = std::max(high, v.nodes[k] * grad);
                    }
                  spread = std::max(spread, high - low);
                }
            if (!std::isfinite(spread))
              throw InputError("Signal/Log-concentration", "grad M is not finite in the box");
            Y = 8 + spread;
          }
        else
          {
            Y = Parameters::parse_constants("Y=" + range, "Internal state/Y range").at("Y");
            if (!(Y > 0) || !std::isfinite(Y))
              throw InputError("Internal state/Y range",
                               "needs `auto` or a positive number, got '" + range + "'");
          }
        const double cells = std::ceil(2 * Y / h - 1e-9);
        if (cells > 1e6)
          throw InputError("Internal state/Y cell size",
                           Parameters::format(cells) + " cells of size " + Parameters::format(h) +
                             " on [-" + Parameters::format(Y) + ", " + Parameters::format(Y) +
                             "]: too many");
        // whole cells of size h
        return YGrid(0.5 * cells * h, std::max(2.0, cells));
      }
    } // namespace

    template <int dim>
    void
    MovingFrame<dim>::declare_parameters(dealii::ParameterHandler &prm)
    {
      prm.enter_subsection("Internal state");
      prm.declare_entry("Y range",
                        "auto",
                        dealii::Patterns::Anything(),
                        "`Frame = moving`: the y-grid covers [-Y, Y], "
                        "y = (m - N)/eps. `auto`: Y = 8 + max |(v - v').grad M| "
                        "over the box, the velocities and [0, T] (the largest "
                        "shift of y in a tumble, Lemma 3.1; the equilibrium "
                        "profile, the standard normal density, is 1e-15 of its "
                        "peak at 8). Or a number. Mass that would leave the "
                        "range stays in the end cells (statistics: "
                        "y_tail_mass); widen it for data far from equilibrium.");
      prm.declare_entry("Y cell size",
                        "0.25",
                        dealii::Patterns::Double(),
                        "`Frame = moving`: the cell size h of the y-grid "
                        "(rounded down so that whole cells fill [-Y, Y]). The "
                        "Ornstein-Uhlenbeck dynamics and the shifts in "
                        "tumbles are second order in h; equilibrium rates "
                        "and moments are exact for h up to about 1/2.");
      prm.leave_subsection();
    }

    template <int dim>
    MovingFrame<dim>::MovingFrame(dealii::ParameterHandler &prm, const MPI_Comm &comm)
      : inputs(prm, comm)
      , comm(comm)
      , epsilon(read_epsilon(prm))
      , grid(read_y_grid(prm, inputs))
      , mesh(comm, inputs.domain, inputs.refinement, inputs.degree, inputs.velocities.size())
      , block(grid.size() + 1)
    {
      prm.enter_subsection("Initial condition");
      const std::string methylation_profile =
        dealii::Utilities::trim(prm.get("Methylation profile"));
      prm.leave_subsection();

      ornstein_uhlenbeck = std::make_unique<OrnsteinUhlenbeck>(grid, epsilon, block);
      setup_operators();

      prm.enter_subsection("Internal state");
      const unsigned int order = prm.get_integer("IMEX order");
      prm.leave_subsection();
      if (order > 3)
        throw InputError("Internal state/IMEX order",
                         "the moving frame steps with the globally stiffly accurate pairs "
                         "ARS(2,2,2) and ARS(4,4,3), of order 2 or 3 (got " +
                           std::to_string(order) + ")");
      ImexIntegrator::Parts parts;
      // transport and tumbling in one pass over the phase space (DESIGN §6)
      parts.explicit_part = [this](double, const PhaseVector &y, PhaseVector &f) {
        transport->apply(y, f, [this](unsigned int, const double *y_i, double *f_i) {
          tumbling->add_node(y_i, f_i);
        });
      };
      // affine in y (the lag's forcing D_tM/eps): one exact Newton iteration
      parts.implicit_part = [this](double t, const PhaseVector &y, PhaseVector &f) {
        ornstein_uhlenbeck->apply(y, f);
        lag_relaxation->apply(t, y, f);
      };
      parts.solve = [this](double, double gamma, const PhaseVector &b, PhaseVector &x) {
        ornstein_uhlenbeck->solve(gamma, b, x);
        lag_relaxation->solve(gamma, b, x);
      };
      parts.reinit = [this](PhaseVector &v) { lanes->reinit(v); };
      integrator = std::make_unique<ImexIntegrator>(
        parts, comm, order, true, ImexIntegrator::Tables::globally_stiffly_accurate);

      set_initial_condition(methylation_profile);
      // resolve the initial law in v, then the initial density in x:
      // refine where they vary, then set them anew
      VelocityMesh::Transfer transfer;
      for (unsigned int cycle = 0; cycle < inputs.v_adaptivity.initial_cycles(); ++cycle)
        {
          if (!inputs.v_adaptivity.adapt(inputs.velocities, velocity_profiles(), comm, transfer))
            break;
          mesh.set_velocities(inputs.velocities.size());
          setup_operators();
          set_initial_condition(methylation_profile);
        }
      for (unsigned int cycle = 0; cycle < inputs.x_adaptivity.initial_cycles(); ++cycle)
        {
          if (!mark_cells())
            break;
          mesh.refine_and_coarsen({});
          setup_operators();
          set_initial_condition(methylation_profile);
        }
      if (inputs.positivity_limiter)
        limit_positivity(*lanes, q, block);
      if (auto *coupled = inputs.coupled_signal())
        coupled->attach(mesh.space(), inputs.domain, [this](PhaseVector &rho) { density(rho); });
    }

    template <int dim>
    void
    MovingFrame<dim>::setup_operators()
    {
      const auto &       velocities = inputs.velocities;
      const unsigned int n_v        = velocities.size();
      // the lanes: every x-DoF carries n_v * (n_y + 1) unknowns, each held
      // by the ARKode stages
      double x_dofs = mesh.dof_handler().n_dofs();
      Memory::check(x_dofs * n_v * block * Memory::bytes_per_imex_unknown,
                    inputs.memory_limit,
                    inputs.x_adaptivity.enabled() ? "Adaptive refinement/Maximum x level" :
                                                    "Internal state/Y cell size",
                    "the moving frame with " + Parameters::format(x_dofs) + " x-DoFs x " +
                      std::to_string(n_v) + " velocities x " + std::to_string(grid.size()) +
                      " y-cells");
      lanes = std::make_unique<PhaseSpace<dim>>(mesh.dof_handler(), n_v * block);
      // transport sees each velocity node n_y + 1 times (the y-cells and the
      // lag, whose weight is 0: it is no density); a reflection keeps y and L
      std::vector<double> lane_weights(block, grid.cell_size());
      lane_weights.back() = 0;
      lane_velocities     = velocities.repeated(lane_weights, 2 * grid.half_width());
      transport = std::make_unique<Transport<dim, dim>>(*lanes, lane_velocities, inputs.domain.boundary);

      inputs.check_signal(mesh.space().node_position);
      tumbling = std::make_unique<ShiftedTumbling<dim>>(
        mesh.space(), velocities, inputs.kernel->matrix(velocities), grid, *inputs.tumbling_rate);
      lag_relaxation =
        std::make_unique<LagRelaxation<dim>>(mesh.space(), velocities, *inputs.signal, epsilon, block);
      if (auto *coupled = inputs.coupled_signal(); coupled && coupled->attached())
        coupled->set_space(mesh.space());
    }

    template <int dim>
    bool
    MovingFrame<dim>::mark_cells()
    {
      PhaseVector density;
      this->density(density);
      // refine where the density or a field varies
      std::vector<PhaseVector> indicators{density};
      if (const auto *coupled = inputs.coupled_signal())
        for (auto &field : coupled->indicator_fields())
          indicators.push_back(std::move(field));
      return inputs.x_adaptivity.mark(mesh, indicators);
    }

    template <int dim>
    std::vector<double>
    MovingFrame<dim>::velocity_profiles() const
    {
      // the density in (x, v): q integrated over y
      const unsigned int  n_v = inputs.velocities.size(), n_y = grid.size();
      const unsigned int  n_x = mesh.space().n_owned_dofs();
      std::vector<double> f(std::size_t(n_x) * n_v);
      for (std::size_t r = 0; r < f.size(); ++r)
        {
          double sum = 0;
          for (unsigned int j = 0; j < n_y; ++j)
            sum += q.local_element(r * block + j);
          f[r] = grid.cell_size() * sum;
        }
      return f;
    }

    template <int dim>
    void
    MovingFrame<dim>::adapt_velocities()
    {
      VelocityMesh::Transfer transfer;
      const unsigned int     n_old = inputs.velocities.size();
      if (!inputs.v_adaptivity.adapt(inputs.velocities, velocity_profiles(), comm, transfer))
        return;
      // every lane of a velocity moves with it: the y-cells at fixed y and
      // the lag (a smooth function of v, linear for a static gradient)
      const unsigned int n_new = inputs.velocities.size();
      const PhaseVector  old   = q;
      mesh.set_velocities(n_new);
      setup_operators();
      lanes->reinit(q);
      for (unsigned int i = 0; i < mesh.space().n_owned_dofs(); ++i)
        transfer.apply(old.begin() + std::size_t(i) * n_old * block,
                       q.begin() + std::size_t(i) * n_new * block,
                       block);
      integrator->restart();
    }

    template <int dim>
    void
    MovingFrame<dim>::adapt_mesh()
    {
      if (!mark_cells())
        return;
      // every lane moves: the y-cells and the lag L, a field on x; and the
      // fields of a reaction-diffusion signal (as values at the nodes)
      auto *const                                   coupled = inputs.coupled_signal();
      const std::vector<typename XMesh<dim>::Lanes> moving{{&q, lanes->n_velocities()}};
      auto values = coupled ? coupled->refine_and_coarsen(mesh, moving) : mesh.refine_and_coarsen(moving);
      setup_operators();
      lanes->reinit(q);
      for (std::size_t i = 0; i < values[0].size(); ++i)
        q.local_element(i) = values[0][i];
      integrator->restart();
    }

    template <int dim>
    void
    MovingFrame<dim>::set_initial_condition(const std::string &methylation_profile)
    {
      // N(0) = N0 (default M(0)), L(0) = (M(0) - N0)/eps, y = (m - N0(x))/eps
      const auto &level = inputs.adaptation_level;
      // the profile p0(x, m) is an expression in d + 1 variables (deal.II's
      // parser has at most 3)
      std::function<double(const dealii::Point<dim> &, double)> profile;
      if (!methylation_profile.empty())
        {
          if constexpr (dim == 3)
            throw InputError("Initial condition/Methylation profile",
                             "a profile in (x, y, z, m) is not available for d = 3 "
                             "(leave it empty: the equilibrium profile)");
          else
            {
              auto constants   = inputs.constants;
              constants["eps"] = epsilon;
              dealii::Point<dim + 1> probe;
              for (unsigned int d = 0; d < dim; ++d)
                probe[d] = inputs.domain.center()[d];
              probe[dim] = inputs.signal->value(inputs.domain.center(), 0);
              auto expression =
                std::make_shared<Expression<dim + 1>>(methylation_profile,
                                                      dim == 1 ? "x,m" : "x,y,m",
                                                      false,
                                                      constants,
                                                      "Initial condition/Methylation profile",
                                                      probe);
              profile = [expression](const dealii::Point<dim> &x, const double m) {
                dealii::Point<dim + 1> point;
                for (unsigned int d = 0; d < dim; ++d)
                  point[d] = x[d];
                point[dim] = m;
                return expression->value(point);
              };
            }
        }
      const auto         law = inputs.initial_velocity_law();
      const unsigned int n_v = inputs.velocities.size(), n_y = grid.size();
      const auto &       space = mesh.space();
      lanes->reinit(q);
      std::vector<double> f(n_y);
      for (unsigned int i = 0; i < space.n_owned_dofs(); ++i)
        {
          const auto & x   = space.node_position[i];
          const double rho = inputs.initial->density(x);
          if (!std::isfinite(rho) || rho < 0)
            throw InputError("Initial condition/Density",
                             "rho0 = " + Parameters::format(rho) + " at x = " +
                               Parameters::format(x) + ": must be finite and non-negative");
          const double M0 = inputs.signal->value(x, 0);
          const double m0 = level ? level->value(x) : M0;
          if (!std::isfinite(m0))
            throw InputError("Initial condition/Adaptation level",
                             "N0 = " + Parameters::format(m0) + " at x = " +
                               Parameters::format(x) + ": must be finite");
          if (profile)
            {
              // q = eps p: the profile in m at the cell centres of y
              double       largest = 0;
              for (unsigned int j = 0; j < n_y; ++j)
                {
                  const double m = m0 + epsilon * grid.centers[j];
                  f[j]           = epsilon * profile(x, m);
                  if (!std::isfinite(f[j]) || f[j] < 0)
                    throw InputError("Initial condition/Methylation profile",
                                     "the profile is " + Parameters::format(f[j] / epsilon) +
                                       " at x = " + Parameters::format(x) + ", m = " +
                                       Parameters::format(m) + ": must be finite and non-negative");
                  largest = std::max(largest, f[j]);
                }
              if (std::max(f.front(), f.back()) > 1e-6 * largest)
                throw InputError("Initial condition/Methylation profile",
                                 "the profile is not small at the ends of the y-range: at x = " +
                                   Parameters::format(x) + " it reaches " +
                                   Parameters::format(std::max(f.front(), f.back()) / largest) +
                                   " of its peak at m = N0(x) +- eps Y; widen `Internal "
                                   "state/Y range` or centre the y-grid with `Initial "
                                   "condition/Adaptation level`");
            }
          else
            f = grid.maxwellian;
          for (unsigned int k = 0; k < n_v; ++k)
            {
              for (unsigned int j = 0; j < n_y; ++j)
                q.local_element((std::size_t(i) * n_v + k) * block + j) =
                  rho * law[k] * f[j];
              q.local_element((std::size_t(i) * n_v + k) * block + n_y) = (M0 - m0) / epsilon;
            }
        }
    }

    template <int dim>
    double
    MovingFrame<dim>::time_step() const
    {
      return inputs.cfl * std::min(transport->max_time_step(), tumbling->max_time_step(q));
    }

    template <int dim>
    void
    MovingFrame<dim>::advance(const double time, const double dt)
    {
      // The lag has an initial layer: L(0) = 0 (N(0) = M(0)), and L -> D_tM
      // within a few eps. Explicit stages that sample the frequencies at
      // t = 0 and then beyond the layer weigh L = 0 with a fixed fraction of
      // the step: an O(dt) error in the tumbling, for any eps << dt. The
      // first steps resolve the layer instead, with sub-steps growing
      // geometrically from eps/4 (about log2(4 dt/eps) of them, once).
      auto kinetic_step = [&] {
        const double end = time + dt;
        double       t   = time;
        if (time < 8 * epsilon && dt > 0.25 * epsilon)
          for (double h = 0.25 * epsilon; t + 2 * h < end; h *= 2)
            {
              integrator->advance(t, h, q);
              t += h;
            }
        integrator->advance(t, end - t, q);
      };
      if (auto *coupled = inputs.coupled_signal())
        coupled->step(time, dt, kinetic_step);
      else
        kinetic_step();
      time_now = time + dt;
      ++steps;
      if (inputs.v_adaptivity.due(steps))
        adapt_velocities();
      if (inputs.x_adaptivity.due(steps))
        adapt_mesh();
      // after the transfer too: interpolation to new cells can undershoot
      if (inputs.positivity_limiter)
        limit_positivity(*lanes, q, block);
    }

    template <int dim>
    void
    MovingFrame<dim>::compute_moments(Moments<dim> &moments) const
    {
      kinetic_moments(moments);
      if (const auto *coupled = inputs.coupled_signal())
        moments.fields = coupled->node_fields();
    }

    template <int dim>
    void
    MovingFrame<dim>::density(PhaseVector &rho) const
    {
      const auto &       velocities = inputs.velocities;
      const unsigned int n_v = velocities.size(), n_y = grid.size();
      const auto &       space = mesh.space();
      space.reinit_scalar(rho, false);
      for (unsigned int i = 0; i < space.n_owned_dofs(); ++i)
        {
          double sum = 0;
          for (unsigned int k = 0; k < n_v; ++k)
            {
              const double *const lane = q.begin() + (std::size_t(i) * n_v + k) * block;
              double              s    = 0;
              for (unsigned int j = 0; j < n_y; ++j)
                s += lane[j];
              sum += velocities.weights[k] * s;
            }
          rho.local_element(i) = sum * grid.cell_size();
        }
    }

    template <int dim>
    void
    MovingFrame<dim>::kinetic_moments(Moments<dim> &moments) const
    {
      const auto &       velocities = inputs.velocities;
      const unsigned int n_v = velocities.size(), n_y = grid.size();
      const double       h     = grid.cell_size();
      const double       t     = time_now;
      const auto &       space = mesh.space();
      const auto &       path_derivatives = lag_relaxation->path_derivatives(t);
      const auto &       y     = grid.centers;
      const auto &       G     = grid.maxwellian;

      space.reinit(marginal_vector);
      for (auto *field : {&m_mean_field, &y_mean_field, &y_variance_field, &moments.density})
        space.reinit_scalar(*field, false);
      for (auto &f : moments.flux)
        space.reinit_scalar(f, false);

      // per node: the marginals and the y-moments (YGrid's rule)
      double sums[7] = {}; // mass, m, y, y^2, |q - qbar G|, entropy, tail
      double e3      = 0;
      for (unsigned int i = 0; i < space.n_owned_dofs(); ++i)
        {
          const auto & x   = space.node_position[i];
          const double M   = inputs.signal->value(x, t);
          const double w_x = space.node_weight[i];
          double       node[4] = {}; // rho, m, y, y^2 (weighted by velocity)
          dealii::Tensor<1, dim> flux;
          for (unsigned int k = 0; k < n_v; ++k)
            {
              const double *const lane = q.begin() + (std::size_t(i) * n_v + k) * block;
              const double        L    = lane[n_y];
              double              s0 = 0, s1 = 0, s2 = 0;
              for (unsigned int j = 0; j < n_y; ++j)
                {
                  s0 += lane[j];
                  s1 += lane[j] * y[j];
                  s2 += lane[j] * y[j] * y[j];
                }
              s0 *= h;
              s1 *= h;
              s2 *= h;
              marginal_vector.local_element(std::size_t(i) * n_v + k) = s0;
              const double w = velocities.weights[k];
              node[0] += w * s0;
              // m = N + eps y = M - eps L + eps y
              node[1] += w * ((M - epsilon * L) * s0 + epsilon * s1);
              node[2] += w * s1;
              node[3] += w * s2;
              flux += w * s0 * velocities.nodes[k];

              double distance = 0, entropy = 0;
              for (unsigned int j = 0; j < n_y; ++j)
                {
                  const double equilibrium = s0 * G[j];
                  distance += std::abs(lane[j] - equilibrium);
                  if (lane[j] > 0 && equilibrium > 0)
                    entropy += lane[j] * std::log(lane[j] / equilibrium);
                }
              sums[4] += w_x * w * h * distance;
              sums[5] += w_x * w * h * entropy;
              sums[6] += w_x * w * h * (lane[0] + lane[n_y - 1]);

              // E3 = |D_tM - D_tN| / (1 + |v|^2), D_tN = L
              e3 = std::max(e3,
                            std::abs(path_derivatives[std::size_t(i) * n_v + k] - L) /
                              (1 + velocities.nodes[k].norm_square()));
            }
          moments.density.local_element(i) = node[0];
          for (unsigned int j = 0; j < dim; ++j)
            moments.flux[j].local_element(i) = flux[j];
          const double scale = node[0] > 1e-300 ? 1.0 / node[0] : 0.0;
          m_mean_field.local_element(i)     = node[1] * scale;
          y_mean_field.local_element(i)     = node[2] * scale;
          y_variance_field.local_element(i) = node[3] * scale - std::pow(node[2] * scale, 2);
          for (unsigned int c = 0; c < 4; ++c)
            sums[c] += w_x * node[c];
        }
      dealii::Utilities::MPI::sum(dealii::ArrayView<const double>(sums, 7),
                                  comm,
                                  dealii::ArrayView<double>(sums, 7));
      statistics.m_mean           = sums[1] / sums[0];
      statistics.y_mean           = sums[2] / sums[0];
      statistics.y_variance       = sums[3] / sums[0] - statistics.y_mean * statistics.y_mean;
      statistics.e1_integrand     = sums[4];
      statistics.relative_entropy = sums[5];
      stat_tail             = sums[6] / sums[0];
      statistics.e3               = dealii::Utilities::MPI::max(e3, comm);
      statistics.e1.add(t, statistics.e1_integrand);
    }

    template <int dim>
    void
    MovingFrame<dim>::add_statistics(StatisticsRow &row) const
    {
      statistics.add_to(row);
      // p = q / eps, on the y-cells (not the lags)
      double smallest = std::numeric_limits<double>::max();
      for (std::size_t a = 0; a < q.locally_owned_size(); ++a)
        if ((a + 1) % block != 0)
          smallest = std::min(smallest, q.local_element(a));
      row.emplace_back("min_value", dealii::Utilities::MPI::min(smallest, comm) / epsilon);
      row.emplace_back("dofs", double(mesh.dof_handler().n_dofs()) * lanes->n_velocities());
      row.emplace_back("cells", double(mesh.n_cells()));
      row.emplace_back("velocities", double(inputs.velocities.size()));
      row.emplace_back("y_tail_mass", stat_tail);
      if (const auto *coupled = inputs.coupled_signal())
        coupled->add_statistics(row);
    }

    template <int dim>
    void
    MovingFrame<dim>::add_output_fields(dealii::DataOut<dim> &    data_out,
                                        std::deque<PhaseVector> &storage) const
    {
      this->add_marginal_fields(data_out, storage, m_mean_field, y_mean_field, y_variance_field);
    }

    template <int dim>
    void
    MovingFrame<dim>::write_phase_space(const std::string &directory,
                                        const unsigned int index,
                                        const double       time) const
    {
      if constexpr (dim == 1)
        {
          // one sheet per velocity, at height v_k: quads over (x-cell, y-cell)
          // with p = q/eps at the x-ends of the cell (the DG polynomial) and
          // constant in y; the m-view puts each corner at m = N + eps y
          const auto &       velocities = inputs.velocities;
          const unsigned int n_v = velocities.size(), n_y = grid.size();
          const double       h  = grid.cell_size();
          const auto &       fe = mesh.dof_handler().get_fe();
          std::vector<dealii::DataOutBase::Patch<2, 3>> y_patches, m_patches;
          unsigned int                                   c = 0;
          for (const auto &cell : mesh.dof_handler().active_cell_iterators())
            {
              if (!cell->is_locally_owned())
                continue;
              const auto &dofs = mesh.space().cell_dofs[c++];
              for (unsigned int k = 0; k < n_v; ++k)
                {
                  // N = M - eps L with the lag's DG polynomial at the cell ends
                  double N_end[2];
                  for (unsigned int e = 0; e < 2; ++e)
                    {
                      double L = 0;
                      for (unsigned int d = 0; d < dofs.size(); ++d)
                        L += fe.shape_value(d, dealii::Point<1>(e)) *
                             q.local_element((std::size_t(dofs[d]) * n_v + k) * block + n_y);
                      N_end[e] = inputs.signal->value(cell->vertex(e), time) - epsilon * L;
                    }
                  for (unsigned int j = 0; j < n_y; ++j)
                    {
                      double value[2] = {0, 0};
                      for (unsigned int e = 0; e < 2; ++e)
                        for (unsigned int d = 0; d < dofs.size(); ++d)
                          value[e] += fe.shape_value(d, dealii::Point<1>(e)) *
                                      q.local_element((std::size_t(dofs[d]) * n_v + k) * block + j) /
                                      epsilon;
                      dealii::DataOutBase::Patch<2, 3> y_patch, m_patch;
                      for (auto *patch : {&y_patch, &m_patch})
                        {
                          patch->n_subdivisions = 1;
                          patch->reference_cell = dealii::ReferenceCells::Quadrilateral;
                          patch->data.reinit(2, 4);
                        }
                      y_patch.patch_index = y_patches.size();
                      m_patch.patch_index = m_patches.size();
                      for (unsigned int b = 0; b < 2; ++b)
                        for (unsigned int e = 0; e < 2; ++e)
                          {
                            const unsigned int vertex = e + 2 * b;
                            const double       x      = cell->vertex(e)[0];
                            const double       yy     = grid.centers[j] + (b - 0.5) * h;
                            const double       m      = N_end[e] + epsilon * yy;
                            y_patch.vertices[vertex]  = dealii::Point<3>(x, yy, velocities.nodes[k][0]);
                            m_patch.vertices[vertex]  = dealii::Point<3>(x, m, velocities.nodes[k][0]);
                            for (auto *patch : {&y_patch, &m_patch})
                              patch->data(0, vertex) = value[e];
                            y_patch.data(1, vertex) = m;
                            m_patch.data(1, vertex) = yy;
                          }
                      y_patches.push_back(y_patch);
                      m_patches.push_back(m_patch);
                    }
                }
            }
          // phase.pvd in (x, m), as the fixed frame shows it; phase_y.pvd in (x, y)
          phase_series.write_patches(directory, index, time, comm, m_patches, {"p", "y"});
          phase_y_series.write_patches(directory, index, time, comm, y_patches, {"p", "m"});
        }
      else if constexpr (dim == 2)
        {
          // phase_y.pvd: the volume (x_1, x_2, y), one hexahedron per (x-cell,
          // y-cell), fields p_k = q(v_k)/eps at the x-corners (the DG
          // polynomial), constant in y. The y-grid is the same for every
          // velocity, so one volume holds them all; in m each velocity has
          // its own centre N(v), m = N(v) + eps y. (No m-view: it would be
          // one volume per velocity.)
          const unsigned int n_v = inputs.velocities.size(), n_y = grid.size();
          const double       h  = grid.cell_size();
          const auto &       fe = mesh.dof_handler().get_fe();
          std::vector<dealii::DataOutBase::Patch<3, 3>> patches;
          std::vector<double> corner(4 * std::size_t(n_v) * n_y);
          unsigned int        c = 0;
          for (const auto &cell : mesh.dof_handler().active_cell_iterators())
            {
              if (!cell->is_locally_owned())
                continue;
              const auto &dofs = mesh.space().cell_dofs[c++];
              std::fill(corner.begin(), corner.end(), 0.0);
              for (unsigned int e = 0; e < 4; ++e)
                for (unsigned int d = 0; d < dofs.size(); ++d)
                  {
                    const double shape = fe.shape_value(d, dealii::Point<2>(e % 2, e / 2));
                    const double *const lanes_d = q.begin() + std::size_t(dofs[d]) * n_v * block;
                    for (unsigned int k = 0; k < n_v; ++k)
                      for (unsigned int j = 0; j < n_y; ++j)
                        corner[(std::size_t(e) * n_v + k) * n_y + j] +=
                          shape * lanes_d[k * block + j] / epsilon;
                  }
              for (unsigned int j = 0; j < n_y; ++j)
                {
                  dealii::DataOutBase::Patch<3, 3> patch;
                  patch.n_subdivisions = 1;
                  patch.reference_cell = dealii::ReferenceCells::Hexahedron;
                  patch.patch_index    = patches.size();
                  patch.data.reinit(n_v, 8);
                  for (unsigned int b = 0; b < 2; ++b)
                    for (unsigned int e = 0; e < 4; ++e)
                      {
                        const unsigned int vertex = e + 4 * b;
                        const auto         x      = cell->vertex(e);
                        patch.vertices[vertex] =
                          dealii::Point<3>(x[0], x[1], grid.centers[j] + (b - 0.5) * h);
                        for (unsigned int k = 0; k < n_v; ++k)
                          patch.data(k, vertex) = corner[(std::size_t(e) * n_v + k) * n_y + j];
                      }
                  patches.push_back(std::move(patch));
                }
            }
          std::vector<std::string> names;
          for (unsigned int k = 0; k < n_v; ++k)
            names.push_back(velocity_field_name(k, n_v));
          phase_y_series.write_patches(directory, index, time, comm, patches, names);
        }
    }

    template <int dim>
    void
    MovingFrame<dim>::save(Checkpoint::Writer &writer) const
    {
      Checkpoint::save_cell_data(writer, "moving_frame_solution", *lanes, q);
      auto &state = writer.state;
      state.set("model.moving_frame.time", time_now);
      state.set("model.moving_frame.steps", steps);
      if (inputs.velocities.mesh)
        state.set("model.moving_frame.velocity_mesh", inputs.velocities.mesh->save());
      statistics.e1.save(state, "model.moving_frame.e1");
      phase_series.save(state, "model.moving_frame.phase_series");
      phase_y_series.save(state, "model.moving_frame.phase_y_series");
      if (const auto *coupled = inputs.coupled_signal())
        coupled->save(writer, "moving_frame_signal");
    }

    template <int dim>
    void
    MovingFrame<dim>::load(const Checkpoint::Reader &reader)
    {
      if (inputs.v_adaptivity.enabled())
        {
          // the adapted velocity mesh of the checkpoint
          VAdaptivity<dim>::restore(inputs.velocities,
                                    reader.state.get_vector("model.moving_frame.velocity_mesh"));
          mesh.set_velocities(inputs.velocities.size());
        }
      if (inputs.x_adaptivity.enabled())
        {
          // the adapted mesh of the checkpoint, on a fresh coarse mesh (and
          // the fields on it, read below)
          mesh.rebuild(Checkpoint::saved_cells<dim>(reader, "moving_frame_solution"));
          if (auto *coupled = inputs.coupled_signal())
            coupled->remesh(mesh.space(),
                            std::vector<double>(std::size_t(mesh.space().n_owned_dofs()) *
                                                coupled->fields().n_fields()));
        }
      if (inputs.x_adaptivity.enabled() || inputs.v_adaptivity.enabled())
        setup_operators();
      lanes->reinit(q);
      Checkpoint::load_cell_data(reader, "moving_frame_solution", *lanes, q);
      const auto &state = reader.state;
      time_now          = state.get("model.moving_frame.time");
      steps             = state.get("model.moving_frame.steps");
      statistics.e1.load(state, "model.moving_frame.e1");
      phase_series.load(state, "model.moving_frame.phase_series");
      phase_y_series.load(state, "model.moving_frame.phase_y_series");
      if (auto *coupled = inputs.coupled_signal())
        coupled->load(reader, "moving_frame_signal", mesh.space());
      integrator->restart();
    }

    template class MovingFrame<1>;
    template class MovingFrame<2>;
    template class MovingFrame<3>;
  } // namespace Models
} // namespace chemokin
