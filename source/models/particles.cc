#include <deal.II/base/quadrature_lib.h>

#include <chemokin/base/timing.h>
#include <chemokin/base/input_error.h>
#include <chemokin/base/memory.h>
#include <chemokin/base/parameters.h>
#include <chemokin/mesh/box_mesh.h>
#include <chemokin/checkpoint/cell_data.h>
#include <chemokin/dynamics/pathway.h>
#include <chemokin/models/internal_state_parameters.h>
#include <chemokin/models/x_mesh_model.h>
#include <chemokin/models/particles.h>
#include <chemokin/output/atomic_file.h>
#include <chemokin/signal/field_coupling.h>

#include <fstream>
#include <sstream>

#include <cmath>
#include <chemokin/models/registry.h>

namespace chemokin
{
  namespace Models
  {
    template <int dim>
    void
    Particles<dim>::declare_parameters(dealii::ParameterHandler &prm)
    {
      prm.enter_subsection("Particles");
      prm.declare_entry("Number of particles",
                        "100000",
                        dealii::Patterns::Integer(1),
                        "Total number of simulated bacteria (over all ranks).");
      prm.declare_entry("Seed",
                        "1",
                        dealii::Patterns::Integer(0),
                        "Seed of the random streams (rank r uses seed + r).");
      prm.declare_entry("Time step",
                        "0.01",
                        dealii::Patterns::Double(),
                        "Time step of the particle model (> 0): the run, the "
                        "adaptation (exact) and the tumbling chance per step.");
      prm.leave_subsection();
    }

