#include <chemokin/base/input_error.h>
#include <chemokin/base/parameters.h>
#include <chemokin/dynamics/interface.h>
#include <chemokin/dynamics/linear.h>
#include <chemokin/dynamics/pathway.h>

namespace chemokin
{
  namespace Dynamics
  {
    Linear::Linear(const double epsilon, std::unique_ptr<TumblingRate> rate)
      : epsilon(epsilon)
      , lambda(std::move(rate))
    {}

    void
    declare_parameters(dealii::ParameterHandler &prm)
    {
      prm.enter_subsection("Internal state");
      prm.declare_entry(
        "Dynamics",
        "linear",
        dealii::Patterns::Selection("linear|pathway"),
        "The internal dynamics (DESIGN §11). `linear`: the paper's model "
        "(1.4), m relaxes to M at rate 1/eps, the tumbling frequency is "
        "lambda((m - M)/eps). `pathway`: the E. coli signalling pathway, MWC "
        "receptor clusters with saturating methylation (subsection `Pathway`, "
        "ligand S = e^M, `Tumbling/Rate` an expression in the activity `a`), "
        "solved in the frame relative to the signal (`Frame = auto` or "
        "`signal`); `Model = run and tumble` then takes the pathway's limit.");
      Pathway::declare_parameters(prm);
      prm.leave_subsection();
    }

    std::string
    selected(dealii::ParameterHandler &prm)
    {
      prm.enter_subsection("Internal state");
      const std::string name = prm.get("Dynamics");
      prm.leave_subsection();
      return name;
    }

    std::unique_ptr<Interface>
    create(dealii::ParameterHandler &prm, const std::map<std::string, double> &constants)
    {
      if (selected(prm) == "pathway")
        return std::make_unique<Pathway>(prm, constants);
      prm.enter_subsection("Internal state");
      // checked by the models that use it (InternalStateParameters)
      const double epsilon = prm.get_double("Epsilon");
      prm.leave_subsection();
      prm.enter_subsection("Tumbling");
      auto rate = std::make_unique<TumblingRate>(prm, constants);
      prm.leave_subsection();
      return std::make_unique<Linear>(epsilon, std::move(rate));
    }
  } // namespace Dynamics
} // namespace chemokin
