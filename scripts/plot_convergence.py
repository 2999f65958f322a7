#!/usr/bin/python3
"""Plots and tables of a chemokin-convergence study (doc/convergence.md).

Usage: /usr/bin/python3 scripts/plot_convergence.py STUDY_DIR [STUDY_DIR ...]

For every study directory (the `Output directory` of a chemokin-convergence
run) this reads convergence.csv and the runs' last density profiles and
writes, into the same directory:
  errors.png    E1(T), E2(T), E3(T) and max_t E3 against eps (log-log), the
                least-squares slopes, and the shapes of the Theorem 2.1 bounds
                scaled to the largest eps;
  profiles.png  (d = 1) the density at T of every eps against the limit;
  summary.md    the table of the runs, the fitted rates and the mesh check.
The output depends only on the CSV files, so it is reproducible.
"""

import csv
import glob
import math
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def read_csv(path):
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    return [{k: float(v) for k, v in row.items()} for row in rows]


def run_directory(study, eps, mesh):
    # the same name as chemokin-convergence's (C's %g)
    return os.path.join(study, "eps-%g%s" % (eps, "-refined" if mesh else ""))


def end_time(run):
    with open(os.path.join(run, "parameters.prm")) as f:
        for line in f:
            words = line.split("=")
            if words[0].strip() == "set End time":
                return float(words[1])
    raise RuntimeError("no End time in " + run + "/parameters.prm")


def fitted_slope(eps, values):
    points = [(math.log(e), math.log(v)) for e, v in zip(eps, values) if v > 0]
    n = len(points)
    if n < 2:
        return float("nan")
    sx = sum(p[0] for p in points)
    sy = sum(p[1] for p in points)
    sxx = sum(p[0] ** 2 for p in points)
    sxy = sum(p[0] * p[1] for p in points)
    return (n * sxy - sx * sy) / (n * sxx - sx * sx)


def bound_shapes(T):
    """The eps-dependence of the Theorem 2.1 bounds at time T (DESIGN §1)."""
    return {
        "E1": lambda e: math.sqrt(e) * (T + 1 + math.sqrt(abs(math.log(e)))),
        "E2": lambda e: math.sqrt(e * T) * (T + 1 + math.sqrt(abs(math.log(e)))) + e * e,
        "E3": lambda e: e + math.exp(-T / e),
    }


def plot_errors(study, rows, T):
    base = [r for r in rows if r["mesh"] == 0]
    fine = [r for r in rows if r["mesh"] == 1]
    eps = [r["epsilon"] for r in base]
    shapes = bound_shapes(T)
    fig, ax = plt.subplots(figsize=(7, 5))
    rates = {}
    for name, colour, marker in (("E1", "C0", "o"), ("E2", "C1", "s"), ("E3", "C2", "^")):
        values = [r[name] for r in base]
        slope = fitted_slope(eps, values)
        rates[name] = slope
        label = "%s(T)   fitted slope %.2f" % (name, slope)
        if fine:
            fine_values = [r[name] for r in fine]
            fine_slope = fitted_slope([r["epsilon"] for r in fine], fine_values)
            rates[name + " (refined)"] = fine_slope
            label += " (refined: %.2f)" % fine_slope
            ax.loglog([r["epsilon"] for r in fine], fine_values, marker,
                      color=colour, markerfacecolor="none", markersize=10)
        ax.loglog(eps, values, marker + "-", color=colour, label=label)
        # the bound's shape through the value at the largest eps
        e_max = max(eps)
        v_max = values[eps.index(e_max)]
        grid = [min(eps) * (e_max / min(eps)) ** (i / 40) for i in range(41)]
        ax.loglog(grid, [v_max * shapes[name](e) / shapes[name](e_max) for e in grid],
                  "--", color=colour, alpha=0.5, linewidth=1)
    ax.loglog(eps, [r["E3_max"] for r in base], "x:", color="C2", alpha=0.6,
              label="max over t of E3 (initial layer)")
    ax.plot([], [], "--", color="grey", label="shape of the Theorem 2.1 bound")
    if fine:
        ax.plot([], [], "o", color="grey", markerfacecolor="none", markersize=10,
                label="one mesh step finer")
    ax.set_xlabel("adaptation time eps")
    ax.set_ylabel("distance at T = %g" % T)
    ax.set_title(os.path.basename(os.path.normpath(study)))
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(os.path.join(study, "errors.png"), dpi=120)
    plt.close(fig)
    return rates