    template <int dim>
    Particles<dim>::Particles(dealii::ParameterHandler &prm, const MPI_Comm &comm)
      : inputs(prm, comm)
      , comm(comm)
      , x_mesh(comm, inputs.domain, inputs.refinement, inputs.degree, inputs.velocities.size())
      // the histogram bins: the x-mesh's cells, or with `Adapt x` the cells
      // of its finest level (an adapted cell sums the bins it covers)
      , grid(inputs.domain,
             inputs.x_adaptivity.enabled() ? inputs.x_adaptivity.maximum_level() : inputs.refinement,
             inputs.degree)
    {
      basis_1d = dealii::Polynomials::generate_complete_Lagrange_basis(
        dealii::QGauss<1>(inputs.degree + 1).get_points());
      AssertThrow(basis_1d.size() <= max_nodes_1d, dealii::ExcInternalError());
      pathway = dynamic_cast<const Dynamics::Pathway *>(inputs.dynamics.get());
      if (pathway && inputs.adaptation_level)
        throw InputError("Initial condition/Adaptation level",
                         "with `Dynamics = pathway` the particles start adapted to the "
                         "local signal (leave it empty)");
      inputs.v_adaptivity.refuse("the particles sample velocities from the discrete set; "
                                 "it does not adapt");
      inputs.refuse_velocity_profile("the particle model");
      epsilon = InternalStateParameters(prm).epsilon;
      prm.enter_subsection("Particles");
      n_total   = prm.get_integer("Number of particles");
      step_size = Parameters::get_positive_double(prm, "Particles", "Time step");
      const unsigned int rank = dealii::Utilities::MPI::this_mpi_process(comm);
      const unsigned int size = dealii::Utilities::MPI::n_mpi_processes(comm);
      seed = prm.get_integer("Seed");
      random.seed(seed + 1000003ull * rank);
      prm.leave_subsection();

      const auto &domain     = inputs.domain;
      const auto &velocities = inputs.velocities;

      // the initial mass, and a bound of rho0 for the rejection sampling
      double mass = 0, rho_max = 0;
      for (unsigned int i = 0; i < x_mesh.space().n_owned_dofs(); ++i)
        {
          const double rho = inputs.initial->density(x_mesh.space().node_position[i]);
          if (!std::isfinite(rho) || rho < 0)
            throw InputError("Initial condition/Density",
                             "rho0 = " + Parameters::format(rho) + " at x = " +
                               Parameters::format(x_mesh.space().node_position[i]) +
                               ": must be finite and non-negative");
          mass += x_mesh.space().node_weight[i] * rho;
          rho_max = std::max(rho_max, rho);
        }
      initial_mass = dealii::Utilities::MPI::sum(mass, comm);
      rho_max      = 1.1 * dealii::Utilities::MPI::max(rho_max, comm);
      if (!(initial_mass > 0))
        throw InputError("Initial condition/Density", "the initial density has no mass");

      // new node given the old one: w_k' K(k', k), cumulative
      const auto K = inputs.kernel->matrix(velocities);
      turning_law.assign(velocities.size(), std::vector<double>(velocities.size()));
      for (unsigned int k = 0; k < velocities.size(); ++k)
        {
          double sum = 0;
          for (unsigned int l = 0; l < velocities.size(); ++l)
            turning_law[k][l] = (sum += velocities.weights[l] * K(l, k));
          for (double &c : turning_law[k])
            c /= sum;
        }

      std::uniform_real_distribution<double> uniform(0, 1);
      std::normal_distribution<double>       normal(0, 1);
      // the particles and the copy advance() makes of them
      Memory::check(2.0 * n_total * sizeof(Particle),
                    inputs.memory_limit,
                    "Particles/Number of particles",
                    Parameters::format(double(n_total)) + " particles");
      const unsigned long mine = n_total / size + (rank < n_total % size ? 1 : 0);
      particles.reserve(mine);
      while (particles.size() < mine)
        {
          Particle p;
          for (unsigned int d = 0; d < dim; ++d)
            p.x[d] = domain.lower[d] + uniform(random) * (domain.upper[d] - domain.lower[d]);
          if (uniform(random) * rho_max > inputs.initial->density(p.x))
            continue;
          const double r = uniform(random);
          p.k = 0;
          double cumulative = velocities.weights[0] / velocities.measure;
          while (r > cumulative && p.k + 1 < velocities.size())
            cumulative += velocities.weights[++p.k] / velocities.measure;
          p.M = inputs.signal->value(p.x, 0);
          // adapted to N0 (default M(0, x)); the pathway: to the local signal
          const auto &level = inputs.adaptation_level;
          if (pathway)
            p.m = pathway->methylation(pathway->adapted_quantile(uniform(random)), p.M);
          else
            p.m = (level ? level->value(p.x) : p.M) + epsilon * normal(random);
          particles.push_back(p);
        }
      // the x-mesh resolves the initial histogram (and reports on it)
      for (unsigned int cycle = 0; cycle < inputs.x_adaptivity.initial_cycles(); ++cycle)
        if (!adapt_mesh())
          break;
      if (auto *coupled = inputs.signal->coupling())
        {
          // the histogram drives the fields
          coupled->attach(x_mesh.space(), inputs.domain, [this](PhaseVector &rho) {
            Moments<dim> moments;
            kinetic_moments(moments);
            rho = std::move(moments.density);
          });
          // M of the fields as the particles will see it (the offsets m - M stay)
          gather_coupled_signal();
          for (Particle &p : particles)
            {
              const double M = coupled_value(p.x);
              p.m += pathway ? pathway->methylation(0, M) - pathway->methylation(0, p.M) : M - p.M;
              p.M = M;
            }
        }
      cache_offsets();
    }

    template <int dim>
    void
    Particles<dim>::cache_offsets()
    {
      offsets.clear();
      if (pathway)
        for (const Particle &p : particles)
          offsets.push_back(pathway->methylation(0, p.M));
    }

