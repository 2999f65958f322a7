#include <deal.II/base/utilities.h>

#include <chemokin/base/expression.h>
#include <chemokin/base/input_error.h>
#include <chemokin/base/memory.h>
#include <chemokin/base/parameters.h>
#include <chemokin/base/timing.h>
#include <chemokin/checkpoint/stop_signals.h>
#include <chemokin/core/simulator.h>
#include <chemokin/initial_conditions/interface.h>
#include <chemokin/mesh/domain.h>
#include <chemokin/models/internal_state_interface.h>
#include <chemokin/models/model_inputs.h>
#include <chemokin/models/particles.h>
#include <chemokin/models/registry.h>
#include <chemokin/output/atomic_file.h>
#include <chemokin/output/directory_lock.h>
#include <chemokin/signal/interface.h>
#include <chemokin/study/convergence_study.h>
#include <chemokin/tumbling/tumbling_rate.h>
#include <chemokin/tumbling/turning_kernel.h>
#include <chemokin/velocity/interface.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <regex>
#include <sstream>

namespace chemokin
{
  void
  declare_parameters(dealii::ParameterHandler &prm)
  {
    prm.declare_entry("Dimension",
                      "1",
                      dealii::Patterns::Integer(1, 3),
                      "Space dimension d of x (1, 2 or 3). d = 3: the "
                      "run-and-tumble model, the internal-state model in the "
                      "moving frame and the particles (the fixed frame meshes "
                      "(x, m) and stops at d = 2).");
    prm.declare_entry("Model",
                      "both",
                      dealii::Patterns::Selection(Models::Registry<1>::get().pattern()),
                      Models::Registry<1>::get().documentation("The kinetic model."));
    prm.declare_entry("End time",
                      "20",
                      dealii::Patterns::Double(),
                      "Final time T > 0.");
    prm.declare_entry("Output directory",
                      "output",
                      dealii::Patterns::Anything(),
                      "Where results go (created if needed): statistics.csv, "
                      "solution.pvd with solution_NNNNN.pvtu, profiles/ "
                      "(d = 1), parameters.prm (all values in effect) and "
                      "input.prm (a copy of the parameter file).");

    Domain<1>::declare_parameters(prm);
    VelocitySpace::declare_parameters(prm);
    Signal::declare_parameters(prm);
    prm.enter_subsection("Tumbling");
    TumblingRate::declare_parameters(prm);
    TurningKernel::declare_parameters(prm);
    prm.leave_subsection();
    InitialConditions::declare_parameters(prm);
    Models::ModelInputs<1>::declare_parameters(prm);
    XAdaptivity<1>::declare_parameters(prm);
    VAdaptivity<1>::declare_parameters(prm);
    Models::declare_internal_state_parameters(prm);
    Models::Particles<1>::declare_parameters(prm);
    Checkpoint::Checkpointing::declare_parameters(prm);
    Memory::declare_parameters(prm);

    prm.enter_subsection("Output");
    prm.declare_entry("Time between outputs",
                      "1",
                      dealii::Patterns::Double(),
                      "Interval between output times (> 0); output is also "
                      "written at t = 0 and at the end time.");
    prm.declare_entry("Progress interval",
                      "30",
                      dealii::Patterns::Double(),
                      "Wall seconds between progress lines when no output time "
                      "falls in them (>= 0; 0: a line at output times only). "
                      "Every line gives the share of `End time` reached and the "
                      "time left, estimated from the recent lines.");
    prm.declare_entry(
      "Postprocessors",
      "statistics, visualization, profiles",
      dealii::Patterns::MultipleSelection(
        Postprocess::Registry<1>::get().pattern()),
      Postprocess::Registry<1>::get().documentation(
        "What to compute and write at every output time (comma list); "
        "statistics.csv always has time, step, dt and wall_seconds."));
    Postprocess::Registry<1>::get().declare_parameters(prm);
    prm.leave_subsection();

    Study::declare_parameters(prm);
  }

