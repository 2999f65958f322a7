#include <chemokin/base/timing.h>
#include <chemokin/base/input_error.h>
#include <chemokin/base/parameters.h>
#include <chemokin/mesh/lane_layout.h>
#include <chemokin/operators/lag_relaxation.h>

#include <cmath>
#include <limits>

namespace chemokin
{
  template <int dim>
  LagRelaxation<dim>::LagRelaxation(const PhaseSpace<dim> &        x_space,
                                    const VelocitySet<dim> &       velocities,
                                    const Signal::Interface<dim> &signal,
                                    const double                   epsilon,
                                    const unsigned int             block)
    : x_space(x_space)
    , velocities(velocities)
    , signal(signal)
    , epsilon(epsilon)
    , block(block)
    , time(std::numeric_limits<double>::quiet_NaN())
  {}

  template <int dim>
  const std::vector<double> &
  LagRelaxation<dim>::path_derivatives(const double t) const
  {
    if (!forcing.empty() && (t == time || signal.is_static()))
      return forcing;
    const unsigned int n_v = velocities.size();
    forcing.resize(std::size_t(x_space.n_owned_dofs()) * n_v);
    signal.sample(x_space, t, samples);
    for (unsigned int i = 0; i < x_space.n_owned_dofs(); ++i)
      for (unsigned int k = 0; k < n_v; ++k)
        {
          const double value = samples.time_derivative[i] + velocities.nodes[k] * samples.gradient[i];
          if (!std::isfinite(value))
            throw InputError("Signal/Log-concentration",
                             "D_tM = d_tM + v.grad M is not finite at x = " +
                               Parameters::format(x_space.node_position[i]) +
                               ", t = " + Parameters::format(t));
          forcing[std::size_t(i) * n_v + k] = value;
        }
    time = t;
    return forcing;
  }

  template <int dim>
  void
  LagRelaxation<dim>::apply(const double t, const PhaseVector &src, PhaseVector &dst) const
  {
    const Timing::Scope timing("internal state");
    const auto &     D     = path_derivatives(t);
    const double     scale = 1.0 / epsilon;
    const LaneLayout at{static_cast<unsigned int>(velocities.size()), block - 1};
    for (std::size_t a = 0; a < D.size(); ++a)
      {
        const std::size_t index   = at.lag_of_pair(a);
        dst.local_element(index) = scale * (D[a] - src.local_element(index));
      }
  }

  template <int dim>
  void
  LagRelaxation<dim>::solve(const double gamma, const PhaseVector &b, PhaseVector &x) const
  {
    const Timing::Scope timing("internal state");
    const double      factor = 1.0 / (1.0 + gamma / epsilon);
    const std::size_t n      = std::size_t(x_space.n_owned_dofs()) * velocities.size();
    const LaneLayout  at{static_cast<unsigned int>(velocities.size()), block - 1};
    for (std::size_t a = 0; a < n; ++a)
      {
        const std::size_t index = at.lag_of_pair(a);
        x.local_element(index)  = factor * b.local_element(index);
      }
  }

  template <int dim>
  void
  LagRelaxation<dim>::solve_stage(const double       t,
                                  const double       gamma,
                                  const PhaseVector &s,
                                  PhaseVector &      x) const
  {
    const Timing::Scope timing("internal state");
    const auto &        D      = path_derivatives(t);
    const double        factor = 1.0 / (1.0 + gamma / epsilon), forced = gamma / epsilon;
    const LaneLayout    at{static_cast<unsigned int>(velocities.size()), block - 1};
    for (std::size_t a = 0; a < D.size(); ++a)
      {
        const std::size_t index = at.lag_of_pair(a);
        x.local_element(index)  = factor * (s.local_element(index) + forced * D[a]);
      }
  }

  template class LagRelaxation<1>;
  template class LagRelaxation<2>;
  template class LagRelaxation<3>;
} // namespace chemokin
