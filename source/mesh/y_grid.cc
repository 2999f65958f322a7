#include <chemokin/base/input_error.h>
#include <chemokin/base/parameters.h>
#include <chemokin/mesh/y_grid.h>

#include <algorithm>
#include <cmath>

namespace chemokin
{
  YGrid::YGrid(const double half_width, const unsigned int n_cells)
    : Y(half_width)
    , h(2 * half_width / n_cells)
  {
    if (!(half_width > 0) || !std::isfinite(half_width))
      throw InputError("Internal state/Y range",
                       "must be a positive number, got " + Parameters::format(half_width));
    if (n_cells < 2)
      throw InputError("Internal state/Y cell size", "leaves fewer than 2 cells");
    centers.resize(n_cells);
    maxwellian.resize(n_cells);
    double total = 0;
    for (unsigned int j = 0; j < n_cells; ++j)
      {
        centers[j]    = -Y + (j + 0.5) * h;
        maxwellian[j] = std::exp(-0.5 * centers[j] * centers[j]);
        total += h * maxwellian[j];
      }
    for (double &m : maxwellian)
      m /= total;
  }

  void
  YGrid::add_shifted(const double *source,
                     const double  shift,
                     const double  factor,
                     double *      target) const
  {
    const int n = centers.size();
    remap(source, n, shift, factor, target, n, 0);
  }

  void
  YGrid::remap(const double *source,
               const int     n_source,
               const double  shift,
               const double  factor,
               double *      target,
               const int     n_target,
               const int     offset) const
  {
    // source cell j lands on target cells j + offset + first (+ 1)
    const double u     = shift / h;
    const double floor = std::floor(u);
    const int    first = static_cast<int>(floor) + offset;
    const double right = u - floor; // fraction that lands in cell j + first + 1
    const double left  = 1 - right;
    // cells j whose both targets j + first, j + first + 1 lie inside
    const int begin = std::min(n_source, std::max(0, -first));
    const int end   = std::max(begin, std::min(n_source, n_target - 1 - first));
    // gathered: target cell m takes left of source m - first and right of
    // source m - first - 1, so each is written once and the loop has no
    // dependence from one cell to the next (it vectorizes)
    if (end > begin)
      {
        const double fl = factor * left, fr = factor * right;
        const double *__restrict in  = source;
        double *__restrict out       = target;
        out[begin + first] += fl * in[begin];
        for (int m = begin + first + 1; m < end + first; ++m)
          out[m] += fl * in[m - first] + fr * in[m - first - 1];
        out[end + first] += fr * in[end - 1];
      }
    // the rest: clamp every target index into the grid
    auto deposit = [&](const int j) {
      const double value = factor * source[j];
      const int    a     = std::min(std::max(j + first, 0), n_target - 1);
      const int    b     = std::min(std::max(j + first + 1, 0), n_target - 1);
      target[a] += left * value;
      target[b] += right * value;
    };
    for (int j = 0; j < begin; ++j)
      deposit(j);
    for (int j = end; j < n_source; ++j)
      deposit(j);
  }
} // namespace chemokin
