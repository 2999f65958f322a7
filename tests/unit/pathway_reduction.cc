// Exact reduction of the pathway (DESIGN §11): in S = S0 e^{g.x} with
// K_I << S << K_A the ligand term is linear in x, mu = v.g/alpha is a
// constant of each velocity, and (direction, u) is a Markov process of its
// own. On a periodic box with a uniform density the drift of the PDE
// (Model = internal state, Dynamics = pathway, the frame relative to the
// signal) must equal that of the reduced equation
//
//   d_t q_k = -d_u[(g(u) - mu_k) q_k] + D_m d_u^2 q_k
//             + lambda(a(u)) (sum_l K w_l q_l - q_k),
//
// solved here by its own discretization (centred finite volumes on a fine
// fixed u-grid, BDF2 with a direct solve, the continuous adapted law as
// initial data; nothing of chemokin's but the velocity nodes), to 1e-3
// relative: d = 1 and d = 3, a gentle gradient (linear response) and a
// steep one (c |g|/alpha beyond k_R and k_B: the cells stop adapting, the
// u-axis of the PDE grows by itself and the drift saturates).

#include <deal.II/lac/dynamic_sparsity_pattern.h>
#include <deal.II/lac/sparse_direct.h>
#include <deal.II/lac/sparse_matrix.h>
#include <deal.II/lac/sparsity_pattern.h>

#include <chemokin/models/internal_state_interface.h>
#include <chemokin/models/signal_frame.h>

#include "test_tools.h"

using namespace chemokin;

namespace
{
  // the constants of the pathway (the defaults of `Internal state/Pathway`)
  const double N = 6, alpha = 1.7, k_R = 0.0075, k_B = 0.015, D_m = 2e-4;
  const double speed = 20;

  double
  activity(const double u)
  {
    return 1 / (1 + std::exp(-N * alpha * u));
  }

  double
  rate(const double u)
  {
    const double a = activity(u);
    return 2 * std::pow(a, 10) / (std::pow(a, 10) + std::pow(1.0 / 3, 10));
  }

  /**
   * The drift of the reduced equation at @p times for velocity nodes
   * @p v (weights @p w, a uniform kernel 1/sum w) and the gradient
   * @p gradient of ln S.
   */
  template <int dim>
  std::vector<double>
  reduced_drift(const std::vector<dealii::Tensor<1, dim>> &v,
                const std::vector<double> &                w,
                const dealii::Tensor<1, dim> &             gradient,
                const std::vector<double> &                times)
  {
    const unsigned int n_v = v.size();
    const double       lo = -4.5, hi = 2, h = 0.004;
    const unsigned int n = std::round((hi - lo) / h);
    double             measure = 0;
    for (const double x : w)
      measure += x;
    std::vector<double> mu(n_v);
    for (unsigned int k = 0; k < n_v; ++k)
      mu[k] = v[k] * gradient / alpha;
    const auto index = [n_v](unsigned int j, unsigned int k) { return j * n_v + k; };

    // the operator A (finite volumes, centred flux, zero flux at the ends)
    dealii::DynamicSparsityPattern pattern(n * n_v);
    for (unsigned int j = 0; j < n; ++j)
      for (unsigned int k = 0; k < n_v; ++k)
        {
          for (unsigned int l = 0; l < n_v; ++l)
            pattern.add(index(j, k), index(j, l));
          if (j > 0)
            pattern.add(index(j, k), index(j - 1, k));
          if (j + 1 < n)
            pattern.add(index(j, k), index(j + 1, k));
        }
    dealii::SparsityPattern sparsity;
    sparsity.copy_from(pattern);
    dealii::SparseMatrix<double> A(sparsity), system(sparsity);
    for (unsigned int k = 0; k < n_v; ++k)
      for (unsigned int j = 0; j + 1 < n; ++j)
        {
          // flux F = b (q_j + q_{j+1})/2 - D (q_{j+1} - q_j)/h from j to j+1
          const double u = lo + (j + 1) * h;
          const double b = k_R - (k_R + k_B) * activity(u) - mu[k];
          const double from_j = (0.5 * b + D_m / h) / h, from_next = (0.5 * b - D_m / h) / h;
          A.add(index(j, k), index(j, k), -from_j);
          A.add(index(j, k), index(j + 1, k), -from_next);
          A.add(index(j + 1, k), index(j, k), from_j);
          A.add(index(j + 1, k), index(j + 1, k), from_next);
        }
    for (unsigned int j = 0; j < n; ++j)
      {
        const double lambda = rate(lo + (j + 0.5) * h);
        for (unsigned int k = 0; k < n_v; ++k)
          {
            for (unsigned int l = 0; l < n_v; ++l)
              A.add(index(j, k), index(j, l), lambda * w[l] / measure);
            A.add(index(j, k), index(j, k), -lambda);
          }
      }
    // the adapted law: rho_0 ~ exp(Phi/D_m) at the centres, for every velocity
    dealii::Vector<double> q(n * n_v), previous(n * n_v), rhs(n * n_v), next(n * n_v);
    {
      std::vector<double> phi(n);
      double              top = -1e300, mass = 0;
      for (unsigned int j = 0; j < n; ++j)
        {
          const double u = lo + (j + 0.5) * h, x = N * alpha * u;
          phi[j] = (k_R * u - (k_R + k_B) * (std::max(x, 0.0) + std::log1p(std::exp(-std::abs(x)))) /
                                (N * alpha)) / D_m;
          top = std::max(top, phi[j]);
        }
      for (unsigned int j = 0; j < n; ++j)
        mass += std::exp(phi[j] - top);
      for (unsigned int j = 0; j < n; ++j)
        for (unsigned int k = 0; k < n_v; ++k)
          q[index(j, k)] = std::exp(phi[j] - top) / (mass * measure);
    }
    const auto drift = [&](const dealii::Vector<double> &state) {
      double mass = 0, flux = 0;
      for (unsigned int j = 0; j < n; ++j)
        for (unsigned int k = 0; k < n_v; ++k)
          {
            mass += w[k] * state[index(j, k)];
            flux += w[k] * state[index(j, k)] * v[k] * (gradient / gradient.norm());
          }
      return flux / mass;
    };
    // BDF2 (the first step backward Euler on a tenth of the step, ten times)
    const double                  dt = 0.02;
    dealii::SparseDirectUMFPACK   bdf2, euler;
    system.copy_from(A);
    system *= -dt / 10;
    for (unsigned int i = 0; i < n * n_v; ++i)
      system.add(i, i, 1.0);
    euler.initialize(system);
    system.copy_from(A);
    system *= -2 * dt / 3;
    for (unsigned int i = 0; i < n * n_v; ++i)
      system.add(i, i, 1.0);
    bdf2.initialize(system);

    std::vector<double> result;
    double              t = 0;
    previous              = q;
    for (unsigned int s = 0; s < 10; ++s)
      euler.vmult(q, dealii::Vector<double>(q));
    t = dt;
    for (const double target : times)
      {
        while (t < target - 1e-9)
          {
            for (unsigned int i = 0; i < n * n_v; ++i)
              rhs[i] = (4 * q[i] - previous[i]) / 3;
            bdf2.vmult(next, rhs);
            previous = q;
            q        = next;
            t += dt;
          }
        result.push_back(drift(q));
      }
    return result;
  }

