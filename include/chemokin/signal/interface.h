#pragma once

#include <deal.II/base/parameter_handler.h>
#include <deal.II/base/point.h>

#include <chemokin/base/plugin_registry.h>
#include <chemokin/mesh/phase_space.h>

#include <map>
#include <string>

namespace chemokin
{
  namespace Signal
  {
    template <int dim>
    class FieldCoupling;

    /** M, grad M and d_tM at the nodes of an x-mesh, by local x-DoF. */
    template <int dim>
    struct Samples
    {
      std::vector<double>                 value;
      std::vector<dealii::Tensor<1, dim>> gradient;
      std::vector<double>                 time_derivative;
    };

    /**
     * The log-signal M(t, x) (the logarithm of the attractant concentration)
     * with its derivatives; the run-and-tumble model reads the path-wise
     * gradient D_tM = dM/dt + v.grad M of eq. (1.2).
     */
    template <int dim>
    class Interface
    {
    public:
      virtual ~Interface() = default;

      /**
       * Read the plugin's entries. @p constants are the user constants of
       * `Signal/Constants`; @p probe a point of the domain for checks.
       */
      virtual void
      parse_parameters(dealii::ParameterHandler &prm) = 0;

      virtual void
      initialize(const std::map<std::string, double> &constants,
                 const dealii::Point<dim> &           probe,
                 double                               length_scale) = 0;

      virtual double
      value(const dealii::Point<dim> &x, double t) const = 0;

      virtual dealii::Tensor<1, dim>
      gradient(const dealii::Point<dim> &x, double t) const = 0;

      virtual double
      time_derivative(const dealii::Point<dim> &x, double t) const = 0;

      /** Whether M does not depend on t (so that D_tM can be cached). */
      virtual bool
      is_static() const = 0;

      /**
       * M, grad M and d_tM at all nodes of @p space at time @p t. The
       * default evaluates value(), gradient() and time_derivative() at the
       * node positions; signals that are fields on the x-mesh sample them.
       */
      virtual void
      sample(const PhaseSpace<dim> &space, double t, Samples<dim> &out) const;

      /**
       * The fields the bacteria change and their coupling to a model (a
       * reaction-diffusion signal), or nullptr: a signal given as a formula
       * needs none.
       */
      virtual FieldCoupling<dim> *
      coupling()
      {
        return nullptr;
      }

      /** D_tM(t, x, v) = dM/dt + v.grad M, eq. (1.2). */
      double
      path_derivative(const dealii::Point<dim> &    x,
                      const dealii::Tensor<1, dim> &v,
                      double                        t) const
      {
        return time_derivative(x, t) + v * gradient(x, t);
      }
    };

    template <int dim>
    using Registry = PluginRegistry<Interface<dim>>;

    void
    declare_parameters(dealii::ParameterHandler &prm);

    /** The user constants of `Signal/Constants`, usable in all expressions. */
    std::map<std::string, double>
    constants(dealii::ParameterHandler &prm);

    template <int dim>
    std::unique_ptr<Interface<dim>>
    create(dealii::ParameterHandler &prm,
           const dealii::Point<dim> &probe,
           double                    length_scale);
  } // namespace Signal
} // namespace chemokin
