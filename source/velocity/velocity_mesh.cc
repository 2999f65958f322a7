#include <deal.II/base/numbers.h>
#include <deal.II/base/quadrature_lib.h>

#include <chemokin/velocity/velocity_mesh.h>

#include <cmath>
#include <map>
#include <set>

namespace chemokin
{
  namespace
  {
    /** The Lagrange polynomial of node j of @p nodes at x. */
    double
    lagrange(const std::vector<double> &nodes, const unsigned int j, const double x)
    {
      double value = 1;
      for (unsigned int m = 0; m < nodes.size(); ++m)
        if (m != j)
          value *= (x - nodes[m]) / (nodes[j] - nodes[m]);
      return value;
    }
  } // namespace

  VelocityMesh::VelocityMesh(const Chart        chart,
                             const double       speed,
                             const unsigned int coarse_cells,
                             const unsigned int points)
    : chart(chart)
    , speed(speed)
    , lower(chart == Chart::line ? -speed : 0)
    , upper(chart == Chart::line ? speed : 2 * dealii::numbers::PI)
    , coarse_cells(coarse_cells)
    , points(points)
  {
    for (unsigned int i = 0; i < coarse_cells; ++i)
      cells.emplace_back(0, i);
  }

  std::pair<double, double>
  VelocityMesh::interval(const unsigned int c) const
  {
    const double width = (upper - lower) / coarse_cells / double(1u << cells[c].first);
    return {lower + cells[c].second * width, lower + (cells[c].second + 1) * width};
  }

  std::pair<unsigned int, unsigned int>
  VelocityMesh::neighbors(const unsigned int c) const
  {
    const unsigned int n       = cells.size();
    const unsigned int invalid = dealii::numbers::invalid_unsigned_int;
    if (chart == Chart::circle)
      return {(c + n - 1) % n, (c + 1) % n};
    return {c > 0 ? c - 1 : invalid, c + 1 < n ? c + 1 : invalid};
  }

  template <int dim>
  VelocitySet<dim>
  VelocityMesh::velocity_set() const
  {
    AssertThrow(dim <= 2, dealii::ExcMessage("velocity meshes are charts of d = 1 and 2"));
    const dealii::QGauss<1> gauss(points);
    VelocitySet<dim>        set;
    for (unsigned int c = 0; c < cells.size(); ++c)
      {
        const auto [left, right] = interval(c);
        for (unsigned int q = 0; q < points; ++q)
          {
            const double           s = left + (right - left) * gauss.point(q)[0];
            dealii::Tensor<1, dim> v;
            if constexpr (dim == 1)
              v[0] = s;
            else if constexpr (dim == 2)
              {
                v[0] = speed * std::cos(s);
                v[1] = speed * std::sin(s);
              }
            set.nodes.push_back(v);
            set.weights.push_back((right - left) * gauss.weight(q));
          }
      }
    set.measure = upper - lower;
    set.compute_mirrors();
    return set;
  }

  int
  VelocityMesh::find(double left, double right) const
  {
    if (left > right)
      std::swap(left, right);
    const double period    = upper - lower;
    const double tolerance = 1e-9 * period;
    if (chart == Chart::circle)
      {
        while (left < lower - tolerance)
          left += period, right += period;
        while (left >= upper - tolerance)
          left -= period, right -= period;
      }
    for (unsigned int c = 0; c < cells.size(); ++c)
      {
        const auto [l, r] = interval(c);
        if (std::abs(l - left) <= tolerance && std::abs(r - right) <= tolerance)
          return c;
      }
    return -1;
  }

  std::pair<std::vector<double>, std::vector<double>>
  VelocityMesh::end_weights() const
  {
    const dealii::QGauss<1> gauss(points);
    std::vector<double>     xi(points), left(points), right(points);
    for (unsigned int q = 0; q < points; ++q)
      xi[q] = gauss.point(q)[0];
    for (unsigned int q = 0; q < points; ++q)
      {
        left[q]  = lagrange(xi, q, 0);
        right[q] = lagrange(xi, q, 1);
      }
    return {left, right};
  }

