#!/usr/bin/python3
"""The first picture of a chemokin run: OUTPUT_DIR/result.png, without ParaView.

    /usr/bin/python3 scripts/plot_example.py [OUTPUT_DIR]   (default: output)

Three panels for a 1-D run: the density profiles at every output time
(light: early, dark: late) with the run-and-tumble limit dashed (`both`);
the internal state, p over (x, m) at the last output time for the velocity
+1 (phase.pvd; the pathway's phase_u.pvd over (x, u)); and the distances
E1, E2 of Theorem 2.1 over time, or, without them, the drift. A quantity at
round-off (the drift of a symmetric case) is not drawn: the panel says so.
Every other picture of a run: scripts/plot.py OUTPUT_DIR.
Uses Debian's matplotlib (/usr/bin/python3).
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import plot  # noqa: E402



def density_panel(ax, directory, profiles, times, sources, figure):
    for i, path in enumerate(profiles):
        p = plot.read_csv(path)
        shade = 0.85 - 0.75 * i / max(1, len(profiles) - 1)
        last = i == len(profiles) - 1
        (line,) = ax.plot(p["x"], p["density"], color=(shade, shade, 1.0 if not last else shade),
                          lw=2 if last else 1,
                          label="density at t = %g" % times[i] if last and i < len(times) else None)
        sources[(figure, line)] = (os.path.relpath(path, directory), "x", "density")
        if last and "density_limit" in p:
            (line,) = ax.plot(p["x"], p["density_limit"], "r--", lw=1.5, label="run-and-tumble limit")
            sources[(figure, line)] = (os.path.relpath(path, directory), "x", "density_limit")
    ax.set_xlabel("x")
    ax.set_ylabel("density")
    ax.set_title("density (light: early, dark: late)", fontsize=10)
    ax.legend(fontsize=8)


def phase_panel(ax, directory, sources, figure):
    phase = plot.last_phase(directory, (("phase.pvd", "m"), ("phase_u.pvd", "u")))
    if phase is None:
        return False
    plot.draw_sheet(ax, figure, directory, phase, phase[3]["points"][:, 2].max(), sources)
    ax.set_title("internal state: " + ax.get_title(), fontsize=10)
    return True


def time_panel(ax, stats, parameters, sources, figure):
    distances = [c for c in ("E1", "E2") if c in stats]
    columns = distances or [c for c in ("velocity_mean", "velocity_mean_limit") if c in stats]
    notes, drawn = [], 0
    for c in columns:
        values = plot.log_values(stats[c]) if distances else stats[c]
        kind = plot.round_off(values, plot.natural_scale(c, parameters))
        if kind:
            notes.append(plot.note_for(c, stats[c] if kind == "zero" else values, kind))
            continue
        (line,) = ax.plot(stats["time"], values, "--" if c.endswith("_limit") else "-", label=c)
        sources[(figure, line)] = ("statistics.csv", "time", c)
        drawn += 1
    if distances and drawn:
        ax.set_yscale("log")
    ax.set_xlabel("t")
    ax.set_title("distance to the run-and-tumble limit (Theorem 2.1)" if distances
                 else "chemotactic drift", fontsize=10)
    plot.finish_panel(ax, notes, drawn)


def figure_of(directory):
    """The figure and {(figure, artist): (file, x column, column)}."""
    stats = plot.read_csv(os.path.join(directory, "statistics.csv"))
    parameters = plot.read_parameters(directory)
    profiles = sorted(plot.glob.glob(os.path.join(directory, "profiles", "density-*.csv")))
    has_phase = any(os.path.isfile(os.path.join(directory, n)) for n in ("phase.pvd", "phase_u.pvd"))
    n = 1 + bool(profiles) + has_phase
    figure, axes = plot.plt.subplots(1, n, figsize=(5.2 * n, 4), squeeze=False)
    axes = list(axes.flat)
    sources = {}
    if profiles:
        density_panel(axes.pop(0), directory, profiles, stats["time"], sources, figure)
    if has_phase:
        phase_panel(axes.pop(0), directory, sources, figure)
    time_panel(axes.pop(0), stats, parameters, sources, figure)
    figure.tight_layout()
    return figure, sources


def main(argv):
    directory = argv[0] if argv else "output"
    if not os.path.isfile(os.path.join(directory, "statistics.csv")):
        sys.exit("plot_example.py: no %s/statistics.csv (run chemokin first)" % directory)
    figure, sources = figure_of(directory)
    target = os.path.join(directory, "result.png")
    figure.savefig(target, dpi=100)
    print("plot_example.py: wrote " + target)
    return figure, sources


if __name__ == "__main__":
    main(sys.argv[1:])
