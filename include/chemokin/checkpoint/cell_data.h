#pragma once

#include <chemokin/checkpoint/state.h>
#include <chemokin/mesh/phase_space.h>

#include <deal.II/grid/cell_id.h>

#include <string>
#include <vector>

namespace chemokin
{
  namespace Checkpoint
  {
    /**
     * Write the owned entries of a phase-space vector, cell by cell and
     * keyed by the cell's CellId, to `<directory>/<name>.<rank>.bin`. The
     * format does not depend on the DoF numbering or the partition, so a
     * checkpoint can be read on another number of ranks, as long as the mesh
     * has the same active cells (a fixed x-mesh, or an (x, m)-mesh restored
     * by p4est).
     */
    template <int mesh_dim>
    void
    save_cell_data(const Writer &             writer,
                   const std::string &        name,
                   const PhaseSpace<mesh_dim> &space,
                   const PhaseVector &        vector);

    /**
     * Read what save_cell_data() wrote into @p vector (laid out by @p space):
     * every rank scans the files of all saved ranks and takes its own cells.
     * Throws if a cell is missing or the layout differs.
     */
    template <int mesh_dim>
    void
    load_cell_data(const Reader &             reader,
                   const std::string &        name,
                   const PhaseSpace<mesh_dim> &space,
                   PhaseVector &              vector);

    /**
     * The active cells of the mesh that save_cell_data() wrote @p name on
     * (all saved ranks): an adapted mesh is rebuilt from them
     * (XMesh::rebuild) before its data are read.
     */
    template <int mesh_dim>
    std::vector<dealii::CellId>
    saved_cells(const Reader &reader, const std::string &name);
  } // namespace Checkpoint
} // namespace chemokin
