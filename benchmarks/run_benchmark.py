"""Benchmarks 3-6 of doc/performance.md: whole chemokin runs, timed.

Usage: /usr/bin/python3 benchmarks/run_benchmark.py NAME [--build DIR] > NAME.json

NAME
  amr_vs_uniform    1D gradient, `both`, eps = 0.05, 0.02, 0.01: the adaptive (x, m)-mesh
                    against the uniform mesh of the same finest h (`Internal
                    state/Mesh = uniform`): E2(T), DoFs,
                    peak memory, wall time (a uniform mesh that chemokin
                    refuses for memory is reported with its estimate).
  pde_vs_particles  1D sinusoidal signal, periodic, eps = 0.1: L1 error of the
                    density (cell averages on 64 cells) against a fine PDE
                    reference, and wall time, for PDE meshes and particle
                    counts; the cost of an error of 1e-3 for each method
                    (particles: extrapolated with the measured N^-1/2 law).
  epsilon_scaling   wall time per unit of simulated time for eps = 0.1 ...
                    0.001 on the adaptive mesh, and for eps >= 0.01 on the
                    uniform mesh of the same finest h; fitted powers of 1/eps.
  moving_frame      the 1-D drift case of parameter_files/drift_1d_moving_frame.prm
                    (two speeds, x in [-12, 12], DG(2), 64 x-cells, T = 8) with
                    the internal-state model alone in the moving frame, for
                    eps = 1, 0.1, 0.01, 1e-3, 1e-4 on the same x-mesh: wall
                    time of the whole run and per unit of simulated time,
                    steps, DoFs, drift; max/min of the wall times.
  strong_scaling    benchmark_phase_space_throughput (fixed total size) on 1
                    and 2 MPI ranks; and the whole-run memory per phase-space
                    DoF of an internal-state run with 64 velocities.
  adaptive_front    parameter_files/adaptive_front_2d.prm (run and tumble, d = 2,
                    `Adapt x`, levels 3 ... 7) against the same run on the
                    uniform mesh of level 7: mean and largest cell counts,
                    wall times and their ratio, the drift of both.
  adaptive_velocities
                    parameter_files/strong_gradient_2d_adapt_v.prm (`Adapt v`,
                    8 ... 128 cells of the angle) against the uniform velocity
                    mesh of the finest cells (128 cells, 256 nodes): mean node
                    counts, wall times and their ratio, the drift of both.
  pathway           the pathway (Frame = signal) against the linear moving
                    frame and the linear model in the frame relative to the
                    signal on the same x-mesh and velocities (d = 1, DG(2),
                    64 cells, 2 speeds; d = 2, DG(1), 16 x 16, 16 directions):
                    wall time per unit time and per DoF and step; the size,
                    memory and time per step of pathway_gradient_3d.prm.
  field_share       the reaction-diffusion examples parameter_files/pulse_1d.prm
                    (and refined once and twice) and inoculation_2d.prm: the
                    wall time of the field solves (statistics column
                    field_seconds) as a share of the time stepping.
Every run is a separate process; the JSON on standard output holds all
numbers, a table goes to standard error.
"""

import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.path.join(TOP, "build")
MPIRUN = ["mpirun", "--allow-run-as-root", "--oversubscribe"]


def log(text):
    print(text, file=sys.stderr, flush=True)


def chemokin_run(prm_text, ranks=1):
    """Run chemokin on @prm_text; returns (statistics rows, last profile, peak RSS bytes)."""
    work = tempfile.mkdtemp(prefix="chemokin-benchmark-")
    try:
        prm = os.path.join(work, "run.prm")
        with open(prm, "w") as f:
            f.write(prm_text + "\nset Output directory = output\n")
        command = ["/usr/bin/time", "-v", os.path.join(BUILD, "chemokin"), prm]
        if ranks > 1:
            command = ["/usr/bin/time", "-v"] + MPIRUN + ["-np", str(ranks), os.path.join(BUILD, "chemokin"), prm]
        result = subprocess.run(command, cwd=work, capture_output=True, text=True)
        if result.returncode != 0:
            raise RuntimeError("chemokin failed:\n" + result.stdout[-2000:] + result.stderr[-2000:])
        rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", result.stderr).group(1)) * 1024
        lines = open(os.path.join(work, "output", "statistics.csv")).read().strip().split("\n")
        header = lines[0].split(",")
        rows = [dict(zip(header, map(float, l.split(",")))) for l in lines[1:]]
        profiles = sorted(os.listdir(os.path.join(work, "output", "profiles"))) \
            if os.path.isdir(os.path.join(work, "output", "profiles")) else []
        profile = None
        if profiles:
            text = open(os.path.join(work, "output", "profiles", profiles[-1])).read().strip().split("\n")
            names = text[0].split(",")
            profile = {n: [float(l.split(",")[i]) for l in text[1:]] for i, n in enumerate(names)}
        return rows, profile, rss
    finally:
        shutil.rmtree(work, ignore_errors=True)


