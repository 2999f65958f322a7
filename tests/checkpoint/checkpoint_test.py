"""Checkpoint/restart tests of chemokin (Checkpointing subsection).

Usage: python3 checkpoint_test.py MODE CHEMOKIN NUMDIFF PRM WORKDIR [NP_FIRST NP_RESUME]

MODE
  kill    run PRM to the end (reference); run it again, SIGKILL it as soon as
          its first checkpoint exists, resume it (Resume = auto) on NP_RESUME
          ranks: statistics.csv must equal the reference to 1e-12.
  term    like kill, but SIGTERM: chemokin must write a checkpoint, say so and
          exit 0; the resumed run must equal the reference to 1e-12.
  random  SIGKILL the run at five random instants (seeded), resuming after
          each; after every kill every output file must parse (CSV with a
          consistent header, XML of .pvd/.pvtu/.vtu with every referenced
          file present, a checkpoint state.txt of `key = value` lines); the
          final statistics must equal the reference to 1e-12.
  refuse  after the reference run (which leaves a checkpoint), the same file
          with another Epsilon must be refused (exit 2, a message naming
          Checkpointing/Resume and the entry that differs), and `Resume =
          true` in an empty directory too.
Exit status 0 when every check passes.
"""

import glob
import os
import random
import shutil
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ElementTree

failures = []


def check(what, ok, detail=""):
    print(("PASS " if ok else "FAIL ") + what + ((": " + detail) if detail else ""))
    if not ok:
        failures.append(what)


def command(chemokin, prm, ranks):
    if ranks == 1:
        return [chemokin, prm]
    return ["mpirun", "--allow-run-as-root", "--oversubscribe", "-np", str(ranks), chemokin, prm]


def start(chemokin, prm, ranks, directory, log):
    return subprocess.Popen(command(chemokin, prm, ranks), cwd=directory,
                            stdout=open(log, "w"), stderr=subprocess.STDOUT,
                            start_new_session=True)


def run(chemokin, prm, ranks, directory, log):
    process = start(chemokin, prm, ranks, directory, log)
    return process.wait()


def wait_until_gone(output, timeout=60):
    """After a kill: wait until the process named in the output directory's
    lock (rank 0 of the killed run, which may outlive mpirun) has ended, as
    a user would before starting the next run there."""
    try:
        pid = int(open(os.path.join(output, ".chemokin.lock")).read().split()[1])
    except (OSError, IndexError, ValueError):
        return
    begin = time.time()
    while time.time() - begin < timeout:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)


def rows(csv):
    try:
        return len([l for l in open(csv).read().split("\n") if l]) - 1
    except OSError:
        return 0


def wait_for(output, rows_wanted, process, timeout=300):
    """Wait until the run has a checkpoint and @rows_wanted output times:
    False if it ended first or time ran out."""
    begin = time.time()
    while not (os.path.exists(os.path.join(output, "checkpoint", "state.txt")) and
               rows(os.path.join(output, "statistics.csv")) >= rows_wanted):
        if process.poll() is not None or time.time() - begin > timeout:
            return False
        time.sleep(0.01)
    return True


def stripped(csv):
    """statistics.csv without its timing columns, as text for numdiff."""
    lines = open(csv).read().strip().split("\n")
    header = lines[0].split(",")
    keep = [i for i, name in enumerate(header) if name not in ("wall_seconds", "field_seconds")]
    return "\n".join(",".join(row.split(",")[i] for i in keep) for row in lines) + "\n"


def same_statistics(numdiff, reference, result, work, what):
    a, b = os.path.join(work, "a.csv"), os.path.join(work, "b.csv")
    open(a, "w").write(stripped(reference))
    open(b, "w").write(stripped(result))
    rows_a = len(open(a).read().split("\n"))
    rows_b = len(open(b).read().split("\n"))
    diff = subprocess.run([numdiff, "-q", "-r", "1e-12", "-a", "1e-13", "-s", ",\n", a, b])
    check(what, rows_a == rows_b and diff.returncode == 0,
          "%d and %d rows, numdiff exit %d" % (rows_a, rows_b, diff.returncode))


def parses(output):
    """Every output file of a run parses; returns a list of problems."""
    problems = []
    for csv in [os.path.join(output, "statistics.csv")] + glob.glob(os.path.join(output, "profiles", "*.csv")):
        if not os.path.exists(csv):
            continue
        lines = open(csv).read().split("\n")
        if lines[-1] != "":
            problems.append(csv + ": no final newline")
        rows = [l for l in lines if l]
        width = len(rows[0].split(","))
        for row in rows[1:]:
            fields = row.split(",")
            try:
                [float(f) for f in fields]
            except ValueError:
                problems.append(csv + ": not a number in '" + row + "'")
            if len(fields) != width:
                problems.append(csv + ": a row of %d fields, header has %d" % (len(fields), width))
    for pvd in glob.glob(os.path.join(output, "*.pvd")):
        try:
            for data in ElementTree.parse(pvd).getroot().iter("DataSet"):
                record = os.path.join(output, data.get("file"))
                for piece in ElementTree.parse(record).getroot().iter("Piece"):
                    source = piece.get("Source")
                    if source is not None:
                        ElementTree.parse(os.path.join(output, source))
        except (ElementTree.ParseError, OSError) as error:
            problems.append(pvd + ": " + str(error))
    for vtu in glob.glob(os.path.join(output, "*.vtu")) + glob.glob(os.path.join(output, "*.pvtu")):
        try:
            ElementTree.parse(vtu)
        except ElementTree.ParseError as error:
            problems.append(vtu + ": " + str(error))
    for state in glob.glob(os.path.join(output, "checkpoint*", "state.txt")):
        for line in open(state).read().split("\n"):
            if line and " = " not in line:
                problems.append(state + ": bad line '" + line[:60] + "'")
    return problems


