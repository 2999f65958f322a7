// Theorem 2.1 measured, a reduced chemokin-convergence study: 1D two speeds,
// sinusoidal M on a periodic domain, eps = 0.2 ... 0.0125 in the moving frame
// (its cost does not depend on eps), each also one mesh step finer. Asserts:
//  * E2(T) = ||pbar^eps(T) - pbar(T)||_{L1} decreases with eps, with a fitted
//    rate of at least 1/2 (Theorem 2.1 bounds E2 by
//    C (sqrt(eps T)(T + 1 + |log eps|^{1/2}) + eps^2));
//  * E1(T) decreases with eps;
//  * the mesh is fine enough: one refinement step (Refinement + 1, Y cell
//    size / 2) changes E2 by less than 10 %, so what is measured is the
//    modelling error, not the discretization error;
//  * convergence.csv holds the same numbers as the returned results.
// It leaves its study in scratch-study/, which the test study/plots plots.

#include <chemokin/study/convergence_study.h>

#include "test_tools.h"

#include <cmath>

int
main(int argc, char **argv)
{
  dealii::Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  const std::string                        dir = test::scratch("study");
  dealii::ParameterHandler                 prm;
  test::parse(prm,
              "set Dimension = 1\nset Model = both\nset End time = 0.5\n"
              "set Output directory = " + dir +
                "\nsubsection Domain\n set Lower corner = 0\n set Upper corner = 2\n"
                " set Boundary = periodic\nend\n"
                "subsection Signal\n set Log-concentration = sin(pi*x)\nend\n"
                "subsection Initial condition\n set Density = 1 + 0.5*cos(pi*x)\nend\n"
                "subsection Internal state\n set Frame = moving\nend\n"
                "subsection Discretization\n set Degree = 1\n set Refinement = 4\nend\n"
                "subsection Output\n set Time between outputs = 0.05\nend\n"
                "subsection Convergence study\n set Epsilons = 0.2, 0.1, 0.05, 0.025, 0.0125\n"
                " set Mesh check = true\nend\n");
  const auto results = chemokin::Study::run_convergence_study(prm, MPI_COMM_WORLD);

  std::vector<const chemokin::Study::Result *> base;
  for (const auto &r : results)
    if (r.mesh == 0)
      base.push_back(&r);
  test::check("one base and one refined run per eps", results.size() == 10 && base.size() == 5);
  for (unsigned int i = 1; i < base.size(); ++i)
    {
      const std::string step =
        " from eps = " + test::sci(base[i - 1]->epsilon) + " to " + test::sci(base[i]->epsilon);
      test::check("E2(T) decreases" + step, base[i]->e2 < base[i - 1]->e2);
      test::check("E1(T) decreases" + step, base[i]->e1 < base[i - 1]->e1);
    }
  for (const auto *r : base)
    test::check("mesh fine enough at eps = " + test::sci(r->epsilon) +
                  ": E2 changes by less than 10 % under one refinement step",
                r->e2_mesh_change < 0.1,
                test::sci(r->e2_mesh_change));
  const double slope = chemokin::Study::fitted_slope(results, &chemokin::Study::Result::e2);
  test::check("fitted rate of E2(T) >= 0.5", slope >= 0.5, "eps^" + test::sci(slope));

  if (test::root())
    {
      const auto csv = test::read_csv(dir + "/convergence.csv");
      bool       same = csv.at("E2").size() == results.size();
      for (unsigned int i = 0; same && i < results.size(); ++i)
        same = std::abs(csv.at("E2")[i] - results[i].e2) <= 1e-9 * results[i].e2 &&
               csv.at("epsilon")[i] == results[i].epsilon;
      test::check("convergence.csv lists every run with its E2 (to its 10 digits)", same);
      const auto rates = test::read_csv(dir + "/rates.csv");
      test::check_close("rates.csv has the fitted E2 rate", rates.at("E2")[0], slope, 1e-5);
    }
  return test::finish();
}
