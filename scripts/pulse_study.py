#!/usr/bin/python3
"""The travelling pulse of parameter_files/pulse_1d.prm in every model.

    /usr/bin/python3 scripts/pulse_study.py [CHEMOKIN] [WORKDIR]

runs the example as it is (run and tumble), the internal-state model in the
moving frame at eps = 1, 0.1 and 1e-3 (each with its own fields), and writes
doc/figures/pulse_position.png (the centre of mass and the density maximum over time),
doc/figures/pulse_profiles.png (rho, S, G at t = 60) and
doc/figures/pulse_speed.png (the speed against eps), and prints the table of
doc/pulses.md. The speed is (x_mean(60) - x_mean(40)) / 20. About 2 minutes
on 2 cores. Uses Debian's matplotlib (/usr/bin/python3).
"""
import csv
import os
import subprocess
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
chemokin = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "build", "chemokin")
work = sys.argv[2] if len(sys.argv) > 2 else os.path.join(root, "build", "pulse-study")
example = os.path.join(root, "parameter_files", "pulse_1d.prm")
figures = os.path.join(root, "doc", "figures")

runs = [("run and tumble", "")]
for eps in ("1", "0.1", "1e-3"):
    runs.append(("internal state, eps = " + eps,
                 "set Model = internal state\nsubsection Internal state\n set Frame = moving\n"
                 " set Epsilon = %s\n set Y range = 22\n set Y cell size = 0.5\nend" % eps))


def read_csv(path):
    with open(path) as f:
        rows = list(csv.DictReader(f))
    return {k: [float(r[k]) for r in rows] for k in rows[0]}


results = []
for name, extra in runs:
    directory = os.path.join(work, name.replace(" ", "_").replace(",", "").replace("=", ""))
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, "run.prm"), "w") as f:
        f.write("include %s\nset Output directory = output\n%s\n" % (example, extra))
    with open(os.path.join(directory, "log.txt"), "w") as log:
        subprocess.check_call([chemokin, "run.prm"], cwd=directory, stdout=log, stderr=subprocess.STDOUT)
    stats = read_csv(os.path.join(directory, "output", "statistics.csv"))
    profile = read_csv(os.path.join(directory, "output", "profiles", "density-00060.csv"))
    t = stats["time"]
    i40, i60 = t.index(40.0), t.index(60.0)
    c = (stats["x_mean"][i60] - stats["x_mean"][i40]) / (t[i60] - t[i40])
    peak = max(profile["density"])
    results.append((name, stats, profile, c, peak))
    print("%-28s speed %.4f  peak density %.3f  wall %.1f s" % (name, c, peak, stats["wall_seconds"][-1]))

os.makedirs(figures, exist_ok=True)
colours = ["black", "tab:red", "tab:orange", "tab:blue"]

plt.figure(figsize=(6, 4))
for (name, stats, _, c, _), colour in zip(results, colours):
    plt.plot(stats["time"], stats["x_mean"], color=colour, label="%s (c = %.3f)" % (name, c))
    plt.plot(stats["time"], stats["pulse_x"], color=colour, ls=":", lw=1)
plt.xlabel("t")
plt.ylabel("centre of mass (solid), density maximum (dotted)")
plt.legend(fontsize=8)
plt.tight_layout()
plt.savefig(os.path.join(figures, "pulse_position.png"), dpi=120)

fig, axes = plt.subplots(3, 1, figsize=(6, 7), sharex=True)
for (name, _, profile, _, _), colour in zip(results, colours):
    for ax, field in zip(axes, ("density", "S", "G")):
        ax.plot(profile["x"], profile[field], color=colour, label=name)
for ax, label in zip(axes, ("rho", "S (attractant)", "G (nutrient)")):
    ax.set_ylabel(label)
axes[0].legend(fontsize=8)
axes[-1].set_xlabel("x at t = 60")
axes[-1].set_xlim(0, 30)
plt.tight_layout()
plt.savefig(os.path.join(figures, "pulse_profiles.png"), dpi=120)

plt.figure(figsize=(5, 3.5))
eps = [1, 0.1, 1e-3]
plt.semilogx(eps, [r[3] for r in results[1:]], "o-", label="internal state")
plt.axhline(results[0][3], color="black", ls="--", label="run and tumble")
plt.xlabel("eps (adaptation time)")
plt.ylabel("pulse speed")
plt.legend()
plt.tight_layout()
plt.savefig(os.path.join(figures, "pulse_speed.png"), dpi=120)

print("\n| model | pulse speed | relative to run and tumble | peak density at t = 60 |")
print("|---|---|---|---|")
for name, _, _, c, peak in results:
    print("| %s | %.4f | %+.1f %% | %.3f |" % (name, c, 100 * (c / results[0][3] - 1), peak))
