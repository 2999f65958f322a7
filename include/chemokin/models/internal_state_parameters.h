#pragma once

#include <deal.II/base/parameter_handler.h>

#include <string>

namespace chemokin
{
  namespace Models
  {
    /**
     * The entries every solver of the internal-state model reads (the
     * moving and the fixed frame, the particles), declared and read here
     * only: `Internal state/Frame`, `Epsilon`, `IMEX order`, `IMEX implementation` and `Initial
     * condition/Methylation profile`. Each frame declares its own
     * discretization entries next to its code.
     */
    struct InternalStateParameters
    {
      static void
      declare_parameters(dealii::ParameterHandler &prm);

      /** Reads and checks them (InputError naming the entry). */
      explicit InternalStateParameters(dealii::ParameterHandler &prm);

      /** `moving`, `fixed` or `signal` (`auto` resolved) */
      std::string frame;
      /** `linear` or `pathway` */
      std::string dynamics;
      /** the adaptation time eps, in (min_epsilon, max_epsilon] */
      double epsilon;
      static constexpr double min_epsilon = 1e-8, max_epsilon = 1e8;
      /** of the IMEX Runge-Kutta method (each frame checks what it supports) */
      unsigned int imex_order;
      /** `low storage` or `arkode` (the moving and the signal frame) */
      std::string imex_implementation;
      /** p0(x, m), or empty: the equilibrium profile */
      std::string methylation_profile;
    };
  } // namespace Models
} // namespace chemokin
