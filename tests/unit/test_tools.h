#pragma once

// Helpers shared by the unit tests: assertions that count failures, running
// chemokin on the text of a parameter file, reading statistics.csv.

#include <deal.II/base/mpi.h>
#include <deal.II/base/parameter_handler.h>

#include <chemokin/core/simulator.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace test
{
  inline int failures = 0;

  inline bool
  root()
  {
    return dealii::Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) == 0;
  }

  /** Report |value - expected| <= tolerance, and count it if not. */
  inline void
  check_close(const std::string &what,
              const double       value,
              const double       expected,
              const double       tolerance)
  {
    const double error = std::abs(value - expected);
    const bool   ok    = error <= tolerance && std::isfinite(value);
    if (root())
      std::cout << (ok ? "  ok    " : "  FAIL  ") << what << ": "
                << std::setprecision(15) << value << " vs " << expected
                << " (error " << std::setprecision(3) << error
                << ", tolerance " << tolerance << ")" << std::endl;
    if (!ok)
      ++failures;
  }

  inline void
  check(const std::string &what, const bool ok, const std::string &detail = "")
  {
    if (root())
      std::cout << (ok ? "  ok    " : "  FAIL  ") << what
                << (detail.empty() ? "" : ": " + detail) << std::endl;
    if (!ok)
      ++failures;
  }

  /** A number in scientific notation, for messages. */
  inline std::string
  sci(const double x)
  {
    std::ostringstream out;
    out << std::scientific << std::setprecision(3) << x;
    return out.str();
  }

  inline int
  finish()
  {
    if (root())
      std::cout << (failures == 0 ? "PASSED" : "FAILED") << " (" << failures
                << " failure(s))" << std::endl;
    return failures == 0 ? 0 : 1;
  }

  /** A parameter handler with every chemokin entry, filled from @p text. */
  inline void
  parse(dealii::ParameterHandler &prm, const std::string &text)
  {
    chemokin::declare_parameters(prm);
    chemokin::parse_parameter_string(prm, text);
  }

  /** Run chemokin on the parameter file @p text. */
  inline void
  run(const std::string &text)
  {
    dealii::ParameterHandler prm;
    parse(prm, text);
    chemokin::run_simulation(prm, MPI_COMM_WORLD);
  }

  /** statistics.csv (or any CSV with a header line) as columns. */
  inline std::map<std::string, std::vector<double>>
  read_csv(const std::string &path)
  {
    std::ifstream in(path);
    std::string   line;
    std::getline(in, line);
    std::vector<std::string> names;
    {
      std::stringstream header(line);
      std::string       name;
      while (std::getline(header, name, ','))
        names.push_back(name);
    }
    std::map<std::string, std::vector<double>> columns;
    while (std::getline(in, line))
      {
        std::stringstream row(line);
        std::string       cell;
        for (unsigned int c = 0; c < names.size() && std::getline(row, cell, ',');
             ++c)
          columns[names[c]].push_back(std::stod(cell));
      }
    return columns;
  }

  /** max_t |c(t) - c(0)| / |c(0)| of a statistics column (the mass). */
  inline double
  max_relative_change(const std::vector<double> &column)
  {
    double worst = 0;
    for (const double c : column)
      worst = std::max(worst, std::abs(c - column.front()) / std::abs(column.front()));
    return worst;
  }

  /** A fresh scratch directory below the test's working directory. */
  inline std::string
  scratch(const std::string &name)
  {
    const std::string dir = "scratch-" + name;
    if (root())
      std::filesystem::remove_all(dir);
    MPI_Barrier(MPI_COMM_WORLD);
    return dir;
  }
} // namespace test