  template <int dim>
  void
  check(const std::string &name, const double length, const double tolerance)
  {
    const std::vector<double> times = {20, 40, 60};
    std::ostringstream        prm_text;
    prm_text << std::setprecision(17) << "set Dimension = " << dim
             << "\nset Model = internal state\nsubsection Domain\n set Lower corner = "
             << (dim == 1 ? "0" : dim == 2 ? "0,0" : "0,0,0") << "\n set Upper corner = "
             << (dim == 1 ? "2000" : dim == 2 ? "2000,2000" : "2000,2000,2000")
             << "\n set Boundary = periodic\nend\n"
             << "subsection Velocity space\n set Type = sphere\n set Speed = " << speed
             << "\n set Number of directions = 4\nend\n"
             << "subsection Signal\n set Log-concentration = x/" << length << "\nend\n"
             << "subsection Tumbling\n set Rate = 2*a^10/(a^10 + (1/3)^10)\nend\n"
             << "subsection Discretization\n set Refinement = 0\n set Degree = 0\n set CFL = 0.2\nend\n"
             << "subsection Internal state\n set Dynamics = pathway\n set U cell size = 0.004\n"
             << " subsection Pathway\n  set K_I = 1e-8\n  set K_A = 1e8\n end\nend\n";
    dealii::ParameterHandler prm;
    test::parse(prm, prm_text.str());
    auto model = Models::create_internal_state<dim>(prm, MPI_COMM_WORLD);
    auto *frame = dynamic_cast<Models::SignalFrame<dim> *>(model.get());
    test::check(name + ": the pathway runs in the frame relative to the signal", frame != nullptr);
    const auto &velocities = model->velocities();

    dealii::Tensor<1, dim> gradient;
    gradient[0] = 1 / length;
    const auto oracle = reduced_drift<dim>(velocities.nodes, velocities.weights, gradient, times);

    Models::Moments<dim> moments;
    double               t = 0;
    for (unsigned int o = 0; o < times.size(); ++o)
      {
        const unsigned int steps = std::ceil((times[o] - t) / model->time_step() - 1e-9);
        const double       dt    = (times[o] - t) / steps;
        for (unsigned int s = 0; s < steps; ++s, t += dt)
          model->advance(t, dt);
        t = times[o];
        model->compute_moments(moments);
        const auto &space = model->x_space();
        const auto &p     = model->marginal();
        double      mass = 0, flux = 0;
        for (unsigned int i = 0; i < space.n_owned_dofs(); ++i)
          for (unsigned int k = 0; k < velocities.size(); ++k)
            {
              const double value = space.node_weight[i] * velocities.weights[k] *
                                   p.local_element(std::size_t(i) * velocities.size() + k);
              mass += value;
              flux += value * velocities.nodes[k][0];
            }
        const double drift = flux / mass;
        std::ostringstream what;
        what << name << ": drift at t = " << times[o] << " (relative), u in ["
             << frame->u_grid().lower << ", " << frame->u_grid().upper() << "]";
        test::check_close(what.str(), drift / oracle[o], 1, tolerance);
      }
  }
} // namespace

int
main(int argc, char **argv)
{
  dealii::Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  check<1>("d = 1, gentle gradient (L = 5 mm)", 5000, 1e-3);
  check<1>("d = 1, steep gradient (L = 0.5 mm, saturated)", 500, 1e-3);
  check<3>("d = 3, gentle gradient", 5000, 1e-3);
  check<3>("d = 3, steep gradient", 500, 1e-3);
  return test::finish();
}
