#include <chemokin/models/characteristic_lag.h>

namespace chemokin
{
  namespace Models
  {
    template <int dim>
    CharacteristicLag<dim>::CharacteristicLag(const MPI_Comm &   comm,
                                              const double       epsilon,
                                              const unsigned int imex_order,
                                              const std::string &imex_implementation)
      : epsilon(epsilon)
    {
      ImexIntegrator::Parts parts;
      parts.explicit_part = [this](double t, const PhaseVector &y, PhaseVector &f) {
        transport->apply(t, y, f, nullptr);
      };
      parts.implicit_part = [this](double t, const PhaseVector &y, PhaseVector &f) {
        relaxation->apply(t, y, f);
      };
      parts.solve = [this](double, double gamma, const PhaseVector &b, PhaseVector &x) {
        relaxation->solve(gamma, b, x);
      };
      parts.solve_stage = [this](double t, double gamma, const PhaseVector &S, PhaseVector &Y) {
        relaxation->solve_stage(t, gamma, S, Y);
      };
      parts.reinit = [this](PhaseVector &v) { space->reinit(v); };
      integrator   = ImexIntegrator::stiffly_accurate(
        parts, comm, imex_order, "`Frame = signal`", imex_implementation);
    }

    template <int dim>
    void
    CharacteristicLag<dim>::setup(const PhaseSpace<dim> &        x_space,
                                  const VelocitySet<dim> &       velocities,
                                  const Signal::Interface<dim> &signal,
                                  const Domain<dim> &            domain)
    {
      space      = &x_space;
      transport  = std::make_unique<Transport<dim, dim>>(x_space, velocities, domain.boundary);
      relaxation = std::make_unique<LagRelaxation<dim>>(x_space, velocities, signal, epsilon, 1);
    }

    template <int dim>
    void
    CharacteristicLag<dim>::set_initial_condition()
    {
      space->reinit(lag);
      lag = 0;
      integrator->restart();
    }

    template <int dim>
    void
    CharacteristicLag<dim>::advance(const double t, const double dt)
    {
      integrator->advance_through_initial_layer(t, dt, epsilon, lag);
    }

    template class CharacteristicLag<1>;
    template class CharacteristicLag<2>;
    template class CharacteristicLag<3>;
  } // namespace Models
} // namespace chemokin
