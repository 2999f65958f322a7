#include <deal.II/base/utilities.h>

#include <chemokin/base/input_error.h>
#include <chemokin/base/memory.h>
#include <chemokin/base/parameters.h>

#include <sys/resource.h>

#include <cstdio>
#include <fstream>
#include <limits>
#include <sstream>

namespace chemokin
{
  namespace Memory
  {
    namespace
    {
      /** MemAvailable of /proc/meminfo in bytes (infinity if unknown). */
      double
      node_available()
      {
        std::ifstream in("/proc/meminfo");
        std::string   name, unit;
        double        value;
        while (in >> name >> value >> unit)
          if (name == "MemAvailable:")
            return value * 1024;
        return std::numeric_limits<double>::infinity();
      }
    } // namespace

    void
    declare_parameters(dealii::ParameterHandler &prm)
    {
      prm.declare_entry("Memory limit",
                        "auto",
                        dealii::Patterns::Anything(),
                        "Memory the run may use, in GiB over all MPI ranks, or "
                        "`auto`: what the nodes have available now (and each "
                        "rank's address-space limit). Before allocating, "
                        "chemokin estimates the memory of the phase space from "
                        "cells x DoFs x velocities and refuses a run that "
                        "would not fit.");
    }

    double
    limit(dealii::ParameterHandler &prm, const MPI_Comm &comm)
    {
      const std::string text = dealii::Utilities::trim(prm.get("Memory limit"));
      if (text != "auto")
        {
          std::istringstream in(text);
          double             gib = 0;
          std::string        rest;
          if (!(in >> gib) || (in >> rest) || !(gib > 0) ||
              gib == std::numeric_limits<double>::infinity())
            throw InputError("Memory limit",
                             "needs `auto` or a positive number of GiB, got '" + text + "'");
          return gib * 1073741824.0;
        }
      // ranks on the same node share its memory
      MPI_Comm node;
      MPI_Comm_split_type(comm, MPI_COMM_TYPE_SHARED, 0, MPI_INFO_NULL, &node);
      double share = node_available() / dealii::Utilities::MPI::n_mpi_processes(node);
      MPI_Comm_free(&node);
      rlimit address_space;
      if (getrlimit(RLIMIT_AS, &address_space) == 0 && address_space.rlim_cur != RLIM_INFINITY)
        share = std::min(share, double(address_space.rlim_cur));
      return dealii::Utilities::MPI::min(share, comm) *
             dealii::Utilities::MPI::n_mpi_processes(comm);
    }

    std::string
    format(const double bytes)
    {
      char text[64];
      if (bytes >= 1073741824.0)
        std::snprintf(text, sizeof(text), "%.3g GiB", bytes / 1073741824.0);
      else
        std::snprintf(text, sizeof(text), "%.3g MiB", bytes / 1048576.0);
      return text;
    }

    void
    check(const double bytes, const double limit, const std::string &entry, const std::string &what)
    {
      if (!(bytes <= limit))
        throw InputError(entry,
                         what + " needs about " + format(bytes) +
                           ", more than the memory limit of " + format(limit) +
                           " (`Memory limit`): use a coarser discretization or more "
                           "nodes");
    }
  } // namespace Memory
} // namespace chemokin
