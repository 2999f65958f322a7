#include <deal.II/base/utilities.h>

#include <chemokin/base/input_error.h>
#include <chemokin/base/parameters.h>
#include <chemokin/core/simulator.h>
#include <chemokin/output/atomic_file.h>
#include <chemokin/checkpoint/checkpointing.h>
#include <chemokin/study/convergence_study.h>

#include <cmath>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <limits>
#include <sstream>

namespace chemokin
{
  namespace Study
  {
    void
    declare_parameters(dealii::ParameterHandler &prm)
    {
      prm.enter_subsection("Convergence study");
      prm.declare_entry("Epsilons",
                        "0.4, 0.2, 0.1, 0.05",
                        dealii::Patterns::List(dealii::Patterns::Double()),
                        "Used by chemokin-convergence only: the adaptation "
                        "times eps to run (comma list, each > 0). Every run "
                        "is the case of this file with `Model = both` and "
                        "`Internal state/Epsilon` set to one of them.");
      prm.declare_entry("Mesh check",
                        "true",
                        dealii::Patterns::Bool(),
                        "Used by chemokin-convergence only: run every eps "
                        "also one mesh step finer (`Discretization/Refinement` "
                        "+ 1, `Internal state/Cells per epsilon` x 2 and "
                        "`Internal state/Y cell size` / 2) and "
                        "report the relative change of E2, the size of the "
                        "discretization error in the measured modelling error.");
      prm.declare_entry("Mesh check tolerance",
                        "0.1",
                        dealii::Patterns::Double(),
                        "Used by chemokin-convergence only: a run whose E2 "
                        "changes by more than this fraction of its value "
                        "under the mesh step is reported as not resolved.");
      prm.leave_subsection();
    }

    double
    fitted_slope(const std::vector<Result> &results,
                 double Result::*           value,
                 const unsigned int         mesh)
    {
      double       sx = 0, sy = 0, sxx = 0, sxy = 0;
      unsigned int n = 0;
      for (const Result &r : results)
        if (r.mesh == mesh && r.*value > 0)
          {
            const double x = std::log(r.epsilon), y = std::log(r.*value);
            sx += x, sy += y, sxx += x * x, sxy += x * y, ++n;
          }
      if (n < 2 || n * sxx - sx * sx <= 0)
        return std::numeric_limits<double>::quiet_NaN();
      return (n * sxy - sx * sy) / (n * sxx - sx * sx);
    }

    namespace
    {
      double
      column(const Models::StatisticsRow &row, const std::string &name)
      {
        for (const auto &[key, value] : row)
          if (key == name)
            return value;
        return std::numeric_limits<double>::quiet_NaN();
      }

      std::string
      run_directory(const std::string &study, const double eps, const unsigned int mesh)
      {
        return study + "/eps-" + Parameters::format(eps) + (mesh ? "-refined" : "");
      }

      void
      write_csv(const std::string &directory, const std::vector<Result> &results)
      {
        std::ostringstream csv;
        csv << "epsilon,mesh,refinement,cells_per_epsilon,E1,E2,E3,E3_max,"
               "E2_mesh_change,velocity_mean,velocity_mean_limit,x_mean,"
               "x_mean_limit,cells,dofs,wall_seconds\n"
            << std::setprecision(10);
        for (const Result &r : results)
          csv << r.epsilon << ',' << r.mesh << ',' << r.refinement << ','
              << r.cells_per_epsilon << ',' << r.e1 << ',' << r.e2 << ','
              << r.e3 << ',' << r.e3_max << ',' << r.e2_mesh_change << ',' << r.velocity_mean
              << ',' << r.velocity_mean_limit << ',' << r.x_mean << ','
              << r.x_mean_limit << ',' << r.cells << ',' << r.dofs << ','
              << r.wall_seconds << '\n';
        write_file_atomically(directory + "/convergence.csv", csv.str());
      }
    } // namespace

