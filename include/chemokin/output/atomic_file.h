#pragma once

#include <cstddef>
#include <cstdio>
#include <string>

namespace chemokin
{
  /**
   * A file written in binary: every failure (a full disk, a file-size
   * limit, a vanished directory) throws std::runtime_error naming the file
   * and the system's reason (errno), and removes what was written, so that
   * no partial file is left. A file not close()d is removed too.
   */
  class OutputFile
  {
  public:
    explicit OutputFile(const std::string &path);
    ~OutputFile();
    OutputFile(const OutputFile &) = delete;
    OutputFile &
    operator=(const OutputFile &) = delete;

    void
    write(const void *data, std::size_t bytes);

    template <typename T>
    void
    put(const T &value)
    {
      write(&value, sizeof(T));
    }

    /** Flush to the disk and close; throws as write() does. */
    void
    close();

    const std::string path;

  private:
    [[noreturn]] void
    fail(const std::string &what, int error);

    std::FILE *file;
  };

  /**
   * Write @p content to @p path through a temporary file in the same
   * directory and a rename, so that a reader (or a crash) never sees a
   * half-written file. On failure the temporary file is removed and the
   * message names the file and the reason.
   */
  void
  write_file_atomically(const std::string &path, const std::string &content);

  /** The whole content of the file @p path (throws if it cannot be read). */
  std::string
  read_file(const std::string &path);
} // namespace chemokin
