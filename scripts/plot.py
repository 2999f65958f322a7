#!/usr/bin/python3
"""Pictures of any chemokin output directory, without ParaView.

    /usr/bin/python3 scripts/plot.py DIR

writes DIR/plots/ (matplotlib, Debian's /usr/bin/python3):
  statistics.png  the columns of statistics.csv over time, a panel per kind:
                  mass, position, drift, the distances of Theorem 2.1 (log),
                  the internal state, tails (log), the fields, the mesh
                  (cells, DoFs, velocities), the time step and wall time.
  profiles.png    (d = 1) every column of profiles/density-*.csv over x, one
                  curve per output time (light: early, dark: late); the
                  run-and-tumble limit dashed; fields in panels of their own.
  density.png     (d = 2, 3) density (and the limit, the fields) at the
                  first and last output time from solution.pvd; in 3-D the
                  middle plane z = const; cell edges where the mesh adapts.
  phase.png       (d = 1, internal state) p over (x, m) (phase.pvd), over
                  (x, u) (phase_u.pvd, the pathway) or (x, y) (phase_y.pvd),
                  at the last output time, for the first and last velocity.
A quantity that stays at round-off (|values| below 1e-10 of its scale, e.g.
the drift of a symmetric case, or a conserved mass whose range is below
1e-10 of its value) is not drawn: its panel says so instead, with the value.
Prints the files it wrote. `main([DIR])` returns the figures and, for every
drawn curve or surface, the file and column it came from
(tests/output/plot_test.py checks them against those files).
"""
import csv
import glob
import os
import re
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import matplotlib.collections
import numpy

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import vtu_reader  # noqa: E402

ROUND_OFF = 1e-10

# statistics columns by kind: (title, columns or prefixes, log scale)
GROUPS = [
    ("mass", ["mass", "mass_limit", "particles"], False),
    ("smallest value of the solution", ["min_value"], False),
    ("position", ["x_mean", "x_mean_limit", "pulse_x"], False),
    ("drift", ["velocity_mean", "velocity_mean_limit", "pulse_speed", "flux_max"], False),
    ("distance to the limit (Theorem 2.1)",
     ["E1", "E2", "E3", "relative_entropy", "equilibrium_distance", "velocity_mean_error",
      "m_mean_error"], True),
    ("internal state", ["m_mean", "offset_mean", "offset_variance", "u_mean", "u_variance",
                        "activity_mean", "activity_variance", "tumbling_rate_mean"], False),
    ("tails of the internal-state grid", ["y_tail_mass", "u_tail_mass"], True),
    ("u-axis", ["u_lower", "u_upper"], False),
    ("mesh", ["cells", "dofs", "velocities"], True),
    ("time step", ["dt"], True),
    ("wall time", ["wall_seconds", "field_seconds"], False),
]


def read_csv(path):
    with open(path) as f:
        rows = list(csv.DictReader(f))
    if not rows:
        return {}
    return {k: numpy.array([float(r[k]) for r in rows]) for k in rows[0]}


def read_parameters(directory):
    """'Subsection/Entry' -> value, from parameters.prm (ShortPRM)."""
    values, path = {}, []
    try:
        with open(os.path.join(directory, "parameters.prm")) as f:
            for line in f:
                line = line.split("#")[0].strip()
                if line.startswith("subsection "):
                    path.append(line[len("subsection "):].strip())
                elif line == "end" and path:
                    path.pop()
                elif line.startswith("set ") and "=" in line:
                    key, value = line[4:].split("=", 1)
                    values["/".join(path + [key.strip()])] = value.strip()
    except OSError:
        pass
    return values


def number(text, default):
    try:
        return float(text.split(",")[0])
    except (AttributeError, ValueError):
        return default


def natural_scale(column, parameters):
    """The scale a column is zero against: the speed for velocities, the
    domain for positions, else the column itself."""
    if column.startswith(("velocity_mean", "pulse_speed")):
        return number(parameters.get("Velocity space/Speed"), None)
    if column.startswith(("x_mean", "pulse_x")):
        lower = number(parameters.get("Domain/Lower corner"), 0)
        upper = number(parameters.get("Domain/Upper corner"), None)
        return None if upper is None else abs(upper - lower) or None
    return None


