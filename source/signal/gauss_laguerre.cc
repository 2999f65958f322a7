#include <deal.II/lac/full_matrix.h>
#include <deal.II/lac/lapack_full_matrix.h>
#include <deal.II/lac/vector.h>

#include <chemokin/signal/gauss_laguerre.h>

#include <cmath>

namespace chemokin
{
  namespace
  {
    /** L_n(x), L_{n-1}(x) and L_{n+1}(x) by the three-term recurrence. */
    void
    laguerre(const double x, const unsigned int n, double &ln, double &ln1, double &lnp1)
    {
      double previous = 1, current = 1 - x; // L_0, L_1
      if (n == 0)
        current = 1, previous = 0;
      for (unsigned int j = 1; j < n; ++j)
        {
          const double next = ((2 * j + 1 - x) * current - j * previous) / (j + 1);
          previous          = current;
          current           = next;
        }
      ln   = current;
      ln1  = previous;
      lnp1 = ((2 * n + 1 - x) * current - n * previous) / (n + 1);
    }
  } // namespace

  GaussLaguerre::GaussLaguerre(const unsigned int n)
  {
    dealii::LAPACKFullMatrix<double> jacobi(n, n);
    for (unsigned int i = 0; i < n; ++i)
      {
        jacobi(i, i) = 2 * i + 1;
        if (i + 1 < n)
          jacobi(i, i + 1) = jacobi(i + 1, i) = i + 1;
      }
    jacobi.set_property(dealii::LAPACKSupport::symmetric);
    dealii::Vector<double>     eigenvalues;
    dealii::FullMatrix<double> eigenvectors;
    jacobi.compute_eigenvalues_symmetric(0, 10 * n + 10, 1e-15, eigenvalues, eigenvectors);
    points.resize(n);
    weights.resize(n);
    for (unsigned int i = 0; i < n; ++i)
      {
        double x = eigenvalues[i];
        double ln, ln1, lnp1;
        for (unsigned int it = 0; it < 20; ++it)
          {
            laguerre(x, n, ln, ln1, lnp1);
            // L_n'(x) = n (L_n - L_{n-1}) / x
            const double dx = ln * x / (n * (ln - ln1));
            x -= dx;
            if (std::abs(dx) < 1e-15 * x)
              break;
          }
        laguerre(x, n, ln, ln1, lnp1);
        points[i]  = x;
        weights[i] = x / ((n + 1.0) * (n + 1.0) * lnp1 * lnp1);
      }
  }
} // namespace chemokin