    template <int dim>
    void
    Particles<dim>::advance(const double time, const double dt)
    {
      const auto &domain     = inputs.domain;
      const auto &velocities = inputs.velocities;
      std::uniform_real_distribution<double> uniform(0, 1);
      std::normal_distribution<double>       normal(0, 1);
      const double decay = std::exp(-dt / epsilon);
      const double spread = epsilon * std::sqrt(1 - decay * decay);
      const double noise_step = pathway ? std::sqrt(2 * pathway->noise() * dt) : 0;
      auto *const coupled      = inputs.signal->coupling();
      auto        kinetic_step = [&] {
        if (coupled)
          gather_coupled_signal();
        const Timing::Scope timing("particles");
        // the particles that stay are compacted in place (inflow walls)
        std::size_t kept = 0;
        for (std::size_t index = 0; index < particles.size(); ++index)
          {
            Particle p = particles[index];
            bool gone = false;
            p.x += dt * velocities.nodes[p.k];
            for (unsigned int d = 0; d < dim; ++d)
              {
                const double a = domain.lower[d], b = domain.upper[d];
                if (p.x[d] >= a && p.x[d] <= b)
                  continue;
                switch (domain.boundary[d])
                  {
                    case BoundaryCondition::periodic:
                      p.x[d] = a + std::fmod(std::fmod(p.x[d] - a, b - a) + (b - a), b - a);
                      break;
                    case BoundaryCondition::reflecting:
                      p.x[d] = p.x[d] < a ? 2 * a - p.x[d] : 2 * b - p.x[d];
                      p.k    = velocities.mirror[d][p.k];
                      break;
                    case BoundaryCondition::inflow:
                      gone = true;
                      break;
                  }
              }
            if (gone)
              continue;
            const double M = coupled ? coupled_value(p.x) : inputs.signal->value(p.x, time + dt);
            double       rate;
            if (pathway)
              {
                // Euler-Maruyama in m (weak order 1), the drift at the start
                // of the step; the rate at the end (u = m - m0 - l(S)/alpha)
                const double u = p.m - offsets[index];
                p.m += pathway->drift(u) * dt + noise_step * normal(random);
                p.M  = M;
                offsets[kept] = pathway->methylation(0, M);
                rate          = pathway->rate(p.m - offsets[kept]);
              }
            else
              {
                const double y = (p.m - p.M) * decay - epsilon * (M - p.M) / dt * (1 - decay) +
                                 spread * normal(random);
                p.M  = M;
                p.m  = M + y;
                // the rate's table (as the moving frame's, ~1e-10 relative):
                // a muparser call per particle and step was a third of the run
                rate = inputs.tumbling_rate->rate_interpolated((p.m - M) / epsilon);
              }
            if (uniform(random) < 1 - std::exp(-rate * dt))
              {
                const auto &law = turning_law[p.k];
                p.k = std::lower_bound(law.begin(), law.end(), uniform(random)) - law.begin();
                p.k = std::min<unsigned int>(p.k, velocities.size() - 1);
              }
            particles[kept++] = p;
          }
        particles.resize(kept);
        if (pathway)
          offsets.resize(kept);
      };
      if (coupled)
        {
          const Timing::Scope timing("fields");
          coupled->step(time, dt, kinetic_step);
        }
      else
        kinetic_step();
      ++steps;
      if (inputs.x_adaptivity.due(steps))
        {
          const Timing::Scope timing("adaptation");
          adapt_mesh();
        }
    }

    template <int dim>
    bool
    Particles<dim>::adapt_mesh()
    {
      // refine where the histogram or a field varies; the particles do not
      // move, only the cells that report on them (and the fields, which
      // move with the mesh)
      Moments<dim> moments;
      kinetic_moments(moments);
      auto *const coupling = inputs.signal->coupling();
      if (!mark_x_mesh(x_mesh, inputs.x_adaptivity, std::move(moments.density), coupling))
        return false;
      adapt_x_mesh(x_mesh, {}, coupling);
      return true;
    }

    template <int dim>
    void
    Particles<dim>::gather_coupled_signal()
    {
      // every rank moves particles anywhere in the box: the frozen M of all
      // cells (at their nodes, in the kinetic DoF order), with each cell's
      // lower corner and size, on every rank
      const auto &       space    = x_mesh.space();
      const unsigned int per_cell = x_mesh.dof_handler().get_fe().n_dofs_per_cell();
      const unsigned int stride   = per_cell + 2 * dim;
      Signal::Samples<dim> samples;
      inputs.signal->sample(space, 0, samples);
      coupled_cells.assign(std::size_t(grid.n_cells()) * stride, 0.0);
      unsigned int c = 0;
      for (const auto &cell : x_mesh.dof_handler().active_cell_iterators())
        if (cell->is_locally_owned())
          {
            const auto &dofs = space.cell_dofs[c++];
            for (const unsigned int bin : grid.cells_in(cell->vertex(0), cell->vertex((1 << dim) - 1)))
              {
                double *const entry = coupled_cells.data() + std::size_t(bin) * stride;
                for (unsigned int i = 0; i < per_cell; ++i)
                  entry[i] = samples.value[dofs[i]];
                for (unsigned int d = 0; d < dim; ++d)
                  {
                    entry[per_cell + d]       = cell->vertex(0)[d];
                    entry[per_cell + dim + d] = cell->extent_in_direction(d);
                  }
              }
          }
      dealii::Utilities::MPI::sum(coupled_cells, comm, coupled_cells);
    }