def round_off(values, scale=None):
    """'zero', 'constant' or None (worth drawing): zero when the largest
    |value| is below 1e-10 of the scale, constant when the range is below
    1e-10 of the scale or of the largest |value|."""
    finite = values[numpy.isfinite(values)]
    if finite.size == 0:
        return "zero"
    magnitude = numpy.max(numpy.abs(finite))
    if magnitude == 0 or magnitude <= ROUND_OFF * (scale or magnitude):
        return "zero"
    if numpy.ptp(finite) <= ROUND_OFF * max(scale or 0, magnitude):
        return "constant"
    return None


def log_values(values):
    """For a log axis: values <= 0 or at round-off of the largest (E2 = 1e-16
    at t = 0) left out."""
    top = numpy.nanmax(values) if numpy.any(numpy.isfinite(values)) else 0
    return numpy.where(values > ROUND_OFF * top, values, numpy.nan)


def note_for(name, values, kind):
    if kind == "zero":
        return "%s = 0 to round-off (|value| <= %.1e)" % (name, numpy.nanmax(numpy.abs(values)))
    finite = values[numpy.isfinite(values)]
    return "%s = %.12g, constant to %.1e" % (name, finite[0], numpy.ptp(finite))


def finish_panel(ax, notes, drawn):
    if notes:
        ax.text(0.02, 0.98 if drawn else 0.6, "\n".join(notes), transform=ax.transAxes,
                va="top", ha="left", fontsize=8, color="0.3")
    if drawn:
        ax.legend(fontsize=8, loc="lower right" if notes else "best")
    else:
        ax.set_xticks([])
        ax.set_yticks([])


def grid(n, width=4.6, height=3.2):
    columns = min(n, 3)
    rows = (n + columns - 1) // columns
    figure, axes = plt.subplots(rows, columns, figsize=(width * columns, height * rows), squeeze=False)
    for ax in axes.flat[n:]:
        ax.set_visible(False)
    return figure, list(axes.flat[:n])


def statistics_figure(directory, parameters, sources):
    stats = read_csv(os.path.join(directory, "statistics.csv"))
    if "time" not in stats or len(stats["time"]) < 1:
        return None
    t = stats["time"]
    grouped = {c for _, columns, _ in GROUPS for c in columns}
    fields = sorted({c.rsplit("_", 1)[0] for c in stats
                     if c not in grouped and re.search(r"_(integral|min|max)$", c)})
    groups = list(GROUPS)
    for field in fields:
        groups.append(("field %s" % field, ["%s_integral" % field, "%s_min" % field, "%s_max" % field],
                       False))
    known = {c for _, columns, _ in groups for c in columns} | {"time", "step"}
    other = [c for c in stats if c not in known]
    if other:
        groups.append(("other", other, False))
    groups = [(title, [c for c in columns if c in stats], log)
              for title, columns, log in groups if any(c in stats for c in columns)]
    figure, axes = grid(len(groups))
    for ax, (title, columns, log) in zip(axes, groups):
        notes, drawn = [], 0
        for c in columns:
            values = log_values(stats[c]) if log else stats[c]
            kind = round_off(values, natural_scale(c, parameters))
            if kind:
                notes.append(note_for(c, stats[c] if kind == "zero" else values, kind))
                continue
            style = "--" if c.endswith("_limit") else "-"
            (line,) = ax.plot(t, values, style, label=c, marker="." if len(t) < 30 else None)
            sources[(figure, line)] = ("statistics.csv", "time", c)
            drawn += 1
        if log and drawn:
            ax.set_yscale("log")
        ax.set_title(title, fontsize=10)
        ax.set_xlabel("t")
        finish_panel(ax, notes, drawn)
    figure.suptitle(os.path.basename(os.path.abspath(directory)) + ": statistics.csv")
    figure.tight_layout()
    return figure