  namespace
  {
    /**
     * deal.II's ParameterHandler messages, rewritten to name the entry first:
     * "Line <3> of file <a.prm>: The entry value abc for the entry named
     * Speed does not match ..." -> InputError("Speed", "line 3 of a.prm: ...").
     */
    InputError
    parameter_file_error(const std::string &message)
    {
      std::smatch       match;
      const std::string where_pattern = "Line <(\\d+)> of file <([^>:]*)>?:? ?";
      std::string       where, rest = message;
      if (std::regex_search(message, match, std::regex(where_pattern)))
        {
          where = "line " + match[1].str() + " of " + match[2].str() + ": ";
          rest  = match.suffix();
        }
      if (std::regex_search(
            rest, match, std::regex("No entry with name <([^>]*)> was declared")))
        return InputError(match[1].str(),
                          where + "no such entry in this subsection (see "
                                  "doc/parameters.prm for all entries)");
      if (std::regex_search(rest,
                            match,
                            std::regex("The entry value (.*) for the entry "
                                       "named (.*) does not match the given "
                                       "pattern: (.*)")))
        return InputError(match[2].str(),
                          where + "the value '" + match[1].str() +
                            "' does not match the pattern " + match[3].str());
      if (std::regex_search(rest,
                            match,
                            std::regex("[Nn]o such subsection to be entered: ([^:]*)")))
        return InputError("subsection " + match[1].str(),
                          where + "no such subsection");
      return InputError("parameter file", where + rest);
    }

    /** Turn a deal.II parser exception into an InputError. */
    template <typename Parse>
    void
    parse_with_messages(Parse &&parse)
    {
      try
        {
          parse();
        }
      catch (const InputError &)
        {
          throw;
        }
      catch (const std::exception &e)
        {
          throw parameter_file_error(one_line_message(e));
        }
    }
  } // namespace

  void
  parse_parameter_file(dealii::ParameterHandler &prm, const std::string &file)
  {
    if (!std::filesystem::is_regular_file(file))
      throw InputError("command line",
                       "cannot read the parameter file '" + file + "'");
    parse_with_messages([&] { prm.parse_input(file, "", false, false); });
  }

  void
  parse_parameter_string(dealii::ParameterHandler &prm, const std::string &text)
  {
    parse_with_messages([&] { prm.parse_input_from_string(text, "", false); });
  }

  std::vector<Models::StatisticsRow>
  run_simulation(dealii::ParameterHandler &prm,
                 const MPI_Comm &          comm,
                 const std::string &       input_file)
  {
    auto run = [&](auto &&simulator) {
      simulator.run();
      return simulator.statistics_history();
    };
    switch (prm.get_integer("Dimension"))
      {
        case 1:
          return run(Simulator<1>(prm, comm, input_file));
        case 2:
          return run(Simulator<2>(prm, comm, input_file));
        default:
          return run(Simulator<3>(prm, comm, input_file));
      }
  }

  template <int dim>
  Simulator<dim>::Simulator(dealii::ParameterHandler &prm,
                            const MPI_Comm &          comm,
                            const std::string &       input_file)
    : comm(comm)
    , pcout(std::cout, dealii::Utilities::MPI::this_mpi_process(comm) == 0)
    , start(std::chrono::steady_clock::now())
    , session_start(start)
  {
    Timing::clear();
    const Timing::Scope timing("set-up");
    end_time  = Parameters::get_positive_double(prm, "", "End time");
    progress  = std::make_unique<Progress>(end_time);
    directory = prm.get("Output directory");
    if (dealii::Utilities::trim(directory).empty())
      throw InputError("Output directory", "must not be empty");

    prm.enter_subsection("Discretization");
    positivity_limiter = prm.get_bool("Positivity limiter");
    prm.leave_subsection();

    prm.enter_subsection("Output");
    output_interval =
      Parameters::get_positive_double(prm, "Output", "Time between outputs");
    progress_interval = prm.get_double("Progress interval");
    if (!(progress_interval >= 0) || !std::isfinite(progress_interval))
      throw InputError("Output/Progress interval", "must be a number >= 0 (seconds)");
    for (const std::string &name :
         dealii::Utilities::split_string_list(prm.get("Postprocessors")))
      {
        postprocessors.push_back(Postprocess::Registry<dim>::get().create(
          name, prm, "Output/Postprocessors"));
        postprocessor_names.push_back(name);
      }
    prm.leave_subsection();

    const std::string model_name = prm.get("Model");
    model = Models::create<dim>(model_name, prm, comm);

    checkpointing = std::make_unique<Checkpoint::Checkpointing>(prm, directory, comm);
    // all input is valid: the directory is ours before anything in it changes
    lock = std::make_unique<DirectoryLock>(directory, comm);
    if (checkpointing->resume_directory().empty())
      checkpointing->discard_old();

    // rank 0 alone writes; what went wrong there reaches every rank, so
    // that all of them stop with the same message instead of waiting for
    // rank 0 forever
    std::string failure;
    if (dealii::Utilities::MPI::this_mpi_process(comm) == 0)
      try
        {
          std::ostringstream all;
          prm.print_parameters(all, dealii::ParameterHandler::ShortPRM);
          write_file_atomically(directory + "/parameters.prm", all.str());
          if (!input_file.empty())
            write_file_atomically(directory + "/input.prm", read_file(input_file));
        }
      catch (const std::exception &e)
        {
          failure = "cannot write to '" + directory + "': " + one_line_message(e);
        }
    failure = dealii::Utilities::MPI::broadcast(comm, failure, 0);
    if (!failure.empty())
      throw InputError("Output directory", failure);

    pcout << "chemokin: " << model_name << " model, d = " << dim << ", "
          << model->x_space().get_dof_handler().n_dofs() << " x-DoFs x "
          << model->velocities().size() << " velocities on "
          << dealii::Utilities::MPI::n_mpi_processes(comm)
          << " MPI rank(s); output in " << directory << "/" << std::endl;
    if (!checkpointing->resume_directory().empty())
      resume();
  }

