#include <chemokin/checkpoint/state.h>

#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <stdexcept>

namespace chemokin
{
  namespace Checkpoint
  {
    namespace
    {
      std::string
      exact(const double value)
      {
        char buffer[64];
        std::snprintf(buffer, sizeof(buffer), "%a", value);
        return buffer;
      }

      double
      parse_number(const std::string &text, const std::string &where)
      {
        char *       end   = nullptr;
        const double value = std::strtod(text.c_str(), &end);
        if (end == text.c_str() || *end != '\0')
          throw std::runtime_error(where + ": '" + text + "' is not a number");
        return value;
      }
    } // namespace

    void
    State::set(const std::string &key, const double value)
    {
      values[key] = exact(value);
    }

    void
    State::set(const std::string &key, const std::vector<double> &list)
    {
      std::string text = std::to_string(list.size());
      for (const double v : list)
        text += ' ' + exact(v);
      values[key] = text;
    }

    void
    State::set_string(const std::string &key, const std::string &value)
    {
      // one line per key: escape the two characters that would break it
      std::string escaped;
      for (const char c : value)
        escaped += c == '\n' ? std::string("\\n") : c == '\\' ? std::string("\\\\") : std::string(1, c);
      values[key] = escaped;
    }

    void
    State::set_series(const std::string &                                 key,
                      const std::vector<std::pair<double, std::string>> &series)
    {
      std::vector<double> times;
      std::string         names;
      for (const auto &[time, name] : series)
        {
          times.push_back(time);
          names += (names.empty() ? "" : " ") + name;
        }
      set(key + ".times", times);
      set_string(key + ".files", names);
    }

    const std::string &
    State::raw(const std::string &key) const
    {
      const auto it = values.find(key);
      if (it == values.end())
        throw std::runtime_error("the checkpoint " + file + " has no entry '" + key +
                                 "' (written by another version of chemokin?)");
      return it->second;
    }

    bool
    State::has(const std::string &key) const
    {
      return values.count(key) != 0;
    }

    double
    State::get(const std::string &key) const
    {
      return parse_number(raw(key), file + ", " + key);
    }

    std::vector<double>
    State::get_vector(const std::string &key) const
    {
      std::istringstream  in(raw(key));
      std::size_t         n = 0;
      std::vector<double> list;
      std::string         word;
      in >> n;
      while (in >> word)
        list.push_back(parse_number(word, file + ", " + key));
      if (!in.eof() || list.size() != n)
        throw std::runtime_error(file + ", " + key + ": expected " + std::to_string(n) +
                                 " numbers, found " + std::to_string(list.size()));
      return list;
    }

    std::string
    State::get_string(const std::string &key) const
    {
      const std::string &escaped = raw(key);
      std::string        value;
      for (std::size_t i = 0; i < escaped.size(); ++i)
        if (escaped[i] == '\\' && i + 1 < escaped.size())
          value += escaped[++i] == 'n' ? '\n' : escaped[i];
        else
          value += escaped[i];
      return value;
    }

    std::vector<std::pair<double, std::string>>
    State::get_series(const std::string &key) const
    {
      const std::vector<double> times = get_vector(key + ".times");
      std::istringstream        in(get_string(key + ".files"));
      std::vector<std::pair<double, std::string>> series;
      std::string                                 name;
      for (const double t : times)
        {
          if (!(in >> name))
            throw std::runtime_error(file + ", " + key + ": fewer files than times");
          series.emplace_back(t, name);
        }
      return series;
    }

    std::string
    State::to_text() const
    {
      std::string text;
      for (const auto &[key, value] : values)
        text += key + " = " + value + '\n';
      return text;
    }

    State
    State::from_text(const std::string &text, const std::string &file)
    {
      State              state;
      std::istringstream in(text);
      std::string        line;
      unsigned int       number = 0;
      while (std::getline(in, line))
        {
          ++number;
          const auto split = line.find(" = ");
          if (split == std::string::npos)
            throw std::runtime_error(file + ", line " + std::to_string(number) +
                                     ": not a `key = value` line");
          state.values[line.substr(0, split)] = line.substr(split + 3);
        }
      state.file = file;
      return state;
    }
  } // namespace Checkpoint
} // namespace chemokin
