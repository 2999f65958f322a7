"""Extreme values in the entries that set a scheme's range (issue list of
faults a careful user provokes): every named entry below gets each of
1e300, 1e-300, 0, -1, nan, inf, -inf in a small run.

Usage: python3 extreme_values.py CHEMOKIN WORKDIR

A run passes when it either
  - exits 2 with "chemokin: error in entry '...'" on standard error, or
  - exits 0 with a statistics.csv whose every number is finite;
and in both cases ends within 60 s, is not killed by a signal, and writes
less than 1 MB of log. Exit status: the number of failed runs.
"""

import math
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from small_cases import BASE_1D, BASE_2D, BASE_PATHWAY_1D  # noqa: E402

# (base, entry path, how the value enters the entry)
ENTRIES = [
    (BASE_1D, "Internal state/Epsilon", "%s"),
    (BASE_1D, "Internal state/Y cell size", "%s"),
    (BASE_1D, "Internal state/Y range", "%s"),
    (BASE_1D, "Discretization/CFL", "%s"),
    (BASE_1D, "Signal/Reaction-diffusion/Diffusion", "%s"),
    (BASE_1D, "Output/Time between outputs", "%s"),
    (BASE_1D, "End time", "%s"),
    (BASE_1D, "Memory limit", "%s"),
    (BASE_2D, "Discretization/CFL", "%s"),
    (BASE_2D, "Adaptive refinement/Refine threshold", "%s"),
    (BASE_2D, "Adaptive refinement/Maximum x level", "%s"),
    (BASE_2D, "Velocity space/Number of directions", "%s"),
    (BASE_2D, "Velocity space/Speed", "%s"),
    (BASE_2D, "Tumbling/Rate", "%s"),
    (BASE_1D, "Internal state/Y tail tolerance", "%s"),
    (BASE_PATHWAY_1D, "Internal state/U cell size", "%s"),
    (BASE_PATHWAY_1D, "Internal state/U tail tolerance", "%s"),
    (BASE_PATHWAY_1D, "Internal state/Pathway/Receptors per cluster", "%s"),
    (BASE_PATHWAY_1D, "Internal state/Pathway/Methylation free energy", "%s"),
    (BASE_PATHWAY_1D, "Internal state/Pathway/Reference methylation", "%s"),
    (BASE_PATHWAY_1D, "Internal state/Pathway/K_I", "%s"),
    (BASE_PATHWAY_1D, "Internal state/Pathway/K_A", "%s"),
    (BASE_PATHWAY_1D, "Internal state/Pathway/Methylation rate", "%s"),
    (BASE_PATHWAY_1D, "Internal state/Pathway/Demethylation rate", "%s"),
    (BASE_PATHWAY_1D, "Internal state/Pathway/Methylation noise", "%s"),
    (BASE_PATHWAY_1D, "Internal state/Pathway/Time scale", "%s"),
]
VALUES = ["1e300", "1e-300", "0", "-1", "nan", "inf", "-inf"]
TIMEOUT = 60
LOG_LIMIT = 1 << 20


def setting(path, value):
    """The lines that set Subsection/.../Entry = value at the end of a file."""
    *subsections, entry = path.split("/")
    lines = ["subsection %s" % s for s in subsections]
    lines.append("set %s = %s" % (entry, value))
    lines += ["end"] * len(subsections)
    return "\n".join(lines) + "\n"


def finite_statistics(path):
    with open(path) as f:
        rows = [line.strip().split(",") for line in f if line.strip()]
    bad = [(i, v) for i, row in enumerate(rows[1:], 1) for v in row
           if not math.isfinite(float(v))]
    return len(rows) > 1 and not bad, bad[:3]


def main(chemokin, work):
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    failures, rejected, ran = [], 0, 0
    for n, (base, path, form) in enumerate(ENTRIES):
        for value in VALUES:
            directory = os.path.join(work, "r%02d-%s" % (n, value))
            os.makedirs(directory)
            with open(os.path.join(directory, "input.prm"), "w") as f:
                f.write(base + setting(path, form % value))
            what = "%s = %s (%d-D)" % (path, value, 2 if base is BASE_2D else 1)
            log_path = os.path.join(directory, "log.txt")
            with open(log_path, "w") as log:
                try:
                    result = subprocess.run([chemokin, "input.prm"], cwd=directory, stdout=log,
                                            stderr=subprocess.PIPE, timeout=TIMEOUT)
                except subprocess.TimeoutExpired:
                    failures.append(what + ": no end within %d s" % TIMEOUT)
                    continue
            stderr = result.stderr.decode(errors="replace")
            size = os.path.getsize(log_path) + len(result.stderr)
            if size > LOG_LIMIT:
                failures.append("%s: %d bytes of log" % (what, size))
            if result.returncode < 0:
                failures.append("%s: killed by signal %d" % (what, -result.returncode))
            elif result.returncode == 2 and stderr.startswith("chemokin: error in entry '"):
                rejected += 1
            elif result.returncode == 0:
                statistics = os.path.join(directory, "output", "statistics.csv")
                ok, bad = finite_statistics(statistics) if os.path.exists(statistics) else (False, [])
                if ok:
                    ran += 1
                else:
                    failures.append("%s: exit 0 but statistics.csv not finite %s" % (what, bad))
            else:
                failures.append("%s: exit %d, %s" % (what, result.returncode, stderr.strip()[:300]))
            print("%-60s exit %d  %s" % (what, result.returncode,
                                          stderr.strip().split("\n")[0][:150] if stderr else ""))
    print("extreme values: %d runs, %d refused naming an entry, %d ran with finite statistics, "
          "%d failed" % (len(ENTRIES) * len(VALUES), rejected, ran, len(failures)))
    for f in failures:
        print("  FAIL " + f)
    return len(failures)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(main(os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])))
