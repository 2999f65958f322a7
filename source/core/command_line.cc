#include <chemokin/base/expression.h>
#include <chemokin/base/input_error.h>
#include <chemokin/core/command_line.h>
#include <chemokin/core/simulator.h>

#include <iostream>

namespace chemokin
{
  int
  run_command_line(
    const int                                             argc,
    char **                                               argv,
    const std::string &                                   usage,
    const std::function<void(dealii::ParameterHandler &, const MPI_Comm &, const std::string &)>
      &action)
  {
    const MPI_Comm comm = MPI_COMM_WORLD;
    const bool     root = dealii::Utilities::MPI::this_mpi_process(comm) == 0;
    try
      {
        dealii::ParameterHandler prm;
        declare_parameters(prm);

        std::string file;
        for (int i = 1; i < argc; ++i)
          {
            const std::string arg = argv[i];
            if (arg == "-h" || arg == "--help")
              {
                if (root)
                  std::cout << usage;
                return 0;
              }
            if (arg == "--print-parameters")
              {
                const std::string style  = i + 1 < argc ? argv[i + 1] : "prm";
                const auto        format = style == "json"  ? dealii::ParameterHandler::JSON :
                                           style == "latex" ? dealii::ParameterHandler::LaTeX :
                                           style == "description" ?
                                                              dealii::ParameterHandler::Description :
                                                              dealii::ParameterHandler::PRM;
                if (root)
                  prm.print_parameters(std::cout, format);
                return 0;
              }
            if (!arg.empty() && arg[0] == '-')
              throw InputError("command line", "unknown option '" + arg + "' (try --help)");
            if (!file.empty())
              throw InputError("command line", "more than one parameter file given");
            file = arg;
          }

        if (!file.empty())
          parse_parameter_file(prm, file);
        action(prm, comm, file);
      }
    catch (const InputError &e)
      {
        if (root)
          std::cerr << "chemokin: error " << e.what() << std::endl;
        return 2;
      }
    catch (const std::exception &e)
      {
        // input errors are found by every rank alike; anything else (a
        // failed write, memory, a library) may hit one rank while the others
        // wait for it in a collective call: end them all, now
        std::cerr << "chemokin: error: " << one_line_message(e) << std::endl;
        if (dealii::Utilities::MPI::n_mpi_processes(comm) > 1)
          MPI_Abort(comm, 1);
        return 1;
      }
    return 0;
  }
} // namespace chemokin
