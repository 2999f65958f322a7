#include <deal.II/base/mpi.h>
#include <deal.II/base/parameter_handler.h>

#include <chemokin/base/expression.h>
#include <chemokin/base/input_error.h>
#include <chemokin/core/simulator.h>

#include <iostream>
#include <string>

namespace
{
  const char *const usage =
    "Usage: chemokin [options] [file.prm]\n"
    "\n"
    "Simulates bacterial chemotaxis with kinetic equations (run-and-tumble\n"
    "model). Without a file, runs the default example (all parameters at\n"
    "their defaults; see doc/parameters.prm).\n"
    "\n"
    "Options:\n"
    "  -h, --help                  print this message and exit\n"
    "  --print-parameters [STYLE]  print every parameter with its default,\n"
    "                              pattern and documentation, and exit;\n"
    "                              STYLE is prm (default), description,\n"
    "                              json or latex\n";
} // namespace

int
main(int argc, char *argv[])
{
  dealii::Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  const MPI_Comm comm = MPI_COMM_WORLD;
  const bool     root = dealii::Utilities::MPI::this_mpi_process(comm) == 0;

  try
    {
      dealii::ParameterHandler prm;
      chemokin::declare_parameters(prm);

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
              const std::string style = i + 1 < argc ? argv[i + 1] : "prm";
              const auto        format =
                style == "json"  ? dealii::ParameterHandler::JSON :
                style == "latex" ? dealii::ParameterHandler::LaTeX :
                style == "description" ?
                                   dealii::ParameterHandler::Description :
                                   dealii::ParameterHandler::PRM;
              if (root)
                prm.print_parameters(std::cout, format);
              return 0;
            }
          if (!arg.empty() && arg[0] == '-')
            throw chemokin::InputError("command line",
                                       "unknown option '" + arg +
                                         "' (try --help)");
          if (!file.empty())
            throw chemokin::InputError("command line",
                                       "more than one parameter file given");
          file = arg;
        }

      if (!file.empty())
        chemokin::parse_parameter_file(prm, file);
      chemokin::run_simulation(prm, comm, file);
    }
  catch (const chemokin::InputError &e)
    {
      if (root)
        std::cerr << "chemokin: error " << e.what() << std::endl;
      return 2;
    }
  catch (const std::exception &e)
    {
      std::cerr << "chemokin: error: " << chemokin::one_line_message(e)
                << std::endl;
      return 1;
    }
  return 0;
}
