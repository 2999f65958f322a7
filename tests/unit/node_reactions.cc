// The node-wise reactions of the field equations (NodeReactions), without a
// mesh: at every node an exchange S1 <-> S2 with rates a, b (linear, the
// solution in closed form) and a stiff uptake of a nutrient.
//  - second order in h against the closed form (the error ratio under a
//    halved step is 4 within 10 %);
//  - the linear invariant S1 + S2 to round-off, whatever the step;
//  - an uptake with rate 1e6 (dt * rate = 1e4) stays non-negative and
//    decays (L-stability; where the second-order step undershoots, implicit
//    Euler).

#include <chemokin/signal/node_reactions.h>

#include "test_tools.h"

#include <cmath>

using chemokin::Signal::NodeReactions;

namespace
{
  // S1' = -a S1 + b S2, S2' = a S1 - b S2 at every node (a, b per node)
  const std::vector<double> a_rate{0.5, 1, 2, 4}, b_rate{1, 0.25, 3, 0.5};

  void
  exchange(double, const NodeReactions::Columns &S, NodeReactions::Columns &R)
  {
    R.assign(2, std::vector<double>(S[0].size()));
    for (std::size_t k = 0; k < S[0].size(); ++k)
      {
        R[0][k] = -a_rate[k] * S[0][k] + b_rate[k] * S[1][k];
        R[1][k] = -R[0][k];
      }
  }

  /** the largest error at T = 1 with n steps, and the largest change of S1 + S2 */
  std::pair<double, double>
  run_exchange(const unsigned int n)
  {
    const NodeReactions    reactions(MPI_COMM_WORLD, "test");
    NodeReactions::Columns S{{1, 0.2, 0.7, 0}, {0, 0.5, 0.1, 1}};
    const auto             S0 = S;
    for (unsigned int i = 0; i < n; ++i)
      reactions.step(double(i) / n, 1.0 / n, exchange, S);
    double error = 0, invariant = 0;
    for (std::size_t k = 0; k < S[0].size(); ++k)
      {
        // S1(t) = S1* + (S1(0) - S1*) e^{-(a + b) t}, S1* = b (S1 + S2) / (a + b)
        const double total = S0[0][k] + S0[1][k];
        const double equilibrium = b_rate[k] * total / (a_rate[k] + b_rate[k]);
        const double exact =
          equilibrium + (S0[0][k] - equilibrium) * std::exp(-(a_rate[k] + b_rate[k]));
        error     = std::max(error, std::abs(S[0][k] - exact));
        invariant = std::max(invariant, std::abs(S[0][k] + S[1][k] - total) / total);
      }
    return {error, invariant};
  }
} // namespace

int
main(int argc, char **argv)
{
  dealii::Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);

  const auto coarse = run_exchange(10), fine = run_exchange(20);
  test::check_close("exchange: error ratio under a halved step (second order)",
                    coarse.first / fine.first, 4, 0.4);
  test::check("exchange: error at dt = 0.05 below 1e-3", fine.first < 1e-3, test::sci(fine.first));
  test::check_close("exchange: S1 + S2 kept", std::max(coarse.second, fine.second), 0, 1e-14);
  const auto one_step = run_exchange(1);
  test::check_close("exchange: S1 + S2 kept by one step of 1", one_step.second, 0, 1e-14);

  // G' = -1e6 G + 1e-3 (stiff uptake with a small supply): G -> 1e-9
  const NodeReactions    reactions(MPI_COMM_WORLD, "test");
  NodeReactions::Columns G{{1, 0.5, 1e-3, 0}};
  double                 smallest = 1;
  for (unsigned int i = 0; i < 10; ++i)
    {
      reactions.step(0.01 * i,
                     0.01,
                     [](double, const NodeReactions::Columns &S, NodeReactions::Columns &R) {
                       R.assign(1, std::vector<double>(S[0].size()));
                       for (std::size_t k = 0; k < S[0].size(); ++k)
                         R[0][k] = -1e6 * S[0][k] + 1e-3;
                     },
                     G);
      for (const double g : G[0])
        smallest = std::min(smallest, g);
    }
  test::check("stiff uptake: non-negative at every step", smallest >= 0, test::sci(smallest));
  double largest = 0;
  for (const double g : G[0])
    largest = std::max(largest, std::abs(g - 1e-9));
  test::check_close("stiff uptake: at the equilibrium 1e-9 after 10 steps", largest, 0, 1e-12);
  return test::finish();
}
