#include <chemokin/time_stepping/ars_tables.h>

#include <cmath>
#include <stdexcept>

namespace chemokin
{
  ArsTables::ArsTables(const unsigned int order)
  {
    if (order == 2)
      {
        const double g = 1 - 1 / std::sqrt(2.0), d = 1 - 1 / (2 * g);
        stages         = 3;
        gamma          = g;
        c              = {0, g, 1};
        implicit_a     = {0, 0, 0, 0, g, 0, 0, 1 - g, g};
        explicit_a     = {0, 0, 0, g, 0, 0, d, 1 - d, 0};
      }
    else if (order == 3)
      {
        stages     = 5;
        gamma      = 0.5;
        c          = {0, 0.5, 2. / 3, 0.5, 1};
        implicit_a = {0, 0,       0,        0,       0,       //
                      0, 0.5,     0,        0,       0,       //
                      0, 1. / 6,  0.5,      0,       0,       //
                      0, -0.5,    0.5,      0.5,     0,       //
                      0, 1.5,     -1.5,     0.5,     0.5};
        explicit_a = {0,         0,        0,        0,         0, //
                      0.5,       0,        0,        0,         0, //
                      11. / 18,  1. / 18,  0,        0,         0, //
                      5. / 6,    -5. / 6,  0.5,      0,         0, //
                      0.25,      1.75,     0.75,     -1.75,     0};
      }
    else
      throw std::invalid_argument("the globally stiffly accurate IMEX pairs have order 2 or 3");
  }
} // namespace chemokin
