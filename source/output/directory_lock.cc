#include <chemokin/base/input_error.h>
#include <chemokin/output/directory_lock.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

namespace chemokin
{
  namespace
  {
    std::string
    host_name()
    {
      char name[256] = {};
      gethostname(name, sizeof(name) - 1);
      return name;
    }

    // the owner named in a lock file is alive: the same host, a process of
    // that id, and it is a chemokin (ids are reused)
    bool
    owner_alive(const std::string &host, const long pid)
    {
      if (host != host_name())
        return true;
      if (pid <= 0 || (kill(pid, 0) != 0 && errno == ESRCH))
        return false;
      std::ifstream comm("/proc/" + std::to_string(pid) + "/comm");
      std::string   name;
      return !comm || (std::getline(comm, name) && name.find("chemokin") != std::string::npos);
    }

    // one attempt: "" when taken, else why not
    std::string
    try_lock(const std::string &path)
    {
      const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0644);
      if (fd >= 0)
        {
          const std::string owner = host_name() + " " + std::to_string(getpid()) + "\n";
          const bool        ok    = write(fd, owner.data(), owner.size()) == ssize_t(owner.size());
          close(fd);
          return ok ? "" : "does not take the lock file " + path + ": " + std::strerror(errno);
        }
      if (errno != EEXIST)
        return "does not take the lock file " + path + ": " + std::strerror(errno);
      std::ifstream in(path);
      std::string   host;
      long          pid = 0;
      in >> host >> pid;
      if (in && owner_alive(host, pid))
        return "is in use by another chemokin run (process " + std::to_string(pid) + " on " +
               host + ", lock file " + path + "): choose another directory, or wait for it";
      // stale: the run that held it is gone
      std::error_code ignored;
      std::filesystem::remove(path, ignored);
      return "stale";
    }
  } // namespace

  DirectoryLock::DirectoryLock(const std::string &directory, const MPI_Comm &comm)
    : path(directory + "/.chemokin.lock")
  {
    std::string failure;
    if (dealii::Utilities::MPI::this_mpi_process(comm) == 0)
      {
        std::error_code error;
        std::filesystem::create_directories(directory, error);
        if (error || !std::filesystem::is_directory(directory))
          failure = error ? "cannot be created: " + error.message() :
                            "is a file, not a directory";
        else
          {
            failure = try_lock(path);
            if (failure == "stale")
              failure = try_lock(path);
            held = failure.empty();
          }
      }
    failure = dealii::Utilities::MPI::broadcast(comm, failure, 0);
    if (!failure.empty())
      throw InputError("Output directory", "'" + directory + "' " + failure);
  }

  DirectoryLock::~DirectoryLock()
  {
    if (held)
      {
        std::error_code ignored;
        std::filesystem::remove(path, ignored);
      }
  }
} // namespace chemokin