def fit(xs, ys):
    """Least-squares slope of log y against log x."""
    lx, ly = [math.log(x) for x in xs], [math.log(y) for y in ys]
    mx, my = sum(lx) / len(lx), sum(ly) / len(ly)
    return sum((a - mx) * (b - my) for a, b in zip(lx, ly)) / sum((a - mx) ** 2 for a in lx)


GRADIENT = """
set Dimension = 1
set Model     = {model}
set End time  = {end}
subsection Domain
  set Lower corner = 0
  set Upper corner = 4
  set Boundary     = reflecting
end
subsection Signal
  set Log-concentration = 0.5*x
end
subsection Initial condition
  set Density = 1 + 0.5*cos(pi*x/4)
end
subsection Internal state
  set Frame             = fixed
  set Epsilon           = {eps}
  set Cells per epsilon = 2
  set Mesh              = {band}
  set Maximum refinement level = 20
end
subsection Discretization
  set Degree     = 1
  set Refinement = 3
end
subsection Output
  set Time between outputs = {output}
  set Postprocessors       = statistics
end
"""


def refused_estimate(error):
    """The memory estimate of a run chemokin refused (bytes), else None."""
    match = re.search(r"needs about ([0-9.e+]+) (GiB|MiB)", str(error))
    if not match:
        return None
    return float(match.group(1)) * (2 ** 30 if match.group(2) == "GiB" else 2 ** 20)


def amr_vs_uniform():
    results = []
    for eps in [0.05, 0.02, 0.01]:
        runs = {}
        for mesh, band in [("adaptive", "adaptive"), ("uniform", "uniform")]:
            try:
                rows, _, rss = chemokin_run(GRADIENT.format(model="both", end=0.05, eps=eps, band=band,
                                                            output=0.05))
            except RuntimeError as error:
                estimate = refused_estimate(error)
                if estimate is None:
                    raise
                r = {"epsilon": eps, "mesh": mesh, "refused": True, "estimated_bytes": estimate}
                results.append(r)
                log("amr_vs_uniform eps=%g %-8s refused: needs about %.1f GiB" % (eps, mesh, estimate / 2 ** 30))
                continue
            last = rows[-1]
            r = {"epsilon": eps, "mesh": mesh, "E2": last["E2"], "dofs": max(x["dofs"] for x in rows),
                 "cells": max(x["cells"] for x in rows), "peak_bytes": rss,
                 "wall_seconds": last["wall_seconds"], "end_time": 0.05}
            runs[mesh] = r
            results.append(r)
            log("amr_vs_uniform eps=%g %-8s E2 %.4e  DoFs %9d  peak %7.0f MiB  wall %7.1f s" % (
                eps, mesh, r["E2"], r["dofs"], rss / 2 ** 20, r["wall_seconds"]))
        if len(runs) == 2:
            a, u = runs["adaptive"], runs["uniform"]
            summary = {"epsilon": eps, "E2_relative_difference": abs(a["E2"] - u["E2"]) / u["E2"],
                       "dof_ratio": u["dofs"] / a["dofs"], "memory_ratio": u["peak_bytes"] / a["peak_bytes"],
                       "wall_ratio": u["wall_seconds"] / a["wall_seconds"]}
            log("  uniform/adaptive: DoFs x%.1f, memory x%.1f, wall x%.1f; E2 differs by %.2g%%" % (
                summary["dof_ratio"], summary["memory_ratio"], summary["wall_ratio"],
                100 * summary["E2_relative_difference"]))
            results.append(summary)
    return results


