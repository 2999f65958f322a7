#pragma once

#include <stdexcept>
#include <string>

namespace chemokin
{
  /**
   * The error thrown for any problem with the user's input. It names the
   * parameter entry (as `Subsection/Entry`) so that the message printed by
   * main() tells the user exactly which line of the parameter file to fix.
   */
  class InputError : public std::runtime_error
  {
  public:
    InputError(const std::string &entry, const std::string &problem)
      : std::runtime_error("in entry '" + entry + "': " + problem)
      , entry_name(entry)
    {}

    const std::string &
    entry() const
    {
      return entry_name;
    }

  private:
    std::string entry_name;
  };
} // namespace chemokin
