#pragma once

#include <map>
#include <string>
#include <vector>

namespace chemokin
{
  namespace Signal
  {
    /**
     * What `Signal/Reaction-diffusion` says about the fields (DESIGN §10):
     *
     *   d_t S_j = D_j Laplace S_j + R_j(S, rho, x, t),   j = 1 ... n,
     *
     * with zero-flux walls (periodic along periodic axes of the box).
     */
    struct FieldEquations
    {
      std::vector<std::string> names;
      std::vector<double>      diffusion;
      /** R_j as muparser text in the field names, rho, x (y, z), t */
      std::vector<std::string> reactions;
      /** S_j(0, x) as muparser text in x (y, z) */
      std::vector<std::string> initial_values;
      std::map<std::string, double> constants;
    };

    /** The entries of `Signal/Reaction-diffusion` as they are written. */
    struct FieldEquationsText
    {
      std::string fields, diffusion, reactions, initial_values;
    };

    /**
     * Read and check the field equations in @p dim space dimensions: field
     * names (identifiers, not rho, x, y, z, t or a user constant, none
     * twice), one diffusion coefficient >= 0, one reaction and one initial
     * value per field; every reaction is compiled, so an unknown name is
     * reported here (InputError naming the entry).
     */
    FieldEquations
    read_field_equations(const FieldEquationsText &           text,
                         const std::map<std::string, double> &constants,
                         int                                  dim);
  } // namespace Signal
} // namespace chemokin
