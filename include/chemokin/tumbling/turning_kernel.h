#pragma once

#include <deal.II/base/parameter_handler.h>
#include <deal.II/lac/full_matrix.h>

#include <chemokin/base/plugin_registry.h>
#include <chemokin/velocity/velocity_set.h>

namespace chemokin
{
  namespace TurningKernel
  {
    /**
     * The law K(v, v') of the post-tumble velocity v given the pre-tumble
     * velocity v'. The discrete kernel is normalized on the velocity set,
     * sum_k w_k K(v_k, v_l) = 1 for every l, which makes the discrete
     * tumbling operator conserve mass exactly.
     */
    template <int dim>
    class Interface
    {
    public:
      virtual ~Interface() = default;

      virtual void
      parse_parameters(dealii::ParameterHandler &prm) = 0;

      /** K(k, l) = K(v_k, v_l), normalized as above. */
      virtual dealii::FullMatrix<double>
      matrix(const VelocitySet<dim> &velocities) const = 0;

      /**
       * True if K does not depend on (v, v'): the gain term is then the same
       * for every v and costs O(n_v) per point instead of O(n_v^2).
       */
      virtual bool
      is_uniform() const
      {
        return false;
      }
    };

    template <int dim>
    using Registry = PluginRegistry<Interface<dim>>;

    /** Declares `Turning kernel` and the plugins' entries (in `Tumbling`). */
    void
    declare_parameters(dealii::ParameterHandler &prm);

    /** To be called inside subsection `Tumbling`. */
    template <int dim>
    std::unique_ptr<Interface<dim>>
    create(dealii::ParameterHandler &prm);
  } // namespace TurningKernel
} // namespace chemokin
