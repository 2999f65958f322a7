#include <deal.II/base/exceptions.h>

#include <chemokin/output/atomic_file.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace chemokin
{
  OutputFile::OutputFile(const std::string &path)
    : path(path)
    , file(std::fopen(path.c_str(), "wb"))
  {
    if (file == nullptr)
      throw std::runtime_error("cannot write " + path + ": " + std::strerror(errno));
  }

  OutputFile::~OutputFile()
  {
    if (file != nullptr)
      {
        std::fclose(file);
        std::remove(path.c_str());
      }
  }

  void
  OutputFile::fail(const std::string &what, const int error)
  {
    if (file != nullptr)
      std::fclose(file);
    file = nullptr;
    std::remove(path.c_str());
    throw std::runtime_error("cannot " + what + " " + path + ": " + std::strerror(error) +
                             " (the partial file is removed)");
  }

  void
  OutputFile::write(const void *data, const std::size_t bytes)
  {
    if (bytes > 0 && std::fwrite(data, 1, bytes, file) != bytes)
      fail("write", errno);
  }

  void
  OutputFile::close()
  {
    // fflush reports what the buffered writes could not do, fclose the rest
    if (std::fflush(file) != 0)
      fail("write", errno);
    const int status = std::fclose(file);
    file             = nullptr;
    if (status != 0)
      fail("write", errno);
  }

  void
  write_file_atomically(const std::string &path, const std::string &content)
  {
    const std::string temporary = path + ".tmp";
    {
      OutputFile out(temporary);
      out.write(content.data(), content.size());
      out.close();
    }
    if (std::rename(temporary.c_str(), path.c_str()) != 0)
      {
        const int error = errno;
        std::remove(temporary.c_str());
        throw std::runtime_error("cannot rename " + temporary + " to " + path + ": " +
                                 std::strerror(error));
      }
  }

  std::string
  read_file(const std::string &path)
  {
    std::ifstream in(path, std::ios::binary);
    AssertThrow(in, dealii::ExcMessage("cannot read " + path));
    std::ostringstream content;
    content << in.rdbuf();
    return content.str();
  }
} // namespace chemokin
