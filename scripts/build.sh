#!/bin/bash
# Configure (once) and build chemokin and its tests in build/ (Release).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$top/build"
cd "$top/build"
[ -f CMakeCache.txt ] || cmake -DCMAKE_BUILD_TYPE=Release "$top"
make -j"$(nproc)"
