#pragma once

#include <deal.II/base/mpi.h>
#include <deal.II/base/parameter_handler.h>

#include <functional>
#include <string>

namespace chemokin
{
  /**
   * The command line shared by chemokin's executables:
   * `[--help | --print-parameters [STYLE]] [file.prm]`. Declares and reads
   * the parameters, then calls @p action(prm, comm, file) (file empty when
   * none was given). Returns the exit status: 0 on success, 2 for bad input
   * (one line naming the entry, on standard error), 1 for any other error.
   */
  int
  run_command_line(
    int                                                   argc,
    char **                                               argv,
    const std::string &                                   usage,
    const std::function<void(dealii::ParameterHandler &, const MPI_Comm &, const std::string &)>
      &action);
} // namespace chemokin
