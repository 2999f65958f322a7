#pragma once

#include <deal.II/base/mpi.h>

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace chemokin
{
  namespace Checkpoint
  {
    /**
     * The scalar state of a run in a checkpoint: named values, written as a
     * text file of `key = value` lines. Numbers are stored in hexadecimal
     * floating point (%a), so that they round-trip exactly and a resumed run
     * continues bit for bit. Keys are dotted paths (`model.e1_integral`),
     * one prefix per owner.
     */
    class State
    {
    public:
      void
      set(const std::string &key, double value);
      void
      set(const std::string &key, const std::vector<double> &values);
      void
      set_string(const std::string &key, const std::string &value);
      /** (time, file) pairs of a ParaView series */
      void
      set_series(const std::string &                                 key,
                 const std::vector<std::pair<double, std::string>> &series);

      bool
      has(const std::string &key) const;
      double
      get(const std::string &key) const;
      std::vector<double>
      get_vector(const std::string &key) const;
      std::string
      get_string(const std::string &key) const;
      std::vector<std::pair<double, std::string>>
      get_series(const std::string &key) const;

      std::string
      to_text() const;

      /**
       * Parse the text of a state file; @p file names it in messages. A
       * damaged file is an error naming the file and the line.
       */
      static State
      from_text(const std::string &text, const std::string &file);

    private:
      const std::string &
      raw(const std::string &key) const;

      std::map<std::string, std::string> values;
      std::string                        file;
    };

    /** Where a model writes its part of a checkpoint (all ranks). */
    struct Writer
    {
      /** the (new) checkpoint directory; it exists on every rank */
      std::string directory;
      /** scalar state; what rank 0 holds is written */
      State &     state;
      MPI_Comm    comm;
    };

    /** Where a model reads its part of a checkpoint (all ranks). */
    struct Reader
    {
      std::string  directory;
      const State &state;
      MPI_Comm     comm;
      /** number of MPI ranks of the run that wrote the checkpoint */
      unsigned int saved_ranks;
    };
  } // namespace Checkpoint
} // namespace chemokin