  template <int dim>
  void
  Simulator<dim>::write_checkpoint()
  {
    const Timing::Scope timing("checkpoints");
    checkpointing->write([&](Checkpoint::Writer &writer) {
      model->save(writer);
      auto &state = writer.state;
      state.set("simulator.time", time);
      state.set("simulator.step", step);
      state.set("simulator.next_output", next_output);
      state.set("simulator.output_index", output_index);
      state.set("simulator.warned_negative", warned_negative);
      state.set("simulator.wall_seconds",
                std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
                  .count());
      state.set("simulator.statistics.rows", statistics.size());
      for (unsigned int r = 0; r < statistics.size(); ++r)
        {
          std::string         names;
          std::vector<double> values;
          for (const auto &[name, value] : statistics[r])
            {
              names += (names.empty() ? "" : ",") + name;
              values.push_back(value);
            }
          const std::string key = "simulator.statistics." + std::to_string(r);
          state.set_string(key + ".names", names);
          state.set(key + ".values", values);
        }
      // by name: a resumed run may list them in another order, or add one
      std::string names;
      for (unsigned int p = 0; p < postprocessors.size(); ++p)
        {
          postprocessors[p]->save(state, "postprocess." + postprocessor_names[p]);
          names += (p ? "," : "") + postprocessor_names[p];
        }
      state.set_string("postprocess.names", names);
    });
  }

  template <int dim>
  void
  Simulator<dim>::resume()
  {
    const Checkpoint::Reader reader{checkpointing->resume_directory(),
                                    checkpointing->saved_state(),
                                    comm,
                                    checkpointing->saved_ranks()};
    try
      {
        model->load(reader);
        const auto &state = reader.state;
        time              = state.get("simulator.time");
        step              = state.get("simulator.step");
        // the output times follow the interval of this run (it may have
        // changed): the first one after the time reached
        next_output = static_cast<unsigned int>(
                        std::floor(time / output_interval * (1 + 1e-12) + 1e-9)) + 1;
        output_index      = state.get("simulator.output_index");
        warned_negative   = state.get("simulator.warned_negative") != 0;
        start -= std::chrono::duration_cast<std::chrono::steady_clock::duration>(
          std::chrono::duration<double>(state.get("simulator.wall_seconds")));
        statistics.clear();
        const unsigned int rows = state.get("simulator.statistics.rows");
        for (unsigned int r = 0; r < rows; ++r)
          {
            const std::string key = "simulator.statistics." + std::to_string(r);
            const auto names = dealii::Utilities::split_string_list(state.get_string(key + ".names"));
            const auto values = state.get_vector(key + ".values");
            if (names.size() != values.size())
              throw std::runtime_error(reader.directory + "/state.txt: statistics row " +
                                       std::to_string(r) + " is damaged");
            Models::StatisticsRow row;
            for (unsigned int c = 0; c < names.size(); ++c)
              row.emplace_back(names[c], values[c]);
            statistics.push_back(row);
          }
        // a checkpoint without the names numbered the postprocessors
        const bool by_name     = state.has("postprocess.names");
        const auto saved_names = by_name ? dealii::Utilities::split_string_list(
                                             state.get_string("postprocess.names")) :
                                           std::vector<std::string>();
        for (unsigned int p = 0; p < postprocessors.size(); ++p)
          if (!by_name)
            postprocessors[p]->load(state, "postprocess." + std::to_string(p));
          else if (std::find(saved_names.begin(), saved_names.end(), postprocessor_names[p]) !=
                   saved_names.end())
            postprocessors[p]->load(state, "postprocess." + postprocessor_names[p]);
          else
            pcout << "chemokin: note: `Output/Postprocessors` adds " << postprocessor_names[p]
                  << ", which the run that wrote the checkpoint did not have: it begins now"
                  << std::endl;
      }
    catch (const InputError &)
      {
        throw;
      }
    catch (const std::exception &e)
      {
        throw InputError("Checkpointing/Resume", one_line_message(e));
      }
    pcout << "chemokin: resuming from " << reader.directory << " (written on "
          << reader.saved_ranks << " MPI rank(s)) at t = " << Parameters::format(time)
          << ", step " << step << std::endl;
  }

