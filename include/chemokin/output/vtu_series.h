#pragma once

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
    void
    save(Checkpoint::State &state, const std::string &key) const;
    void
    load(const Checkpoint::State &state, const std::string &key);

  private:
    std::string                                 name;
    std::vector<std::pair<double, std::string>> entries;
  };
} // namespace chemokin
