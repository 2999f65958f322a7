#!/bin/bash
# Print a CSV file without its timing columns, wall_seconds and
# field_seconds (the only columns that differ between identical runs).
awk -F, 'NR == 1 { for (i = 1; i <= NF; ++i) if ($i == "wall_seconds" || $i == "field_seconds") skip[i] = 1 }
         { out = ""; for (i = 1; i <= NF; ++i) if (!(i in skip)) out = out (out == "" ? "" : ",") $i; print out }' "$1"