SINUSOIDAL = """
set Dimension = 1
set Model     = {model}
set End time  = 0.5
subsection Domain
  set Lower corner = 0
  set Upper corner = 2
  set Boundary     = periodic
end
subsection Signal
  set Log-concentration = sin(pi*x)
end
subsection Initial condition
  set Density = 1
end
subsection Internal state
  set Epsilon           = 0.1
  set Cells per epsilon = {cpe}
end
subsection Particles
  set Number of particles = {particles}
  set Seed                = 1
  set Time step           = 0.0025
end
subsection Discretization
  set Degree     = {degree}
  set Refinement = {refinement}
end
subsection Output
  set Time between outputs = 0.5
  set Postprocessors       = statistics, profiles
  set Profile points       = 1025
end
"""
COMPARISON_CELLS = 64


def cell_averages(profile):
    """Averages of the density over 64 cells, from the 15 interior points of each."""
    values = profile["density"]
    per = (len(values) - 1) // COMPARISON_CELLS
    return [sum(values[c * per + 1:(c + 1) * per]) / (per - 1) for c in range(COMPARISON_CELLS)]


def l1(a, b):
    return sum(abs(x - y) for x, y in zip(a, b)) * 2.0 / COMPARISON_CELLS


def pde_vs_particles():
    reference_rows, profile, _ = chemokin_run(SINUSOIDAL.format(model="internal state", cpe=4, particles=1,
                                                                degree=2, refinement=7))
    reference = cell_averages(profile)
    log("pde_vs_particles: reference (DG(2), 128 x-cells, 4 cells per eps) in %.1f s" %
        reference_rows[-1]["wall_seconds"])
    results = {"pde": [], "particles": []}
    for refinement in [3, 4, 5]:
        rows, profile, _ = chemokin_run(SINUSOIDAL.format(model="internal state", cpe=2, particles=1,
                                                          degree=2, refinement=refinement))
        r = {"refinement": refinement, "error": l1(cell_averages(profile), reference),
             "wall_seconds": rows[-1]["wall_seconds"]}
        results["pde"].append(r)
        log("  PDE refinement %d: L1 error %.3e in %.2f s" % (refinement, r["error"], r["wall_seconds"]))
    for n in [10000, 100000, 1000000]:
        rows, profile, _ = chemokin_run(SINUSOIDAL.format(model="particles", cpe=2, particles=n,
                                                          degree=0, refinement=6))
        r = {"particles": n, "error": l1(cell_averages(profile), reference),
             "wall_seconds": rows[-1]["wall_seconds"]}
        results["particles"].append(r)
        log("  particles %8d: L1 error %.3e in %.2f s" % (n, r["error"], r["wall_seconds"]))
    # cost of 1e-3: PDE, the first mesh that reaches it (or the log-log
    # interpolation); particles, error ~ C N^-1/2 and time ~ N
    target = 1e-3
    pde = results["pde"]
    pde_time = None
    for a, b in zip(pde, pde[1:]):
        if a["error"] <= target:
            pde_time = a["wall_seconds"]
            break
        if b["error"] <= target:
            s = math.log(target / a["error"]) / math.log(b["error"] / a["error"])
            pde_time = a["wall_seconds"] * (b["wall_seconds"] / a["wall_seconds"]) ** s
            break
    if pde_time is None and pde[-1]["error"] <= target:
        pde_time = pde[-1]["wall_seconds"]
    biggest = results["particles"][-1]
    n_needed = biggest["particles"] * (biggest["error"] / target) ** 2
    particle_time = biggest["wall_seconds"] * n_needed / biggest["particles"]
    summary = {"target_L1_error": target, "pde_seconds": pde_time,
               "particles_needed": n_needed, "particle_seconds_extrapolated": particle_time,
               "speedup_pde": particle_time / pde_time if pde_time else None}
    log("  to reach L1 error 1e-3: PDE %s s, particles ~%.2g particles, ~%.3g s: PDE %sx faster" % (
        "%.2f" % pde_time if pde_time else "n/a", n_needed, particle_time,
        "%.0f" % summary["speedup_pde"] if pde_time else "n/a"))
    results["summary"] = summary
    return results


