// The concentration centre N of (3.3), by quadrature, against an RK4 solve
// of the ODE (1.8) along characteristics, dN/ds = (M(s, X(s)) - N)/eps with
// X(s) = x - (t - s) v, to 1e-8; and the bounds of Lemma 3.1:
//   (3.1) |N(v) - N(v')| <= ||grad M|| eps |v - v'|
//   (3.2) |D_tM - D_tN| <= 4 ||M||_{W^{2,inf}} (eps + e^{-t/eps}) (1 + |v|^2),
// with D_tN = (M - N)/eps. Periodic box, moving signal
// M = sin(x - 0.3 t) + 0.5 cos(2x) (+ 0.4 sin(y) in 2D): |grad M| <= 2
// (resp. 2.04), ||M||_{W^{2,inf}} = max over derivatives of order <= 2 = 3.

#include <chemokin/mesh/domain.h>
#include <chemokin/signal/concentration_centre.h>

#include "test_tools.h"

using namespace chemokin;

template <int dim>
void
run_checks()
{
  const std::string        two_pi = "6.283185307179586";
  dealii::ParameterHandler prm;
  test::parse(prm,
              "set Dimension = " + std::to_string(dim) +
                "\nsubsection Domain\n set Lower corner = " +
                (dim == 1 ? "0" : "0,0") + "\n set Upper corner = " +
                (dim == 1 ? two_pi : two_pi + "," + two_pi) +
                "\n set Boundary = periodic\nend\n"
                "subsection Signal\n set Log-concentration = sin(x - 0.3*t) + 0.5*cos(2*x)" +
                (dim == 2 ? " + 0.4*sin(y)" : "") + "\nend\n");
  const Domain<dim> domain = Domain<dim>::parse(prm);
  const auto signal = Signal::create<dim>(prm, domain.center(), domain.size());
  const double grad_bound = dim == 1 ? 2.0 : std::sqrt(4.0 + 0.16);
  const double w2_norm    = 3.0;

  double worst_ode = 0, worst_31 = 0, worst_32 = 0;
  for (const double eps : {1.0, 0.1, 0.01})
    {
      const ConcentrationCentre<dim> centre(*signal, eps, domain);
      for (const double t : {0.003, 0.05, 0.5, 3.0})
        for (const double x0 : {0.3, 2.0, 5.9})
          {
            dealii::Point<dim> x;
            for (unsigned int d = 0; d < dim; ++d)
              x[d] = x0 + 0.7 * d;
            std::vector<dealii::Tensor<1, dim>> velocities;
            for (const double speed : {-1.3, 0.0, 0.8, 2.0})
              {
                dealii::Tensor<1, dim> v;
                v[0] = speed;
                if (dim == 2)
                  v[dim - 1] = 0.5 * speed - 0.4;
                velocities.push_back(v);
              }
            for (const auto &v : velocities)
              {
                // RK4 along the characteristic
                const unsigned int n = std::ceil(400 * t / std::min(eps, t));
                const double       h = t / n;
                auto X = [&](double s) { return centre.fold(x - (t - s) * v); };
                auto f = [&](double s, double N) {
                  return (signal->value(X(s), s) - N) / eps;
                };
                double N = signal->value(X(0), 0);
                for (unsigned int i = 0; i < n; ++i)
                  {
                    const double s  = i * h;
                    const double k1 = f(s, N), k2 = f(s + h / 2, N + h / 2 * k1),
                                 k3 = f(s + h / 2, N + h / 2 * k2),
                                 k4 = f(s + h, N + h * k3);
                    N += h / 6 * (k1 + 2 * k2 + 2 * k3 + k4);
                  }
                worst_ode = std::max(worst_ode, std::abs(centre.value(t, x, v) - N));

                const double dtm = signal->path_derivative(x, v, t);
                const double dtn = centre.path_derivative(t, x, v);
                worst_32 = std::max(worst_32,
                                    std::abs(dtm - dtn) /
                                      (4 * w2_norm * (eps + std::exp(-t / eps)) *
                                       (1 + v.norm_square())));
                for (const auto &w : velocities)
                  if ((v - w).norm() > 0)
                    worst_31 = std::max(worst_31,
                                        std::abs(centre.value(t, x, v) -
                                                 centre.value(t, x, w)) /
                                          (grad_bound * eps * (v - w).norm()));
              }
          }
    }
  const std::string d = "d=" + std::to_string(dim) + ": ";
  test::check_close(d + "max |N(3.3) - N(ODE)|", worst_ode, 0, 1e-8);
  test::check(d + "Lemma 3.1 (3.1): max ratio to the bound <= 1",
              worst_31 <= 1,
              test::sci(worst_31));
  test::check(d + "Lemma 3.1 (3.2): max ratio to the bound <= 1",
              worst_32 <= 1,
              test::sci(worst_32));
}

int
main(int argc, char **argv)
{
  dealii::Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  run_checks<1>();
  run_checks<2>();
  return test::finish();
}
