#!/bin/bash
# Configure (once) and build chemokin and its tests in build/ (Release);
# with arguments, only those make targets (e.g. `build.sh chemokin`).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
# ccache: paths inside the tree relative and the working directory out of
# the hash, so that a fresh clone (CI) reuses what an earlier build compiled
export CCACHE_BASEDIR="$top" CCACHE_NOHASHDIR=1
mkdir -p "$top/build"
cd "$top/build"
[ -f CMakeCache.txt ] || cmake -DCMAKE_BUILD_TYPE=Release "$top"
make -j"$(nproc)" "$@"
