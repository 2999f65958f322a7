#pragma once

#include <deal.II/base/data_out_base.h>
#include <deal.II/base/mpi.h>

#include <chemokin/checkpoint/state.h>

#include <functional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

namespace chemokin
{
  /**
   * A ParaView time series `<name>.pvd` of `<name>_NNNNN.pvtu` records, each
   * with one `.vtu` piece per MPI rank. Every file goes through a temporary
   * file and a rename, pieces first, then the record, then the series: a
   * crash at any instant leaves a `.pvd` that lists only complete files.
   */
  /** "p_07": the field of velocity node @p k of @p n_v, zero-padded. */
  inline std::string
  velocity_field_name(const unsigned int k, const unsigned int n_v)
  {
    std::string index = std::to_string(k);
    index.insert(0, std::to_string(n_v - 1).size() - index.size(), '0');
    return "p_" + index;
  }

  class VtuSeries
  {
  public:
    explicit VtuSeries(std::string name);

    /**
     * Write output number @p index at @p time: @p write_piece writes this
     * rank's .vtu; @p write_record (called on rank 0) the .pvtu record for
     * the given piece file names. Collective.
     */
    void
    write(const std::string &                                                     directory,
          unsigned int                                                            index,
          double                                                                  time,
          const MPI_Comm &                                                        comm,
          const std::function<void(std::ostream &)> &                             write_piece,
          const std::function<void(std::ostream &, const std::vector<std::string> &)> &write_record);

    /** Same, for a deal.II DataOut (or DataOut-like) object. */
    template <typename DataOutType>
    void
    write(const std::string & directory,
          const unsigned int  index,
          const double        time,
          const MPI_Comm &    comm,
          const DataOutType & data_out)
    {
      write(
        directory,
        index,
        time,
        comm,
        [&](std::ostream &out) { data_out.write_vtu(out); },
        [&](std::ostream &out, const std::vector<std::string> &pieces) {
          data_out.write_pvtu_record(out, pieces);
        });
    }

    /** The entries of the series, for a checkpoint. */
    /**
     * Patches made by hand (phase-space views that are no deal.II mesh),
     * with their point-data @p names, at the fastest zlib level (with the
     * best one, output costs as much as stepping).
     */
    template <int dim, int spacedim>
    void
    write_patches(const std::string &                                          directory,
                  const unsigned int                                           index,
                  const double                                                 time,
                  const MPI_Comm &                                             comm,
                  const std::vector<dealii::DataOutBase::Patch<dim, spacedim>> &patches,
                  const std::vector<std::string> &                             names)
    {
      dealii::DataOutBase::VtkFlags flags;
      flags.time              = time;
      flags.compression_level = dealii::DataOutBase::VtkFlags::best_speed;
      write(
        directory,
        index,
        time,
        comm,
        [&](std::ostream &out) { dealii::DataOutBase::write_vtu(patches, names, {}, flags, out); },
        [&](std::ostream &out, const std::vector<std::string> &pieces) {
          dealii::DataOutBase::write_pvtu_record(out, pieces, names, {}, flags);
        });
    }

    void
    save(Checkpoint::State &state, const std::string &key) const;
    void
    load(const Checkpoint::State &state, const std::string &key);

  private:
    std::string                                 name;
    std::vector<std::pair<double, std::string>> entries;
  };
} // namespace chemokin