def epsilon_scaling():
    results = []
    for mesh, band, epsilons in [("adaptive", "adaptive", [0.1, 0.03, 0.01, 0.003, 0.001]),
                                 ("uniform", "uniform", [0.1, 0.03, 0.01])]:
        walls = []
        for eps in epsilons:
            # 4 output times over [0, 2 eps]: the wall time per unit of
            # simulated time from the 2nd to the last output (set-up excluded)
            end = 2 * eps
            rows, _, rss = chemokin_run(GRADIENT.format(model="internal state", end=end, eps=eps, band=band,
                                                        output=end / 4))
            per_unit = (rows[-1]["wall_seconds"] - rows[1]["wall_seconds"]) / (rows[-1]["time"] - rows[1]["time"])
            steps_per_unit = (rows[-1]["step"] - rows[1]["step"]) / (rows[-1]["time"] - rows[1]["time"])
            r = {"mesh": mesh, "epsilon": eps, "wall_seconds_to_T1": per_unit,
                 "steps_to_T1": steps_per_unit, "dofs": rows[-1]["dofs"], "peak_bytes": rss}
            results.append(r)
            walls.append(per_unit)
            log("epsilon_scaling %-8s eps=%-6g %9d DoFs, %8.0f steps to T = 1, wall to T = 1: %10.1f s" % (
                mesh, eps, r["dofs"], steps_per_unit, per_unit))
        slope = fit([1 / e for e in epsilons], walls)
        results.append({"mesh": mesh, "power_of_inverse_epsilon": slope})
        log("  %s: wall time to T = 1 ~ eps^-%.2f" % (mesh, slope))
    return results


DRIFT = open(os.path.join(TOP, "parameter_files", "drift_1d_moving_frame.prm")).read()


def moving_frame():
    results = []
    for eps in [1, 0.1, 0.01, 1e-3, 1e-4]:
        prm = DRIFT + "\nset Model = internal state\nsubsection Internal state\n  set Epsilon = %g\nend\n" % eps
        prm += "subsection Output\n  set Postprocessors = statistics\n  set Time between outputs = 1\nend\n"
        rows, _, rss = chemokin_run(prm)
        per_unit = (rows[-1]["wall_seconds"] - rows[1]["wall_seconds"]) / (rows[-1]["time"] - rows[1]["time"])
        r = {"epsilon": eps, "wall_seconds": rows[-1]["wall_seconds"], "wall_seconds_per_unit_time": per_unit,
             "steps": rows[-1]["step"], "dofs": rows[-1]["dofs"], "drift": rows[-1]["velocity_mean"],
             "peak_bytes": rss}
        results.append(r)
        log("moving_frame eps=%-6g %8d DoFs, %5d steps, wall %6.2f s (%.3f s per unit time), drift %.6f" % (
            eps, r["dofs"], r["steps"], r["wall_seconds"], per_unit, r["drift"]))
    walls = [r["wall_seconds_per_unit_time"] for r in results]
    results.append({"max_over_min_wall_per_unit_time": max(walls) / min(walls)})
    log("  max/min wall time per unit time: %.2f" % (max(walls) / min(walls)))
    return results


def mean_over_time(rows, column):
    """The time average of a statistics column (piecewise constant between outputs)."""
    total = sum((b["time"] - a["time"]) * a[column] for a, b in zip(rows, rows[1:]))
    return total / (rows[-1]["time"] - rows[0]["time"])


def adaptive_against_uniform(name, example, uniform_override, column):
    prm = open(os.path.join(TOP, "parameter_files", example)).read()
    prm += "\nsubsection Output\n  set Postprocessors = statistics\n  set Time between outputs = 0.25\nend\n"
    results = {}
    for mesh, text in [("adaptive", prm), ("uniform", prm + uniform_override)]:
        rows, _, rss = chemokin_run(text)
        results[mesh] = {"mean_" + column: mean_over_time(rows, column), "max_" + column: max(r[column] for r in rows),
                         "wall_seconds": rows[-1]["wall_seconds"], "steps": rows[-1]["step"],
                         "drift": rows[-1]["velocity_mean"], "peak_bytes": rss}
        log("%s %-8s mean %s %8.0f (max %6d), %5d steps, wall %7.1f s, drift %.6f" % (
            name, mesh, column, results[mesh]["mean_" + column], results[mesh]["max_" + column],
            rows[-1]["step"], rows[-1]["wall_seconds"], rows[-1]["velocity_mean"]))
    a, u = results["adaptive"], results["uniform"]
    results["ratios"] = {column: u["mean_" + column] / a["mean_" + column],
                         "wall": u["wall_seconds"] / a["wall_seconds"],
                         "drift_difference": abs(u["drift"] - a["drift"])}
    log("  uniform/adaptive: %s x%.2f, wall x%.2f; drifts differ by %.2g" % (
        column, results["ratios"][column], results["ratios"]["wall"], results["ratios"]["drift_difference"]))
    return results


