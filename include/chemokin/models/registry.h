#pragma once

#include <deal.II/base/mpi.h>
#include <deal.II/base/parameter_handler.h>

#include <chemokin/base/plugin_registry.h>
#include <chemokin/models/interface.h>

#include <functional>
#include <memory>
#include <string>

namespace chemokin
{
  namespace Models
  {
    /** A model, set up from the parameter file (all its input checked). */
    template <int dim>
    using Factory =
      std::function<std::unique_ptr<Interface<dim>>(dealii::ParameterHandler &, const MPI_Comm &)>;

    /**
     * The kinetic models by name (`Model`): each registers itself with a
     * description and a factory (CHEMOKIN_REGISTER_MODEL), so that adding a
     * model is one class in models/ and one registration. pattern() and
     * documentation() make the `Model` entry.
     */
    template <int dim>
    using Registry = PluginRegistry<Interface<dim>, Factory<dim>>;

    /** The model `Model = name`. */
    template <int dim>
    std::unique_ptr<Interface<dim>>
    create(const std::string &name, dealii::ParameterHandler &prm, const MPI_Comm &comm)
    {
      return Registry<dim>::get().factory(name, "Model")(prm, comm);
    }
  } // namespace Models
} // namespace chemokin

/**
 * Register the model class template @p Class (constructed from the
 * parameter file and the communicator) for d = 1, 2 and 3 as @p name.
 */
#define CHEMOKIN_REGISTER_MODEL(Class, name, description)                                 \
  namespace                                                                               \
  {                                                                                       \
    template <int dim>                                                                    \
    std::unique_ptr<::chemokin::Models::Interface<dim>>                                   \
    CHEMOKIN_CONCAT(chemokin_make_model_, __LINE__)(dealii::ParameterHandler & prm,       \
                                                    const MPI_Comm &           comm)      \
    {                                                                                     \
      return std::make_unique<Class<dim>>(prm, comm);                                     \
    }                                                                                     \
    const bool CHEMOKIN_CONCAT(chemokin_registered_model_, __LINE__)[3] = {               \
      ::chemokin::Models::Registry<1>::get().add(                                         \
        name, description, nullptr, &CHEMOKIN_CONCAT(chemokin_make_model_, __LINE__) < 1 >), \
      ::chemokin::Models::Registry<2>::get().add(                                         \
        name, description, nullptr, &CHEMOKIN_CONCAT(chemokin_make_model_, __LINE__) < 2 >), \
      ::chemokin::Models::Registry<3>::get().add(                                         \
        name, description, nullptr, &CHEMOKIN_CONCAT(chemokin_make_model_, __LINE__) < 3 >)}; \
  }
