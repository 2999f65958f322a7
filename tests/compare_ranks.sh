#!/bin/bash
# Run the same .prm on 1 and on 2 MPI ranks: statistics.csv (without
# wall_seconds) and the profiles must agree to 1e-12 (relative; absolute
# 1e-14 for values that are zero up to round-off).
#   compare_ranks.sh CHEMOKIN FILE.prm WORKDIR NUMDIFF
set -u
chemokin=$1 prm=$2 work=$3 numdiff=$4
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$work" && mkdir -p "$work" || exit 1
for n in 1 2; do
  mkdir -p "$work/np$n" && cd "$work/np$n" || exit 1
  mpirun --allow-run-as-root --oversubscribe -np $n "$chemokin" "$prm" > log.txt 2>&1 \
    || { cat log.txt; exit 1; }
  bash "$here/strip_wall_time.sh" output/statistics.csv > statistics.csv
done
cd "$work" || exit 1
status=0
files="statistics.csv"
for f in np1/output/profiles/*.csv; do
  [ -e "$f" ] && files="$files output/profiles/$(basename "$f")"
done
for f in $files; do
  if "$numdiff" -q -s ', \n' -r 1e-12 -a 1e-14 "np1/$f" "np2/$f"; then
    echo "ok: $f identical on 1 and 2 ranks (to 1e-12)"
  else
    echo "FAIL: $f differs between 1 and 2 ranks:"
    "$numdiff" -s ', \n' -r 1e-12 -a 1e-14 "np1/$f" "np2/$f" | head -n 20
    status=1
  fi
done
grep -q "on 2 MPI rank" np2/log.txt || { echo "FAIL: the second run did not use 2 ranks"; status=1; }
exit $status
