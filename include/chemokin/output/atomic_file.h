#pragma once

#include <string>

namespace chemokin
{
  /**
   * Write @p content to @p path through a temporary file in the same
   * directory and a rename, so that a reader (or a crash) never sees a
   * half-written file.
   */
  void
  write_file_atomically(const std::string &path, const std::string &content);

  /** The whole content of the file @p path (throws if it cannot be read). */
  std::string
  read_file(const std::string &path);
} // namespace chemokin
