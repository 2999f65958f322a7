#!/usr/bin/python3
"""Draw the result of a chemokin run as a PNG, without ParaView.

    /usr/bin/python3 scripts/plot_example.py [OUTPUT_DIR]   (default: output)

writes OUTPUT_DIR/result.png: for a 1-D run the density profiles
(profiles/density-*.csv) at every output time, darker as time goes on, with the
run-and-tumble limit (`density_limit`, in `both` mode) dashed at the last time;
and the drift (statistics.csv: velocity_mean, and velocity_mean_limit) over time.
Uses Debian's matplotlib (/usr/bin/python3).
"""
import csv
import glob
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt


def read_csv(path):
    with open(path) as f:
        rows = list(csv.DictReader(f))
    return {k: [float(r[k]) for r in rows] for k in rows[0]} if rows else {}


def main():
    directory = sys.argv[1] if len(sys.argv) > 1 else "output"
    stats_path = os.path.join(directory, "statistics.csv")
    if not os.path.isfile(stats_path):
        sys.exit("plot_example.py: no %s (run chemokin first)" % stats_path)
    stats = read_csv(stats_path)
    profiles = sorted(glob.glob(os.path.join(directory, "profiles", "density-*.csv")))

    figure, axes = plt.subplots(1, 2 if profiles else 1, figsize=(11 if profiles else 6, 4))
    if not profiles:
        axes = [axes]
    if profiles:
        ax = axes[0]
        for i, path in enumerate(profiles):
            p = read_csv(path)
            shade = 0.85 - 0.75 * i / max(1, len(profiles) - 1)
            last = i == len(profiles) - 1
            ax.plot(p["x"], p["density"], color=(shade, shade, 1.0 if not last else shade),
                    lw=2 if last else 1, label="density at t = %g" % stats["time"][i] if last else None)
            if last and "density_limit" in p:
                ax.plot(p["x"], p["density_limit"], "r--", lw=1.5, label="run-and-tumble limit")
        ax.set_xlabel("x")
        ax.set_ylabel("density")
        ax.set_title("density profiles (light: early, dark: late)")
        ax.legend()
    ax = axes[-1]
    ax.plot(stats["time"], stats["velocity_mean"], "b-", label="drift")
    if "velocity_mean_limit" in stats:
        ax.plot(stats["time"], stats["velocity_mean_limit"], "r--", label="drift of the limit")
    ax.set_xlabel("t")
    ax.set_ylabel("mean velocity")
    ax.set_title("chemotactic drift")
    ax.legend()
    figure.tight_layout()
    target = os.path.join(directory, "result.png")
    figure.savefig(target, dpi=100)
    print("plot_example.py: wrote " + target)


if __name__ == "__main__":
    main()
