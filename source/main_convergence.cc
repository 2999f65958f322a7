#include <chemokin/core/command_line.h>
#include <chemokin/study/convergence_study.h>

int
main(int argc, char *argv[])
{
  dealii::Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  return chemokin::run_command_line(
    argc,
    argv,
    "Usage: chemokin-convergence [options] file.prm\n"
    "\n"
    "The eps-convergence study of Theorem 2.1: runs the case of file.prm in\n"
    "`both` mode for every eps of `Convergence study/Epsilons` (each also one\n"
    "mesh step finer, unless `Mesh check = false`) and writes convergence.csv\n"
    "and rates.csv into the output directory. Plot with\n"
    "scripts/plot_convergence.py; see doc/convergence.md.\n"
    "\n"
    "Options:\n"
    "  -h, --help                  print this message and exit\n"
    "  --print-parameters [STYLE]  as for chemokin\n",
    [](dealii::ParameterHandler &prm, const MPI_Comm &comm, const std::string &file) {
      chemokin::Study::run_convergence_study(prm, comm, file);
    });
}
