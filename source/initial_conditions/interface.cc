#include <chemokin/initial_conditions/interface.h>
#include <chemokin/signal/interface.h>

namespace chemokin
{
  namespace InitialConditions
  {
    void
    declare_parameters(dealii::ParameterHandler &prm)
    {
      prm.enter_subsection("Initial condition");
      prm.declare_entry("Type",
                        "density expression",
                        dealii::Patterns::Selection(Registry<1>::get().pattern()),
                        Registry<1>::get().documentation(
                          "How the initial density is given."));
      Registry<1>::get().declare_parameters(prm);
      prm.declare_entry(
        "Methylation profile",
        "",
        dealii::Patterns::Anything(),
        "Internal-state model only: the initial m-profile f(x, m) (a muparser "
        "expression in `x` (and `y`), `m`, `eps` and the user constants, "
        "integrating to 1 over m), p0 = rho0(x)/|V| f. Empty: the well-prepared "
        "profile f = (1/eps) G((m - M(0,x))/eps). In the moving frame "
        "the profile is sampled on the y-grid around N(0) (`Adaptation level`), so "
        "it must vanish at m = N(0) +- eps Y (`Internal state/Y range`).");
      prm.declare_entry(
        "Adaptation level",
        "",
        dealii::Patterns::Anything(),
        "Internal-state model, `Frame = moving` only: the level N0(x) the "
        "bacteria are adapted to at t = 0 (a muparser expression in `x` (`y`, "
        "`z`) and the user constants), for data that are not well prepared, "
        "such as cells adapted to a background before a step in the signal "
        "(DESIGN §8). The centre N of (1.8) starts from N(0) = N0 (the lag from "
        "L(0) = (M(0,x) - N0)/eps), y = (m - N)/eps, and without a `Methylation "
        "profile` the initial profile is (1/eps) G((m - N0)/eps). Empty: N0 = "
        "M(0,x), well prepared.");
      prm.declare_entry(
        "Velocity profile",
        "",
        dealii::Patterns::Anything(),
        "Run and tumble and `Frame = moving`: the initial law of the velocity "
        "f(v) >= 0, a muparser expression in `vx` (`vy`, `vz`) and the user "
        "constants, normalized on the discrete velocity set: p0 = rho0(x) "
        "f(v) / sum_k w_k f(v_k). For a peaked law (e.g. exp(10*vx)) with "
        "`Adaptive refinement/Adapt v` the velocity mesh refines where it "
        "varies before the run starts. Empty: f = 1 (p0 = rho0/|V|).");
      prm.leave_subsection();
    }

    template <int dim>
    std::unique_ptr<Interface<dim>>
    create(dealii::ParameterHandler &prm, const dealii::Point<dim> &probe)
    {
      const auto constants = Signal::constants(prm);
      prm.enter_subsection("Initial condition");
      auto plugin = Registry<dim>::get().create(prm.get("Type"),
                                                prm,
                                                "Initial condition/Type");
      prm.leave_subsection();
      plugin->initialize(constants, probe);
      return plugin;
    }

    template std::unique_ptr<Interface<1>>
    create<1>(dealii::ParameterHandler &, const dealii::Point<1> &);
    template std::unique_ptr<Interface<2>>
    create<2>(dealii::ParameterHandler &, const dealii::Point<2> &);
    template std::unique_ptr<Interface<3>>
    create<3>(dealii::ParameterHandler &, const dealii::Point<3> &);
  } // namespace InitialConditions
} // namespace chemokin
