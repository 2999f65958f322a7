// Mass through x-adaptivity (DESIGN §9): a pulse travelling with the signal
// across the box, the x-mesh adapted after every time step (at least 100
// adaptations), run and tumble and the moving frame, d = 1 and 2, periodic
// and reflecting walls; `both` (the limit adapts with the internal state:
// its mass too) and the particles (the cells that count them adapt). The transfer interpolates to children and
// L2-projects to parents: the mass must stay to round-off, and the mesh
// must actually change (the cell count takes several values).

#include "test_tools.h"

#include <set>

void
check(const unsigned int dim, const std::string &model, const std::string &boundary)
{
  const std::string name = "d=" + std::to_string(dim) + ", " + model + ", " + boundary;
  const std::string dir  = test::scratch("adapt-" + std::to_string(dim) + model.substr(0, 3) + boundary);
  const bool        moving_frame = model == "internal state" || model == "both";
  test::run("set Dimension = " + std::to_string(dim) + "\nset Model = " + model +
            "\nset End time = " + (dim == 1 ? "4" : "3.6") + "\nset Output directory = " + dir +
            "\nsubsection Domain\n set Lower corner = " + (dim == 1 ? "0" : "0, 0") +
            "\n set Upper corner = " + (dim == 1 ? "8" : "8, 8") + "\n set Boundary = " + boundary +
            "\nend\n"
            "subsection Velocity space\n set Number of directions = 8\nend\n"
            "subsection Signal\n set Log-concentration = 2*sin(pi*(x - t)/4)\nend\n"
            "subsection Tumbling\n set Rate = 1 + 0.5*tanh(z)\n set Turning kernel = persistence\n"
            " set Mean cosine = 0.3\nend\n"
            "subsection Initial condition\n set Density = 0.05 + exp(-4*((x - 2)^2" +
            (dim == 2 ? std::string(" + (y - 4)^2") : std::string()) +
            "))\nend\n"
            "subsection Internal state\n set Frame = moving\n set Epsilon = 0.2\n set Y cell size = 0.5\nend\n"
            "subsection Particles\n set Number of particles = 20000\n set Time step = 0.01\nend\n"
            "subsection Discretization\n set Degree = 1\n set Refinement = " +
            (dim == 1 ? "3" : "2") +
            "\nend\n"
            "subsection Adaptive refinement\n set Adapt x = true\n set Maximum x level = " +
            (dim == 1 ? "7" : "4") +
            "\n set Steps between adaptations = 1\n set Refine threshold = 0.05\n"
            " set Coarsen threshold = 0.02\nend\n"
            "subsection Output\n set Time between outputs = 0.1\n set Postprocessors = statistics\nend\n");
  const auto   stats = test::read_csv(dir + "/statistics.csv");
  const double worst = test::max_relative_change(stats.at("mass"));
  const std::set<double> cells(stats.at("cells").begin(), stats.at("cells").end());
  test::check(name + ": at least 100 adaptations", stats.at("step").back() >= 100,
              std::to_string(int(stats.at("step").back())) + " steps, one adaptation each");
  test::check(name + ": the mesh changes", cells.size() >= 3,
              std::to_string(cells.size()) + " distinct cell counts, from " +
                std::to_string(int(*cells.begin())) + " to " + std::to_string(int(*cells.rbegin())));
  test::check_close(name + ": max relative mass change", worst, 0, 1e-13);
  if (model == "both")
    test::check_close(name + ": max relative mass change of the limit",
                      test::max_relative_change(stats.at("mass_limit")), 0, 1e-13);
  if (moving_frame)
    test::check(name + ": y_tail_mass < 1e-10", stats.at("y_tail_mass").back() < 1e-10,
                test::sci(stats.at("y_tail_mass").back()));
}

int
main(int argc, char **argv)
{
  dealii::Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  for (const unsigned int dim : {1u, 2u})
    for (const std::string model : {"run and tumble", "internal state"})
      for (const std::string boundary : {"periodic", "reflecting"})
        check(dim, model, boundary);
  check(1, "both", "reflecting");
  check(2, "both", "periodic");
  check(1, "particles", "periodic");
  check(2, "particles", "reflecting");
  return test::finish();
}