    std::vector<Result>
    run_convergence_study(dealii::ParameterHandler &prm,
                          const MPI_Comm &          comm,
                          const std::string &       input_file)
    {
      // read and check everything before the first run
      if (prm.get("Model") != "both")
        throw InputError("Model",
                         "a convergence study compares the internal-state model "
                         "with its limit: set `Model = both`");
      const std::string directory = prm.get("Output directory");
      if (dealii::Utilities::trim(directory).empty())
        throw InputError("Output directory", "must not be empty");
      prm.enter_subsection("Convergence study");
      std::vector<double> epsilons;
      for (const std::string &entry : dealii::Utilities::split_string_list(prm.get("Epsilons")))
        {
          const double eps = dealii::Utilities::string_to_double(entry);
          if (!(eps > 0) || !std::isfinite(eps))
            throw InputError("Convergence study/Epsilons",
                             "every eps must be > 0, got '" + entry + "'");
          epsilons.push_back(eps);
        }
      if (epsilons.empty())
        throw InputError("Convergence study/Epsilons", "needs at least one value");
      const bool   mesh_check = prm.get_bool("Mesh check");
      const double tolerance =
        Parameters::get_positive_double(prm, "Convergence study", "Mesh check tolerance");
      prm.leave_subsection();
      prm.enter_subsection("Discretization");
      const unsigned int refinement = prm.get_integer("Refinement");
      prm.leave_subsection();
      prm.enter_subsection("Internal state");
      const double cells_per_epsilon =
        Parameters::get_positive_double(prm, "Internal state", "Cells per epsilon");
      const double y_cell_size =
        Parameters::get_positive_double(prm, "Internal state", "Y cell size");
      prm.leave_subsection();
      const bool root = dealii::Utilities::MPI::this_mpi_process(comm) == 0;

      const bool one_d = prm.get_integer("Dimension") == 1;
      prm.enter_subsection("Output");
      prm.set("Postprocessors", one_d ? "statistics, profiles" : "statistics");
      prm.leave_subsection();

      std::vector<Result> results;
      for (const double eps : epsilons)
        for (unsigned int mesh = 0; mesh <= (mesh_check ? 1u : 0u); ++mesh)
          {
            Result r;
            r.epsilon           = eps;
            r.mesh              = mesh;
            r.refinement        = refinement + mesh;
            r.cells_per_epsilon = cells_per_epsilon * (1u << mesh);
            prm.set("Output directory", run_directory(directory, eps, mesh));
            prm.enter_subsection("Internal state");
            prm.set("Epsilon", eps);
            prm.set("Cells per epsilon", r.cells_per_epsilon);
            prm.set("Y cell size", y_cell_size / (1u << mesh));
            prm.leave_subsection();
            prm.enter_subsection("Discretization");
            prm.set("Refinement", static_cast<long int>(r.refinement));
            prm.leave_subsection();
            if (root)
              std::cout << "chemokin-convergence: eps = " << Parameters::format(eps) << ", "
                        << (mesh ? "refined mesh" : "base mesh") << " (Refinement "
                        << r.refinement << ", Cells per epsilon " << r.cells_per_epsilon
                        << ", Y cell size " << y_cell_size / (1u << mesh) << ")" << std::endl;

            const auto history = run_simulation(prm, comm, input_file);
            if (Checkpoint::Checkpointing::stop_signal() != 0)
              {
                // the run wrote a checkpoint and stopped early: its numbers
                // are not results
                if (root)
                  std::cout << "chemokin-convergence: stopped by a signal; run the "
                               "study again to continue (`Checkpointing/Resume = auto` "
                               "resumes the interrupted run)"
                            << std::endl;
                prm.set("Output directory", directory);
                return results;
              }
            const auto &last   = history.back();
            r.e1               = column(last, "E1");
            r.e2               = column(last, "E2");
            r.e3               = column(last, "E3");
            r.e3_max           = 0;
            for (const auto &row : history)
              r.e3_max = std::max(r.e3_max, column(row, "E3"));
            r.velocity_mean       = column(last, "velocity_mean");
            r.velocity_mean_limit = column(last, "velocity_mean_limit");
            r.x_mean              = column(last, "x_mean");
            r.x_mean_limit        = column(last, "x_mean_limit");
            r.cells               = column(last, "cells");
            r.dofs                = column(last, "dofs");
            r.wall_seconds        = column(last, "wall_seconds");
            r.e2_mesh_change      = std::numeric_limits<double>::quiet_NaN();
            if (mesh == 1)
              {
                Result &base     = results.back();
                const double change = std::abs(r.e2 - base.e2) / base.e2;
                r.e2_mesh_change = base.e2_mesh_change = change;
              }
            results.push_back(r);
            if (root)
              {
                std::filesystem::create_directories(directory);
                write_csv(directory, results);
              }
          }
      prm.set("Output directory", directory);

      if (root)
        {
          std::ostringstream rates;
          rates << "mesh,E1,E2,E3\n";
          std::cout << "\nchemokin-convergence: " << directory << "/convergence.csv\n"
                    << std::setw(10) << "eps" << std::setw(6) << "mesh" << std::setw(13)
                    << "E1(T)" << std::setw(13) << "E2(T)" << std::setw(13) << "E3(T)"
                    << std::setw(13) << "E2 change" << std::setw(10) << "cells"
                    << std::setw(10) << "wall s" << '\n';
          for (const Result &r : results)
            std::cout << std::setprecision(6) << std::setw(10) << r.epsilon << std::setw(6) << r.mesh
                      << std::scientific << std::setprecision(3) << std::setw(13) << r.e1
                      << std::setw(13) << r.e2 << std::setw(13) << r.e3 << std::setw(13)
                      << r.e2_mesh_change << std::fixed << std::setprecision(0)
                      << std::setw(10) << r.cells << std::setprecision(1) << std::setw(10)
                      << r.wall_seconds << std::defaultfloat
                      << (r.mesh == 0 && r.e2_mesh_change > tolerance ?
                            "  (mesh not fine enough)" :
                            "")
                      << '\n';
          for (unsigned int mesh = 0; mesh <= (mesh_check ? 1u : 0u); ++mesh)
            {
              rates << mesh;
              std::cout << "  fitted rates (" << (mesh ? "refined" : "base") << " mesh):";
              for (const auto &[name, value] :
                   {std::make_pair("E1", &Result::e1),
                    std::make_pair("E2", &Result::e2),
                    std::make_pair("E3", &Result::e3)})
                {
                  const double slope = fitted_slope(results, value, mesh);
                  rates << ',' << std::setprecision(6) << slope;
                  std::cout << "  " << name << " ~ eps^" << std::setprecision(3) << slope;
                }
              rates << '\n';
              std::cout << '\n';
            }
          std::cout << std::flush;
          write_file_atomically(directory + "/rates.csv", rates.str());
        }
      return results;
    }
  } // namespace Study
} // namespace chemokin
