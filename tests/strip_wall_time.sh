#!/bin/bash
# Print a CSV file without its wall_seconds column (the only column that
# differs between identical runs).
awk -F, 'NR == 1 { for (i = 1; i <= NF; ++i) if ($i == "wall_seconds") skip = i }
         { out = ""; for (i = 1; i <= NF; ++i) if (i != skip) out = out (out == "" ? "" : ",") $i; print out }' "$1"
