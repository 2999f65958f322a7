#pragma once

#include <vector>

namespace chemokin
{
  /**
   * The globally stiffly accurate IMEX pairs of Ascher, Ruuth and Spiteri
   * (Appl. Numer. Math. 25, 1997, sections 2.6 and 2.8), ARS(2,2,2) and
   * ARS(4,4,3): s stages, the first explicit for both parts, a diagonally
   * implicit part with the constant diagonal gamma, and b = the last row of A
   * for both parts, so the new solution is the last stage. Row-major s x s.
   */
  struct ArsTables
  {
    explicit ArsTables(unsigned int order);

    unsigned int        stages;
    double              gamma;
    std::vector<double> c, implicit_a, explicit_a;

    double
    a_implicit(unsigned int i, unsigned int j) const
    {
      return implicit_a[i * stages + j];
    }

    double
    a_explicit(unsigned int i, unsigned int j) const
    {
      return explicit_a[i * stages + j];
    }
  };
} // namespace chemokin
