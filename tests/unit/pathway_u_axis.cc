// The u-axis of the frame relative to the signal sizes itself (DESIGN §11):
// in a gradient steeper than the methylation can follow (c |grad l|/alpha =
// 0.047/s > k_R = 0.0075/s), the up-runners stop adapting and u drifts down
// by about (k_R - mu) t. Without a hand-set range, the axis grows (u_lower
// falls by more than the drift of the adapted peak), the mass stays to
// round-off (1e-13 relative, reflecting walls) through every growth, the
// tail mass stays below `U tail tolerance`, and min_value stays >= 0.
// And back: a gradient that is switched off at t = 20 s (faster methylation,
// no limiter) drives u down while it lasts, up while it fades (the cells are
// then over-adapted), and the cells readapt after it: the axis grows at both
// ends and gives its cells back at both ends, never inside the axis it
// started with, the mass to round-off and the tail mass below the tolerance
// throughout.

#include "test_tools.h"

#include <algorithm>

namespace
{
  void
  switched_off_gradient()
  {
    const std::string dir = test::scratch("u-axis-back");
    test::run("set Dimension = 1\nset Model = internal state\nset End time = 60\n"
              "set Output directory = " + dir + "\n"
              "subsection Domain\n set Lower corner = 0\n set Upper corner = 1000\n"
              " set Boundary = reflecting\nend\n"
              "subsection Velocity space\n set Speed = 20\nend\n"
              "subsection Signal\n set Log-concentration = (x - 500)/100*0.5*(1 - tanh((t - 20)/4))\nend\n"
              "subsection Tumbling\n set Rate = 0.1 + 2*a^10/(a^10 + (1/3)^10)\nend\n"
              "subsection Initial condition\n set Density = 1\nend\n"
              "subsection Internal state\n set Dynamics = pathway\n"
              " subsection Pathway\n  set K_I = 1e-8\n  set K_A = 1e8\n"
              "  set Methylation rate = 0.1\n  set Demethylation rate = 0.2\n end\nend\n"
              "subsection Discretization\n set Degree = 1\n set Refinement = 3\nend\n"
              "subsection Output\n set Time between outputs = 5\n set Postprocessors = statistics\nend\n");
    const auto  columns = test::read_csv(dir + "/statistics.csv");
    const auto &lower = columns.at("u_lower"), &upper = columns.at("u_upper");
    const double lowest  = *std::min_element(lower.begin(), lower.end());
    const double highest = *std::max_element(upper.begin(), upper.end());
    double       tail    = 0;
    for (const double t : columns.at("u_tail_mass"))
      tail = std::max(tail, std::abs(t));
    std::cout << std::setprecision(6) << "  switched off: u-axis [" << lower.front() << ", "
              << upper.front() << "] -> [" << lowest << ", " << highest << "] -> ["
              << lower.back() << ", " << upper.back() << "]" << std::endl;
    test::check("switched off: the axis grew at both ends by more than 1",
                lower.front() - lowest > 1 && highest - upper.front() > 1);
    test::check("switched off: it gave cells back at both ends, within the initial axis",
                lower.back() > lowest + 1 && upper.back() < highest - 1 &&
                  lower.back() <= lower.front() && upper.back() >= upper.front());
    test::check_close("switched off: mass through the growths and shrinks (relative)",
                      test::max_relative_change(columns.at("mass")), 0, 1e-13);
    test::check("switched off: |tail mass| below the tolerance 1e-8", tail <= 1e-8, test::sci(tail));
  }
} // namespace

int
main(int argc, char **argv)
{
  dealii::Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  const std::string dir = test::scratch("u-axis");
  test::run("set Dimension = 1\nset Model = internal state\nset End time = 60\n"
            "set Output directory = " + dir + "\n"
            "subsection Domain\n set Lower corner = 0\n set Upper corner = 2000\n"
            " set Boundary = reflecting\nend\n"
            "subsection Velocity space\n set Speed = 20\nend\n"
            "subsection Signal\n set Log-concentration = x/250\nend\n"
            "subsection Tumbling\n set Rate = 0.1 + 2*a^10/(a^10 + (1/3)^10)\nend\n"
            "subsection Initial condition\n set Density = 1\nend\n"
            "subsection Internal state\n set Dynamics = pathway\n"
            " subsection Pathway\n  set K_I = 1e-8\n  set K_A = 1e8\n end\nend\n"
            "subsection Discretization\n set Degree = 1\n set Refinement = 3\n"
            " set Positivity limiter = true\nend\n"
            "subsection Output\n set Time between outputs = 5\n set Postprocessors = statistics\nend\n");
  const auto columns = test::read_csv(dir + "/statistics.csv");
  const auto &lower  = columns.at("u_lower");
  double      tail = 0, smallest = 1;
  unsigned int growths = 0;
  for (unsigned int i = 0; i < lower.size(); ++i)
    {
      tail     = std::max(tail, columns.at("u_tail_mass")[i]);
      smallest = std::min(smallest, columns.at("min_value")[i]);
      growths += i > 0 && lower[i] < lower[i - 1];
    }
  std::cout << std::setprecision(6) << "  u-axis from [" << lower.front() << ", " << columns.at("u_upper").front()
            << "] to [" << lower.back() << ", " << columns.at("u_upper").back() << "], "
            << growths << " output intervals with a growth" << std::endl;
  // the up-runners drift at k_R - mu = 0.0075 - 20/250/1.7 = -0.040/s
  test::check("the axis grew down by more than 1 over 60 s", lower.front() - lower.back() > 1.0);
  test::check("it grew in several steps", growths >= 3, std::to_string(growths));
  test::check_close("mass through the growths (relative)",
                    test::max_relative_change(columns.at("mass")), 0, 1e-13);
  test::check("tail mass below the tolerance 1e-8", tail <= 1e-8, test::sci(tail));
  test::check("min_value >= 0 (with the positivity limiter)", smallest >= 0, test::sci(smallest));
  switched_off_gradient();
  return test::finish();
}
