#include <deal.II/base/utilities.h>

#include <chemokin/base/input_error.h>
#include <chemokin/base/parameters.h>
#include <chemokin/models/internal_state_parameters.h>
#include <chemokin/time_stepping/imex_integrator.h>

namespace chemokin
{
  namespace Models
  {
    void
    InternalStateParameters::declare_parameters(dealii::ParameterHandler &prm)
    {
      prm.enter_subsection("Internal state");
      prm.declare_entry(
        "Frame",
        "auto",
        dealii::Patterns::Selection("auto|moving|fixed|signal"),
        "How the internal-state model is solved. `auto`: `moving` for "
        "`Dynamics = linear`, `signal` for `pathway`. `moving`: in the paper's "
        "coordinates y = (m - N(t,x,v))/eps (1.9), on the x-mesh times "
        "(velocity, y) lanes; the cost and the time step do not depend on "
        "eps (entries `Y range`, `Y cell size`); it sees M only through "
        "D_tM = d_tM + v.grad M (the lag L = D_tN is a field, (1.8)), so on a "
        "periodic box a signal such as M = g.x is the unbounded gradient, "
        "without the jump of M at the wall that `fixed` and the particles "
        "see. `fixed`: on an adaptive "
        "(x, m)-mesh refined to the band of width eps around N (entries "
        "`Cells per epsilon`, `Band width`, `Mesh`, ...); its cost grows like "
        "eps^-2, it is kept as the independent reference. `signal`: in the "
        "frame relative to the signal (DESIGN §11), u = (m - M)/eps for "
        "`linear`, u = m - m0 - l(S)/alpha for `pathway`, where the tumbling "
        "is local in u and the Fokker-Planck drift varies from lane to lane "
        "(entries `U cell size`, `U tail tolerance`); the only frame of the "
        "pathway.");
      prm.declare_entry("Epsilon",
                        "0.1",
                        dealii::Patterns::Double(),
                        "Adaptation time eps (relative to the observation "
                        "time): m relaxes to M on the time scale eps and its "
                        "spread around N(t,x,v) is eps. In (1e-8, 1e8].");
      prm.declare_entry("IMEX order",
                        "3",
                        dealii::Patterns::Integer(2, 5),
                        "Order of the additive (IMEX) Runge-Kutta method: "
                        "explicit transport and tumbling, implicit "
                        "Fokker-Planck (fixed frame: ARKode's pairs, 2 to 5) "
                        "or Ornstein-Uhlenbeck operator (moving frame: the "
                        "globally stiffly accurate ARS(2,2,2) and ARS(4,4,3), "
                        "2 or 3).");
      prm.declare_entry("IMEX implementation",
                        "low storage",
                        dealii::Patterns::Selection(ImexIntegrator::implementation_names()),
                        "How the moving frame and the frame relative to the signal "
                        "run their IMEX pair (the same tables, results equal to "
                        "round-off): `low storage`, written out with running stage "
                        "sums, 5 phase-space vectors for order 3 (3 for order 2), "
                        "the solution included (the explicit part goes into the "
                        "sums node by node); `arkode`, through SUNDIALS ARKode, "
                        "which keeps about 26 (kept for comparison). The fixed "
                        "frame always uses ARKode.");
      prm.leave_subsection();
    }

    InternalStateParameters::InternalStateParameters(dealii::ParameterHandler &prm)
    {
      prm.enter_subsection("Internal state");
      frame      = prm.get("Frame");
      dynamics   = prm.get("Dynamics");
      if (frame == "auto")
        frame = dynamics == "pathway" ? "signal" : "moving";
      else if (dynamics == "pathway" && frame != "signal")
        throw InputError("Internal state/Frame",
                         "`Dynamics = pathway` is solved in the frame relative to the signal "
                         "only (`auto` or `signal`), got `" + frame + "`");
      epsilon    = Parameters::get_double_in(prm,
                                             "Internal state",
                                             "Epsilon",
                                             min_epsilon,
                                             max_epsilon,
                                             "the scales 1/eps and 1/eps^2 of the model must be "
                                             "representable; below 1e-8 the run-and-tumble "
                                             "limit (Model = run and tumble) is the same to "
                                             "round-off");
      imex_order = prm.get_integer("IMEX order");
      imex_implementation = prm.get("IMEX implementation");
      prm.leave_subsection();
      // the explicit part of the IMEX stages has a smaller stability region
      // than the Runge-Kutta methods of run and tumble (the moving frame
      // blows up at 1 and runs at 0.9)
      prm.enter_subsection("Discretization");
      Parameters::get_double_in(prm,
                                "Discretization",
                                "CFL",
                                0,
                                0.8,
                                "the internal-state model's IMEX stages are stable up to "
                                "about 0.9");
      prm.leave_subsection();
      prm.enter_subsection("Initial condition");
      methylation_profile = dealii::Utilities::trim(prm.get("Methylation profile"));
      prm.leave_subsection();
    }
  } // namespace Models
} // namespace chemokin
