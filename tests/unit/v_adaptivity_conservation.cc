// Mass through v-adaptivity (DESIGN §9): the velocity law starts peaked
// along +x (`Velocity profile`) and relaxes towards the law of a gradient
// along y (periodic in y on the torus: the moving frame needs M periodic), so the velocity mesh refines and coarsens as it goes; adapted
// after every step (at least 100 adaptations). Run and tumble and the
// moving frame, `sphere` in d = 2 (periodic, and reflecting walls, where the
// mesh keeps the mirror symmetry), `ball` in d = 1, and x and v adapted
// together. The transfer interpolates to children and L2-projects to
// parents: the mass must stay to round-off, the velocity mesh must change
// (the node count takes several values).

#include "test_tools.h"

#include <set>

void
check(const unsigned int dim, const std::string &model, const std::string &boundary, const bool adapt_x)
{
  const std::string name = "d=" + std::to_string(dim) + ", " + model + ", " + boundary +
                           (adapt_x ? ", x and v" : ", v");
  const std::string dir = test::scratch("vadapt-" + std::to_string(dim) + model.substr(0, 3) + boundary +
                                        (adapt_x ? "xv" : "v"));
  test::run("set Dimension = " + std::to_string(dim) + "\nset Model = " + model +
            "\nset End time = " + (adapt_x ? "4.3" : "5.2") + "\nset Output directory = " + dir +
            "\nsubsection Domain\n set Lower corner = " + (dim == 1 ? "0" : "0, 0") +
            "\n set Upper corner = " + (dim == 1 ? "4" : "4, 4") + "\n set Boundary = " + boundary +
            "\nend\n"
            "subsection Velocity space\n set Type = " + (dim == 1 ? "ball" : "sphere") +
            "\n set Number of directions = 8\n set Points per cell = 2\n set Radial points = 2\nend\n"
            "subsection Signal\n set Log-concentration = " +
            (dim == 1 ? "-3*x" : boundary == "periodic" ? "(6/pi)*sin(pi*y/2)" : "3*y") +
            "\nend\n"
            "subsection Tumbling\n set Rate = 1 + 0.9*tanh(z)\nend\n"
            "subsection Initial condition\n set Density = 0.2 + exp(-2*(x - 2)^2)\n"
            " set Velocity profile = exp(6*vx)\nend\n"
            "subsection Internal state\n set Frame = moving\n set Epsilon = 0.2\n set Y cell size = 1\n"
            " set Y range = 10\nend\n"
            "subsection Discretization\n set Degree = 1\n set Refinement = " +
            (dim == 1 ? "3" : "2") +
            "\nend\n"
            "subsection Adaptive refinement\n set Adapt v = true\n set Maximum v level = 3\n"
            " set V refine threshold = 0.05\n set V coarsen threshold = 0.02\n"
            " set Adapt x = " + (adapt_x ? "true" : "false") +
            "\n set Maximum x level = " + (dim == 1 ? "6" : "3") +
            "\n set Steps between adaptations = 1\nend\n"
            "subsection Output\n set Time between outputs = 0.1\n set Postprocessors = statistics\nend\n");
  const auto   stats = test::read_csv(dir + "/statistics.csv");
  const double worst = test::max_relative_change(stats.at("mass"));
  const std::set<double> nodes(stats.at("velocities").begin(), stats.at("velocities").end());
  test::check(name + ": at least 100 adaptations", stats.at("step").back() >= 100,
              std::to_string(int(stats.at("step").back())) + " steps, one adaptation each");
  test::check(name + ": the velocity mesh changes", nodes.size() >= 3,
              std::to_string(nodes.size()) + " distinct node counts, from " +
                std::to_string(int(*nodes.begin())) + " to " + std::to_string(int(*nodes.rbegin())));
  test::check_close(name + ": max relative mass change", worst, 0, 1e-13);
  if (model == "both")
    test::check_close(name + ": max relative mass change of the limit",
                      test::max_relative_change(stats.at("mass_limit")), 0, 1e-13);
}

int
main(int argc, char **argv)
{
  dealii::Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  // `both`: the limit takes the internal state's velocity and x-meshes
  check(2, "both", "reflecting", true);
  for (const std::string model : {"run and tumble", "internal state"})
    {
      for (const std::string boundary : {"periodic", "reflecting"})
        check(2, model, boundary, false);
      check(2, model, "reflecting", true);
      check(1, model, "reflecting", false);
    }
  return test::finish();
}
