#!/usr/bin/python3
"""E1 over the initial layer: is sqrt(eps) sharp? (doc/convergence.md)

    /usr/bin/python3 scripts/initial_layer_study.py [BUILD_DIR] > layer.csv

Runs the static gradient of parameter_files/convergence/moving_frame.prm
(moving frame, Model = both) up to T = 20 eps with outputs every eps/20, so
that the trapezoidal rule of E1 resolves the initial layer, for
eps = 0.1, 0.01, 0.001 and two kinds of initial data: well prepared (the
normal law of width eps about M(0, x)) and not (width 1.5 eps). Prints CSV:
data, eps, E1(T), E2(T) and the fitted slopes of E1 in eps.
"""
import csv
import math
import os
import subprocess
import sys
import tempfile

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = sys.argv[1] if len(sys.argv) > 1 else os.path.join(TOP, "build")
BASE = open(os.path.join(TOP, "parameter_files", "convergence", "moving_frame.prm")).read()
BASE = BASE[:BASE.index("subsection Convergence study")]
UNPREPARED = ("subsection Initial condition\n  set Methylation profile = "
              "exp(-((m - 0.5*x)/(1.5*eps))^2/2)/(1.5*eps*sqrt(2*pi))\nend\n"
              "subsection Internal state\n  set Y range = 12\nend\n")


def run(eps, extra):
    with tempfile.TemporaryDirectory() as work:
        prm = os.path.join(work, "run.prm")
        with open(prm, "w") as f:
            f.write(BASE + extra + "set End time = %g\nset Output directory = %s\n"
                    "subsection Internal state\n  set Epsilon = %g\nend\n"
                    "subsection Output\n  set Time between outputs = %g\n"
                    "  set Postprocessors = statistics\nend\n"
                    "subsection Discretization\n  set CFL = %g\nend\n"
                    % (20 * eps, os.path.join(work, "out"), eps, eps / 20, min(0.5, eps)))
        subprocess.run([os.path.join(BUILD, "chemokin"), prm], check=True,
                       stdout=subprocess.DEVNULL)
        rows = list(csv.DictReader(open(os.path.join(work, "out", "statistics.csv"))))
        return float(rows[-1]["E1"]), float(rows[-1]["E2"])


def main():
    print("data,eps,E1,E2")
    slopes = {}
    for name, extra in (("well prepared", ""), ("width 1.5 eps", UNPREPARED)):
        points = []
        for eps in (0.1, 0.01, 0.001):
            e1, e2 = run(eps, extra)
            points.append((eps, e1))
            print("%s,%g,%.6e,%.6e" % (name, eps, e1, e2), flush=True)
        slopes[name] = [math.log(b[1] / a[1]) / math.log(b[0] / a[0])
                        for a, b in zip(points, points[1:])]
    for name, s in slopes.items():
        print("# %s: E1(20 eps) ~ eps^%s" % (name, ", ".join("%.3f" % x for x in s)))


if __name__ == "__main__":
    main()
