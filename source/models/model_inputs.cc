#include <chemokin/base/input_error.h>
#include <chemokin/base/parameters.h>
#include <chemokin/base/memory.h>
#include <chemokin/mesh/box_mesh.h>
#include <chemokin/models/model_inputs.h>
#include <chemokin/time_stepping/explicit_runge_kutta.h>
#include <chemokin/velocity/interface.h>

#include <cmath>

namespace chemokin
{
  namespace Models
  {
    template <int dim>
    void
    ModelInputs<dim>::declare_parameters(dealii::ParameterHandler &prm)
    {
      prm.enter_subsection("Discretization");
      prm.declare_entry("Degree",
                        "2",
                        dealii::Patterns::Integer(0, 8),
                        "Polynomial degree k of the DG(k) space in x (and m).");
      prm.declare_entry("Refinement",
                        "6",
                        dealii::Patterns::Integer(0, 20),
                        "Number of global refinements of the x-mesh (the "
                        "coarse mesh has nearly cubic cells, one across the "
                        "shortest edge of the box). The internal-state model "
                        "starts from this x-resolution and refines (x, m)-cells "
                        "further inside the band.");
      prm.declare_entry("CFL",
                        "0.5",
                        dealii::Patterns::Double(),
                        "Time step = CFL * min(h / ((2k+1) sum_j max|v_j|), "
                        "1 / max tumbling rate). In (0, 1] for run and tumble "
                        "(its explicit stages are stable up to 1), (0, 0.8] "
                        "for the internal-state model (IMEX stages).");
      prm.declare_entry("Time stepping scheme",
                        "ssp rk3",
                        dealii::Patterns::Selection(ExplicitRungeKutta::names()),
                        "Explicit Runge-Kutta method of deal.II's TimeStepping "
                        "for the run-and-tumble model: `forward euler`, "
                        "`ssp rk3`, `rk4`, or the low-storage `low storage rk3` "
                        "(3 stages), `low storage rk4` (5 stages), `low storage "
                        "rk5` (9 stages). The internal-state model uses the "
                        "IMEX method of `Internal state/IMEX order`.");
      prm.declare_entry("Positivity limiter",
                        "false",
                        dealii::Patterns::Bool(),
                        "After every time step, contract the DG polynomial of "
                        "each cell and velocity towards its cell average so "
                        "that it is non-negative at the nodes (the scaling "
                        "limiter of Zhang and Shu). Keeps the mass of every "
                        "cell exactly; removes the undershoots of DG(k >= 1) "
                        "at steep fronts, at some loss of accuracy there. "
                        "Without it, chemokin warns once when the solution "
                        "goes negative (statistics.csv: min_value).");
      prm.leave_subsection();
    }

    template <int dim>
    ModelInputs<dim>::ModelInputs(dealii::ParameterHandler &prm, const MPI_Comm &comm)
      : domain(Domain<dim>::parse(prm))
      , velocities(VelocitySpace::create<dim>(prm))
      , constants(Signal::constants(prm))
      , signal(Signal::create<dim>(prm, domain.center(), domain.size()))
    {
      // the pathway's rate is an expression in the activity a, not in z
      dynamics = Dynamics::create(prm, constants);
      prm.enter_subsection("Tumbling");
      if (dynamics->name() == "linear")
        tumbling_rate = std::make_unique<TumblingRate>(prm, constants);
      kernel = TurningKernel::create<dim>(prm);
      prm.leave_subsection();
      if (tumbling_rate)
        tumbling_rate->check_nonnegative(10.0);

      prm.enter_subsection("Discretization");
      degree     = prm.get_integer("Degree");
      refinement = prm.get_integer("Refinement");
      cfl        = Parameters::get_double_in(prm,
                                             "Discretization",
                                             "CFL",
                                             0,
                                             1,
                                             "the explicit stages are stable up to 1 with this "
                                             "time step; beyond it a run blows up or drifts off "
                                             "without a warning");
      time_stepping_scheme = prm.get("Time stepping scheme");
      positivity_limiter   = prm.get_bool("Positivity limiter");
      prm.leave_subsection();
      x_adaptivity = XAdaptivity<dim>(prm, refinement);

      initial = InitialConditions::create<dim>(prm, domain.center());
      prm.enter_subsection("Initial condition");
      const std::string level = dealii::Utilities::trim(prm.get("Adaptation level"));
      const std::string law   = dealii::Utilities::trim(prm.get("Velocity profile"));
      prm.leave_subsection();
      if (!law.empty())
        velocity_profile = std::make_unique<Expression<dim>>(
          law, dim == 1 ? "vx" : dim == 2 ? "vx,vy" : "vx,vy,vz", false, constants,
          "Initial condition/Velocity profile", dealii::Point<dim>());
      std::vector<bool> reflecting(dim);
      for (unsigned int j = 0; j < dim; ++j)
        reflecting[j] = domain.boundary[j] == BoundaryCondition::reflecting;
      v_adaptivity = VAdaptivity<dim>(prm, velocities, reflecting);
      if (!level.empty())
        adaptation_level = std::make_unique<Expression<dim>>(
          level, coordinate_names(dim), false, constants, "Initial condition/Adaptation level", domain.center());

      // the x-mesh phase space, before any of it is allocated
      memory_limit = Memory::limit(prm, comm);
      double cells = 1;
      for (const unsigned int n : domain.repetitions())
        cells *= std::ldexp(double(n), refinement);
      const double unknowns = cells * std::pow(degree + 1.0, dim) * velocities.size();
      Memory::check(unknowns * Memory::bytes_per_explicit_unknown,
                    memory_limit,
                    "Discretization/Refinement",
                    "the x-mesh of " + Parameters::format(cells) + " cells with " +
                      std::to_string(velocities.size()) + " velocities");
    }

