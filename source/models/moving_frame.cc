#include <deal.II/base/quadrature_lib.h>
#include <deal.II/numerics/data_out.h>

#include <chemokin/base/expression.h>
#include <chemokin/base/input_error.h>
#include <chemokin/base/memory.h>
#include <chemokin/base/parameters.h>
#include <chemokin/checkpoint/cell_data.h>
#include <chemokin/mesh/lane_axis_growth.h>
#include <chemokin/models/internal_state_parameters.h>
#include <chemokin/models/moving_frame.h>
#include <chemokin/operators/positivity_limiter.h>

#include <cmath>
#include <functional>
#include <limits>

namespace chemokin
{
  namespace Models
  {
    template <int dim>
    MovingFrame<dim>::MovingFrame(dealii::ParameterHandler &prm, const MPI_Comm &comm)
      : MovingFrame(prm, comm, InternalStateParameters(prm))
    {}

    template <int dim>
    MovingFrame<dim>::MovingFrame(dealii::ParameterHandler &      prm,
                                  const MPI_Comm &                comm,
                                  const InternalStateParameters &parameters)
      : XMeshModel<dim>(ModelInputs<dim>(prm, comm), comm, "moving_frame", "moving_frame_solution")
      , q(this->solution_vector)
      , epsilon(parameters.epsilon)
      , methylation_profile(parameters.methylation_profile)
      , grid(read_y_grid(prm, inputs))
      , block(grid.size() + 1)
      , initial_cells(grid.size())
      , implicit_above(read_implicit_tumbling(prm, parameters.imex_implementation))
    {
      prm.enter_subsection("Internal state");
      grows          = dealii::Utilities::trim(prm.get("Y range")) == "auto";
      tail_tolerance = Parameters::get_double_in(
        prm, "Internal state", "Y tail tolerance", 0, 1, "a fraction of the mass");
      prm.leave_subsection();
      set_block();

      ImexIntegrator::Parts parts;
      // transport and tumbling in one pass over the phase space (DESIGN §6)
      parts.explicit_part = [this](double, const PhaseVector &y, PhaseVector &f) {
        transport->apply(y, f, [this](unsigned int i, const double *y_i, double *f_i) {
          tumbling->add_node(i, y_i, f_i);
        });
      };
      // the same, each x-node's values handed to the integrator's sums
      // (no vector of f_E)
      parts.explicit_part_in_pieces = [this](double, const PhaseVector &y, const ImexIntegrator::Parts::Piece &consume) {
        transport->apply_by_rows(
          y, [this](unsigned int i, const double *y_i, double *f_i) { tumbling->add_node(i, y_i, f_i); }, consume);
      };
      // affine in y (the lag's forcing D_tM/eps): ARKode's one exact Newton
      // iteration; LowStorageImex's exact stage solve (solve_stage)
      parts.implicit_part = [this](double t, const PhaseVector &y, PhaseVector &f) {
        ornstein_uhlenbeck->apply(y, f);
        lag_relaxation->apply(t, y, f);
      };
      parts.solve = [this](double, double gamma, const PhaseVector &b, PhaseVector &x) {
        ornstein_uhlenbeck->solve(gamma, b, x);
        lag_relaxation->solve(gamma, b, x);
      };
      // the lags first: the implicit tumbling's rates and shifts are the stage's
      parts.solve_stage = [this](double t, double gamma, const PhaseVector &S, PhaseVector &Y) {
        lag_relaxation->solve_stage(t, gamma, S, Y);
        implicit_tumbling->solve_stage(gamma, S, Y);
      };
      parts.reinit = [this](PhaseVector &v) { lanes->reinit(v); };
      integrator = ImexIntegrator::stiffly_accurate(
        parts, comm, parameters.imex_order, "the moving frame", parameters.imex_implementation);
      this->bytes_per_unknown = Memory::bytes_per_imex_unknown(integrator->work_vectors());

      this->initialize();
    }