def adaptive_front():
    return adaptive_against_uniform(
        "adaptive_front", "adaptive_front_2d.prm",
        "subsection Discretization\n  set Refinement = 7\nend\n"
        "subsection Adaptive refinement\n  set Adapt x = false\nend\n", "cells")


def adaptive_velocities():
    return adaptive_against_uniform(
        "adaptive_velocities", "strong_gradient_2d_adapt_v.prm",
        "subsection Velocity space\n  set Number of directions = 128\nend\n"
        "subsection Adaptive refinement\n  set Adapt v = false\nend\n", "velocities")


def field_share():
    results = {}
    for name, example, override in [
            ("pulse_1d", "pulse_1d.prm", ""),
            ("pulse_1d_refined", "pulse_1d.prm", "subsection Discretization\n  set Refinement = 9\nend\n"),
            ("pulse_1d_refined_twice", "pulse_1d.prm", "subsection Discretization\n  set Refinement = 10\nend\n"),
            ("inoculation_2d", "inoculation_2d.prm", "")]:
        prm = open(os.path.join(TOP, "parameter_files", example)).read() + override
        rows, _, rss = chemokin_run(prm)
        stepping = rows[-1]["wall_seconds"] - rows[0]["wall_seconds"]
        results[name] = {"steps": rows[-1]["step"], "x_dofs_times_velocities": rows[-1]["dofs"],
                         "field_seconds": rows[-1]["field_seconds"], "stepping_seconds": stepping,
                         "field_share": rows[-1]["field_seconds"] / stepping, "peak_bytes": rss}
        log("field_share %-22s %5d steps, %8d DoFs: fields %6.2f s of %6.2f s stepping = %4.1f %%" % (
            name, rows[-1]["step"], rows[-1]["dofs"], rows[-1]["field_seconds"], stepping,
            100 * results[name]["field_share"]))
    return results


def strong_scaling():
    benchmark = os.path.join(BUILD, "benchmarks", "benchmark_phase_space_throughput")
    results = {}
    for ranks in [1, 2]:
        command = [benchmark, "--strong", "--case", "1,2,64"]
        if ranks > 1:
            command = MPIRUN + ["-np", str(ranks)] + command
        out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
        case = json.loads(out)["cases"][0]
        results["ranks_%d" % ranks] = case
        log("strong_scaling: %d rank(s): %.3g s per stage, %.3g MDoF/s" % (
            ranks, case["seconds_per_stage"], case["dofs_per_second"] / 1e6))
    results["speedup_2_ranks"] = results["ranks_1"]["seconds_per_stage"] / results["ranks_2"]["seconds_per_stage"]
    log("  2 ranks: %.2fx faster" % results["speedup_2_ranks"])
    prm = GRADIENT.format(model="internal state", end=0.02, eps=0.05, band="adaptive", output=0.01) + """
subsection Velocity space
  set Type          = ball
  set Radial points = 32
end
"""
    rows, _, rss = chemokin_run(prm)
    results["memory"] = {"velocities": 64, "phase_dofs": rows[-1]["dofs"], "peak_bytes": rss,
                         "bytes_per_dof": rss / rows[-1]["dofs"]}
    log("memory: %d phase-space DoFs (64 velocities), peak %.0f MiB: %.0f bytes per DoF" % (
        rows[-1]["dofs"], rss / 2 ** 20, rss / rows[-1]["dofs"]))
    return results


PATHWAY_CASES = {
    "1d": "set Dimension = 1\nsubsection Domain\n  set Lower corner = 0\n  set Upper corner = 4000\n"
          "  set Boundary = reflecting\nend\nsubsection Velocity space\n  set Speed = 20\nend\n"
          "subsection Discretization\n  set Degree = 2\n  set Refinement = 6\nend\n",
    "2d": "set Dimension = 2\nsubsection Domain\n  set Lower corner = 0, 0\n  set Upper corner = 2000, 2000\n"
          "  set Boundary = reflecting\nend\nsubsection Velocity space\n  set Speed = 20\n"
          "  set Number of directions = 16\nend\n"
          "subsection Discretization\n  set Degree = 1\n  set Refinement = 4\nend\n",
}


