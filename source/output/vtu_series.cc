#include <deal.II/base/data_out_base.h>

#include <chemokin/output/atomic_file.h>
#include <chemokin/output/vtu_series.h>

#include <iomanip>
#include <sstream>

namespace chemokin
{
  VtuSeries::VtuSeries(std::string name)
    : name(std::move(name))
  {}

  void
  VtuSeries::write(
    const std::string &                                                           directory,
    const unsigned int                                                            index,
    const double                                                                  time,
    const MPI_Comm &                                                              comm,
    const std::function<void(std::ostream &)> &                                   write_piece,
    const std::function<void(std::ostream &, const std::vector<std::string> &)> &write_record)
  {
    std::ostringstream number;
    number << std::setw(5) << std::setfill('0') << index;
    const std::string  base = name + "_" + number.str();
    const unsigned int rank = dealii::Utilities::MPI::this_mpi_process(comm);

    std::ostringstream piece;
    write_piece(piece);
    write_file_atomically(directory + "/" + base + "." + std::to_string(rank) + ".vtu",
                          piece.str());
    // the record only once every piece is complete
    MPI_Barrier(comm);

    // a resumed run writes the same index again: replace, do not append
    while (!entries.empty() && entries.back().first >= time)
      entries.pop_back();
    entries.emplace_back(time, base + ".pvtu");
    if (rank == 0)
      {
        std::vector<std::string> pieces;
        for (unsigned int r = 0; r < dealii::Utilities::MPI::n_mpi_processes(comm); ++r)
          pieces.push_back(base + "." + std::to_string(r) + ".vtu");
        std::ostringstream record;
        write_record(record, pieces);
        write_file_atomically(directory + "/" + base + ".pvtu", record.str());
        std::ostringstream pvd;
        dealii::DataOutBase::write_pvd_record(pvd, entries);
        write_file_atomically(directory + "/" + name + ".pvd", pvd.str());
      }
  }

  void
  VtuSeries::save(Checkpoint::State &state, const std::string &key) const
  {
    state.set_series(key, entries);
  }

  void
  VtuSeries::load(const Checkpoint::State &state, const std::string &key)
  {
    entries = state.get_series(key);
  }
} // namespace chemokin
