"""The speed of the travelling pulse of parameter_files/pulse_1d.prm.

Usage: python3 pulse_speed.py MODE CHEMOKIN EXAMPLE.prm WORKDIR [ORACLE.py]

The speed is that of the centre of mass once the pulse has formed,
c = (x_mean(60) - x_mean(40)) / 20 (statistics.csv).

MODE
  refinement  the bacterial mass to round-off and S, G >= 0 in the example;
              the example, and the example with the x-mesh refined once (the
              time step follows the CFL condition: refined once too): c must
              change by < 0.5 %; the finite-volume oracle ORACLE.py (800
              cells, another method on the same equations) must agree with
              the example's c within 1 %.
  internal    `Model = both` on the example: the internal-state model in the
              moving frame at eps = 1e-3 (each model with its own fields)
              must run at the run-and-tumble pulse's speed within 1 %.
  adaptive    `Adapt x` from level 6 to 9 (refined where rho, S or G vary;
              the fields move with the mesh): the speed must agree with that
              of the uniform mesh of level 9 within 0.5 %, on fewer cells.
  particles   the particle model (the histogram drives the fields) on the
              example's mesh: its pulse speed must agree with the PDE's
              within three standard errors of the particle estimate.
Exit status 0 when every check passes.
"""

import csv
import os
import re
import shutil
import subprocess
import sys

failures = []


def check(what, ok, detail):
    print(("PASS " if ok else "FAIL ") + what + ": " + detail)
    if not ok:
        failures.append(what)


def run(chemokin, example, work, name, extra):
    directory = os.path.join(work, name)
    os.makedirs(directory, exist_ok=True)
    prm = os.path.join(directory, "run.prm")
    with open(prm, "w") as f:
        f.write("include %s\nset Output directory = output\n%s\n" % (os.path.abspath(example), extra))
    with open(os.path.join(directory, "log.txt"), "w") as log:
        status = subprocess.call([chemokin, "run.prm"], cwd=directory, stdout=log,
                                 stderr=subprocess.STDOUT)
    if status != 0:
        print(open(os.path.join(directory, "log.txt")).read())
        sys.exit("chemokin failed on " + prm)
    rows = list(csv.DictReader(open(os.path.join(directory, "output", "statistics.csv"))))
    return {round(float(r["time"]), 9): r for r in rows}


def speed(rows, column="x_mean"):
    return (float(rows[60][column]) - float(rows[40][column])) / 20