  template <int dim>
  void
  Simulator<dim>::write_output(const double dt)
  {
    const Timing::Scope timing("output");
    Models::Moments<dim> moments;
    model->compute_moments(moments);
    // a scheme out of its range (CFL, Epsilon, the y-grid) ends in inf or
    // NaN: stop before any of it is written (the last checkpoint, written
    // at a finite state, stays the one to resume from)
    if (!std::isfinite(moments.density.l2_norm()))
      throw InputError("Discretization/CFL",
                       "the solution is no longer finite at t = " + Parameters::format(time) +
                         " (step " + std::to_string(step) +
                         "): the time step, `Internal state/Epsilon` or the y- or u-grid is "
                         "out of the range of the scheme; nothing of this state was written");

    Models::StatisticsRow row{{"time", time},
                              {"step", double(step)},
                              {"dt", dt}};
    const Postprocess::OutputState<dim> state{
      time, step, dt, output_index, *model, moments, directory, comm, row};
    for (const auto &postprocessor : postprocessors)
      postprocessor->execute(state);
    model->add_statistics(row);
    const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
        .count();
    row.emplace_back("wall_seconds", dealii::Utilities::MPI::max(wall, comm));
    statistics.push_back(row);

    if (dealii::Utilities::MPI::this_mpi_process(comm) == 0)
      {
        std::ostringstream csv;
        for (unsigned int c = 0; c < row.size(); ++c)
          csv << (c ? "," : "") << row[c].first;
        csv << '\n' << std::setprecision(16);
        for (const auto &r : statistics)
          for (unsigned int c = 0; c < r.size(); ++c)
            csv << r[c].second << (c + 1 < r.size() ? "," : "\n");
        write_file_atomically(directory + "/statistics.csv", csv.str());
      }

    double mass = 0;
    for (const auto &[name, value] : row)
      if (name == "mass")
        mass = value;
      else if (name == "min_value" && value < 0 && !positivity_limiter &&
               !warned_negative)
        {
          warned_negative = true;
          pcout << "chemokin: warning: the solution has negative values at t = "
                << Parameters::format(time) << " (min_value = " << Parameters::format(value)
                << "); `Discretization/Positivity limiter = true` keeps it "
                   "non-negative"
                << std::endl;
        }
    pcout << "  t = " << std::setw(10) << std::setprecision(4) << std::fixed
          << time << "  step " << std::setw(7) << step << "  dt "
          << std::scientific << std::setprecision(3) << dt << "  mass "
          << std::setprecision(12) << mass << "  wall " << std::fixed
          << std::setprecision(1) << row.back().second << " s";
    progress->record(time);
    pcout << progress->summary() << std::endl;
    pcout.get_stream().unsetf(std::ios::floatfield);
    ++output_index;
  }

  template <int dim>
  void
  Simulator<dim>::print_progress(const double dt)
  {
    progress->record(time);
    pcout << "  t = " << std::setw(10) << std::setprecision(4) << std::fixed << time
          << "  step " << std::setw(7) << step << "  dt " << std::scientific
          << std::setprecision(3) << dt << "  " << std::string(24, ' ') << "  wall "
          << std::fixed << std::setprecision(1)
          << std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count()
          << " s" << progress->summary() << std::endl;
    pcout.get_stream().unsetf(std::ios::floatfield);
  }

