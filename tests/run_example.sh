#!/bin/bash
# Run an example parameter file for a short time (deal.II's `include`, then
# a shorter End time): it must run, write statistics.csv with at least two
# rows, conserve mass to 1e-10 (relative), keep the mass in the end cells of
# the internal variable's axis (y_tail_mass, u_tail_mass) within its
# tolerance (1e-8) unless the example sets the range by hand, and every
# ParaView series (.pvd) must list one existing file per output time.
#   run_example.sh CHEMOKIN EXAMPLE.prm END_TIME WORKDIR
set -u
chemokin=$1 example=$2 end_time=$3 work=$4
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
printf 'include %s\nset End time = %s\nset Output directory = output\n' \
  "$example" "$end_time" > short.prm
"$chemokin" short.prm || exit 1
awk -F, 'NR == 1 { for (i = 1; i <= NF; ++i) if ($i == "mass") c = i; next }
         NR == 2 { m = $c; next }
         { d = ($c - m) / m; if (d < 0) d = -d; if (d > worst) worst = d }
         END { if (NR < 3 || c == 0) { print "FAIL: too few rows"; exit 1 }
               if (worst > 1e-10) { print "FAIL: relative mass change " worst; exit 1 }
               print "ok: " NR - 1 " rows, relative mass change " worst }' output/statistics.csv || exit 1
if ! grep -q '^ *set Y range' "$example"; then
  awk -F, 'NR == 1 { for (i = 1; i <= NF; ++i) if ($i ~ /^[uy]_tail_mass$/) c[i] = $i; next }
           { for (i in c) { t = $i < 0 ? -$i : $i; if (t > worst) { worst = t; name = c[i] } } }
           END { if (worst > 1e-8) { print "FAIL: " name " " worst " above its tolerance 1e-8"; exit 1 }
                 if (length(c) > 0) print "ok: tail mass at most " worst + 0 }' output/statistics.csv || exit 1
fi
rows=$(($(wc -l < output/statistics.csv) - 1))
for series in output/*.pvd; do
  [ -e "$series" ] || continue
  files=$(grep -o 'file="[^"]*"' "$series" | sed 's/file="//; s/"//')
  count=$(echo "$files" | grep -c .)
  [ "$count" -eq "$rows" ] || { echo "FAIL: $series lists $count files for $rows output times"; exit 1; }
  for f in $files; do
    [ -s "output/$f" ] || { echo "FAIL: $series lists missing $f"; exit 1; }
  done
  echo "ok: $series lists $count existing files"
done
