#include <deal.II/lac/full_matrix.h>
#include <deal.II/lac/lapack_full_matrix.h>
#include <deal.II/lac/vector.h>

#include <chemokin/tumbling/gauss_hermite.h>

#include <cmath>

namespace chemokin
{
  namespace
  {
    /**
     * Orthonormal probabilists' Hermite polynomials h_0..h_n at x:
     * h_{j+1} = (x h_j - sqrt(j) h_{j-1}) / sqrt(j+1), h_0 = 1.
     */
    void
    hermite_values(const double x, const unsigned int n, std::vector<double> &h)
    {
      h.resize(n + 1);
      h[0] = 1.0;
      if (n > 0)
        h[1] = x;
      for (unsigned int j = 1; j < n; ++j)
        h[j + 1] = (x * h[j] - std::sqrt(double(j)) * h[j - 1]) /
                   std::sqrt(double(j + 1));
    }
  } // namespace

  GaussHermite::GaussHermite(const unsigned int n)
  {
    // Golub-Welsch: the nodes are the eigenvalues of the Jacobi matrix.
    dealii::LAPACKFullMatrix<double> jacobi(n, n);
    for (unsigned int i = 0; i + 1 < n; ++i)
      {
        jacobi(i, i + 1) = std::sqrt(double(i + 1));
        jacobi(i + 1, i) = std::sqrt(double(i + 1));
      }
    dealii::Vector<double>     eigenvalues;
    dealii::FullMatrix<double> eigenvectors;
    jacobi.set_property(dealii::LAPACKSupport::symmetric);
    jacobi.compute_eigenvalues_symmetric(
      -1e3, 1e3, 1e-15, eigenvalues, eigenvectors);
    points.resize(n);
    weights.resize(n);
    std::vector<double> h;
    for (unsigned int i = 0; i < n; ++i)
      {
        double x = eigenvalues[i];
        for (unsigned int it = 0; it < 10; ++it)
          {
            hermite_values(x, n, h);
            // h_n' = sqrt(n) h_{n-1}
            const double dx = h[n] / (std::sqrt(double(n)) * h[n - 1]);
            x -= dx;
            if (std::abs(dx) < 1e-16 * (1 + std::abs(x)))
              break;
          }
        hermite_values(x, n, h);
        double christoffel = 0;
        for (unsigned int j = 0; j < n; ++j)
          christoffel += h[j] * h[j];
        points[i]  = x;
        weights[i] = 1.0 / christoffel;
      }
  }
} // namespace chemokin