def profiles_figure(directory, sources):
    paths = sorted(glob.glob(os.path.join(directory, "profiles", "density-*.csv")))
    if not paths:
        return None
    profiles = [read_csv(p) for p in paths]
    stats = read_csv(os.path.join(directory, "statistics.csv"))
    times = stats.get("time", numpy.arange(len(paths)))
    columns = [c for c in profiles[0] if c != "x" and not c.endswith("_limit")]
    figure, axes = grid(len(columns))
    for ax, c in zip(axes, columns):
        notes, drawn = [], 0
        every = numpy.concatenate([p[c] for p in profiles if c in p])
        kind = round_off(every)
        if kind:
            notes.append(note_for(c, every, kind))
        else:
            for i, (path, p) in enumerate(zip(paths, profiles)):
                shade = 0.85 - 0.75 * i / max(1, len(paths) - 1)
                last = i == len(paths) - 1
                label = "t = %g" % times[i] if i < len(times) and (last or i == 0) else None
                (line,) = ax.plot(p["x"], p[c], color=(shade, shade, 1.0 if not last else shade),
                                  lw=2 if last else 1, label=label)
                sources[(figure, line)] = (os.path.relpath(path, directory), "x", c)
                drawn += 1
            limit = c + "_limit"
            if limit in profiles[-1]:
                (line,) = ax.plot(profiles[-1]["x"], profiles[-1][limit], "r--", lw=1.5,
                                  label="run-and-tumble limit")
                sources[(figure, line)] = (os.path.relpath(paths[-1], directory), "x", limit)
        ax.set_title(c + " (light: early, dark: late)", fontsize=10)
        ax.set_xlabel("x")
        finish_panel(ax, notes, drawn)
    figure.tight_layout()
    return figure


def plane(mesh):
    """The 2-D view of a mesh: (x, y, triangles, point mask) for 2-D data,
    the middle plane z = const of 3-D data."""
    points = mesh["points"]
    if all(k == 12 for k in set(mesh["types"])):  # hexahedra: the middle plane
        z = points[:, 2]
        levels = numpy.unique(numpy.round(z, 12))
        middle = levels[numpy.argmin(numpy.abs(levels - 0.5 * (z.min() + z.max())))]
        on = numpy.abs(z - middle) <= 1e-9 * max(1, abs(middle))
        # each hexahedron with its lower or upper face on the plane gives a quad
        quads = []
        for cell in mesh["cells"]:
            for face in (cell[:4], cell[4:8]):
                if all(on[face]):
                    quads.append(face)
                    break
        mesh = dict(mesh, cells=quads, types=numpy.full(len(quads), 9))
        return points[:, 0], points[:, 1], vtu_reader.triangles(mesh), "z = %.3g" % middle
    return points[:, 0], points[:, 1], vtu_reader.triangles(mesh), ""


def cell_edges(ax, mesh):
    # one collection for all quads: one artist per cell makes large adapted
    # meshes slow to draw
    points = mesh["points"][:, :2]
    rings = [points[list(cell) + [cell[0]]] for cell, kind in zip(mesh["cells"], mesh["types"])
             if kind == 9]
    ax.add_collection(matplotlib.collections.LineCollection(rings, colors="k", linewidths=0.2))


def snapshot_figure(directory, sources, adapted):
    pvd = os.path.join(directory, "solution.pvd")
    if not os.path.isfile(pvd):
        return None
    steps = vtu_reader.series(pvd)
    chosen = [steps[0], steps[-1]] if len(steps) > 1 else steps
    first = vtu_reader.read(chosen[0][1])
    if first["points"][:, 1].ptp() == 0:  # 1-D data: profiles.png has it
        return None
    names = [n for n in ["density", "density_limit", "m_mean", "activity_mean"] if n in first]
    names += [n for n in first if len(n) <= 3 and n[:1].isupper() and n not in names][:3]
    figure, axes = grid(len(names) * len(chosen), 4.4, 3.8)
    k = 0
    for time, path in chosen:
        mesh = vtu_reader.read(path)
        x, y, tris, where = plane(mesh)
        for name in names:
            ax = axes[k]
            k += 1
            ax.set_title("%s at t = %g %s" % (name, time, where), fontsize=10)
            shown = mesh[name][numpy.unique(tris)]
            kind = round_off(shown)
            if kind:
                finish_panel(ax, [note_for(name, shown, kind)], 0)
                continue
            # the colours span the values drawn (in 3-D: those on the plane)
            art = ax.tripcolor(x, y, tris, mesh[name], shading="gouraud", cmap="viridis",
                               vmin=shown.min(), vmax=shown.max())
            sources[(figure, art)] = (os.path.relpath(path, directory), None, name)
            figure.colorbar(art, ax=ax)
            if adapted and not where:
                cell_edges(ax, mesh)
            ax.set_aspect("equal")
    figure.tight_layout()
    return figure


