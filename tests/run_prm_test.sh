#!/bin/bash
# Run chemokin on a .prm file and compare its results with reference output
# (ASPECT's pattern): every file in REFDIR (statistics.csv, profiles/...)
# must match the run's file of the same name, to numdiff tolerances. The
# column wall_seconds is dropped before comparing. A line "# mpirun: N" in the
# .prm runs on N MPI ranks. A line "# resume after: T" first runs the file
# to End time T (an output time: a run writes an output at its end) with a
# checkpoint at every step, then the file itself, which
# resumes from that checkpoint: the reference pins a resumed run. With
# CHEMOKIN_UPDATE_REFERENCE=1 the run's files become the new reference.
#   run_prm_test.sh CHEMOKIN FILE.prm REFDIR WORKDIR NUMDIFF
set -u
chemokin=$1 prm=$2 reference=$3 work=$4 numdiff=$5
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
ranks=$(sed -n 's/^# mpirun: //p' "$prm" | head -n 1)
run() {
  if [ -n "$ranks" ]; then
    mpirun --allow-run-as-root --oversubscribe -np "$ranks" "$chemokin" "$1" || exit 1
  else
    "$chemokin" "$1" || exit 1
  fi
}
first_end=$(sed -n 's/^# resume after: //p' "$prm" | head -n 1)
if [ -n "$first_end" ]; then
  # the first part of the run: End time and Checkpointing may change on resume
  { cat "$prm"
    echo "set End time = $first_end"
    printf 'subsection Checkpointing\n  set Steps between checkpoints = 1\nend\n'
  } > first-part.prm
  run first-part.prm > first-part.log
  test -d output/checkpoint || { echo "FAIL: the first part left no checkpoint"; exit 1; }
  run "$prm" | tee resumed.log
  grep -q -i "resum" resumed.log || { echo "FAIL: the second part did not resume"; exit 1; }
else
  run "$prm"
fi
bash "$here/strip_wall_time.sh" output/statistics.csv > output/statistics.compare.csv
mv output/statistics.compare.csv output/statistics.csv

if [ "${CHEMOKIN_UPDATE_REFERENCE:-0}" = 1 ]; then
  rm -rf "$reference" && mkdir -p "$reference/profiles"
  cp output/statistics.csv "$reference/"
  [ -d output/profiles ] && cp output/profiles/*.csv "$reference/profiles/"
  rmdir "$reference/profiles" 2> /dev/null
  echo "reference output updated in $reference"
  exit 0
fi

status=0
if [ -z "$(cd "$reference" 2> /dev/null && find . -type f)" ]; then
  echo "FAIL: no reference output in $reference (CHEMOKIN_UPDATE_REFERENCE=1 makes it)"
  exit 1
fi
for expected in $(cd "$reference" && find . -type f | sort); do
  if ! "$numdiff" -q -s ', \n' -r 1e-8 -a 1e-11 "$reference/$expected" "output/$expected"; then
    echo "FAIL: $expected differs from the reference:"
    "$numdiff" -s ', \n' -r 1e-8 -a 1e-11 "$reference/$expected" "output/$expected" | head -n 20
    status=1
  else
    echo "ok: $expected matches the reference"
  fi
done
exit $status
