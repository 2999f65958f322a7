"""Standard ParaView views of a chemokin output directory (run with pvbatch).

Usage:  xvfb-run -a pvbatch scripts/render_paraview.py OUTPUT_DIR [--check]

Reads OUTPUT_DIR/solution.pvd and writes
  OUTPUT_DIR/density.png  the density at the last output time: for d = 1
                          a line chart of density (and density_limit in
                          `both` mode) against x, for d = 2 the coloured plane;
  OUTPUT_DIR/phase.png    if OUTPUT_DIR/phase.pvd exists (internal-state
                          model): the (x, m) phase space of velocity node 0
                          at the last time (for d = 1; the m-axis is up).
With --check it also verifies what ParaView read: every time step of the
.pvd is there, with the arrays density and flux_x, finite and with a
non-negative mass; it exits with status 1 if not.
"""

import math
import os
import sys
import xml.etree.ElementTree as ElementTree

from paraview.simple import (ColorBy, CreateView, Delete, PVDReader,
                             SaveScreenshot, Show)


def fail(message):
    print("render_paraview.py: FAIL: " + message)
    sys.exit(1)


def pvd_times(path):
    root = ElementTree.parse(path).getroot()
    return [float(d.get("timestep")) for d in root.iter("DataSet")]


def array_names(source):
    info = source.GetPointDataInformation()
    return [info.GetArray(i).GetName() for i in range(info.GetNumberOfArrays())]


def check(reader, path):
    expected = pvd_times(path)
    times = list(reader.TimestepValues) if len(expected) > 1 else expected
    if len(times) != len(expected) or any(abs(a - b) > 1e-9 * (1 + abs(b))
                                          for a, b in zip(times, expected)):
        fail("%s: ParaView sees the times %s, the file lists %s" % (path, times, expected))
    for t in times:
        reader.UpdatePipeline(t)
        names = array_names(reader)
        for name in ("density", "flux_x"):
            if name not in names:
                fail("%s at t = %g: no array %s (arrays: %s)" % (path, t, name, names))
        low, high = reader.PointData["density"].GetRange()
        if not (math.isfinite(low) and math.isfinite(high)):
            fail("%s at t = %g: density is not finite" % (path, t))
        print("  t = %-8g density in [%.6g, %.6g], %d points, arrays: %s"
              % (t, low, high, reader.GetDataInformation().GetNumberOfPoints(),
                 ", ".join(names)))
    print("render_paraview.py: %s: %d time steps, all arrays present" % (path, len(times)))


def screenshot(source, array, png, time):
    """The (x, y) or (x, m) plane coloured by @p array."""
    view = CreateView("RenderView")
    view.ViewSize = [900, 500]
    view.ViewTime = time
    view.OrientationAxesVisibility = 0
    view.InteractionMode = "2D"
    display = Show(source, view)
    ColorBy(display, ("POINTS", array))
    display.RescaleTransferFunctionToDataRange(True, False)
    display.SetScalarBarVisibility(view, True)
    view.ResetCamera()
    SaveScreenshot(png, view, ImageResolution=[900, 500])
    Delete(view)
    print("render_paraview.py: wrote " + png)


def line_chart(source, arrays, png, time):
    """Arrays against x (d = 1)."""
    view = CreateView("XYChartView")
    view.ViewSize = [900, 500]
    view.ViewTime = time
    view.LeftAxisTitle = ", ".join(arrays)
    view.BottomAxisTitle = "x"
    display = Show(source, view)
    display.UseIndexForXAxis = 0
    display.XArrayName = "Points_X"
    display.SeriesVisibility = arrays
    SaveScreenshot(png, view, ImageResolution=[900, 500])
    Delete(view)
    print("render_paraview.py: wrote " + png)


def main(argv):
    arguments = [a for a in argv if not a.startswith("--")]
    if len(arguments) != 1:
        sys.exit(__doc__)
    directory = arguments[0]
    path = os.path.join(directory, "solution.pvd")
    if not os.path.isfile(path):
        fail("no %s" % path)
    reader = PVDReader(FileName=path)
    reader.UpdatePipelineInformation()
    times = list(reader.TimestepValues) or pvd_times(path)
    if "--check" in argv:
        check(reader, path)
    last = times[-1]
    reader.UpdatePipeline(last)
    bounds = reader.GetDataInformation().GetBounds()
    one_d = bounds[3] - bounds[2] < 1e-12
    density_png = os.path.join(directory, "density.png")
    if one_d:
        arrays = [a for a in ("density", "density_limit") if a in array_names(reader)]
        line_chart(reader, arrays, density_png, last)
    else:
        screenshot(reader, "density", density_png, last)

    phase = os.path.join(directory, "phase.pvd")
    if os.path.isfile(phase) and one_d:
        phase_reader = PVDReader(FileName=phase)
        phase_reader.UpdatePipelineInformation()
        phase_times = list(phase_reader.TimestepValues) or pvd_times(phase)
        phase_reader.UpdatePipeline(phase_times[-1])
        names = array_names(phase_reader)
        if not names:
            fail("%s: no arrays" % phase)
        screenshot(phase_reader, names[0], os.path.join(directory, "phase.png"),
                   phase_times[-1])

if __name__ == "__main__":
    main(sys.argv[1:])