def pathway():
    """The pathway (Frame = signal) against the linear moving frame and the
    linear model in the frame relative to the signal, on the same x-mesh and
    velocities, in the units of parameter_files/pathway_gradient_1d.prm
    (the linear model with eps = 20 s, the pathway's adaptation time): wall
    time per unit time and per DoF and step; then the 3-D example's size,
    memory and time per step."""
    results = []
    for case, geometry in PATHWAY_CASES.items():
        base = geometry + ("set Model = internal state\nset End time = 20\n"
                           "subsection Signal\n  set Log-concentration = log(100) + x/2000\nend\n"
                           "subsection Output\n  set Postprocessors = statistics\n  set Time between outputs = 5\nend\n")
        variants = {
            "pathway": "subsection Tumbling\n  set Rate = 2*a^10/(a^10 + (1/3)^10)\nend\n"
                       "subsection Internal state\n  set Dynamics = pathway\nend\n",
            "linear, moving frame": "subsection Tumbling\n  set Rate = 1 + 0.5*tanh(z)\nend\n"
                                    "subsection Internal state\n  set Epsilon = 20\n  set Frame = moving\nend\n",
            "linear, signal frame": "subsection Tumbling\n  set Rate = 1 + 0.5*tanh(z)\nend\n"
                                    "subsection Internal state\n  set Epsilon = 20\n  set Frame = signal\nend\n",
        }
        for name, text in variants.items():
            rows, _, rss = chemokin_run(base + text)
            wall = rows[-1]["wall_seconds"] - rows[1]["wall_seconds"]
            steps = rows[-1]["step"] - rows[1]["step"]
            r = {"case": case, "variant": name, "dofs": rows[-1]["dofs"], "steps": steps,
                 "wall_seconds_per_unit_time": wall / (rows[-1]["time"] - rows[1]["time"]),
                 "ns_per_dof_step": 1e9 * wall / (steps * rows[-1]["dofs"]), "peak_bytes": rss}
            results.append(r)
            log("pathway %s %-22s %9d DoFs, %4d steps, %.3f s per unit time, %.1f ns per DoF and step, %.0f MB" % (
                case, name, r["dofs"], steps, r["wall_seconds_per_unit_time"], r["ns_per_dof_step"], rss / 1e6))
    prm = "include %s\nset End time = 2\nsubsection Output\n  set Time between outputs = 1\n" \
          "  set Postprocessors = statistics\nend\n" % os.path.join(TOP, "parameter_files", "pathway_gradient_3d.prm")
    rows, _, rss = chemokin_run(prm)
    per_step = (rows[-1]["wall_seconds"] - rows[1]["wall_seconds"]) / (rows[-1]["step"] - rows[1]["step"])
    r = {"case": "pathway_gradient_3d.prm", "dofs": rows[-1]["dofs"], "seconds_per_step": per_step,
         "steps_to_end_time": 120 / rows[-1]["dt"], "peak_bytes": rss}
    results.append(r)
    log("pathway_gradient_3d.prm: %d DoFs, %.2f s per step, %d steps to T = 120 s (%.0f min), %.2f GB" % (
        r["dofs"], per_step, r["steps_to_end_time"], per_step * r["steps_to_end_time"] / 60, rss / 1e9))
    return results

def hyperdeal_throughput(rows, ranks, stages):
    """hyper.deal's throughput: (x-DoFs x velocities x lanes) x stages x
    steps / (wall time x ranks); the phase-space DoFs of the statistics are
    the first product."""
    wall = rows[-1]["wall_seconds"] - rows[0]["wall_seconds"]
    return rows[-1]["dofs"] * stages * rows[-1]["step"] / (wall * ranks)


