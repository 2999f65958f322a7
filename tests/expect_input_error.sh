#!/bin/bash
# Run chemokin on a bad parameter file and check that it fails properly:
# exit code in 1..127 (an error, not a crash by signal), exactly one line on
# stderr that contains the text of the file's "# expect:" line, and no output
# directory left behind. A "# run:" line replaces the command-line arguments.
#   expect_input_error.sh CHEMOKIN FILE.prm WORKDIR
set -u
chemokin=$1 prm=$2 work=$3
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
expect=$(sed -n 's/^# expect: //p' "$prm" | head -n 1)
[ -n "$expect" ] || { echo "FAIL: $prm has no '# expect:' line"; exit 1; }
args=$(sed -n 's/^# run: //p' "$prm" | head -n 1)
[ -n "$args" ] || args=$prm

"$chemokin" $args > stdout.txt 2> stderr.txt
code=$?
cat stderr.txt
fail=0
if [ "$code" -eq 0 ] || [ "$code" -ge 128 ]; then
  echo "FAIL: exit code $code (want an error exit, 1..127)"; fail=1
fi
if [ "$(wc -l < stderr.txt)" -ne 1 ]; then
  echo "FAIL: the error message is not exactly one line"; fail=1
fi
if ! grep -qF -- "$expect" stderr.txt; then
  echo "FAIL: the message does not contain: $expect"; fail=1
fi
if [ -e output ]; then
  echo "FAIL: an output directory was created"; fail=1
fi
[ $fail -eq 0 ] && echo "PASSED: exit code $code, message names '$expect'"
exit $fail
