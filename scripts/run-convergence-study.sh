#!/bin/bash
# The eps-convergence study of Theorem 2.1 (doc/convergence.md): runs the
# studies of parameter_files/convergence/ with chemokin-convergence on all
# cores and plots them. Results: convergence-study/<study>/convergence.csv,
# rates.csv, errors.png, profiles.png, summary.md.
#
#   bash scripts/run-convergence-study.sh [study ...]
#
# Without arguments: static_gradient, moving_signal, biological_regime and
# moving_frame and moving_frame_unprepared
# (about 4 minutes on 2 cores, after the build).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
bash "$top/scripts/install-dependencies.sh"
bash "$top/scripts/build.sh" > /dev/null
cd "$top"
studies=("$@")
[ ${#studies[@]} -gt 0 ] || studies=(static_gradient moving_signal biological_regime moving_frame moving_frame_unprepared)
ranks=$(nproc)
mpi=(mpirun -np "$ranks")
[ "$(id -u)" -ne 0 ] || mpi=(mpirun --allow-run-as-root -np "$ranks")
for study in "${studies[@]}"; do
  prm=parameter_files/convergence/$study.prm
  [ -f "$prm" ] || { echo "no such study: $prm" >&2; exit 2; }
  directory=$(sed -n 's/^ *set Output directory *= *//p' "$prm")
  rm -rf "$directory" && mkdir -p "$(dirname "$directory")"
  start=$(date +%s)
  "${mpi[@]}" ./build/chemokin-convergence "$prm" > "$directory.log" 2>&1 || {
    tail -20 "$directory.log" >&2; exit 1; }
  echo "$study: $(( $(date +%s) - start )) s, log in $directory.log"
  /usr/bin/python3 scripts/plot_convergence.py "$directory"
done