    template <int dim>
    double
    Particles<dim>::coupled_value(const dealii::Point<dim> &x) const
    {
      // the cell's DG polynomial: the 1-D Lagrange values per axis, then
      // their products in the element's lexicographic order (the factors
      // and their order of FE_DGQArbitraryNodes::shape_value, without its
      // virtual call and index arithmetic per node)
      const unsigned int  n_1d     = basis_1d.size();
      const unsigned int  per_cell = dealii::Utilities::fixed_power<dim>(n_1d);
      const double *const entry = coupled_cells.data() + grid.cell_index(x) * (per_cell + 2 * dim);
      double              values[dim][max_nodes_1d];
      for (unsigned int d = 0; d < dim; ++d)
        {
          const double unit =
            std::clamp((x[d] - entry[per_cell + d]) / entry[per_cell + dim + d], 0.0, 1.0);
          for (unsigned int j = 0; j < n_1d; ++j)
            values[d][j] = basis_1d[j].value(unit);
        }
      double M = 0;
      for (unsigned int i = 0; i < per_cell; ++i)
        {
          double       phi  = 1.;
          unsigned int rest = i;
          for (unsigned int d = 0; d < dim; ++d, rest /= n_1d)
            phi *= values[d][rest % n_1d];
          M += entry[i] * phi;
        }
      return M;
    }

    template <int dim>
    void
    Particles<dim>::kinetic_moments(Moments<dim> &moments) const
    {
      const auto &       velocities = inputs.velocities;
      const unsigned int n_v        = velocities.size();
      std::vector<double> counts(std::size_t(grid.n_cells()) * n_v, 0.0);
      double              v_sums[4] = {0, 0, 0, 0}; // sums of v_0, v_0^2, m, m^2
      for (const Particle &p : particles)
        {
          counts[std::size_t(grid.cell_index(p.x)) * n_v + p.k] += 1;
          v_sums[0] += velocities.nodes[p.k][0];
          v_sums[1] += velocities.nodes[p.k][0] * velocities.nodes[p.k][0];
          v_sums[2] += p.m;
          v_sums[3] += p.m * p.m;
        }
      dealii::Utilities::MPI::sum(counts, comm, counts);
      dealii::Utilities::MPI::sum(dealii::ArrayView<const double>(v_sums, 4),
                                  comm,
                                  dealii::ArrayView<double>(v_sums, 4));
      const double n       = double(n_total);
      const double present = std::max(1.0, dealii::Utilities::MPI::sum(double(particles.size()), comm));
      const double mean_v  = v_sums[0] / present;
      velocity_mean_error =
        std::sqrt(std::max(0.0, v_sums[1] / present - mean_v * mean_v) / present);
      m_mean       = v_sums[2] / present;
      m_mean_error = std::sqrt(std::max(0.0, v_sums[3] / present - m_mean * m_mean) / present);

      // each particle carries initial_mass / N; p_k = count / (N vol w_k) * mass
      const auto &space = x_mesh.space();
      space.reinit_scalar(moments.density, false);
      space.reinit_scalar(moments.density_error, false);
      for (auto &f : moments.flux)
        space.reinit_scalar(f, false);
      unsigned int c = 0;
      for (const auto &cell : x_mesh.dof_handler().active_cell_iterators())
        {
          if (!cell->is_locally_owned())
            continue;
          const auto &dofs = space.cell_dofs[c++];
          const auto  bins = grid.cells_in(cell->vertex(0), cell->vertex((1 << dim) - 1));
          const double scale = initial_mass / (n * grid.cell_volume() * bins.size());
          double       count = 0;
          dealii::Tensor<1, dim> flux;
          for (const std::size_t J : bins)
            for (unsigned int k = 0; k < n_v; ++k)
              {
                count += counts[J * n_v + k];
                flux += scale * counts[J * n_v + k] * velocities.nodes[k];
              }
          const double f = count / n;
          for (const unsigned int i : dofs)
            {
              moments.density.local_element(i)       = scale * count;
              moments.density_error.local_element(i) = scale * n * std::sqrt(f * (1 - f) / n);
              for (unsigned int j = 0; j < dim; ++j)
                moments.flux[j].local_element(i) = flux[j];
            }
        }
    }

