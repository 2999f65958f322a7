#!/bin/bash
# Regenerate the parameter reference in doc/ from the declarations in the code.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/build/chemokin" --print-parameters > "$top/doc/parameters.prm"
"$top/build/chemokin" --print-parameters description > "$top/doc/parameter-patterns.txt"
