// d = 2: the internal-state model in the moving frame against the particle
// solver of the same process (DESIGN §1: dx = v dt, dm = -(m - M)/eps dt +
// sqrt(2 eps) dW, tumbles at rate lambda(z)), for eps = 0.5 and 0.05.
// Linear M = 0.8 x between reflecting walls (which the three descriptions
// treat alike: a reflection keeps m), homogeneous initial density: the
// drift velocity_mean at t = 1 and 2 must agree within 3 standard errors of
// the particle estimate. (Not a periodic box: there M = 0.8 x jumps at the
// wall, which the particles see, while the moving frame sees only grad M.)
// Fixed seed: the outcome is deterministic.

#include "test_tools.h"

std::map<std::string, std::vector<double>>
run(const std::string &model, const double eps)
{
  const std::string dir = test::scratch(model + "-" + std::to_string(eps));
  test::run("set Dimension = 2\nset Model = " + model +
            "\nset End time = 2\nset Output directory = " + dir +
            "\nsubsection Domain\n set Lower corner = 0, 0\n set Upper corner = 2, 2\n"
            " set Boundary = reflecting\nend\n"
            "subsection Velocity space\n set Number of directions = 16\nend\n"
            "subsection Signal\n set Log-concentration = 0.8*x\nend\n"
            "subsection Tumbling\n set Rate = 1 + 0.5*tanh(z)\nend\n"
            "subsection Initial condition\n set Density = 1\nend\n"
            "subsection Internal state\n set Frame = moving\n set Epsilon = " +
            std::to_string(eps) +
            "\nend\n"
            "subsection Particles\n set Number of particles = 100000\n set Seed = 11\n"
            " set Time step = 0.002\nend\n"
            "subsection Discretization\n set Degree = 1\n set Refinement = 1\nend\n"
            "subsection Output\n set Time between outputs = 1\n set Postprocessors = statistics\nend\n");
  return test::read_csv(dir + "/statistics.csv");
}

int
main(int argc, char **argv)
{
  dealii::Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  for (const double eps : {0.5, 0.05})
    {
      const auto pde = run("internal state", eps), particles = run("particles", eps);
      for (unsigned int row = 1; row < pde.at("time").size(); ++row)
        {
          const double v_pde = pde.at("velocity_mean")[row];
          const double v     = particles.at("velocity_mean")[row];
          const double error = particles.at("velocity_mean_error")[row];
          std::cout << std::setprecision(6) << "  eps = " << eps << ", t = " << pde.at("time")[row]
                    << ": drift moving frame " << v_pde << ", particles " << v << " +- "
                    << error << std::endl;
          test::check("eps = " + std::to_string(eps) + ", t = " +
                        std::to_string(pde.at("time")[row]) +
                        ": drift within 3 standard errors",
                      std::abs(v - v_pde) <= 3 * error,
                      test::sci(std::abs(v - v_pde) / error) + " standard errors");
        }
      test::check("eps = " + std::to_string(eps) +
                    ": the drift at t = 1 is up the gradient, by > 5 standard errors",
                  pde.at("velocity_mean")[1] > 5 * particles.at("velocity_mean_error")[1]);
    }
  return test::finish();
}
