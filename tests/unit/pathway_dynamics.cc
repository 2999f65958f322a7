// The pieces of the signalling pathway (DESIGN §11) against closed forms:
// * the stationary law at mu has zero mean drift, so its mean activity is
//   exactly (k_R - mu)/(k_R + k_B): the quadrature of Pathway and its
//   Lambdabar for a rate affine in a, and Lambdabar's limits beyond the
//   methylation rates (lambda(0), lambda(1));
// * the forcing mu = l'(M) D_tM/alpha is the derivative of the ligand term
//   (central differences), and l' -> 1 for K_I << S << K_A;
// * DriftDiffusion: columns sum to zero (mass), the discrete stationary law
//   is a null vector, the implicit solve inverts I - gamma A and keeps
//   q >= 0, and the mean activity of the discrete law converges to the
//   closed form at second order in the cell size.

#include <chemokin/dynamics/pathway.h>
#include <chemokin/operators/drift_diffusion.h>

#include "test_tools.h"

using namespace chemokin;

int
main(int argc, char **argv)
{
  dealii::Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  const Dynamics::Pathway::Constants constants;
  const Dynamics::Pathway            pathway(constants, "1 + 3*a");
  const double k_R = constants.methylation_rate, k_B = constants.demethylation_rate;

  std::cout << "stationary law and Lambdabar" << std::endl;
  for (const double mu : {-0.9 * k_B, -0.005, 0.0, 0.003, 0.9 * k_R})
    {
      const double exact = (k_R - mu) / (k_R + k_B);
      test::check_close("mean activity at mu = " + test::sci(mu),
                        pathway.stationary_average(mu, [&](double u) { return pathway.activity(u); }),
                        exact,
                        1e-10);
      test::check_close("Lambdabar for lambda = 1 + 3a at mu = " + test::sci(mu),
                        pathway.averaged_rate_at(mu),
                        1 + 3 * exact,
                        1e-9);
    }
  test::check_close("Lambdabar beyond k_R: lambda(0)", pathway.averaged_rate_at(1.5 * k_R), 1, 1e-14);
  test::check_close("Lambdabar below -k_B: lambda(1)", pathway.averaged_rate_at(-1.5 * k_B), 4, 1e-14);

  std::cout << "ligand term and forcing" << std::endl;
  for (const double M : {0.0, std::log(18.0), std::log(300.0), std::log(2900.0), 12.0})
    {
      const double step = 1e-4;
      const double slope =
        (pathway.ligand_term(M + step) - pathway.ligand_term(M - step)) / (2 * step);
      test::check_close("mu = l'(M) D_tM / alpha at M = " + test::sci(M),
                        pathway.forcing(M, 0.7),
                        slope * 0.7 / constants.free_energy,
                        1e-8);
    }
  {
    Dynamics::Pathway::Constants wide = constants;
    wide.K_I                          = 1e-6;
    wide.K_A                          = 1e6;
    const Dynamics::Pathway logarithmic(wide, "1");
    test::check_close("logarithmic sensing: mu = D_tM/alpha for K_I << S << K_A",
                      logarithmic.forcing(0.0, 1.0),
                      1 / wide.free_energy,
                      1e-5);
  }

  std::cout << "the Scharfetter-Gummel operator" << std::endl;
  const auto [low, high] = pathway.adapted_range();
  double previous        = 0;
  for (unsigned int level = 0; level < 4; ++level)
    {
      const double       h = 0.5 * pathway.adapted_deviation() / (1 << level);
      const unsigned int n = std::ceil((high - low + 0.4) / h);
      const UGrid        grid{low - 0.2, h, n};
      std::vector<double> faces(n - 1);
      for (unsigned int j = 0; j + 1 < n; ++j)
        faces[j] = pathway.drift(grid.face(j + 1));
      const DriftDiffusion operator_(grid, faces, constants.noise);
      const double         mu  = 0.002;
      const auto           law = operator_.stationary(mu);
      std::vector<double>  out(n), unit(n), b(n), x(n), back(n);
      operator_.apply_lane(mu, law.data(), out.data());
      double residual = 0, scale = 0, mean = 0, column_sum = 0;
      for (unsigned int j = 0; j < n; ++j)
        {
          residual = std::max(residual, std::abs(out[j]));
          scale    = std::max(scale, law[j]);
          mean += h * law[j] * pathway.activity(grid.center(j));
        }
      // column sums: A applied to unit vectors sums to zero
      for (const unsigned int j : {0u, n / 3, n - 1})
        {
          std::fill(unit.begin(), unit.end(), 0.0);
          unit[j] = 1;
          operator_.apply_lane(mu, unit.data(), out.data());
          double s = 0;
          for (const double v : out)
            s += v;
          column_sum = std::max(column_sum, std::abs(s));
        }
      // (I - gamma A) x = b, b >= 0
      for (unsigned int j = 0; j < n; ++j)
        b[j] = 1 + std::sin(0.3 * j);
      const double gamma = 50;
      operator_.solve_lane(mu, gamma, b.data(), x.data());
      operator_.apply_lane(mu, x.data(), out.data());
      double solve_error = 0, smallest = 1, mass_b = 0, mass_x = 0;
      for (unsigned int j = 0; j < n; ++j)
        {
          solve_error = std::max(solve_error, std::abs(x[j] - gamma * out[j] - b[j]));
          smallest    = std::min(smallest, x[j]);
          mass_b += b[j];
          mass_x += x[j];
        }
      const double error = std::abs(mean - (k_R - mu) / (k_R + k_B));
      std::cout << "  h = " << test::sci(h) << ", n = " << n << ": mean activity error "
                << test::sci(error)
                << (level > 0 ? ", order " + std::to_string(std::log2(previous / error)) : "")
                << std::endl;
      test::check_close("stationary law is a null vector (relative)", residual / scale, 0, 1e-12);
      test::check_close("column sums vanish", column_sum, 0, 1e-12 / (h * h));
      test::check_close("implicit solve residual", solve_error, 0, 1e-10);
      test::check("implicit solve keeps q >= 0", smallest >= 0, test::sci(smallest));
      test::check_close("implicit solve keeps the mass (relative)", mass_x / mass_b, 1, 1e-13);
      if (level > 0)
        test::check("mean activity converges at second order",
                    std::log2(previous / error) > 1.8,
                    test::sci(std::log2(previous / error)));
      previous = error;
    }
  return test::finish();
}
