#!/bin/bash
# Install what chemokin needs from Debian 12 packages (only what is missing).
#   install-dependencies.sh           build, run, plot (matplotlib)
#   install-dependencies.sh --tests   also ParaView's pvbatch and a virtual X
#                                     server, for the test that renders output,
#                                     and scipy, for the pulse test's oracle
set -euo pipefail
packages="libdeal.ii-dev cmake g++ make numdiff ccache openmpi-bin python3-matplotlib"
if [ "${1:-}" = "--tests" ]; then
  packages="$packages paraview python3-paraview xvfb xauth python3-scipy"
fi
missing=""
for p in $packages; do
  dpkg -s "$p" > /dev/null 2>&1 || missing="$missing $p"
done
if [ -n "$missing" ]; then
  echo "chemokin: installing$missing"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing
fi
