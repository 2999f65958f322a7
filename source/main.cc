#include <chemokin/core/command_line.h>
#include <chemokin/core/simulator.h>

int
main(int argc, char *argv[])
{
  dealii::Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  return chemokin::run_command_line(
    argc,
    argv,
    "Usage: chemokin [options] [file.prm]\n"
    "\n"
    "Simulates bacterial chemotaxis with kinetic equations: the run-and-tumble\n"
    "model, the internal-state model, both side by side, or the particle\n"
    "process (`Model`). Without a file, runs the default example (all\n"
    "parameters at their defaults; see doc/parameters.prm).\n"
    "\n"
    "Options:\n"
    "  -h, --help                  print this message and exit\n"
    "  --print-parameters [STYLE]  print every parameter with its default,\n"
    "                              pattern and documentation, and exit;\n"
    "                              STYLE is prm (default), description,\n"
    "                              json or latex\n",
    [](dealii::ParameterHandler &prm, const MPI_Comm &comm, const std::string &file) {
      chemokin::run_simulation(prm, comm, file);
    });
}
