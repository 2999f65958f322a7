#pragma once

#include <deal.II/base/conditional_ostream.h>
#include <deal.II/base/mpi.h>
#include <deal.II/base/parameter_handler.h>

#include <chemokin/checkpoint/checkpointing.h>
#include <chemokin/core/progress.h>
#include <chemokin/models/interface.h>
#include <chemokin/output/directory_lock.h>
#include <chemokin/postprocess/interface.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace chemokin
{
  /** Declare every entry of a chemokin parameter file. */
  void
  declare_parameters(dealii::ParameterHandler &prm);

  /**
   * Read a parameter file into @p prm (declared by declare_parameters()).
   * Errors (unknown entry, value not matching its pattern, missing file)
   * become InputError with a one-line message.
   */
  void
  parse_parameter_file(dealii::ParameterHandler &prm, const std::string &file);

  /** Same, from the text of a parameter file. */
  void
  parse_parameter_string(dealii::ParameterHandler &prm, const std::string &text);

  /**
   * Run the simulation described by @p prm, for its `Dimension`.
   * @p input_file, if given, is copied to the output directory.
   * Returns the rows of statistics.csv.
   */
  std::vector<Models::StatisticsRow>
  run_simulation(dealii::ParameterHandler &prm,
                 const MPI_Comm &          comm,
                 const std::string &       input_file = "");

  /**
   * The time loop: advances the model to `End time`, and at every output
   * time runs the postprocessors, writes `statistics.csv` and prints a
   * progress line.
   */
  template <int dim>
  class Simulator
  {
  public:
    /**
     * Reads and checks all input and sets up the model; only then creates
     * the output directory, so that bad input leaves nothing behind.
     */
    Simulator(dealii::ParameterHandler &prm,
              const MPI_Comm &          comm,
              const std::string &       input_file = "");

    void
    run();

    /** The rows of statistics.csv written so far, one per output time. */
    const std::vector<Models::StatisticsRow> &
    statistics_history() const
    {
      return statistics;
    }

  private:
    void
    write_output(double dt);

    /** Write a checkpoint of the model, the postprocessors and the loop. */
    void
    write_checkpoint();

    /** Continue from the checkpoint that `checkpointing` found. */
    void
    resume();

    /** The time loop of run(). */
    void
    advance_to_end();

    /** The progress line between output times (no mass: rank 0 alone). */
    void
    print_progress(double dt);

    /** The summary of Timing, printed and in timing.csv. Collective. */
    void
    write_timing() const;

    MPI_Comm                                               comm;
    dealii::ConditionalOStream                             pcout;
    double                                                 end_time;
    double                                                 output_interval;
    std::string                                            directory;
    std::unique_ptr<Models::Interface<dim>>                model;
    std::vector<std::unique_ptr<Postprocess::Interface<dim>>> postprocessors;
    /** their names in `Output/Postprocessors`: their keys in a checkpoint */
    std::vector<std::string> postprocessor_names;
    std::vector<Models::StatisticsRow>                     statistics;
    std::unique_ptr<Checkpoint::Checkpointing>             checkpointing;
    /** the run owns its output directory while it lives */
    std::unique_ptr<DirectoryLock>                         lock;
    /** the state of the time loop */
    double                                                 time = 0;
    unsigned int                                           step = 0;
    /** number of the next output time (output time i is i * interval) */
    unsigned int                                           next_output = 1;
    unsigned int                                           output_index = 0;
    bool                                                   positivity_limiter;
    bool                                                   warned_negative = false;
    /** since the start of the run (a resumed run: of the run it continues) */
    std::chrono::steady_clock::time_point                  start;
    /** since the start of this process's part of the run */
    std::chrono::steady_clock::time_point                  session_start;
    double                                                 progress_interval;
    std::unique_ptr<Progress>                              progress;
  };
} // namespace chemokin
