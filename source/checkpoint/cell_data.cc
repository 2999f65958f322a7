#include <deal.II/grid/cell_id.h>

#include <chemokin/checkpoint/cell_data.h>
#include <chemokin/output/atomic_file.h>

#include <cstdint>
#include <fstream>
#include <stdexcept>
#include <unordered_map>

namespace chemokin
{
  namespace Checkpoint
  {
    namespace
    {
      constexpr std::uint64_t magic = 0x63656c6c64617461; // "celldata"

      template <typename T>
      bool
      take(std::istream &in, T &value)
      {
        return bool(in.read(reinterpret_cast<char *>(&value), sizeof(T)));
      }

      std::string
      file_name(const std::string &directory, const std::string &name, unsigned int rank)
      {
        return directory + "/" + name + "." + std::to_string(rank) + ".bin";
      }
    } // namespace

    template <int mesh_dim>
    void
    save_cell_data(const Writer &              writer,
                   const std::string &         name,
                   const PhaseSpace<mesh_dim> &space,
                   const PhaseVector &         vector)
    {
      const auto &       dof_handler = space.get_dof_handler();
      const unsigned int n_v         = space.n_velocities();
      const unsigned int per_cell    = dof_handler.get_fe().n_dofs_per_cell();
      const std::string  path =
        file_name(writer.directory, name, dealii::Utilities::MPI::this_mpi_process(writer.comm));
      OutputFile out(path);
      out.put(magic);
      out.put(std::uint32_t(n_v));
      out.put(std::uint32_t(per_cell));
      std::vector<dealii::types::global_dof_index> dofs(per_cell);
      std::vector<double>                          values(std::size_t(per_cell) * n_v);
      for (const auto &cell : dof_handler.active_cell_iterators())
        if (cell->is_locally_owned())
          {
            cell->get_dof_indices(dofs);
            for (unsigned int i = 0; i < per_cell; ++i)
              for (unsigned int k = 0; k < n_v; ++k)
                values[std::size_t(i) * n_v + k] =
                  vector.local_element(std::size_t(space.local_dof(dofs[i])) * n_v + k);
            out.put(cell->id().template to_binary<mesh_dim>());
            out.write(values.data(), values.size() * sizeof(double));
          }
      out.close();
    }

    template <int mesh_dim>
    void
    load_cell_data(const Reader &              reader,
                   const std::string &         name,
                   const PhaseSpace<mesh_dim> &space,
                   PhaseVector &               vector)
    {
      using Key = dealii::CellId::binary_type;
      const auto &       dof_handler = space.get_dof_handler();
      const unsigned int n_v         = space.n_velocities();
      const unsigned int per_cell    = dof_handler.get_fe().n_dofs_per_cell();

      // the owned cells by id: where their values go
      std::unordered_map<std::string, std::vector<std::size_t>> targets;
      std::vector<dealii::types::global_dof_index>              dofs(per_cell);
      for (const auto &cell : dof_handler.active_cell_iterators())
        if (cell->is_locally_owned())
          {
            cell->get_dof_indices(dofs);
            const Key key = cell->id().template to_binary<mesh_dim>();
            auto &    where =
              targets[std::string(reinterpret_cast<const char *>(&key), sizeof(Key))];
            for (const auto i : dofs)
              where.push_back(space.local_dof(i));
          }

      std::size_t         found = 0;
      std::vector<double> values(std::size_t(per_cell) * n_v);
      for (unsigned int rank = 0; rank < reader.saved_ranks; ++rank)
        {
          const std::string path = file_name(reader.directory, name, rank);
          std::ifstream     in(path, std::ios::binary);
          std::uint64_t     header  = 0;
          std::uint32_t     file_nv = 0, file_per_cell = 0;
          if (!take(in, header) || header != magic || !take(in, file_nv) ||
              !take(in, file_per_cell))
            throw std::runtime_error("the checkpoint file " + path +
                                     " is missing or damaged");
          if (file_nv != n_v || file_per_cell != per_cell)
            throw std::runtime_error(
              "the checkpoint file " + path + " holds " + std::to_string(file_nv) +
              " velocities and " + std::to_string(file_per_cell) +
              " DoFs per cell; this run has " + std::to_string(n_v) + " and " +
              std::to_string(per_cell));
          Key key;
          while (take(in, key))
            {
              if (!in.read(reinterpret_cast<char *>(values.data()),
                           values.size() * sizeof(double)))
                throw std::runtime_error("the checkpoint file " + path + " is truncated");
              const auto it =
                targets.find(std::string(reinterpret_cast<const char *>(&key), sizeof(Key)));
              if (it == targets.end())
                continue;
              for (unsigned int i = 0; i < per_cell; ++i)
                for (unsigned int k = 0; k < n_v; ++k)
                  vector.local_element(it->second[i] * n_v + k) =
                    values[std::size_t(i) * n_v + k];
              ++found;
            }
        }
      if (dealii::Utilities::MPI::sum(targets.size() - found, reader.comm) != 0)
        throw std::runtime_error("the checkpoint in " + reader.directory +
                                 " does not hold every cell of this mesh");
    }

    template <int mesh_dim>
    std::vector<dealii::CellId>
    saved_cells(const Reader &reader, const std::string &name)
    {
      using Key = dealii::CellId::binary_type;
      std::vector<dealii::CellId> cells;
      for (unsigned int rank = 0; rank < reader.saved_ranks; ++rank)
        {
          const std::string path   = file_name(reader.directory, name, rank);
          std::ifstream     in(path, std::ios::binary);
          std::uint64_t     header = 0;
          std::uint32_t     n_v = 0, per_cell = 0;
          if (!take(in, header) || header != magic || !take(in, n_v) || !take(in, per_cell))
            throw std::runtime_error("the checkpoint file " + path + " is missing or damaged");
          Key key;
          while (take(in, key))
            {
              cells.emplace_back(key);
              if (!in.seekg(std::streamoff(per_cell) * n_v * sizeof(double), std::ios::cur))
                throw std::runtime_error("the checkpoint file " + path + " is truncated");
            }
        }
      return cells;
    }

    template std::vector<dealii::CellId>
    saved_cells<1>(const Reader &, const std::string &);
    template std::vector<dealii::CellId>
    saved_cells<2>(const Reader &, const std::string &);
    template std::vector<dealii::CellId>
    saved_cells<3>(const Reader &, const std::string &);
    template void
    save_cell_data(const Writer &, const std::string &, const PhaseSpace<1> &, const PhaseVector &);
    template void
    save_cell_data(const Writer &, const std::string &, const PhaseSpace<2> &, const PhaseVector &);
    template void
    save_cell_data(const Writer &, const std::string &, const PhaseSpace<3> &, const PhaseVector &);
    template void
    load_cell_data(const Reader &, const std::string &, const PhaseSpace<1> &, PhaseVector &);
    template void
    load_cell_data(const Reader &, const std::string &, const PhaseSpace<2> &, PhaseVector &);
    template void
    load_cell_data(const Reader &, const std::string &, const PhaseSpace<3> &, PhaseVector &);
  } // namespace Checkpoint
} // namespace chemokin
