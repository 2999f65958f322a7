#!/bin/bash
# Run chemokin on a .prm file and compare its results with reference output
# (ASPECT's pattern): every file in REFDIR (statistics.csv, profiles/...)
# must match the run's file of the same name, to numdiff tolerances. The
# column wall_seconds is dropped before comparing. A line "# mpirun: N" in the
# .prm runs on N MPI ranks. With CHEMOKIN_UPDATE_REFERENCE=1 the run's files
# become the new reference.
#   run_prm_test.sh CHEMOKIN FILE.prm REFDIR WORKDIR NUMDIFF
set -u
chemokin=$1 prm=$2 reference=$3 work=$4 numdiff=$5
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
ranks=$(sed -n 's/^# mpirun: //p' "$prm" | head -n 1)
if [ -n "$ranks" ]; then
  mpirun --allow-run-as-root --oversubscribe -np "$ranks" "$chemokin" "$prm" || exit 1
else
  "$chemokin" "$prm" || exit 1
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
