#include <deal.II/base/utilities.h>

#include <chemokin/base/input_error.h>
#include <chemokin/base/parameters.h>
#include <chemokin/checkpoint/checkpointing.h>
#include <chemokin/checkpoint/stop_signals.h>
#include <chemokin/output/atomic_file.h>

#include <boost/crc.hpp>

#include <iostream>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace chemokin
{
  namespace Checkpoint
  {
    namespace
    {
      /**
       * Every entry of @p prm as `Subsection/Entry = value`, but those that
       * do not change the solution: where output goes, how often, when to
       * stop, and checkpointing itself. A run may be resumed with other
       * values of these.
       */
      std::vector<std::string>
      physics_entries(const dealii::ParameterHandler &prm)
      {
        static const std::set<std::string> ignored = {"End time",
                                                      "Output directory",
                                                      "Memory limit",
                                                      "Output",
                                                      "Checkpointing",
                                                      "Convergence study"};
        std::ostringstream text;
        prm.print_parameters(text, dealii::ParameterHandler::ShortPRM);
        std::istringstream       in(text.str());
        std::vector<std::string> path, entries;
        std::string              line;
        while (std::getline(in, line))
          {
            line = dealii::Utilities::trim(line);
            if (line.rfind("subsection ", 0) == 0)
              path.push_back(dealii::Utilities::trim(line.substr(11)));
            else if (line == "end" && !path.empty())
              path.pop_back();
            else if (line.rfind("set ", 0) == 0)
              {
                const auto  equal = line.find('=');
                std::string name  = dealii::Utilities::trim(line.substr(4, equal - 4));
                const std::string top = path.empty() ? name : path.front();
                if (ignored.count(top))
                  continue;
                std::string full;
                for (const auto &p : path)
                  full += p + "/";
                entries.push_back(full + name + " = " +
                                  dealii::Utilities::trim(line.substr(equal + 1)));
              }
          }
        return entries;
      }

      std::string
      joined(const std::vector<std::string> &lines)
      {
        std::string text;
        for (const auto &l : lines)
          text += l + '\n';
        return text;
      }

      /** A complete checkpoint is a directory whose state.txt exists. */
      bool
      complete(const std::string &directory)
      {
        return std::filesystem::is_regular_file(directory + "/state.txt");
      }

      /** CRC-32 and size of a file, as "crc size" (hexadecimal crc). */
      std::string
      checksum(const std::string &path)
      {
        std::ifstream      in(path, std::ios::binary);
        boost::crc_32_type crc;
        std::vector<char>  buffer(1 << 20);
        std::uintmax_t     size = 0;
        while (in.read(buffer.data(), buffer.size()) || in.gcount() > 0)
          {
            crc.process_bytes(buffer.data(), in.gcount());
            size += in.gcount();
          }
        std::ostringstream text;
        text << std::hex << crc.checksum() << std::dec << ' ' << size;
        return text.str();
      }

      /** Lines "name crc size" for every file of a checkpoint but state.txt. */
      std::string
      checksums(const std::string &directory)
      {
        std::set<std::string> names;
        for (const auto &entry : std::filesystem::directory_iterator(directory))
          if (entry.is_regular_file() && entry.path().filename() != "state.txt")
            names.insert(entry.path().filename().string());
        std::string lines;
        for (const auto &name : names)
          lines += name + ' ' + checksum(directory + "/" + name) + '\n';
        return lines;
      }

      /**
       * The first file of a complete checkpoint whose checksum differs from
       * the one its state.txt recorded ("" if none; checkpoints written
       * before checksums existed pass).
       */
      std::string
      damaged_file(const std::string &directory)
      {
        const std::string file  = directory + "/state.txt";
        const State       state = State::from_text(read_file(file), file);
        if (!state.has("checkpoint.checksums"))
          return "";
        std::istringstream lines(state.get_string("checkpoint.checksums"));
        for (std::string line; std::getline(lines, line);)
          {
            const auto name = line.substr(0, line.find(' '));
            const auto path = directory + "/" + name;
            if (!std::filesystem::is_regular_file(path))
              return path + " (missing)";
            if (name + ' ' + checksum(path) != line)
              return path + " (its checksum differs from the one in state.txt)";
          }
        return "";
      }

      /** The three names a checkpoint directory has during its life. */
      const char *const current_name = "/checkpoint";
      const char *const fresh_name   = "/checkpoint.new";
      const char *const old_name     = "/checkpoint.old";
    } // namespace

    void
    Checkpointing::declare_parameters(dealii::ParameterHandler &prm)
    {
      prm.enter_subsection("Checkpointing");
      prm.declare_entry("Steps between checkpoints",
                        "0",
                        dealii::Patterns::Integer(0),
                        "Write a checkpoint (<Output directory>/checkpoint) "
                        "every this many time steps; 0: never by step count.");
      prm.declare_entry("Time between checkpoints",
                        "0",
                        dealii::Patterns::Double(0),
                        "Write a checkpoint whenever this many wall-clock "
                        "seconds have passed since the last one; 0: never by "
                        "wall time. SIGINT, SIGTERM, SIGUSR1 and SIGUSR2 always "
                        "write one and end the run with exit code 0 (under "
                        "mpirun also the SIGCONT with which it begins to end "
                        "a job writes one).");
      prm.declare_entry("Resume",
                        "auto",
                        dealii::Patterns::Selection("false|true|auto"),
                        "`false`: start at t = 0 (old checkpoints in the "
                        "output directory are deleted). `true`: continue from "
                        "the checkpoint in the output directory (an error if "
                        "there is none). `auto`: continue if there is one, "
                        "else start at t = 0. The physics parameters must be "
                        "those of the checkpoint; `End time`, `Output` and "
                        "`Checkpointing` may change, and so may the number of "
                        "MPI ranks.");
      prm.leave_subsection();
    }

    Checkpointing::Checkpointing(dealii::ParameterHandler &prm,
                                 const std::string &             output_directory,
                                 const MPI_Comm &                comm)
      : comm(comm)
      , directory(output_directory)
      , last(std::chrono::steady_clock::now())
      , physics(physics_entries(prm))
    {
      prm.enter_subsection("Checkpointing");
      steps_between   = prm.get_integer("Steps between checkpoints");
      seconds_between = prm.get_double("Time between checkpoints");
      const std::string resume = prm.get("Resume");
      prm.leave_subsection();

      if (resume != "false")
        {
          // rank 0 reads the candidates and their checksums: a damaged
          // checkpoint is passed over for the next complete one
          std::string damage;
          if (dealii::Utilities::MPI::this_mpi_process(comm) == 0)
            for (const std::string &candidate :
                 {directory + current_name, directory + fresh_name, directory + old_name})
              if (complete(candidate))
                {
                  std::string damaged;
                  try
                    {
                      damaged = damaged_file(candidate);
                    }
                  catch (const std::exception &e)
                    {
                      damaged = candidate + "/state.txt (" + e.what() + ")";
                    }
                  if (damaged.empty())
                    {
                      resume_from = candidate;
                      break;
                    }
                  damage += (damage.empty() ? "" : "; ") + damaged;
                }
          // `checkpoint` is renamed into place only once complete: without
          // its state.txt it was damaged after it was written (a deleted or
          // lost file), and starting afresh would delete it
          if (dealii::Utilities::MPI::this_mpi_process(comm) == 0 && resume_from.empty() &&
              std::filesystem::is_directory(directory + current_name) &&
              !complete(directory + current_name))
            damage += (damage.empty() ? "" : "; ") + directory + current_name +
                      "/state.txt (missing: the checkpoint is incomplete)";
          resume_from = dealii::Utilities::MPI::broadcast(comm, resume_from, 0);
          damage      = dealii::Utilities::MPI::broadcast(comm, damage, 0);
          if (!damage.empty() && resume_from.empty())
            throw InputError("Checkpointing/Resume",
                             "the checkpoint is damaged: " + damage +
                               "; there is no other complete checkpoint. Set `Resume = "
                               "false` to start afresh");
          if (!damage.empty() && dealii::Utilities::MPI::this_mpi_process(comm) == 0)
            std::cout << "chemokin: warning: the checkpoint is damaged: " << damage
                      << "; resuming from " << resume_from << " instead" << std::endl;
          if (resume_from.empty() && resume == "true")
            throw InputError("Checkpointing/Resume",
                             "`true`, but there is no checkpoint in " + directory +
                               "/checkpoint (use `auto` to start afresh when "
                               "there is none)");
        }
      if (!resume_from.empty())
        {
          const std::string file = resume_from + "/state.txt";
          try
            {
              saved = State::from_text(read_file(file), file);
              const std::string stored = saved.get_string("checkpoint.physics");
              std::vector<std::string> then;
              std::istringstream       lines(stored);
              for (std::string l; std::getline(lines, l);)
                then.push_back(l);
              if (then != physics)
                {
                  std::size_t i = 0;
                  while (i < then.size() && i < physics.size() && then[i] == physics[i])
                    ++i;
                  const std::string was = i < then.size() ? then[i] : "(nothing)";
                  const std::string is  = i < physics.size() ? physics[i] : "(nothing)";
                  throw InputError("Checkpointing/Resume",
                                   "the checkpoint in " + resume_from +
                                     " was written with other physics: it has `" + was +
                                     "`, this file `" + is +
                                     "`. Resume with the parameters of the checkpoint, "
                                     "or set `Resume = false` (or another output "
                                     "directory) to start afresh");
                }
            }
          catch (const InputError &)
            {
              throw;
            }
          catch (const std::exception &e)
            {
              throw InputError("Checkpointing/Resume", e.what());
            }
        }

      StopSignals::install();
    }

    Checkpointing::~Checkpointing()
    {
      StopSignals::uninstall();
    }

    void
    Checkpointing::discard_old() const
    {
      if (dealii::Utilities::MPI::this_mpi_process(comm) == 0)
        for (const char *name : {current_name, fresh_name, old_name})
          std::filesystem::remove_all(directory + name);
      MPI_Barrier(comm);
    }

    unsigned int
    Checkpointing::saved_ranks() const
    {
      return static_cast<unsigned int>(saved.get("checkpoint.ranks"));
    }

    int
    Checkpointing::stop_signal()
    {
      return StopSignals::received();
    }

    Checkpointing::Request
    Checkpointing::after_step()
    {
      ++steps_since;
      // one reduction: a signal on any rank, and the wall clock of rank 0
      // (so that all ranks agree)
      const bool wall_due =
        seconds_between > 0 && dealii::Utilities::MPI::this_mpi_process(comm) == 0 &&
        std::chrono::duration<double>(std::chrono::steady_clock::now() - last).count() >=
          seconds_between;
      int any[3] = {StopSignals::received() != 0 ? 1 : 0,
                    wall_due ? 1 : 0,
                    StopSignals::take_notice() ? 1 : 0};
      MPI_Allreduce(MPI_IN_PLACE, any, 3, MPI_INT, MPI_MAX, comm);
      if (any[0])
        return Request::stop;
      if (any[2])
        return Request::notice;
      if ((steps_between > 0 && steps_since >= steps_between) || any[1])
        return Request::periodic;
      return Request::none;
    }

    void
    Checkpointing::write(const std::function<void(Writer &)> &fill)
    {
      namespace fs            = std::filesystem;
      const bool        root  = dealii::Utilities::MPI::this_mpi_process(comm) == 0;
      const std::string fresh   = directory + fresh_name;
      const std::string current = directory + current_name;
      const std::string old     = directory + old_name;
      if (root)
        {
          fs::remove_all(fresh);
          fs::create_directories(fresh);
        }
      MPI_Barrier(comm);

      State  state;
      Writer writer{fresh, state, comm};
      // a failed write (a full disk) leaves no partial checkpoint behind:
      // the last complete one stays what a resume finds
      const auto discard_fresh = [&] {
        if (root)
          fs::remove_all(fresh);
      };
      try
        {
          fill(writer);
        }
      catch (...)
        {
          discard_fresh();
          throw;
        }
      state.set_string("checkpoint.physics", joined(physics));
      state.set("checkpoint.ranks", dealii::Utilities::MPI::n_mpi_processes(comm));
      MPI_Barrier(comm);

      if (root)
        {
          // state.txt last, with the checksum of every other file: it marks
          // the checkpoint complete. Then the swap: at every instant
          // checkpoint or checkpoint.old is complete.
          state.set_string("checkpoint.checksums", checksums(fresh));
          try
            {
              write_file_atomically(fresh + "/state.txt", state.to_text());
            }
          catch (...)
            {
              discard_fresh();
              throw;
            }
          if (complete(current))
            {
              fs::remove_all(old);
              fs::rename(current, old);
            }
          else
            fs::remove_all(current);
          fs::rename(fresh, current);
          fs::remove_all(old);
        }
      MPI_Barrier(comm);
      steps_since = 0;
      last        = std::chrono::steady_clock::now();
    }
  } // namespace Checkpoint
} // namespace chemokin