    template <int dim>
    void
    Particles<dim>::add_statistics(StatisticsRow &row) const
    {
      row.emplace_back("velocity_mean_error", velocity_mean_error);
      row.emplace_back("m_mean", m_mean);
      row.emplace_back("m_mean_error", m_mean_error);
      row.emplace_back("particles",
                       dealii::Utilities::MPI::sum(double(particles.size()), comm));
      row.emplace_back("cells", double(x_mesh.n_cells()));
      if (const auto *coupled = inputs.signal->coupling())
        coupled->add_statistics(row);
    }

    template <int dim>
    void
    Particles<dim>::save(Checkpoint::Writer &writer) const
    {
      const unsigned int rank = dealii::Utilities::MPI::this_mpi_process(comm);
      const std::string  path =
        writer.directory + "/particles." + std::to_string(rank) + ".bin";
      OutputFile          out(path);
      out.put(std::uint64_t(particles.size()));
      out.write(particles.data(), particles.size() * sizeof(Particle));
      std::ostringstream stream;
      stream << random;
      const std::string text = stream.str();
      out.put(std::uint64_t(text.size()));
      out.write(text.data(), text.size());
      out.close();
      writer.state.set("model.particles.steps", steps);
      if (inputs.x_adaptivity.enabled())
        {
          // the adapted x-mesh (its cells, with the density on them)
          Moments<dim> moments;
          kinetic_moments(moments);
          Checkpoint::save_cell_data(writer,
                                     "particles_x_mesh",
                                     PhaseSpace<dim>(x_mesh.dof_handler(), 1),
                                     moments.density);
        }
      if (const auto *coupled = inputs.signal->coupling())
        coupled->save(writer, "particles_signal");
    }

    template <int dim>
    void
    Particles<dim>::load(const Checkpoint::Reader &reader)
    {
      const unsigned int rank = dealii::Utilities::MPI::this_mpi_process(comm);
      const unsigned int size = dealii::Utilities::MPI::n_mpi_processes(comm);
      particles.clear();
      std::string stream_state;
      // rank r takes the particles saved by ranks r, r + size, ...
      for (unsigned int from = rank; from < reader.saved_ranks; from += size)
        {
          const std::string path =
            reader.directory + "/particles." + std::to_string(from) + ".bin";
          std::ifstream in(path, std::ios::binary);
          std::uint64_t n = 0, length = 0;
          in.read(reinterpret_cast<char *>(&n), sizeof(n));
          const std::size_t first = particles.size();
          particles.resize(first + (in ? n : 0));
          in.read(reinterpret_cast<char *>(particles.data() + first), n * sizeof(Particle));
          in.read(reinterpret_cast<char *>(&length), sizeof(length));
          std::string text(in ? length : 0, ' ');
          in.read(text.data(), text.size());
          if (!in)
            throw std::runtime_error("the checkpoint file " + path + " is missing or damaged");
          if (from == rank)
            stream_state = text;
        }
      if (size == reader.saved_ranks)
        {
          std::istringstream stream(stream_state);
          stream >> random;
        }
      else
        random.seed(seed + 1000003ull * rank +
                    std::hash<double>()(reader.state.get("simulator.time")));
      steps = reader.state.get("model.particles.steps");
      auto *const coupling = inputs.signal->coupling();
      if (inputs.x_adaptivity.enabled())
        {
          x_mesh.rebuild(Checkpoint::saved_cells<dim>(reader, "particles_x_mesh"));
          if (coupling)
            coupling->rebuild(x_mesh.space());
        }
      if (coupling)
        coupling->load(reader, "particles_signal", x_mesh.space());
      cache_offsets();
    }

    template class Particles<1>;
    template class Particles<2>;
    template class Particles<3>;
  } // namespace Models
} // namespace chemokin

CHEMOKIN_REGISTER_MODEL(chemokin::Models::Particles,
                        "particles",
                        "the stochastic process of the internal-state model, simulated bacterium "
                        "by bacterium (subsection `Particles`).")