    template <int dim>
    void
    ModelInputs<dim>::refuse_coupled_signal(const std::string &model) const
    {
      if (signal->coupling())
        throw InputError("Signal/Type",
                         "`reaction-diffusion` is not available for " + model);
    }

    template <int dim>
    void
    ModelInputs<dim>::check_signal(const std::vector<dealii::Point<dim>> &points) const
    {
      for (const auto &x : points)
        {
          const double m = signal->value(x, 0) + signal->time_derivative(x, 0) +
                           signal->gradient(x, 0).norm();
          if (!std::isfinite(m))
            throw InputError("Signal/Log-concentration",
                             "M or its derivatives are not finite at x = " +
                               Parameters::format(x));
        }
    }

    template <int dim>
    void
    ModelInputs<dim>::check_periodic_signal(const std::string &model) const
    {
      if (signal->coupling())
        return;
      const auto periodic = domain.periodic_axes();
      // 5^(dim-1) points on each pair of periodic walls, at t = 0 and 1
      const unsigned int per_axis = 5, n = dim == 1 ? 1 : dim == 2 ? 5 : 25;
      for (unsigned int d = 0; d < dim; ++d)
        if (periodic[d])
          {
            double first_jump = 0;
            for (const double t : {0.0, 1.0})
              for (unsigned int p = 0; p < n; ++p)
                {
                  dealii::Point<dim> a = domain.lower;
                  for (unsigned int e = 0, code = p; e < dim; ++e)
                    if (e != d)
                      {
                        a[e] = domain.lower[e] + (code % per_axis + 0.5) / per_axis *
                                                   (domain.upper[e] - domain.lower[e]);
                        code /= per_axis;
                      }
                  dealii::Point<dim> b = a;
                  b[d]                 = domain.upper[d];
                  const double ma = signal->value(a, t), mb = signal->value(b, t);
                  const double jump = mb - ma;
                  if (t == 0 && p == 0)
                    first_jump = jump;
                  else if (std::abs(jump - first_jump) > 1e-9 * (1 + std::abs(ma) + std::abs(mb)))
                    throw InputError(
                      "Signal/Log-concentration",
                      "M(upper) - M(lower) across the periodic walls of axis " +
                        std::to_string(d) + " is " + Parameters::format(jump) + " at x = " +
                        Parameters::format(a) + ", t = " + Parameters::format(t) + " but " +
                        Parameters::format(first_jump) + " at t = 0 elsewhere: " + model +
                        " carries m relative to M across the walls, which is the torus of "
                        "a signal extended by a constant jump (M periodic, or M = g x plus "
                        "a periodic part); use `Domain/Boundary = reflecting` or such an M");
                }
          }
    }

    template <int dim>
    std::vector<double>
    ModelInputs<dim>::initial_velocity_law() const
    {
      std::vector<double> law(velocities.size(), 1.0 / velocities.measure);
      if (!velocity_profile)
        return law;
      double total = 0;
      for (unsigned int k = 0; k < velocities.size(); ++k)
        {
          const double f = velocity_profile->value(dealii::Point<dim>(velocities.nodes[k]));
          if (!std::isfinite(f) || f < 0)
            throw InputError("Initial condition/Velocity profile",
                             "f = " + Parameters::format(f) + " at v = " +
                               Parameters::format(dealii::Point<dim>(velocities.nodes[k])) +
                               ": must be finite and non-negative");
          law[k] = f;
          total += velocities.weights[k] * f;
        }
      if (!(total > 0))
        throw InputError("Initial condition/Velocity profile",
                         "the profile vanishes at every velocity node");
      for (double &g : law)
        g /= total;
      return law;
    }

    template <int dim>
    void
    ModelInputs<dim>::refuse_velocity_profile(const std::string &model) const
    {
      if (velocity_profile)
        throw InputError("Initial condition/Velocity profile",
                         model + " starts from the uniform velocity law; leave it empty "
                                 "(run and tumble and `Frame = moving` read it)");
    }

    template struct ModelInputs<1>;
    template struct ModelInputs<2>;
    template struct ModelInputs<3>;
  } // namespace Models
} // namespace chemokin
