"""Hostile input: chemokin on mutated copies of the example parameter files.

Usage: python3 fuzz_parameters.py CHEMOKIN WORKDIR N SEED EXAMPLE.prm [...]

Makes N variants of the examples (seeded, so a failure can be replayed), each
with one to three mutations: a dropped line, two values swapped, a value
replaced by garbage bytes, a huge or tiny number, nan, inf, an empty value,
an unknown subsection, an unbalanced `end`, or the file cut at a random byte.
Every run is shortened (End time 0.02, at most 3 output times, Refinement
at most 3 (2 in 3-D), at most 16 directions) and limited to 5 s and 4 GiB of address space. A variant passes when chemokin either runs to
the end (exit 0) or fails with exit status 1 or 2 and a message starting with
"chemokin: error" on standard error. It fails when chemokin dies by a signal
(segmentation fault, abort, floating-point exception, ...) or exits otherwise.
Runs that reach the 5 s limit are counted separately and do not fail, but are
listed. Exit status: the number of failed variants (0 = all passed).
"""

import os
import random
import re
import resource
import shutil
import signal
import subprocess
import sys
import time

# seconds: with the small meshes every variant ends in under 2 s except those
# whose mutations ask for a run without end (End time 1e30, Rate 1e30), which
# are listed as time limits, not failures
TIME_LIMIT = 5

HUGE = ["1e308", "-1e308", "1e-308", "4294967296", "-1", "0", "1e30",
        "99999999999999999999", "-0"]
GARBAGE = ["nan", "inf", "-inf", "", "\x00\x01", "ÿþ", "(((", "1,,2", ";",
           "x*/", "sin(", "end", "set", "\\", "1e", "0x10", "abc def",
           "pi/0", "log(-1)", "sqrt(-1)", "1/0"]
UNKNOWN = ["subsection Nonexistent\nend", "subsection\nend", "end",
           "set = 3", "set Nonexistent entry = 1", "subsection Domain"]


def values(lines):
    return [i for i, l in enumerate(lines) if l.strip().startswith("set ") and "=" in l]


def replace_value(line, value):
    head = line.split("=", 1)[0]
    return head + "= " + value


def mutate(lines, rng):
    kind = rng.choice(["drop", "swap", "garbage", "huge", "unknown", "truncate",
                       "duplicate"])
    settable = values(lines)
    if kind == "drop" and lines:
        del lines[rng.randrange(len(lines))]
    elif kind == "swap" and len(settable) >= 2:
        a, b = rng.sample(settable, 2)
        va = lines[a].split("=", 1)[1].strip()
        vb = lines[b].split("=", 1)[1].strip()
        lines[a], lines[b] = replace_value(lines[a], vb), replace_value(lines[b], va)
    elif kind == "garbage" and settable:
        i = rng.choice(settable)
        lines[i] = replace_value(lines[i], rng.choice(GARBAGE))
    elif kind == "huge" and settable:
        i = rng.choice(settable)
        lines[i] = replace_value(lines[i], rng.choice(HUGE))
    elif kind == "unknown":
        lines.insert(rng.randrange(len(lines) + 1), rng.choice(UNKNOWN))
    elif kind == "duplicate" and lines:
        i = rng.randrange(len(lines))
        lines.insert(i, lines[i])
    elif kind == "truncate":
        text = "\n".join(lines)
        cut = rng.randrange(len(text) + 1)
        return text[:cut].split("\n"), kind
    return lines, kind


# the examples' meshes, made small before the mutations so that a variant's
# cost is that of its mutations (which may still ask for huge meshes)
SMALL = {"Refinement": 3, "Number of directions": 16}


def small(line, dimension):
    limits = dict(SMALL, Refinement=2 if dimension == 3 else 3)
    for entry, most in limits.items():
        match = re.match(r"(\s*set\s+%s\s*=\s*)(\d+)\s*$" % entry, line)
        if match and int(match.group(2)) > most:
            return match.group(1) + str(most)
    return line


def shortened(lines):
    """End time 0.02 with three outputs and small meshes; the mutations may
    still undo it."""
    dimension = 3 if any(re.match(r"\s*set\s+Dimension\s*=\s*3\s*$", l)
                         for l in lines) else 2
    kept = [small(l, dimension) for l in lines
            if not l.strip().startswith(("set End time", "set Time between outputs"))]
    header = ["set End time = 0.02"]
    # `Time between outputs` lives in subsection Output
    out = []
    for l in kept:
        out.append(l)
        if l.strip() == "subsection Output":
            out.append("  set Time between outputs = 0.01")
    return header + out


def limit_resources():
    limit = 4 << 30
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def main(argv):
    if len(argv) < 5:
        sys.exit(__doc__)
    chemokin, work, n, seed = argv[0], argv[1], int(argv[2]), int(argv[3])
    examples = argv[4:]
    rng = random.Random(seed)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    failures, timeouts, ran, rejected = [], [], 0, 0
    seconds = []
    for variant in range(n):
        source = rng.choice(examples)
        with open(source, errors="replace") as f:
            lines = shortened(f.read().split("\n"))
        kinds = []
        for _ in range(rng.randint(1, 3)):
            lines, kind = mutate(lines, rng)
            kinds.append(kind)
        directory = os.path.join(work, "v%04d" % variant)
        os.makedirs(directory)
        prm = os.path.join(directory, "input.prm")
        with open(prm, "w", errors="replace") as f:
            f.write("\n".join(lines) + "\n")
        what = "variant %d (%s of %s)" % (variant, "+".join(kinds), os.path.basename(source))
        start = time.monotonic()
        try:
            result = subprocess.run([chemokin, "input.prm"], cwd=directory,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                    timeout=TIME_LIMIT, preexec_fn=limit_resources)
        except subprocess.TimeoutExpired:
            timeouts.append(what)
            continue
        seconds.append((time.monotonic() - start, what))
        stderr = result.stderr.decode(errors="replace")
        code = result.returncode
        if code == 0:
            ran += 1
            shutil.rmtree(directory)
        elif code < 0:
            failures.append("%s: killed by signal %s" % (what, signal.Signals(-code).name))
        elif code not in (1, 2) or not stderr.startswith("chemokin: error"):
            failures.append("%s: exit %d, stderr: %s" % (what, code, stderr.strip()[:300]))
        else:
            rejected += 1
            shutil.rmtree(directory)
    print("fuzz: %d variants (seed %d): %d ran to the end, %d rejected with a message, "
          "%d reached the time limit, %d failed" % (n, seed, ran, rejected, len(timeouts),
                                                    len(failures)))
    for t in timeouts:
        print("  time limit: " + t)
    for s, what in sorted(seconds, reverse=True)[:8]:
        print("  slowest: %.1f s, %s" % (s, what))
    for f in failures:
        print("  FAIL " + f)
    print("(failed variants are kept in %s/vNNNN/input.prm)" % work)
    return len(failures)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