def main(argv):
    mode, chemokin, example, work = argv[1:5]
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    if mode == "refinement":
        coarse_rows = run(chemokin, example, work, "coarse", "")
        coarse = speed(coarse_rows)
        masses = [float(r["mass"]) for r in coarse_rows.values()]
        change = max(abs(m - masses[0]) for m in masses) / masses[0]
        check("the bacterial mass to round-off", change < 1e-12, "relative change %.1e" % change)
        lowest = min(min(float(r["S_min"]), float(r["G_min"])) for r in coarse_rows.values())
        check("S and G stay non-negative (the exact solution does)", lowest >= 0,
              "smallest nodal value %.3e" % lowest)
        fine = speed(run(chemokin, example, work, "fine",
                         "subsection Discretization\n set Refinement = 9\nend"))
        change = abs(fine - coarse) / coarse
        check("the speed changes by < 0.5 % when x-mesh and time step are refined once",
              change < 5e-3, "c = %.6f, refined %.6f: %.3f %%" % (coarse, fine, 100 * change))
        output = subprocess.check_output(["/usr/bin/python3", argv[5], "--cells", "800"], text=True)
        print(output.strip())
        oracle = float(re.search(r"speed ([0-9.eE+-]+)", output).group(1))
        difference = abs(coarse - oracle) / oracle
        check("the speed agrees with the finite-volume oracle within 1 %", difference < 1e-2,
              "c = %.6f, oracle %.6f: %.3f %%" % (coarse, oracle, 100 * difference))
    elif mode == "internal":
        rows = run(chemokin, example, work, "both",
                   "set Model = both\nsubsection Internal state\n set Frame = moving\n"
                   " set Epsilon = 1e-3\n set Y range = 22\n set Y cell size = 0.5\nend")
        internal, limit = speed(rows, "x_mean"), speed(rows, "x_mean_limit")
        difference = abs(internal - limit) / limit
        check("at eps = 1e-3 the internal-state pulse runs at the run-and-tumble speed within 1 %",
              difference < 1e-2,
              "internal state %.6f, run and tumble %.6f: %.3f %%" % (internal, limit, 100 * difference))
        tail = max(float(r["y_tail_mass"]) for r in rows.values())
        check("the y-range holds the internal state", tail < 1e-6, "y_tail_mass <= %.2e" % tail)
    elif mode == "adaptive":
        uniform_rows = run(chemokin, example, work, "uniform",
                           "subsection Discretization\n set Refinement = 9\nend")
        adaptive_rows = run(chemokin, example, work, "adaptive",
                            "subsection Discretization\n set Refinement = 6\nend\n"
                            "subsection Adaptive refinement\n set Adapt x = true\n"
                            " set Maximum x level = 9\n set Steps between adaptations = 5\n"
                            " set Refine threshold = 0.05\n set Coarsen threshold = 0.01\nend")
        uniform, adaptive = speed(uniform_rows), speed(adaptive_rows)
        difference = abs(adaptive - uniform) / uniform
        cells = [float(r["cells"]) for r in adaptive_rows.values()]
        mean_cells = sum(cells) / len(cells)
        check("the adaptive mesh runs the pulse at the speed of its finest uniform mesh within 0.5 %",
              difference < 5e-3, "adaptive %.6f, uniform %.6f: %.3f %%" % (adaptive, uniform, 100 * difference))
        check("on fewer cells", mean_cells < 0.5 * 512, "%.0f cells on average against 512" % mean_cells)
        masses = [float(r["mass"]) for r in adaptive_rows.values()]
        change = max(abs(m - masses[0]) for m in masses) / masses[0]
        check("the bacterial mass through the adaptations", change < 1e-12, "relative change %.1e" % change)
    elif mode == "particles":
        pde = speed(run(chemokin, example, work, "pde", ""))
        n = 20000
        speeds, errors = [], []
        for dt in (0.02, 0.01):
            name = "particles-%g" % dt
            rows = run(chemokin, example, work, name,
                       "set Model = particles\nsubsection Internal state\n set Epsilon = 1e-3\nend\n"
                       "subsection Particles\n set Number of particles = %d\n set Time step = %g\nend"
                       % (n, dt))
            speeds.append(speed(rows))
            # standard error of x_mean: the spread of the pulse over sqrt(n)
            sigma = []
            for index in (40, 60):
                profile = list(csv.DictReader(open(os.path.join(
                    work, name, "output", "profiles", "density-%05d.csv" % index))))
                x = [float(r["x"]) for r in profile]
                rho = [float(r["density"]) for r in profile]
                mass = sum(rho)
                mean = sum(a * b for a, b in zip(x, rho)) / mass
                sigma.append((sum((a - mean)**2 * b for a, b in zip(x, rho)) / mass / n) ** 0.5)
            errors.append((sigma[0]**2 + sigma[1]**2) ** 0.5 / 20)
        # the time-step error of the finer run, estimated as its change
        # when dt was halved (first order)
        step_error = abs(speeds[1] - speeds[0])
        tolerance = 3 * errors[1] + step_error
        difference = abs(speeds[1] - pde)
        check("the particle pulse runs at the PDE's speed within its error "
              "(3 standard errors + the time-step error)", difference <= tolerance,
              "particles %.6f (dt 0.02: %.6f), PDE %.6f: difference %.5f, standard error %.5f, "
              "time-step error %.5f" % (speeds[1], speeds[0], pde, difference, errors[1], step_error))
    else:
        sys.exit("unknown mode " + mode)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