    template <int dim>
    void
    MovingFrame<dim>::setup_operators()
    {
      const auto &       velocities = inputs.velocities;
      const unsigned int n_v        = velocities.size();
      // the lanes: n_v * (n_y + 1) unknowns per x-DoF, in each integrator vector
      double x_dofs = mesh.dof_handler().n_dofs();
      Memory::check(x_dofs * n_v * block * Memory::bytes_per_imex_unknown(integrator->work_vectors()),
                    inputs.memory_limit,
                    inputs.x_adaptivity.enabled() ? "Adaptive refinement/Maximum x level" :
                                                    "Internal state/Y cell size",
                    "the moving frame with " + Parameters::format(x_dofs) + " x-DoFs x " +
                      std::to_string(n_v) + " velocities x " + std::to_string(grid.size()) +
                      " y-cells");
      lanes = std::make_unique<PhaseSpace<dim>>(mesh.dof_handler(), n_v * block);
      ornstein_uhlenbeck = std::make_unique<OrnsteinUhlenbeck>(grid, epsilon, block);
      // transport sees each velocity node n_y + 1 times (the y-cells and the
      // lag, whose weight is 0: it is no density); a reflection keeps y and L
      std::vector<double> lane_weights(block, grid.cell_size());
      lane_weights.back() = 0;
      lane_velocities     = velocities.repeated(lane_weights, 2 * grid.half_width());
      transport = std::make_unique<Transport<dim, dim>>(*lanes, lane_velocities, inputs.domain.boundary);

      inputs.check_signal(mesh.space().node_position);
      inputs.check_periodic_signal("the moving frame");
      tumbling = std::make_unique<ShiftedTumbling<dim>>(
        mesh.space(), velocities, inputs.kernel->matrix(velocities), grid, *inputs.tumbling_rate);
      lag_relaxation =
        std::make_unique<LagRelaxation<dim>>(mesh.space(), velocities, *inputs.signal, epsilon, block);
      // `auto`: the tumbling above 1/dt_x (the transport's step at CFL 1) is implicit
      tumbling->set_implicit_above(implicit_above > 0 ? implicit_above : 1 / transport->max_time_step());
      implicit_tumbling = std::make_unique<ImplicitTumbling<dim>>(
        mesh.space(), velocities, *tumbling, *ornstein_uhlenbeck, grid.size());
    }

    template <int dim>
    std::vector<double>
    MovingFrame<dim>::velocity_profiles() const
    {
      // the density in (x, v): q integrated over y
      const LaneLayout    at  = lane_layout();
      const unsigned int  n_v = at.n_velocities, n_x = mesh.space().n_owned_dofs();
      std::vector<double> f(std::size_t(n_x) * n_v);
      for (unsigned int i = 0; i < n_x; ++i)
        for (unsigned int k = 0; k < n_v; ++k)
          {
            double sum = 0;
            for (unsigned int j = 0; j < at.n_y; ++j)
              sum += q.local_element(at.cell(i, k, j));
            f[std::size_t(i) * n_v + k] = grid.cell_size() * sum;
          }
      return f;
    }

    template <int dim>
    void
    MovingFrame<dim>::set_initial_condition()
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
      const LaneLayout    at = lane_layout();
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
                q.local_element(at.cell(i, k, j)) = rho * law[k] * f[j];
              q.local_element(at.lag(i, k)) = (M0 - m0) / epsilon;
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
    MovingFrame<dim>::kinetic_step(const double time, const double dt)
    {
      // the lag's initial layer (L(0) = 0) resolved by sub-steps
      if (grows)
        resize_axis(time);
      integrator->advance_through_initial_layer(time, dt, epsilon, q);
    }

    template <int dim>
    void
    MovingFrame<dim>::resize_axis(const double time)
    {
      const auto &       space = mesh.space();
      const unsigned int n_v = inputs.velocities.size(), n = grid.size();
      // an eighth of the cells: the end that is watched, and what each end
      // gains or gives back
      const unsigned int more = std::max(2u, n / 8);
      const auto         sums = LaneAxisGrowth::end_masses(q,
                                                   space.node_weight,
                                                   space.n_owned_dofs(),
                                                   inputs.velocities.weights,
                                                   n,
                                                   block,
                                                   more,
                                                   comm);
      // both ends at once: the grid stays [-Y, Y] (its Maxwellian centred)
      int change = 0;
      if (sums.too_full(true, tail_tolerance) || sums.too_full(false, tail_tolerance))
        change = int(more);
      else if (sums.nearly_empty(true, tail_tolerance) && sums.nearly_empty(false, tail_tolerance) &&
               n >= initial_cells + 2 * more)
        change = -int(more);
      if (change == 0)
        return;
      const PhaseVector old(q);
      grid = YGrid(grid.half_width() + change * grid.cell_size(), n + 2 * change);
      set_block();
      setup_operators();
      lanes->reinit(q);
      LaneAxisGrowth::copy_resized(old, q, std::size_t(space.n_owned_dofs()) * n_v, n, n + 1, change, change);
      solution_replaced();
      if (dealii::Utilities::MPI::this_mpi_process(comm) == 0)
        std::cout << "  the y-grid " << (change > 0 ? "grows" : "shrinks") << " to [-"
                  << Parameters::format(grid.half_width()) << ", "
                  << Parameters::format(grid.half_width()) << "] (" << grid.size()
                  << " cells) at t = " << Parameters::format(time) << std::endl;
    }