  bool
  VelocityMesh::adapt(std::vector<int>         flags,
                      const unsigned int       max_level,
                      const std::vector<bool> &mirror,
                      Transfer &               transfer)
  {
    const unsigned int n = cells.size();
    // the mirror images of a cell: v_0 -> -v_0 is s -> -s on the line and
    // s -> pi - s on the circle, v_1 -> -v_1 is s -> -s on the circle
    auto images = [&](const unsigned int c) {
      const auto [l, r] = interval(c);
      std::vector<int> result;
      for (unsigned int j = 0; j < mirror.size(); ++j)
        if (mirror[j])
          {
            const bool through_pi = chart == Chart::circle && j == 0;
            result.push_back(through_pi ? find(dealii::numbers::PI - r, dealii::numbers::PI - l) :
                                          find(-r, -l));
          }
      return result;
    };
    for (unsigned int c = 0; c < n; ++c)
      if ((flags[c] > 0 && level(c) >= max_level) || (flags[c] < 0 && level(c) == 0))
        flags[c] = 0;
    // a refinement spreads to the images (until nothing changes)
    for (bool spread = true; spread;)
      {
        spread = false;
        for (unsigned int c = 0; c < n; ++c)
          if (flags[c] > 0)
            for (const int image : images(c))
              if (image >= 0 && flags[image] <= 0)
                flags[image] = 1, spread = true;
      }
    // sibling pairs to merge: both flagged, and so are their images
    std::set<unsigned int> pairs;
    for (unsigned int c = 0; c + 1 < n; ++c)
      if (flags[c] < 0 && flags[c + 1] < 0 && cells[c].second % 2 == 0 &&
          cells[c + 1].first == cells[c].first && cells[c + 1].second == cells[c].second + 1)
        pairs.insert(c);
    auto in_pair = [&](const int c) {
      return c >= 0 && (pairs.count(c) || (c > 0 && pairs.count(c - 1)));
    };
    for (bool dropped = true; dropped;)
      {
        dropped = false;
        for (auto it = pairs.begin(); it != pairs.end();)
          {
            bool keep = true;
            for (const unsigned int member : {*it, *it + 1})
              for (const int image : images(member))
                keep = keep && in_pair(image);
            if (keep)
              ++it;
            else
              it = pairs.erase(it), dropped = true;
          }
      }

    bool changed = !pairs.empty();
    for (unsigned int c = 0; c < n; ++c)
      changed = changed || flags[c] > 0;
    if (!changed)
      return false;

    // the new cells, and the rows of the transfer for their nodes
    const dealii::QGauss<1> gauss(points);
    std::vector<double>     xi(points), w(points);
    for (unsigned int q = 0; q < points; ++q)
      xi[q] = gauss.point(q)[0], w[q] = gauss.weight(q);
    transfer = Transfer();
    transfer.row_start.push_back(0);
    auto end_row = [&]() { transfer.row_start.push_back(transfer.column.size()); };
    std::vector<std::pair<unsigned int, unsigned int>> new_cells;
    for (unsigned int c = 0; c < n; ++c)
      {
        const auto [lev, index] = cells[c];
        const unsigned int first = c * points;
        if (flags[c] > 0)
          for (unsigned int child = 0; child < 2; ++child)
            {
              // interpolate the cell polynomial at the child's nodes
              new_cells.emplace_back(lev + 1, 2 * index + child);
              for (unsigned int q = 0; q < points; ++q)
                {
                  const double x = 0.5 * (child + xi[q]);
                  for (unsigned int j = 0; j < points; ++j)
                    {
                      transfer.column.push_back(first + j);
                      transfer.value.push_back(lagrange(xi, j, x));
                    }
                  end_row();
                }
            }
        else if (pairs.count(c))
          {
            // L2 projection of the two children on the parent: the Gauss
            // rule of each child integrates phi_i p exactly
            new_cells.emplace_back(lev - 1, index / 2);
            for (unsigned int i = 0; i < points; ++i)
              {
                for (unsigned int child = 0; child < 2; ++child)
                  for (unsigned int j = 0; j < points; ++j)
                    {
                      transfer.column.push_back(first + child * points + j);
                      transfer.value.push_back(0.5 * w[j] / w[i] *
                                               lagrange(xi, i, 0.5 * (child + xi[j])));
                    }
                end_row();
              }
            ++c; // the sibling is merged too
          }
        else
          {
            new_cells.emplace_back(lev, index);
            for (unsigned int q = 0; q < points; ++q)
              {
                transfer.column.push_back(first + q);
                transfer.value.push_back(1);
                end_row();
              }
          }
      }
    cells = std::move(new_cells);
    return true;
  }

  void
  VelocityMesh::Transfer::apply(const double *old_values, double *new_values, const unsigned int n_lanes) const
  {
    for (unsigned int r = 0; r + 1 < row_start.size(); ++r)
      for (unsigned int l = 0; l < n_lanes; ++l)
        {
          double sum = 0;
          for (unsigned int e = row_start[r]; e < row_start[r + 1]; ++e)
            sum += value[e] * old_values[std::size_t(column[e]) * n_lanes + l];
          new_values[std::size_t(r) * n_lanes + l] = sum;
        }
  }

  std::vector<double>
  VelocityMesh::save() const
  {
    std::vector<double> data;
    for (const auto &[lev, index] : cells)
      {
        data.push_back(lev);
        data.push_back(index);
      }
    return data;
  }

  void
  VelocityMesh::load(const std::vector<double> &data)
  {
    cells.clear();
    for (std::size_t i = 0; i + 1 < data.size(); i += 2)
      cells.emplace_back(std::lround(data[i]), std::lround(data[i + 1]));
  }

  template VelocitySet<1>
  VelocityMesh::velocity_set<1>() const;
  template VelocitySet<2>
  VelocityMesh::velocity_set<2>() const;
  template VelocitySet<3>
  VelocityMesh::velocity_set<3>() const;
} // namespace chemokin
