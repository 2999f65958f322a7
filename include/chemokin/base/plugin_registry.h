#pragma once

#include <deal.II/base/parameter_handler.h>

#include <chemokin/base/input_error.h>

#include <functional>
#include <map>
#include <memory>
#include <string>

namespace chemokin
{
  /**
   * A registry of plugins that implement one interface, in the manner of
   * ASPECT: each plugin registers itself by name with a one-paragraph
   * description, a function that declares its parameters, and a factory.
   * The registry provides the pattern and documentation of the `Type`-like
   * entry that selects a plugin, and creates the selected one.
   *
   * Every plugin's parameters are declared up front (in the subsection the
   * caller entered), so that a parameter file is checked completely before
   * anything runs.
   *
   * The factory makes an empty plugin that reads its parameters in
   * create(); a registry of plugins that are built from more (the models,
   * from the parameter file and a communicator) names its own @p Factory
   * and calls factory().
   */
  template <typename Interface, typename FactoryType = std::function<std::unique_ptr<Interface>()>>
  class PluginRegistry
  {
  public:
    using Factory = FactoryType;
    using Declare = std::function<void(dealii::ParameterHandler &)>;

    static PluginRegistry &
    get()
    {
      static PluginRegistry registry;
      return registry;
    }

    bool
    add(const std::string &name,
        const std::string &description,
        const Declare &    declare,
        const Factory &    factory)
    {
      entries[name] = Entry{description, declare, factory};
      return true;
    }

    /** `name1|name2|...`, for a Patterns::Selection. */
    std::string
    pattern() const
    {
      std::string result;
      for (const auto &[name, entry] : entries)
        result += (result.empty() ? "" : "|") + name;
      return result;
    }

    /** The list of plugins and their descriptions, for the entry's doc. */
    std::string
    documentation(const std::string &intro) const
    {
      std::string result = intro + " Choices:";
      for (const auto &[name, entry] : entries)
        result += "\n`" + name + "`: " + entry.description;
      return result;
    }

    void
    declare_parameters(dealii::ParameterHandler &prm) const
    {
      for (const auto &[name, entry] : entries)
        if (entry.declare)
          entry.declare(prm);
    }

    /**
     * Create the plugin called @p name and let it read its parameters from
     * the current subsection of @p prm. @p entry names the selecting
     * parameter in error messages.
     */
    std::unique_ptr<Interface>
    create(const std::string &       name,
           dealii::ParameterHandler &prm,
           const std::string &       entry) const
    {
      std::unique_ptr<Interface> plugin = factory(name, entry)();
      plugin->parse_parameters(prm);
      return plugin;
    }

    /** The factory of the plugin called @p name (@p entry names the selecting parameter). */
    const Factory &
    factory(const std::string &name, const std::string &entry) const
    {
      const auto it = entries.find(name);
      if (it == entries.end())
        throw InputError(entry, "no plugin named '" + name +
                                  "'; choices are " + pattern());
      return it->second.factory;
    }

  private:
    struct Entry
    {
      std::string description;
      Declare     declare;
      Factory     factory;
    };
    std::map<std::string, Entry> entries;
  };
} // namespace chemokin

#define CHEMOKIN_CONCAT_IMPL(a, b) a##b
#define CHEMOKIN_CONCAT(a, b) CHEMOKIN_CONCAT_IMPL(a, b)

/**
 * Register a plugin class template (templated on the space dimension) for
 * d = 1, 2 and 3 under @p name with @p description.
 */
#define CHEMOKIN_REGISTER_PLUGIN(Interface, Class, name, description)      \
  namespace                                                                \
  {                                                                        \
    const bool CHEMOKIN_CONCAT(chemokin_registered_, __LINE__)[3] = {      \
      ::chemokin::PluginRegistry<Interface<1>>::get().add(                 \
        name,                                                              \
        description,                                                       \
        &Class<1>::declare_parameters,                                     \
        [] { return std::unique_ptr<Interface<1>>(new Class<1>()); }),     \
      ::chemokin::PluginRegistry<Interface<2>>::get().add(                 \
        name,                                                              \
        description,                                                       \
        &Class<2>::declare_parameters,                                     \
        [] { return std::unique_ptr<Interface<2>>(new Class<2>()); }),     \
      ::chemokin::PluginRegistry<Interface<3>>::get().add(                 \
        name,                                                              \
        description,                                                       \
        &Class<3>::declare_parameters,                                     \
        [] { return std::unique_ptr<Interface<3>>(new Class<3>()); })};    \
  }
