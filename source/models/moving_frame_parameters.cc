#include <chemokin/base/input_error.h>
#include <chemokin/base/parameters.h>
#include <chemokin/models/moving_frame.h>

#include <cmath>
#include <limits>

namespace chemokin
{
  namespace Models
  {
    /**
     * `Y range = auto`: 8 (the normal density is 1e-15 of its peak there)
     * plus the largest shift |s(v, v')| = |L(v') - L(v)| <= max |(v' - v).grad M|
     * (Lemma 3.1), sampled over the box and [0, T]: a tumble moves mass by
     * s in y, and every y of a velocity is m - N(v) for an m near some N(v').
     */
    template <int dim>
    YGrid
    MovingFrame<dim>::read_y_grid(dealii::ParameterHandler &prm, const ModelInputs<dim> &inputs)
    {
      const double end_time = prm.get_double("End time");
      prm.enter_subsection("Internal state");
      const std::string range = dealii::Utilities::trim(prm.get("Y range"));
      const double      h = Parameters::get_double_in(
        prm,
        "Internal state",
        "Y cell size",
        0,
        1,
        "the normal profile of y has width 1: wider cells get its variance visibly wrong");
      prm.leave_subsection();
      double Y = 0;
      if (range == "auto")
        {
          const auto &       domain  = inputs.domain;
          const auto &       v       = inputs.velocities;
          const unsigned int samples = dim == 1 ? 101 : 21;
          const double       max_speed = v.max_speed();
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
                // the nodes' own spread of v.grad M; for sets of more than
                // 1024 nodes (3-D rules of 10^5 directions) the bound
                // 2 max|v| |grad M|, which such sets approach, so that the
                // set-up does not cost samples x nodes
                if (v.size() > 1024)
                  {
                    spread = std::max(spread, 2 * max_speed * grad.norm());
                    continue;
                  }
                double low = std::numeric_limits<double>::max(), high = -low;
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
                        "peak at 8), and with `auto` the grid grows by itself "
                        "(`Y tail tolerance`: a tumble's shift or a signal that "
                        "steepens later). Or a number, kept: mass that would "
                        "leave that range stays in the end cells (statistics: "
                        "y_tail_mass); widen it for data far from equilibrium.");
      prm.declare_entry("Y tail tolerance",
                        "1e-8",
                        dealii::Patterns::Double(),
                        "`Frame = moving`, `Y range = auto`: the y-grid grows at "
                        "both ends by an eighth of its cells each (empty ones: "
                        "mass is kept exactly) before a step when the mass in "
                        "an end eighth exceeds this fraction of the total, and "
                        "gives an eighth back at both ends when both end "
                        "quarters hold at most a hundredth of it (never below "
                        "the initial grid; the mass of the cells that go moves "
                        "to the new end cells). statistics.csv: y_tail_mass, "
                        "the mass in the two end cells, and y_range; the log "
                        "names every change. In (0, 1].");
      prm.declare_entry("Implicit tumbling above",
                        "auto",
                        dealii::Patterns::Anything(),
                        "`Frame = moving`: with this rate c, the tumbling "
                        "frequency lambda splits into an explicit part "
                        "c phi(lambda/c) < c (phi(r) = r up to r = 1/2, then "
                        "1/2 + tanh(2r - 1)/2, smooth) and an implicit rest, "
                        "solved with the Ornstein-Uhlenbeck operator (the "
                        "loss exactly, the gain by fixed-point sweeps to 1e-8 "
                        "of the node's mass, the mass of every x-node "
                        "restored exactly). `auto`: c = 1/dt_x, dt_x the "
                        "x-CFL step (the transport's), so rates that are "
                        "large only in the tails of y (lambda = exp(z)) do "
                        "not shrink the step, while where lambda <= c/2 "
                        "nothing changes. `none`: all of it explicit (the "
                        "step is at most CFL / max lambda over the y-grid). "
                        "Or a positive rate. Needs `IMEX implementation = "
                        "low storage` (`auto` means `none` with `arkode`).");
      prm.declare_entry("Y cell size",
                        "0.25",
                        dealii::Patterns::Double(),
                        "`Frame = moving`: the cell size h of the y-grid "
                        "(rounded down so that whole cells fill [-Y, Y]). The "
                        "Ornstein-Uhlenbeck dynamics and the shifts in "
                        "tumbles are second order in h; equilibrium rates "
                        "and moments are exact for h up to about 1/2. In (0, 1].");
      prm.leave_subsection();
    }


    template <int dim>
    double
    MovingFrame<dim>::read_implicit_tumbling(dealii::ParameterHandler &prm,
                                             const std::string &       implementation)
    {
      prm.enter_subsection("Internal state");
      const std::string value = dealii::Utilities::trim(prm.get("Implicit tumbling above"));
      prm.leave_subsection();
      if (value == "none" || (value == "auto" && implementation == "arkode"))
        return std::numeric_limits<double>::infinity();
      if (value == "auto")
        return 0; // set from the x-mesh in setup_operators()
      if (implementation == "arkode")
        throw InputError("Internal state/Implicit tumbling above",
                         "a rate for the implicit tumbling needs `IMEX implementation = low "
                         "storage` (ARKode's stages solve the Ornstein-Uhlenbeck operator only); "
                         "got '" + value + "'");
      const double rate =
        Parameters::parse_constants("rate=" + value, "Internal state/Implicit tumbling above").at("rate");
      if (!(rate > 0) || !std::isfinite(rate))
        throw InputError("Internal state/Implicit tumbling above",
                         "needs `auto`, `none` or a positive rate, got '" + value + "'");
      return rate;
    }

#define CHEMOKIN_INSTANTIATE(dim)                                                              \
  template void  MovingFrame<dim>::declare_parameters(dealii::ParameterHandler &);            \
  template YGrid MovingFrame<dim>::read_y_grid(dealii::ParameterHandler &,                    \
                                               const ModelInputs<dim> &);                     \
  template double MovingFrame<dim>::read_implicit_tumbling(dealii::ParameterHandler &,         \
                                                           const std::string &);
    CHEMOKIN_INSTANTIATE(1)
    CHEMOKIN_INSTANTIATE(2)
    CHEMOKIN_INSTANTIATE(3)
#undef CHEMOKIN_INSTANTIATE
  } // namespace Models
} // namespace chemokin
