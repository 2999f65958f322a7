#!/bin/bash
# Install the dependencies, build, and run the whole test suite (ctest).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
bash "$top/scripts/install-dependencies.sh" --tests
bash "$top/scripts/build.sh"
cd "$top/build"
ctest -j"$(nproc)" --output-on-failure