    template <int dim>
    void
    MovingFrame<dim>::set_block()
    {
      block                    = grid.size() + 1;
      this->lanes_per_velocity = block;
      // the lags are no densities: the positivity limiter leaves them alone
      this->positivity_skip = block;
    }

    template <int dim>
    void
    MovingFrame<dim>::density(PhaseVector &rho) const
    {
      const auto &       velocities = inputs.velocities;
      const unsigned int n_v = velocities.size(), n_y = grid.size();
      const auto &       space = mesh.space();
      const LaneLayout   at    = lane_layout();
      space.reinit_scalar(rho, false);
      for (unsigned int i = 0; i < space.n_owned_dofs(); ++i)
        {
          double sum = 0;
          for (unsigned int k = 0; k < n_v; ++k)
            {
              const double *const lane = q.begin() + at.lane(i, k);
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
      const LaneLayout   at    = lane_layout();

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
              const double *const lane = q.begin() + at.lane(i, k);
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
    MovingFrame<dim>::add_model_statistics(StatisticsRow &row) const
    {
      statistics.add_to(row);
      row.emplace_back("y_tail_mass", stat_tail);
      row.emplace_back("y_range", grid.half_width());
    }

    template <int dim>
    double
    MovingFrame<dim>::min_value() const
    {
      // p = q / eps, on the y-cells (not the lags)
      const LaneLayout at       = lane_layout();
      double           smallest = std::numeric_limits<double>::max();
      for (std::size_t a = 0; a < q.locally_owned_size(); ++a)
        if (!at.is_lag(a))
          smallest = std::min(smallest, q.local_element(a));
      return dealii::Utilities::MPI::min(smallest, comm) / epsilon;
    }

    template <int dim>
    void
    MovingFrame<dim>::add_output_fields(dealii::DataOut<dim> &    data_out,
                                        std::deque<PhaseVector> &storage) const
    {
      this->add_marginal_fields(data_out,
                                storage,
                                {{"m_mean", &m_mean_field},
                                 {"offset_mean", &y_mean_field},
                                 {"offset_variance", &y_variance_field}});
    }

    template <int dim>
    void
    MovingFrame<dim>::save_model_state(Checkpoint::State &state) const
    {
      state.set("model.moving_frame.y_grid", std::vector<double>{grid.half_width(), double(grid.size())});
      statistics.e1.save(state, "model.moving_frame.e1");
      phase_series.save(state, "model.moving_frame.phase_series");
      phase_y_series.save(state, "model.moving_frame.phase_y_series");
    }

    template <int dim>
    void
    MovingFrame<dim>::load_model_state(const Checkpoint::State &state)
    {
      statistics.e1.load(state, "model.moving_frame.e1");
      phase_series.load(state, "model.moving_frame.phase_series");
      phase_y_series.load(state, "model.moving_frame.phase_y_series");
    }

    template <int dim>
    bool
    MovingFrame<dim>::load_layout(const Checkpoint::State &state)
    {
      // checkpoints before the y-grid grew by itself hold none: the grid of
      // the parameters
      if (!state.has("model.moving_frame.y_grid"))
        return false;
      const auto saved = state.get_vector("model.moving_frame.y_grid");
      if (saved.size() != 2 || !(saved[1] >= 2))
        throw std::runtime_error("the checkpoint holds no y-grid of the moving frame");
      if (static_cast<unsigned int>(saved[1]) == grid.size())
        return false;
      grid = YGrid(saved[0], static_cast<unsigned int>(saved[1]));
      set_block();
      return true;
    }

    template class MovingFrame<1>;
    template class MovingFrame<2>;
    template class MovingFrame<3>;
  } // namespace Models
} // namespace chemokin