def main(argv):
    if len(argv) < 5:
        sys.exit(__doc__)
    mode, chemokin, numdiff, prm, work = argv[:5]
    np_first = int(argv[5]) if len(argv) > 5 else 1
    np_resume = int(argv[6]) if len(argv) > 6 else np_first
    prm = os.path.abspath(prm)
    shutil.rmtree(work, ignore_errors=True)
    reference_dir, run_dir = os.path.join(work, "reference"), os.path.join(work, "interrupted")
    os.makedirs(reference_dir)
    os.makedirs(run_dir)

    code = run(chemokin, prm, np_first, reference_dir, os.path.join(reference_dir, "log.txt"))
    check("the uninterrupted run ends normally", code == 0, "exit %d" % code)
    reference = os.path.join(reference_dir, "output", "statistics.csv")
    output = os.path.join(run_dir, "output")
    log = os.path.join(run_dir, "log.txt")

    if mode in ("kill", "term"):
        process = start(chemokin, prm, np_first, run_dir, log)
        half = rows(reference) // 2
        reached = wait_for(output, half, process)
        check("the run is interrupted half-way (after %d of %d output times)" % (half, rows(reference)),
              reached)
        if not reached:
            return 1
        if mode == "kill":
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            wait_until_gone(output)
        else:
            os.killpg(process.pid, signal.SIGTERM)
            code = process.wait()
            text = open(log).read()
            check("SIGTERM: exit code 0", code == 0, "exit %d" % code)
            check("SIGTERM: the run says it stopped and wrote a checkpoint",
                  "stopped by signal" in text and "checkpoint written" in text)
        check("the interrupted run left files that parse", not parses(output), "; ".join(parses(output)))
        code = run(chemokin, prm, np_resume, run_dir, os.path.join(run_dir, "resume.txt"))
        text = open(os.path.join(run_dir, "resume.txt")).read()
        check("the resumed run (%d rank(s)) ends normally" % np_resume, code == 0, "exit %d" % code)
        check("the resumed run says where it resumed", "resuming from" in text)
        same_statistics(numdiff, reference, os.path.join(output, "statistics.csv"), work,
                        "resumed statistics equal the uninterrupted run's to 1e-12")
    elif mode == "random":
        rng = random.Random(4)
        kills = 0
        for attempt in range(5):
            process = start(chemokin, prm, np_first, run_dir, log)
            time.sleep(rng.uniform(0.05, 1.5))
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                kills += 1
            process.wait()
            wait_until_gone(output)
            problems = parses(output)
            check("after kill %d every output file parses" % (attempt + 1), not problems,
                  "; ".join(problems[:3]))
        check("the run was killed at least three times", kills >= 3, "%d kills" % kills)
        code = run(chemokin, prm, np_first, run_dir, log)
        check("the last resumed run ends normally", code == 0, "exit %d" % code)
        same_statistics(numdiff, reference, os.path.join(output, "statistics.csv"), work,
                        "after the kills the statistics equal the uninterrupted run's to 1e-12")
    elif mode == "refuse":
        text = open(prm).read()
        changed = os.path.join(run_dir, "changed.prm")
        open(changed, "w").write(text.replace("set Epsilon             = 0.2",
                                              "set Epsilon             = 0.3"))
        result = subprocess.run(command(chemokin, changed, 1), cwd=reference_dir,
                                capture_output=True, text=True)
        check("other physics: exit code 2", result.returncode == 2, "exit %d" % result.returncode)
        check("other physics: the message names the entry that differs",
              "Checkpointing/Resume" in result.stderr and "Internal state/Epsilon = 0.2" in result.stderr,
              result.stderr.strip())
        forced = os.path.join(run_dir, "forced.prm")
        open(forced, "w").write(text + "subsection Checkpointing\n  set Resume = true\nend\n")
        result = subprocess.run(command(chemokin, forced, 1), cwd=run_dir,
                                capture_output=True, text=True)
        check("Resume = true without a checkpoint: exit code 2 and a message",
              result.returncode == 2 and "no checkpoint" in result.stderr, result.stderr.strip())
        check("... and no output directory", not os.path.exists(output))
    else:
        sys.exit("unknown mode " + mode)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