  template <int dim>
  void
  Simulator<dim>::write_timing() const
  {
    Timing::write_summary(
      std::cout,
      directory + "/timing.csv",
      std::chrono::duration<double>(std::chrono::steady_clock::now() - session_start).count(),
      comm);
  }

  template <int dim>
  void
  Simulator<dim>::run()
  {
    {
      const Timing::Scope timing("other");
      advance_to_end();
    }
    write_timing();
  }

  template <int dim>
  void
  Simulator<dim>::advance_to_end()
  {
    if (step == 0)
      write_output(0);
    else
      progress->record(time);
    // output times are i * interval (not a running sum), the last one the
    // end time
    auto output_time = [&](const unsigned int i) {
      const double t = i * output_interval;
      return t > end_time - 1e-9 * output_interval ? end_time : t;
    };
    // a step that is zero, not finite or so small that the run cannot end
    // (a rate of 1e30, a CFL of 1e-300, an End time of 1e30) is refused
    // here rather than spinning for ever
    {
      // steps and outputs the run can take: a step below 1e-100 is below
      // what the integrators (ARKode) can resolve; more than 1e7 output
      // times fill a disk
      if (end_time < 1e-100)
        throw InputError("End time",
                         Parameters::format(end_time) + " is below 1e-100, shorter than any step "
                                                         "the integrators can take");
      if (output_interval < 1e-100 || end_time / output_interval > 1e7)
        throw InputError("Output/Time between outputs",
                         Parameters::format(output_interval) + " makes " +
                           Parameters::format(end_time / output_interval) +
                           " output times to End time = " + Parameters::format(end_time) +
                           ", more than 1e7");
      const double stable = model->time_step();
      constexpr double most_steps = 1e10;
      if (!(stable > 0) || !std::isfinite(stable) || (end_time - time) / stable > most_steps)
        throw InputError("End time",
                         "the run to End time = " + Parameters::format(end_time) +
                           " would need about " + Parameters::format((end_time - time) / stable) +
                           " steps of dt = " + Parameters::format(stable) +
                           ", more than 1e10: check `End time`, `Discretization/CFL` and "
                           "`Tumbling/Rate` (the step is limited by the mesh, the speed and the "
                           "largest tumbling rate)");
    }
    while (time < end_time)
      {
        const double target    = std::min(output_time(next_output), end_time);
        const double stable    = model->time_step();
        const double remaining = target - time;
        // equal steps within an output interval: remaining / ceil(remaining
        // / stable) does not change from step to step, so implicit solvers
        // keep their factorization
        const double dt = remaining / std::max(1.0, std::ceil(remaining / stable - 1e-9));
        {
          // what the model's own parts leave: the stages' vector operations
          const Timing::Scope timing("time integration");
          model->advance(time, dt);
        }
        time = (dt >= remaining * (1 - 1e-12)) ? target : time + dt;
        ++step;
        if (time == target)
          {
            write_output(dt);
            ++next_output;
          }
        else if (progress_interval > 0 && progress->seconds_since_record() >= progress_interval)
          print_progress(dt);
        const auto request = checkpointing->after_step();
        if (request != Checkpoint::Checkpointing::Request::none)
          write_checkpoint();
        if (request == Checkpoint::Checkpointing::Request::notice)
          pcout << "chemokin: SIGCONT from mpirun (which sends it when it ends a job, and on `fg` "
                   "after Ctrl-Z): checkpoint written at t = "
                << Parameters::format(time) << ", step " << step << std::endl;
        if (request == Checkpoint::Checkpointing::Request::stop)
          {
            pcout << "chemokin: stopped by "
                  << Checkpoint::StopSignals::describe(Checkpoint::Checkpointing::stop_signal())
                  << " at t = " << Parameters::format(time) << ", step " << step
                  << "; checkpoint written to " << directory
                  << "/checkpoint (run again with `Checkpointing/Resume = auto` to continue)"
                  << std::endl;
            return;
          }
      }
  }

  template class Simulator<1>;
  template class Simulator<2>;
  template class Simulator<3>;
} // namespace chemokin
