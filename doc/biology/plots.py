"""The figures of doc/biology.md.

Usage: /usr/bin/python3 doc/biology/plots.py CHEMOKIN [GRADIENT_RUN PULSE_RUN]

1. drift_vs_gradient: the drift of the pathway's internal-state model at
   t = 300 s in S = S0 exp(g x) (logarithmic sensing, K_I << S << K_A; a
   periodic box and a uniform density, so the drift is that of the reduced
   (direction, u) process) against g, for three methylation rates k_R
   (k_B = 2 k_R: the same adapted activity 1/3). The knee sits where
   c g / alpha = k_R (dashed lines). Runs chemokin (about a minute); the
   numbers go to drift_vs_gradient.csv.
2. gradient_limit: density against the run-and-tumble limit at the last
   output of parameter_files/pathway_gradient_1d.prm (GRADIENT_RUN, its
   output directory; by default the script runs the example, 30 s).
3. pulse: the density of parameter_files/pathway_pulse_1d.prm in (x, t)
   (PULSE_RUN, its output directory; by default the script runs it, 8 min).
"""
import csv
import glob
import os
import subprocess
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(os.path.dirname(here))
chemokin = os.path.abspath(sys.argv[1])
work = os.path.join(here, "work")
os.makedirs(work, exist_ok=True)
speed, alpha = 20.0, 1.7


def run(text, name):
    directory = os.path.join(work, name)
    prm = directory + ".prm"
    with open(prm, "w") as f:
        f.write(text + "set Output directory = %s\n" % directory)
    subprocess.run([chemokin, prm], check=True, stdout=subprocess.DEVNULL)
    return directory


def last_row(directory):
    with open(os.path.join(directory, "statistics.csv")) as f:
        return list(csv.DictReader(f))[-1]


def drift_sweep():
    gradients = [10 ** (-5 + 0.25 * i) for i in range(13)]
    rates = [0.005, 0.0075, 0.015]
    rows = []
    for k_R in rates:
        for g in gradients:
            text = f"""set Dimension = 1
set Model = internal state
set End time = 300
subsection Domain
  set Lower corner = 0
  set Upper corner = 2000
  set Boundary = periodic
end
subsection Velocity space
  set Speed = {speed}
end
subsection Signal
  set Log-concentration = {g!r}*x
end
subsection Tumbling
  set Rate = 2*a^10/(a^10 + (1/3)^10)
end
subsection Discretization
  set Degree = 0
  set Refinement = 0
end
subsection Internal state
  set Dynamics = pathway
  subsection Pathway
    set K_I = 1e-8
    set K_A = 1e8
    set Methylation rate = {k_R!r}
    set Demethylation rate = {2 * k_R!r}
  end
end
subsection Output
  set Time between outputs = 300
  set Postprocessors = statistics
end
"""
            row = last_row(run(text, "sweep"))
            rows.append((k_R, g, float(row["velocity_mean"]), float(row["u_lower"])))
            print("k_R = %g, g = %.3g /um: drift %.4g um/s" % rows[-1][:3])
    with open(os.path.join(here, "drift_vs_gradient.csv"), "w") as f:
        f.write("k_R,gradient,drift,u_lower\n")
        for r in rows:
            f.write("%r,%r,%r,%r\n" % r)
    plt.figure(figsize=(6, 4))
    for k_R, colour in zip(rates, ["C0", "C1", "C2"]):
        g = [r[1] for r in rows if r[0] == k_R]
        v = [r[2] for r in rows if r[0] == k_R]
        plt.loglog(g, v, "o-", color=colour, label="k_R = %g /s" % k_R)
        plt.axvline(k_R * alpha / speed, color=colour, ls="--", lw=0.8)
    plt.xlabel("gradient of ln S (1/um)")
    plt.ylabel("drift at t = 300 s (um/s)")
    plt.title("drift: linear, then saturated (dashed: c g/alpha = k_R)")
    plt.legend()
    plt.tight_layout()
    plt.savefig(os.path.join(here, "drift_vs_gradient.png"), dpi=120)


def read_profile(path):
    with open(path) as f:
        rows = list(csv.DictReader(f))
    return {k: [float(r[k]) for r in rows] for k in rows[0]}


def gradient_limit(directory):
    if directory is None:
        directory = run("include %s\n" % os.path.join(root, "parameter_files/pathway_gradient_1d.prm"),
                        "gradient")
    last = sorted(glob.glob(os.path.join(directory, "profiles", "density-*.csv")))[-1]
    p = read_profile(last)
    plt.figure(figsize=(6, 4))
    plt.plot(p["x"], p["density"], label="pathway (internal state)")
    plt.plot(p["x"], p["density_limit"], "--", label="its run-and-tumble limit")
    plt.xlabel("x (um)")
    plt.ylabel("density")
    plt.title("S = 100 uM exp(x/2 mm), t = 600 s")
    plt.legend()
    plt.tight_layout()
    plt.savefig(os.path.join(here, "gradient_limit.png"), dpi=120)


def pulse(directory):
    if directory is None:
        directory = run("include %s\n" % os.path.join(root, "parameter_files/pathway_pulse_1d.prm"),
                        "pulse")
    files = sorted(glob.glob(os.path.join(directory, "profiles", "density-*.csv")))
    with open(os.path.join(directory, "statistics.csv")) as f:
        times = [float(r["time"]) for r in csv.DictReader(f)]
    plt.figure(figsize=(6, 4))
    for i in range(0, len(files), 3):
        p = read_profile(files[i])
        plt.plot(p["x"], p["density"], label="t = %g s" % times[i])
    plt.xlabel("x (um)")
    plt.ylabel("density")
    plt.title("a band of cells eating the attractant (pathway)")
    plt.legend(fontsize=7)
    plt.tight_layout()
    plt.savefig(os.path.join(here, "pulse.png"), dpi=120)


drift_sweep()
gradient_limit(sys.argv[2] if len(sys.argv) > 2 else None)
pulse(sys.argv[3] if len(sys.argv) > 3 else None)
