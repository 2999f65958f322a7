#!/bin/bash
# From a fresh Debian 12 machine to a first result: install the dependencies,
# build, and run the default example (results in output/).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
bash "$top/scripts/install-dependencies.sh"
bash "$top/scripts/build.sh" chemokin
cd "$top"
./build/chemokin parameter_files/default.prm
/usr/bin/python3 scripts/plot_example.py output
/usr/bin/python3 scripts/plot.py output
echo "Done. See output/result.png and output/plots/, open output/solution.pvd in ParaView, or look at output/statistics.csv (output/timing.csv: where the time went)."
