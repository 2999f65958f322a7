#pragma once

#include <chemokin/mesh/box_mesh.h>
#include <chemokin/mesh/phase_space.h>
#include <chemokin/operators/phase_space_operator.h>
#include <chemokin/operators/tumbling.h>
#include <chemokin/velocity/velocity_set.h>

#include <array>
#include <functional>
#include <vector>

namespace chemokin
{
  /**
   * The free-transport term -v.grad_x p with an upwind DG flux (DESIGN §3),
   * applied to every velocity node. The mesh has dimension mesh_dim >= dim:
   * its first dim axes are x, further axes (the methylation level m) carry
   * no transport and no flux.
   *
   * On an axis-aligned mesh the outward normal of a face is ±e_j, so the
   * upwind side depends only on the sign of v_j. The operator is therefore
   *
   *   (M^{-1} A p)_{i,k} = sum_l sum_j (P_j[i,l] max(v_kj,0)
   *                                     + N_j[i,l] min(v_kj,0)) p_{l,k}
   *
   * with velocity-independent coefficients P_j, N_j (volume term plus the
   * outflow/inflow face terms for each sign) assembled once, with the
   * diagonal mass matrix folded in. The kernel loops over velocities
   * innermost and reuses every coefficient n_v times. Reflecting walls add
   * inflow terms that read the mirrored velocity at the same point.
   * Faces between cells of different refinement levels are integrated on
   * the finer side's (sub)faces.
   */
  template <int dim, int mesh_dim>
  class Transport : public PhaseSpaceOperator
  {
  public:
    Transport(const PhaseSpace<mesh_dim> &                 phase_space,
              const VelocitySet<dim> &                     velocities,
              const std::array<BoundaryCondition, dim> &   boundary);

    void
    add_to(double time, const PhaseVector &src, PhaseVector &dst) const override;

    /**
     * The explicit stage dst = T src + Q src (Q: @p tumbling, if given),
     * overwriting dst. Row by row, so that src and dst pass through memory
     * once (DESIGN §6); this is what the time integrators call.
     */
    void
    apply(double time, const PhaseVector &src, PhaseVector &dst, const Tumbling<mesh_dim> *tumbling) const;

    /**
     * A node-local operator applied in the same pass: row(i, src_i, dst_i)
     * adds its part to the n_v values dst_i of owned x-node i, from the
     * values src_i (the moving frame's shifted tumbling).
     */
    using RowOperator = std::function<void(unsigned int i, const double *src_i, double *dst_i)>;

    /** dst = T src + R src, row by row as apply() with a Tumbling. */
    void
    apply(const PhaseVector &src, PhaseVector &dst, const RowOperator &row) const;

    /**
     * Called with (first, count, values): the entries [first, first + count)
     * of the result, those of one owned x-node (its wall terms included),
     * for a consumer that needs no neighbour (the integrator's sums; the
     * same signature as ImexIntegrator::Parts::Piece).
     */
    using RowConsumer = std::function<void(std::size_t first, std::size_t count, const double *values)>;

    /**
     * T src + R src as apply() with a RowOperator, but no vector of the
     * result: each row is computed into a buffer of one row and handed to
     * @p finished, in the order of the owned x-nodes.
     */
    void
    apply_by_rows(const PhaseVector &src, const RowOperator &row, const RowConsumer &finished) const;

    /** min over cells of h / ((2k+1) sum_j max_k |v_kj| / 1), for CFL 1. */
    double
    max_time_step() const override;

  private:
    /** The kernel of add_to() (add = true) and apply() (add = false). */
    template <bool add, typename Row, typename Finished>
    void
    kernel(const PhaseVector &src, double *out, std::size_t out_stride, const Row &row, const Finished &finished) const;

    /** apply_by_rows(): the row of the result */
    mutable std::vector<double> row_buffer;

    const PhaseSpace<mesh_dim> &phase_space;
    unsigned int                n_v;

    /** CSR over owned rows: columns are local DoF indices (incl. ghosts). */
    std::vector<unsigned int> row_start;
    std::vector<unsigned int> column;
    /** 2*dim coefficients per entry: (P_0, N_0, P_1, N_1, ...). */
    std::vector<double> coefficient;

    /** max(v_kj, 0) and min(v_kj, 0), [j][k]. */
    std::array<std::vector<double>, dim> v_plus, v_minus;
    /** v_kj, [j][k] */
    std::array<std::vector<double>, dim> v_component;

    /**
     * A run of consecutive velocity nodes whose components have the same
     * signs: inside it the upwind coefficient of every axis is fixed, so the
     * kernel sums coefficient x value over the entries of a row in
     * registers, for a block of velocities, and multiplies by v_j once.
     */
    struct Segment
    {
      unsigned int begin, end;
      /** per axis: 0 (v_j >= 0, P_j) or 1 (v_j < 0, N_j) */
      std::array<unsigned int, dim> slot;
      /** which of the `upwind` matrices serves this segment */
      unsigned int pattern;
    };
    std::vector<Segment> segments;

    /**
     * For every sign pattern of the segments, the CSR matrix of the rows
     * with one coefficient per axis (the one of that sign), and without the
     * entries that are zero for it (the downwind neighbours): the kernel's
     * inner loop has no lookups and no branches.
     */
    struct UpwindMatrix
    {
      std::vector<unsigned int> row_start;
      std::vector<unsigned int> column;
      /** dim coefficients per entry */
      std::vector<double> coefficient;
    };
    std::vector<UpwindMatrix> upwind;

    struct WallEntry
    {
      unsigned int row, column, axis;
      /** true: the term multiplies min(v_j,0) (upper wall), else max(v_j,0) */
      bool   upper;
      double value;
    };
    /** sorted by row (stably: each row's terms in the order they were found) */
    std::vector<WallEntry>                      wall_entries;
    /** the wall entries of owned row r: [wall_start[r], wall_start[r + 1]) */
    std::vector<unsigned int>                   wall_start;
    std::array<std::vector<unsigned int>, dim> mirror;

    double time_step_limit;
  };
} // namespace chemokin