def last_phase(directory, names=(("phase.pvd", "m"), ("phase_u.pvd", "u"), ("phase_y.pvd", "y"))):
    """The phase space at the last output time: (axis name, time, file, mesh,
    array name), or None without one."""
    for name, axis in names:
        pvd = os.path.join(directory, name)
        if os.path.isfile(pvd):
            time, path = vtu_reader.series(pvd)[-1]
            mesh = vtu_reader.read(path)
            return axis, time, path, mesh, "p" if "p" in mesh else "q"  # q: the pathway's, over u
    return None


def draw_sheet(ax, figure, directory, phase, v, sources):
    """The sheet of velocity v (the height in the VTU file) over (x, axis)."""
    axis, time, path, mesh, value = phase
    points = mesh["points"]
    on = numpy.abs(points[:, 2] - v) < 1e-9
    tris = vtu_reader.triangles(mesh, lambda cell: on[cell].all())
    art = ax.tripcolor(points[:, 0], points[:, 1], tris, mesh[value], shading="gouraud", cmap="magma")
    sources[(figure, art)] = (os.path.relpath(path, directory), None, value)
    figure.colorbar(art, ax=ax, label=value)
    ax.set_xlabel("x")
    ax.set_ylabel(axis)
    ax.set_title("%s over (x, %s), v = %+g, t = %g" % (value, axis, v, time), fontsize=10)


def phase_figure(directory, sources):
    phase = last_phase(directory)
    if phase is None:
        return None
    points = phase[3]["points"]
    heights = numpy.unique(numpy.round(points[:, 2], 12))
    if len(heights) > 64:  # a volume (d = 2), not sheets: left to ParaView
        return None
    chosen = [heights[0], heights[-1]] if len(heights) > 1 else [heights[0]]
    figure, axes = grid(len(chosen), 5.5, 4)
    for ax, v in zip(axes, chosen):
        draw_sheet(ax, figure, directory, phase, v, sources)
    figure.tight_layout()
    return figure


def figures(directory):
    """[(file name, figure)] and {(figure, artist): (source file, x column,
    column)} for every drawn curve or surface."""
    parameters = read_parameters(directory)
    sources = {}
    stats = read_csv(os.path.join(directory, "statistics.csv"))
    adapted = "cells" in stats and numpy.ptp(stats["cells"]) > 0
    made = [("statistics.png", statistics_figure(directory, parameters, sources)),
            ("profiles.png", profiles_figure(directory, sources)),
            ("density.png", snapshot_figure(directory, sources, adapted)),
            ("phase.png", phase_figure(directory, sources))]
    return [(n, f) for n, f in made if f is not None], sources


def main(argv):
    if len(argv) != 1 or argv[0].startswith("-"):
        sys.exit(__doc__)
    directory = argv[0]
    if not os.path.isfile(os.path.join(directory, "statistics.csv")):
        sys.exit("plot.py: no %s/statistics.csv (is this a chemokin output directory?)" % directory)
    made, sources = figures(directory)
    target = os.path.join(directory, "plots")
    os.makedirs(target, exist_ok=True)
    for name, figure in made:
        path = os.path.join(target, name)
        figure.savefig(path, dpi=90)
        print("plot.py: wrote " + path)
    return made, sources


if __name__ == "__main__":
    main(sys.argv[1:])