def moving_frame_scale():
    """The moving frame at scale (doc/performance.md section 7): bytes per
    moving-frame DoF of the 2-D eps = 0.01 example with either IMEX
    implementation (peak resident memory less that of the same run with
    `Model = run and tumble`, over the moving frame's DoFs); the example to
    T = 4 on 2 ranks; the 3-D case of 16^3 DG(1) cells and 32 directions at
    eps = 0.01 to T = 4 on 2 ranks. Throughput also as hyper.deal reports
    it (four explicit stages per ARS(4,4,3) step)."""
    example = "include %s\n" % os.path.join(TOP, "parameter_files", "attractant_2d_eps0.01.prm")
    quiet = "subsection Output\n  set Postprocessors = statistics\n  set Time between outputs = %g\nend\n"
    results = {"memory": [], "runs": []}
    base_rss = None
    for name, text in [("run and tumble", "set Model = run and tumble\n"),
                       ("low storage", "set Model = both\nsubsection Internal state\n  set IMEX implementation = low storage\nend\n"),
                       ("arkode", "set Model = both\nsubsection Internal state\n  set IMEX implementation = arkode\nend\n")]:
        rows, _, rss = chemokin_run(example + "set End time = 0.05\n" + (quiet % 0.05) + text)
        if base_rss is None:
            base_rss = rss
            continue
        r = {"implementation": name, "moving_frame_dofs": rows[-1]["dofs"], "peak_bytes": rss,
             "run_and_tumble_peak_bytes": base_rss,
             "bytes_per_moving_frame_dof": (rss - base_rss) / rows[-1]["dofs"]}
        results["memory"].append(r)
        log("2-D eps = 0.01, %-11s: %d DoFs, peak %.2f GB, %.0f bytes per moving-frame DoF" % (
            name, r["moving_frame_dofs"], rss / 1e9, r["bytes_per_moving_frame_dof"]))
    cases = [("attractant_2d_eps0.01.prm, T = 4", example + (quiet % 0.5)),
             ("3-D 16^3 DG(1), 32 directions, eps = 0.01, T = 4",
              "include %s\nset Model = internal state\n" % os.path.join(TOP, "parameter_files", "attractant_spot_3d.prm") +
              "subsection Internal state\n  set Epsilon = 0.01\nend\n"
              "subsection Discretization\n  set Refinement = 4\nend\n" + (quiet % 0.5))]
    for name, text in cases:
        rows, _, rss = chemokin_run(text, ranks=2)
        wall = rows[-1]["wall_seconds"]
        r = {"case": name, "ranks": 2, "dofs": rows[-1]["dofs"], "steps": rows[-1]["step"],
             "dt": rows[-1]["dt"], "wall_seconds": wall,
             "wall_seconds_per_unit_time": (rows[-1]["wall_seconds"] - rows[1]["wall_seconds"]) /
                                           (rows[-1]["time"] - rows[1]["time"]),
             "mass_first": rows[0]["mass"], "mass_last": rows[-1]["mass"],
             "E2_last": rows[-1].get("E2"), "peak_bytes_largest_rank": rss,
             "hyperdeal_dofs_per_second_per_rank": hyperdeal_throughput(rows, 2, 4)}
        results["runs"].append(r)
        log("%s: %d DoFs, %d steps (dt %.3g), %.1f s, %.1f s per unit time, mass %.12g -> %.12g, "
            "peak %.2f GB, %.3g DoF/s per rank (hyper.deal)" % (
                name, r["dofs"], r["steps"], r["dt"], wall, r["wall_seconds_per_unit_time"],
                r["mass_first"], r["mass_last"], rss / 1e9, r["hyperdeal_dofs_per_second_per_rank"]))
    return results


def moving_frame_3d_large():
    """The larger 3-D case (doc/performance.md section 7):
    attractant_spot_3d.prm on 24^3 DG(1) cells (`Domain/Coarse cells = 3`,
    Refinement = 3), 32 directions, eps = 0.01, to T = 1 on 2 ranks: wall
    time per unit simulated time and peak memory of the largest rank."""
    text = ("include %s\nset Model = internal state\nset End time = 1\n" %
            os.path.join(TOP, "parameter_files", "attractant_spot_3d.prm") +
            "subsection Domain\n  set Coarse cells = 3\nend\n"
            "subsection Internal state\n  set Epsilon = 0.01\nend\n"
            "subsection Discretization\n  set Refinement = 3\nend\n"
            "subsection Output\n  set Postprocessors = statistics\n  set Time between outputs = 0.25\nend\n")
    rows, _, rss = chemokin_run(text, ranks=2)
    r = {"case": "attractant_spot_3d.prm, 24^3 DG(1), 32 directions, eps = 0.01, T = 1", "ranks": 2,
         "cells": rows[-1]["cells"], "dofs": rows[-1]["dofs"], "steps": rows[-1]["step"], "dt": rows[-1]["dt"],
         "wall_seconds": rows[-1]["wall_seconds"],
         "wall_seconds_per_unit_time": (rows[-1]["wall_seconds"] - rows[1]["wall_seconds"]) /
                                       (rows[-1]["time"] - rows[1]["time"]),
         "mass_first": rows[0]["mass"], "mass_last": rows[-1]["mass"],
         "peak_bytes_largest_rank": rss,
         "hyperdeal_dofs_per_second_per_rank": hyperdeal_throughput(rows, 2, 4)}
    log("%s: %d cells, %d DoFs, %d steps (dt %.3g), %.1f s, %.1f s per unit time, mass %.12g -> %.12g, "
        "peak %.2f GB on the largest rank, %.3g DoF/s per rank (hyper.deal)" % (
            r["case"], r["cells"], r["dofs"], r["steps"], r["dt"], r["wall_seconds"],
            r["wall_seconds_per_unit_time"], r["mass_first"], r["mass_last"], rss / 1e9,
            r["hyperdeal_dofs_per_second_per_rank"]))
    return r


