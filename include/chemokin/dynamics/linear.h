#pragma once

#include <chemokin/dynamics/interface.h>
#include <chemokin/tumbling/tumbling_rate.h>

#include <memory>

namespace chemokin
{
  namespace Dynamics
  {
    /**
     * The paper's model (1.4) in the frame relative to the signal
     * (DESIGN §11): u = z = (m - M)/eps, g(z) = -z/eps, D = 1/eps,
     * mu = D_tM/eps, lambda(z) of `Tumbling/Rate`:
     *
     *   d_t q + v.grad q - (1/eps) d_z[(z + D_tM) q + d_z q] = lambda(z) (...),
     *
     * the moving frame's (1.9) in other coordinates (y = z + L). The
     * stationary law is the standard normal density at every mu, shifted
     * by -D_tM, and Lambdabar is the Gaussian average (1.12).
     */
    class Linear : public Interface
    {
    public:
      Linear(double epsilon, std::unique_ptr<TumblingRate> rate);

      std::string
      name() const override
      {
        return "linear";
      }

      double
      drift(double u) const override
      {
        return -u / epsilon;
      }

      double
      noise() const override
      {
        return 1 / epsilon;
      }

      double
      rate(double u) const override
      {
        return lambda->rate(u);
      }

      double
      forcing(double, double path_derivative) const override
      {
        return path_derivative / epsilon;
      }

      double
      methylation(double u, double M) const override
      {
        return M + epsilon * u;
      }

      std::pair<double, double>
      adapted_range() const override
      {
        return {-7.5, 7.5};
      }

      double
      adapted_deviation() const override
      {
        return 1;
      }

      double
      averaged_rate(double, double path_derivative) const override
      {
        return lambda->averaged_rate(path_derivative);
      }

    private:
      double                        epsilon;
      std::unique_ptr<TumblingRate> lambda;
    };
  } // namespace Dynamics
} // namespace chemokin
