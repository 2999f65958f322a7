#include <deal.II/base/exceptions.h>

#include <chemokin/output/atomic_file.h>

#include <cstdio>
#include <fstream>
#include <sstream>

namespace chemokin
{
  void
  write_file_atomically(const std::string &path, const std::string &content)
  {
    const std::string temporary = path + ".tmp";
    {
      std::ofstream out(temporary, std::ios::binary);
      out << content;
      out.close();
      AssertThrow(out, dealii::ExcMessage("cannot write " + temporary));
    }
    AssertThrow(std::rename(temporary.c_str(), path.c_str()) == 0,
                dealii::ExcMessage("cannot rename " + temporary + " to " + path));
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
