"""scripts/plot.py and scripts/plot_example.py on chemokin output directories.

Usage: python3 plot_test.py [--default DIR] DIR [DIR ...]

For every DIR: plot.py writes DIR/plots/*.png (PNG files, not empty), and
every curve it drew holds the numbers of the CSV column it names, read here
with the csv module (log axes leave out values <= 0 or at round-off), and
every surface the point values of the VTU file it names, read here with
VTK's own reader when VTK's Python modules are installed. plot.py is also
run once as a command. No panel of curves is at round-off: the range of
what it draws is above 1e-10 of its scale (the speed for a drift, the
domain for a position, else its largest value).
With --default DIR (a run of the default example): plot_example.py's
result.png shows the internal state (p over (x, m) from phase.pvd) and
E1, E2, and none of its panels is at round-off.
Exit status: the number of failed checks.
"""
import csv
import math
import os
import subprocess
import sys

import numpy

scripts = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts")
sys.path.insert(0, scripts)
import plot  # noqa: E402
import plot_example  # noqa: E402

failures = 0


def check(what, ok, detail=""):
    global failures
    if not ok:
        print("FAIL  " + what + (": " + detail if detail else ""))
    failures += 0 if ok else 1
    return ok


def column(path, name):
    with open(path) as f:
        return [float(r[name]) for r in csv.DictReader(f)]


def vtk_values(path, name):
    try:
        from vtkmodules.util.numpy_support import vtk_to_numpy
        from vtkmodules.vtkIOXML import vtkXMLPUnstructuredGridReader, vtkXMLUnstructuredGridReader
    except ImportError:
        return None
    reader = vtkXMLPUnstructuredGridReader() if path.endswith(".pvtu") else vtkXMLUnstructuredGridReader()
    reader.SetFileName(path)
    reader.Update()
    return vtk_to_numpy(reader.GetOutput().GetPointData().GetArray(name))


def check_sources(directory, sources, parameters):
    curves = surfaces = 0
    panels = {}
    for (figure, artist), (source, x_name, name) in sources.items():
        path = os.path.join(directory, source)
        what = "%s: %s of %s" % (directory, name, source)
        if x_name is None:  # a surface from a VTU file
            expected = vtk_values(path, name)
            drawn = numpy.asarray(artist.get_array(), dtype=float)
            if expected is not None:
                check(what + " equals VTK's reading", drawn.shape == expected.shape and
                      numpy.allclose(drawn, expected, rtol=1e-6, atol=0))
            surfaces += 1
            continue
        x, y = column(path, x_name), column(path, name)
        dx, dy = artist.get_xdata(), artist.get_ydata()
        ok = len(dx) == len(x) and len(dy) == len(y)
        if ok:
            log = artist.axes.get_yscale() == "log"
            top = max(y)
            for a, b, c, d in zip(dx, dy, x, y):
                skipped = log and not (d > plot.ROUND_OFF * top)
                ok &= a == c and ((math.isnan(b) and skipped) or b == d)
        check(what + " is drawn as in the file", ok)
        panel = panels.setdefault(artist.axes, [[], []])
        panel[0] += [v for v in dy if not math.isnan(v)]
        panel[1].append(plot.natural_scale(name, parameters) or 0)
        curves += 1
    # no panel at round-off: the range of what it draws is at least 1e-10
    # of its scale (the speed for a drift, the domain for a position, else
    # the largest value drawn)
    for ax, (values, scales) in panels.items():
        scale = max(scales + [max(abs(v) for v in values)])
        check("%s: panel '%s' is above round-off" % (directory, ax.get_title()),
              max(values) - min(values) > plot.ROUND_OFF * scale,
              "range %g of %g" % (max(values) - min(values), scale))
    return curves, surfaces


def png(path):
    with open(path, "rb") as f:
        return f.read(8) == b"\x89PNG\r\n\x1a\n" and os.path.getsize(path) > 1000


def main(argv):
    default = None
    if argv[:1] == ["--default"]:
        default, argv = argv[1], argv[2:]
    for n, directory in enumerate(argv):
        if n == 0:  # the command as a user types it
            run = subprocess.run(["/usr/bin/python3", os.path.join(scripts, "plot.py"), directory],
                                 capture_output=True, text=True)
            check(directory + ": plot.py runs as a command", run.returncode == 0, run.stderr[-500:])
        made, sources = plot.main([directory])
        names = [name for name, _ in made]
        check(directory + ": statistics.png written", "statistics.png" in names)
        for name in names:
            check(directory + ": plots/%s is a PNG" % name, png(os.path.join(directory, "plots", name)))
        curves, surfaces = check_sources(directory, sources, plot.read_parameters(directory))
        print("%s: %s; %d curves and %d surfaces checked against their files"
              % (directory, ", ".join(names), curves, surfaces))
        for _, figure in made:
            plot.plt.close(figure)
    if default:
        figure, sources = plot_example.main([default])
        check(default + ": result.png is a PNG", png(os.path.join(default, "result.png")))
        drawn = {(s, c) for (_, _), (s, _, c) in sources.items()}
        check(default + ": result.png shows p over (x, m)", any(c == "p" and s.startswith("phase")
                                                             for s, c in drawn))
        check(default + ": result.png shows E1 and E2",
              {("statistics.csv", "E1"), ("statistics.csv", "E2")} <= drawn)
        check(default + ": result.png shows density and its limit",
              {"density", "density_limit"} <= {c for _, c in drawn})
        curves, surfaces = check_sources(default, sources, plot.read_parameters(default))
        # every panel has data above round-off (the check above), none is empty
        for ax in figure.axes:
            if ax.get_label() == "<colorbar>":
                continue
            check(default + ": panel '%s' draws data" % ax.get_title(), ax.lines or ax.collections)
        print("%s: result.png, %d curves and %d surfaces checked" % (default, curves, surfaces))
    print("PASSED" if failures == 0 else "FAILED (%d)" % failures)
    return failures


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1:]))
