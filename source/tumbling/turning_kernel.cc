#include <deal.II/base/exceptions.h>

#include <chemokin/base/input_error.h>
#include <chemokin/tumbling/turning_kernel.h>

#include <boost/math/special_functions/bessel.hpp>

#include <cmath>

namespace chemokin
{
  namespace TurningKernel
  {
    void
    declare_parameters(dealii::ParameterHandler &prm)
    {
      prm.declare_entry("Turning kernel",
                        "uniform",
                        dealii::Patterns::Selection(Registry<1>::get().pattern()),
                        Registry<1>::get().documentation(
                          "The law K(v,v') of the new velocity v after a "
                          "tumble from v'."));
      Registry<1>::get().declare_parameters(prm);
    }

    template <int dim>
    std::unique_ptr<Interface<dim>>
    create(dealii::ParameterHandler &prm)
    {
      return Registry<dim>::get().create(prm.get("Turning kernel"),
                                         prm,
                                         "Tumbling/Turning kernel");
    }

    template std::unique_ptr<Interface<1>>
    create<1>(dealii::ParameterHandler &);
    template std::unique_ptr<Interface<2>>
    create<2>(dealii::ParameterHandler &);
    template std::unique_ptr<Interface<3>>
    create<3>(dealii::ParameterHandler &);

    /** K = 1/|V|: the new velocity forgets the old one. */
    template <int dim>
    class Uniform : public Interface<dim>
    {
    public:
      static void
      declare_parameters(dealii::ParameterHandler &)
      {}

      void
      parse_parameters(dealii::ParameterHandler &) override
      {}

      dealii::FullMatrix<double>
      matrix(const VelocitySet<dim> &velocities) const override
      {
        double sum = 0;
        for (const double w : velocities.weights)
          sum += w;
        dealii::FullMatrix<double> k(velocities.size(), velocities.size());
        k.fill(std::vector<double>(k.m() * k.n(), 1.0 / sum).data());
        return k;
      }

      bool
      is_uniform() const override
      {
        return true;
      }
    };

    /**
     * Directional persistence: K(v, v') proportional to
     * exp(kappa v.v'/(|v||v'|)), kappa chosen so that the mean cosine between
     * old and new direction is `Mean cosine` for the continuous direction
     * law (d = 1: tanh kappa; d = 2: I1(kappa)/I0(kappa); d = 3: coth kappa - 1/kappa), then normalized
     * on the discrete set.
     */
    template <int dim>
    class Persistence : public Interface<dim>
    {
    public:
      static void
      declare_parameters(dealii::ParameterHandler &prm)
      {
        prm.declare_entry("Mean cosine",
                          "0.33",
                          dealii::Patterns::Double(),
                          "`persistence` only: mean cosine of the angle "
                          "between the directions before and after a tumble, "
                          "in [0, 1) (E. coli: about 0.33).");
      }

      void
      parse_parameters(dealii::ParameterHandler &prm) override
      {
        mean_cosine = prm.get_double("Mean cosine");
        if (!(mean_cosine >= 0 && mean_cosine < 1))
          throw InputError("Tumbling/Mean cosine",
                           "must lie in [0, 1), got " + prm.get("Mean cosine"));
      }

      static double
      mean_cosine_of(const double kappa)
      {
        if (dim == 1)
          return std::tanh(kappa);
        if (dim == 3) // von Mises-Fisher on S^2: coth(kappa) - 1/kappa
          return kappa < 1e-4 ? kappa / 3 : 1 / std::tanh(kappa) - 1 / kappa;
        return boost::math::cyl_bessel_i(1, kappa) /
               boost::math::cyl_bessel_i(0, kappa);
      }

      dealii::FullMatrix<double>
      matrix(const VelocitySet<dim> &velocities) const override
      {
        // bisection for kappa: mean_cosine_of is increasing from 0 to 1
        double lower = 0, upper = 1;
        while (mean_cosine_of(upper) < mean_cosine)
          upper *= 2;
        for (unsigned int it = 0; it < 200; ++it)
          {
            const double middle = 0.5 * (lower + upper);
            (mean_cosine_of(middle) < mean_cosine ? lower : upper) = middle;
          }
        const double kappa = 0.5 * (lower + upper);

        const unsigned int         n = velocities.size();
        dealii::FullMatrix<double> k(n, n);
        for (unsigned int l = 0; l < n; ++l)
          {
            double sum = 0;
            for (unsigned int i = 0; i < n; ++i)
              {
                const double norms =
                  velocities.nodes[i].norm() * velocities.nodes[l].norm();
                const double cosine =
                  norms > 0 ? velocities.nodes[i] * velocities.nodes[l] / norms :
                              0.0;
                k(i, l) = std::exp(kappa * (cosine - 1));
                sum += velocities.weights[i] * k(i, l);
              }
            for (unsigned int i = 0; i < n; ++i)
              k(i, l) /= sum;
          }
        return k;
      }

    private:
      double mean_cosine = 0.33;
    };
  } // namespace TurningKernel
} // namespace chemokin

CHEMOKIN_REGISTER_PLUGIN(chemokin::TurningKernel::Interface,
                         chemokin::TurningKernel::Uniform,
                         "uniform",
                         "K = 1/|V|: the new velocity is uniformly distributed "
                         "(with V = {-c, +c}, a bacterium reverses at rate "
                         "lambda/2).")
CHEMOKIN_REGISTER_PLUGIN(chemokin::TurningKernel::Interface,
                         chemokin::TurningKernel::Persistence,
                         "persistence",
                         "K(v,v') proportional to exp(kappa cos(v,v')), with "
                         "kappa set by `Mean cosine`; normalized on the "
                         "discrete velocity set.")
