#include <deal.II/base/mpi.h>
#include <deal.II/base/mpi.templates.h>

#include <boost/serialization/string.hpp>
#include <boost/serialization/utility.hpp>
#include <boost/serialization/vector.hpp>

#include <chemokin/base/timing.h>
#include <chemokin/output/atomic_file.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <iomanip>
#include <map>
#include <ostream>
#include <sstream>

namespace chemokin
{
  namespace Timing
  {
    namespace
    {
      using Clock = std::chrono::steady_clock;

      struct Accumulator
      {
        std::vector<const char *> names;
        std::vector<double>       seconds;
        std::vector<unsigned int> open; // indices into names, innermost last
        Clock::time_point         since;

        unsigned int
        index(const char *part)
        {
          for (unsigned int i = 0; i < names.size(); ++i)
            if (names[i] == part || std::strcmp(names[i], part) == 0)
              return i;
          names.push_back(part);
          seconds.push_back(0);
          return names.size() - 1;
        }

        // charge the innermost open part with the time since the last change
        void
        charge(const Clock::time_point now)
        {
          if (!open.empty())
            seconds[open.back()] += std::chrono::duration<double>(now - since).count();
          since = now;
        }
      };

      Accumulator &
      accumulator()
      {
        static Accumulator a;
        return a;
      }
    } // namespace

    Scope::Scope(const char *part)
    {
      auto &a = accumulator();
      a.charge(Clock::now());
      a.open.push_back(a.index(part));
    }

    Scope::~Scope()
    {
      auto &a = accumulator();
      a.charge(Clock::now());
      a.open.pop_back();
    }

    std::vector<std::pair<std::string, double>>
    parts()
    {
      auto &a = accumulator();
      a.charge(Clock::now());
      std::vector<std::pair<std::string, double>> result;
      for (unsigned int i = 0; i < a.names.size(); ++i)
        if (a.seconds[i] > 0)
          result.emplace_back(a.names[i], a.seconds[i]);
      return result;
    }

    void
    clear()
    {
      // the names stay (open scopes point to them); parts() leaves out
      // those with no time
      auto &a = accumulator();
      a.charge(Clock::now());
      for (auto &s : a.seconds)
        s = 0;
    }

    void
    write_summary(std::ostream &     out,
                  const std::string &csv_file,
                  const double       wall_seconds,
                  const MPI_Comm &   comm)
    {
      const auto all = dealii::Utilities::MPI::gather(comm, parts(), 0);
      if (dealii::Utilities::MPI::this_mpi_process(comm) != 0)
        return;
      // merge by name, in the order rank 0 met them
      std::vector<std::string>                   order;
      std::map<std::string, std::pair<double, double>> sum_max;
      for (const auto &rank : all)
        for (const auto &[name, seconds] : rank)
          {
            auto it = sum_max.find(name);
            if (it == sum_max.end())
              {
                order.push_back(name);
                sum_max[name] = {seconds, seconds};
              }
            else
              {
                it->second.first += seconds;
                it->second.second = std::max(it->second.second, seconds);
              }
          }
      const double ranks = all.size();
      double       total = 0;
      for (const auto &name : order)
        total += sum_max[name].first / ranks;
      // the largest first, as a profile reads
      std::stable_sort(order.begin(), order.end(), [&](const auto &a, const auto &b) {
        return sum_max[a].first > sum_max[b].first;
      });

      std::ostringstream csv, table;
      csv << "part,seconds,fraction,max_seconds\n" << std::setprecision(8);
      char line[160];
      std::snprintf(line,
                    sizeof(line),
                    "chemokin: wall time %.1f s, by part (mean over %u rank(s); max: the "
                    "slowest rank)\n  %-24s %10s %8s %10s\n",
                    wall_seconds,
                    static_cast<unsigned int>(all.size()),
                    "part",
                    "seconds",
                    "share",
                    "max");
      table << line;
      for (const auto &name : order)
        {
          const double mean = sum_max[name].first / ranks, max = sum_max[name].second;
          const double fraction = total > 0 ? mean / total : 0;
          csv << name << ',' << mean << ',' << fraction << ',' << max << '\n';
          std::snprintf(line,
                        sizeof(line),
                        "  %-24s %10.2f %6.1f %% %10.2f\n",
                        name.c_str(),
                        mean,
                        100 * fraction,
                        max);
          table << line;
        }
      std::snprintf(line, sizeof(line), "  %-24s %10.2f\n", "sum", total);
      table << line;
      write_file_atomically(csv_file, csv.str());
      out << table.str() << std::flush;
    }
  } // namespace Timing
} // namespace chemokin
