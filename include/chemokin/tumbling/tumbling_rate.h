#pragma once

#include <deal.II/base/parameter_handler.h>

#include <chemokin/base/expression.h>
#include <chemokin/tumbling/gauss_hermite.h>

#include <map>
#include <memory>
#include <string>

namespace chemokin
{
  /**
   * The total tumbling frequency lambda(z) of the internal-state model,
   * z = (m - M)/eps, with Lambda(z, v, v') = lambda(z) K(v, v') (DESIGN §1),
   * and its Gaussian average (1.12)
   *
   *   Lambdabar(mu) = int lambda(y - mu) G(y) dy,
   *
   * the tumbling frequency of the run-and-tumble model at D_tM = mu, by
   * Gauss-Hermite quadrature with `Tumbling/Quadrature points` nodes.
   */
  class TumblingRate
  {
  public:
    static void
    declare_parameters(dealii::ParameterHandler &prm);

    /** Reads `Tumbling/Rate` and `Tumbling/Quadrature points`. */
    TumblingRate(dealii::ParameterHandler &           prm,
                 const std::map<std::string, double> &constants);

    TumblingRate(const std::string &                  expression,
                 unsigned int                         quadrature_points,
                 const std::map<std::string, double> &constants);

    /** lambda(z). */
    double
    rate(double z) const;

    /**
     * lambda(z) from a table on a uniform grid of spacing 1/128 with cubic
     * Lagrange interpolation on the four nearest nodes (error <= h^4/24
     * max|lambda''''|, about 1e-10 for rates of order one). The table grows to
     * cover every z asked for up to |z| < table_limit; beyond, the
     * expression itself. The moving frame needs lambda at every
     * (x, v, y) while the lag relaxes: a lookup instead of a muparser call.
     */
    double
    rate_interpolated(double z) const;

    /**
     * out[j] = rate_interpolated(z0 + j dz) for j < n. When dz is a multiple
     * of the table step (the y-grids of the moving frame with cell sizes
     * 2^-k), every point has the same offset from its table nodes, so the
     * interpolation weights are computed once for all n points.
     */
    void
    rates_interpolated(double z0, double dz, unsigned int n, double *out) const;

    /** Lambdabar(mu) of eq. (1.12). */
    double
    averaged_rate(double mu) const;

    /**
     * Lambdabar(mu) from a table on a uniform grid of spacing 1/128 with
     * cubic Hermite interpolation (slopes Lambdabar'(mu) = -int lambda(y -
     * mu) y G(y) dy by the same quadrature); interpolation error
     * <= h^4/384 max|Lambdabar''''|, about 1e-11 for rates of order one.
     * The table grows to cover every mu asked for up to |mu| < table_limit;
     * beyond, the quadrature itself. For time-dependent
     * signals, where Lambdabar is needed at every node, velocity and stage,
     * this replaces one quadrature (n muparser calls) by a lookup.
     */
    double
    averaged_rate_interpolated(double mu) const;

    /**
     * Check lambda >= 0 and finite on [-range, range] (sampled); throws
     * InputError naming `Tumbling/Rate` and the offending z.
     */
    void
    check_nonnegative(double range) const;

  private:
    /** Lambdabar and its derivative at mu. */
    std::pair<double, double>
    averaged_rate_and_slope(double mu) const;

    std::unique_ptr<Expression<1>> lambda;
    GaussHermite                   hermite;

    static constexpr double table_step = 1.0 / 128;
    /** the tables cover at most (-table_limit, table_limit): 2^16 nodes */
    static constexpr double table_limit = 256;
    /** table covers [table_start, table_start + (size-1) h] */
    mutable double                    table_start = 0;
    mutable std::vector<double>       table_value, table_slope;
    /** rate_interpolated(): lambda on [rate_start, rate_start + (size-1) h] */
    mutable double                    rate_start = 0;
    mutable std::vector<double>       rate_value;
  };
} // namespace chemokin