def implicit_tumbling():
    """The step with an unbounded rate (doc/performance.md section 7): the
    3-D case of 16^3 DG(1) cells and 32 directions at eps = 0.01 with
    lambda = exp(z) and the automatic y-range, on 2 ranks, with the part of
    the rate above 1/dt_x implicit (`Implicit tumbling above = auto`, to
    T = 4) and all of it explicit (`none`, to T = 0.002: its step is set by
    the largest rate on the y-grid, so a run to T = 4 would take days)."""
    spot = "include %s\nset Model = internal state\n" % os.path.join(TOP, "parameter_files", "attractant_spot_3d.prm")
    common = ("subsection Tumbling\n  set Rate = exp(z)\nend\n"
              "subsection Discretization\n  set Refinement = 4\nend\n")
    results = []
    for split, end, interval in [("auto", 4, 0.5), ("none", 0.002, 0.001)]:
        text = (spot + common + "set End time = %g\n" % end +
                "subsection Internal state\n  set Epsilon = 0.01\n  set Implicit tumbling above = %s\nend\n" % split +
                "subsection Output\n  set Postprocessors = statistics\n  set Time between outputs = %g\nend\n" % interval)
        rows, _, rss = chemokin_run(text, ranks=2)
        r = {"implicit_tumbling_above": split, "end_time": end, "ranks": 2, "dofs": rows[-1]["dofs"],
             "steps": rows[-1]["step"], "dt": rows[-1]["dt"], "y_range": rows[-1]["y_range"],
             "wall_seconds": rows[-1]["wall_seconds"],
             "wall_seconds_per_unit_time": (rows[-1]["wall_seconds"] - rows[1]["wall_seconds"]) /
                                           (rows[-1]["time"] - rows[1]["time"]),
             "mass_first": rows[0]["mass"], "mass_last": rows[-1]["mass"],
             "velocity_mean_last": rows[-1]["velocity_mean"], "x_mean_last": rows[-1]["x_mean"],
             "peak_bytes_largest_rank": rss}
        results.append(r)
        log("lambda = exp(z), implicit tumbling above %s: %d DoFs, Y = %.3g, %d steps (dt %.3g) to T = %g, "
            "%.1f s, %.1f s per unit time, mass %.12g -> %.12g, peak %.2f GB" % (
                split, r["dofs"], r["y_range"], r["steps"], r["dt"], end, r["wall_seconds"],
                r["wall_seconds_per_unit_time"], r["mass_first"], r["mass_last"], rss / 1e9))
    return results


def main(argv):
    global BUILD
    if "--build" in argv:
        BUILD = argv[argv.index("--build") + 1]
    names = {"amr_vs_uniform": amr_vs_uniform, "pde_vs_particles": pde_vs_particles,
             "epsilon_scaling": epsilon_scaling, "strong_scaling": strong_scaling,
             "moving_frame": moving_frame, "adaptive_front": adaptive_front,
             "adaptive_velocities": adaptive_velocities, "field_share": field_share,
             "pathway": pathway, "moving_frame_scale": moving_frame_scale,
             "implicit_tumbling": implicit_tumbling, "moving_frame_3d_large": moving_frame_3d_large}
    if not argv or argv[0] not in names:
        sys.exit(__doc__)
    print(json.dumps({"benchmark": argv[0], "results": names[argv[0]]()}, indent=1))


if __name__ == "__main__":
    main(sys.argv[1:])