def last_profile(run):
    files = sorted(glob.glob(os.path.join(run, "profiles", "density-*.csv")))
    return read_csv(files[-1]) if files else None


def plot_profiles(study, rows, T):
    base = [r for r in rows if r["mesh"] == 0]
    fig, ax = plt.subplots(figsize=(7, 4.5))
    limit = None
    for i, r in enumerate(sorted(base, key=lambda r: -r["epsilon"])):
        profile = last_profile(run_directory(study, r["epsilon"], 0))
        if profile is None:
            plt.close(fig)
            return False
        ax.plot([p["x"] for p in profile], [p["density"] for p in profile],
                color=plt.cm.viridis(i / max(1, len(base) - 1)),
                label="internal state, eps = %g" % r["epsilon"])
        limit = profile
    ax.plot([p["x"] for p in limit], [p["density_limit"] for p in limit], "k--",
            linewidth=2, label="run-and-tumble limit")
    ax.set_xlabel("x")
    ax.set_ylabel("density at T = %g" % T)
    ax.set_title(os.path.basename(os.path.normpath(study)))
    ax.legend(fontsize=8)
    ax.grid(True, alpha=0.3)
    fig.tight_layout()
    fig.savefig(os.path.join(study, "profiles.png"), dpi=120)
    plt.close(fig)
    return True


def write_summary(study, rows, rates, T):
    lines = ["# %s (T = %g)" % (os.path.basename(os.path.normpath(study)), T), "",
             "| eps | mesh | E1(T) | E2(T) | E3(T) | max_t E3 | E2 change under refinement "
             "| drift | drift of limit | cells | wall s |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        change = r["E2_mesh_change"]
        lines.append("| %g | %s | %.3e | %.3e | %.3e | %.3e | %s | %.4f | %.4f | %d | %.1f |" % (
            r["epsilon"], "refined" if r["mesh"] else "base", r["E1"], r["E2"], r["E3"],
            r["E3_max"], "-" if math.isnan(change) else "%.1f %%" % (100 * change),
            r["velocity_mean"], r["velocity_mean_limit"], r["cells"], r["wall_seconds"]))
    lines += ["", "Fitted rates (least squares of log E against log eps): " +
              ", ".join("%s ~ eps^%.2f" % (k, v) for k, v in rates.items()) + ".", ""]
    for mesh, title in ((0, "base"), (1, "refined")):
        runs = sorted((r for r in rows if r["mesh"] == mesh), key=lambda r: r["epsilon"])
        if len(runs) < 2:
            continue
        lines += ["Local rates between successive eps (small to large), %s mesh:" % title, ""]
        for name in ("E1", "E2", "E3"):
            local = [fitted_slope([a["epsilon"], b["epsilon"]], [a[name], b[name]])
                     for a, b in zip(runs, runs[1:])]
            lines.append("* %s: %s" % (name, ", ".join("%.2f" % x for x in local)))
        lines.append("")
    with open(os.path.join(study, "summary.md"), "w") as f:
        f.write("\n".join(lines))
    print("\n".join(lines))


def main(studies):
    if not studies:
        sys.exit(__doc__)
    for study in studies:
        path = os.path.join(study, "convergence.csv")
        if not os.path.isfile(path):
            sys.exit("plot_convergence.py: no %s (run chemokin-convergence first)" % path)
        rows = read_csv(path)
        T = end_time(run_directory(study, rows[0]["epsilon"], 0))
        rates = plot_errors(study, rows, T)
        plot_profiles(study, rows, T)
        write_summary(study, rows, rates, T)


if __name__ == "__main__":
    main(sys.argv[1:])
