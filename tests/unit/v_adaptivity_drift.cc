// v-adaptivity in a strong gradient (DESIGN §9): run and tumble in d = 2,
// lambda = l0 exp(chi z) and M = g x with kappa = chi c g = 10, so that the
// stationary law is p(v) ∝ 1/Lambdabar(v.grad M) ∝ exp(kappa cos theta) and
// the drift is c I1(kappa)/I0(kappa) (DESIGN §5). The run starts from that
// law (`Velocity profile`) on a coarse velocity mesh of 4 cells with 4
// Gauss nodes each, refines it where the law varies, and keeps the law
// (it is the discrete equilibrium of the tumbling operator on any mesh) for
// t in [0, 20]. Checks:
//  * the drift at T matches I1/I0 to 1e-4;
//  * the uniform meshes of the same degree (4 nodes per cell) need more
//    nodes than the adapted one to reach its error.
// (The uniform mesh of a periodic angle converges spectrally for this
// entire function, so the saving is modest: the adapted mesh wins by
// placing its cells at the peak.)

#include <boost/math/special_functions/bessel.hpp>

#include "test_tools.h"

namespace
{
  const double kappa = 10;

  std::pair<double, double>
  drift_and_nodes(const unsigned int cells, const bool adapt)
  {
    const std::string dir = test::scratch("drift-" + std::to_string(cells) + (adapt ? "a" : "u"));
    test::run("set Dimension = 2\nset Model = run and tumble\nset End time = 20\n"
              "set Output directory = " + dir +
              "\nsubsection Domain\n set Lower corner = 0, 0\n set Upper corner = 2, 2\n"
              " set Boundary = periodic\nend\n"
              "subsection Velocity space\n set Type = sphere\n set Number of directions = " +
              std::to_string(cells) +
              "\n set Points per cell = 4\nend\n"
              "subsection Signal\n set Log-concentration = 10*x\nend\n"
              "subsection Tumbling\n set Rate = exp(-10.5 + z)\nend\n"
              "subsection Initial condition\n set Velocity profile = exp(10*vx)\nend\n"
              "subsection Discretization\n set Degree = 0\n set Refinement = 0\nend\n"
              "subsection Adaptive refinement\n set Adapt v = " + (adapt ? "true" : "false") +
              "\n set Maximum v level = 4\n set V refine threshold = 0.003\n"
              " set V coarsen threshold = 0.00075\nend\n"
              "subsection Output\n set Time between outputs = 5\n set Postprocessors = statistics\nend\n");
    const auto stats = test::read_csv(dir + "/statistics.csv");
    return {stats.at("velocity_mean").back(), stats.at("velocities").back()};
  }
} // namespace

int
main(int argc, char **argv)
{
  dealii::Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  const double exact = boost::math::cyl_bessel_i(1, kappa) / boost::math::cyl_bessel_i(0, kappa);

  const auto [drift, nodes] = drift_and_nodes(4, true);
  const double error        = std::abs(drift - exact);
  test::check_close("adapted velocity mesh (" + std::to_string(int(nodes)) + " nodes): drift vs I1/I0",
                    drift, exact, 1e-4);

  unsigned int uniform_nodes = 0;
  for (unsigned int cells = 4; cells <= 32 && uniform_nodes == 0; cells += 2)
    {
      const auto [d, n] = drift_and_nodes(cells, false);
      if (test::root())
        std::cout << "  uniform mesh of " << cells << " cells (" << int(n) << " nodes): drift error "
                  << test::sci(std::abs(d - exact)) << std::endl;
      if (std::abs(d - exact) <= error)
        uniform_nodes = n;
    }
  test::check("the uniform mesh of the same degree needs more nodes for the same error",
              uniform_nodes > nodes,
              "adapted " + std::to_string(int(nodes)) + " nodes (error " + test::sci(error) +
                "), uniform " + std::to_string(uniform_nodes));
  return test::finish();
}
