"""Faults a careful user provokes (each mode one ctest): no hang, no silent
wrong result, a run owns its directory, checksummed checkpoints.

Usage: python3 faults_test.py MODE CHEMOKIN WORKDIR

  rank0_write      on 2 ranks, a write only rank 0 does fails mid-run
                   (statistics.csv is a directory): every rank ends within
                   60 s, exit != 0, the message names the file; and a file
                   where the output directory should be: exit 2 naming
                   `Output directory`, on 2 ranks too
  resume_interval  a run with outputs every 0.25 to t = 1, resumed to t = 2
                   with outputs every 0.1, and once more to t = 3 with every
                   0.4: time in statistics.csv strictly increases, every
                   output time of each interval is there, nothing is NaN
  lock             a second run into the directory of a running one is
                   refused (exit 2 naming `Output directory`), the first
                   ends normally; a run killed by SIGKILL leaves a stale lock
                   that the next run takes over
  checksum         one changed byte in a checkpoint file: the resume is
                   refused naming the file (exit 2); with an intact
                   checkpoint.old beside it, the run resumes from that one
  memory           2-D `Adapt x` asked to refine without end (Maximum x level
                   20, Refine threshold 1e-6) under `Memory limit = 0.1`: the
                   mesh stops refining with one warning, the run ends
                   normally with finite statistics, its peak resident memory
                   at most the limit plus what the libraries take (300 MiB)
  directions       3-D with `Number of directions = 1000` (500000 directions):
                   refused by the memory check (exit 2 naming an entry)
                   within 30 s, not after minutes of set-up
  resume_changes   a resume with `Output/Postprocessors` reordered, and with
                   one more postprocessor, ends normally (the new one noted);
                   a checkpoint whose state.txt is lost is refused (exit 2
                   naming `Checkpointing/Resume` and the file), not deleted
  disk_full        statistics.csv or a checkpoint's state.txt outgrows the
                   file-size limit (RLIMIT_FSIZE, as a full disk would)
                   mid-run: exit 1, the message names the file and the
                   system's reason, no .tmp file or partial checkpoint is
                   left, and the last checkpoint resumes to the reference's end
  field_overflow   2-D fields of 1e200 (their norms overflow: the solver
                   would take its initial guess as converged and leave them
                   undiffused), on 1 and 2 ranks: exit 2 naming
                   `Signal/Reaction-diffusion/Diffusion` and the cause
Every chemokin run is under a timeout; reaching it is a failure.
Exit status: the number of failed checks.
"""
import csv
import math
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from small_cases import BASE_2D  # noqa: E402

failures = 0
MPIRUN = ["mpirun", "--allow-run-as-root", "--oversubscribe", "-np", "2"]

SMALL = """set Model = run and tumble
set End time = %(end)s
set Output directory = %(out)s
subsection Domain
  set Upper corner = 4
end
subsection Signal
  set Log-concentration = 0.5*x
end
subsection Initial condition
  set Density = 1 + 0.5*cos(pi*x/2)
end
subsection Discretization
  set Refinement = 5
end
subsection Output
  set Time between outputs = %(interval)s
  set Postprocessors = statistics, profiles
end
subsection Checkpointing
  set Steps between checkpoints = %(checkpoints)s
end
"""


def check(what, ok, detail=""):
    global failures
    print(("ok    " if ok else "FAIL  ") + what + (": " + detail if detail else ""))
    failures += 0 if ok else 1
    return ok


def write(name, end=1, out="output", interval=0.25, checkpoints=0, extra=""):
    with open(name, "w") as f:
        f.write(SMALL % dict(end=end, out=out, interval=interval, checkpoints=checkpoints) + extra)
    return name


def run(args, timeout=120, file_size_limit=None):
    """(exit code, stdout, stderr); exit None when the timeout was reached."""
    def limit():
        # SIGXFSZ ignored: a write beyond the limit fails with EFBIG instead
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (file_size_limit, file_size_limit))
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               start_new_session=True,
                               preexec_fn=limit if file_size_limit else None)
    try:
        out, err = process.communicate(timeout=timeout)
        return process.returncode, out, err
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        out, err = process.communicate()
        return None, out, err


def statistics(path):
    with open(path) as f:
        return list(csv.DictReader(f))


def rank0_write(chemokin):
    os.makedirs("output/statistics.csv/blocked")
    code, _, err = run(MPIRUN + [chemokin, write("a.prm")], timeout=60)
    check("rank 0 cannot write statistics.csv: the 2 ranks end (no hang)", code is not None)
    check("... with an error exit", code not in (None, 0), "exit %s" % code)
    check("... and a message naming the file", "statistics.csv" in err, err.strip()[-300:])
    shutil.rmtree("output")
    with open("not_a_directory", "w") as f:
        f.write("a file\n")
    code, _, err = run(MPIRUN + [chemokin, write("b.prm", out="not_a_directory")], timeout=60)
    check("a file as output directory, 2 ranks: exit 2", code == 2, "exit %s" % code)
    check("... naming `Output directory`", "entry 'Output directory'" in err, err.strip()[-300:])


def resume_interval(chemokin):
    steps = [(1, 0.25), (2, 0.1), (3, 0.4)]
    for end, interval in steps:
        code, _, err = run([chemokin, write("r.prm", end=end, interval=interval, checkpoints=1)])
        check("run to t = %g with outputs every %g ends normally" % (end, interval), code == 0,
              err.strip()[-300:])
    rows = statistics("output/statistics.csv")
    times = [float(r["time"]) for r in rows]
    check("time strictly increases in statistics.csv", all(b > a for a, b in zip(times, times[1:])),
          " ".join("%g" % t for t in times))
    wanted, start = [], 0
    for end, interval in steps:
        i = 0
        while True:
            t = min(i * interval, end)
            if t > start + 1e-9 or (start == 0 and i == 0):
                wanted.append(t)
            if t >= end - 1e-9:
                break
            i += 1
        start = end
    check("every output time of each interval is written", len(times) == len(wanted) and
          all(abs(a - b) < 1e-9 for a, b in zip(times, wanted)),
          "want %s" % " ".join("%g" % t for t in wanted))
    check("no NaN in statistics.csv", all(math.isfinite(float(v)) for r in rows for v in r.values()))


def lock(chemokin):
    # a run of some seconds
    long = write("long.prm", end=20, interval=1,
                 extra="subsection Discretization\n  set Refinement = 8\nend\n")
    first = subprocess.Popen([chemokin, long],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    begin = time.time()
    while not os.path.exists("output/statistics.csv") and time.time() - begin < 60:
        time.sleep(0.05)
    code, _, err = run([chemokin, write("second.prm", end=1)], timeout=60)
    check("a second run into a running run's directory is refused: exit 2", code == 2,
          "exit %s" % code)
    check("... naming `Output directory` and the other run",
          "entry 'Output directory'" in err and "in use by another chemokin run" in err,
          err.strip()[-300:])
    out, err = first.communicate(timeout=300)
    check("the first run ends normally", first.returncode == 0, err.strip()[-300:])
    rows = statistics("output/statistics.csv")
    check("... with all of its own output times", len(rows) == 21, "%d rows" % len(rows))
    check("... and gives its lock up", not os.path.exists("output/.chemokin.lock"))
    # a killed run leaves a stale lock
    killed = subprocess.Popen([chemokin, "long.prm"], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    while not os.path.exists("output/.chemokin.lock") and killed.poll() is None:
        time.sleep(0.02)
    time.sleep(0.3)
    killed.send_signal(signal.SIGKILL)
    killed.wait()
    check("a run killed by SIGKILL leaves its lock", os.path.exists("output/.chemokin.lock"))
    code, _, err = run([chemokin, write("after.prm", end=1)], timeout=120)
    check("the next run takes the stale lock over and ends normally", code == 0, err.strip()[-300:])


def checksum(chemokin):
    code, _, err = run([chemokin, write("c.prm", end=1, checkpoints=1)])
    check("a run with a checkpoint every step ends normally", code == 0, err.strip()[-300:])
    checkpoint = "output/checkpoint"
    files = sorted(f for f in os.listdir(checkpoint) if f.endswith(".bin"))
    check("the checkpoint has data files", bool(files), " ".join(os.listdir(checkpoint)))
    shutil.copytree(checkpoint, "intact")
    target = os.path.join(checkpoint, files[0])
    with open(target, "r+b") as f:
        f.seek(os.path.getsize(target) // 2)
        byte = f.read(1)
        f.seek(-1, 1)
        f.write(bytes([byte[0] ^ 0x01]))
    code, _, err = run([chemokin, write("c2.prm", end=2, checkpoints=1)])
    check("one changed byte: the resume is refused, exit 2", code == 2, "exit %s" % code)
    check("... naming the file", files[0] in err and "checksum" in err, err.strip()[-300:])
    shutil.copytree("intact", "output/checkpoint.old")
    code, out, err = run([chemokin, "c2.prm"])
    check("with an intact checkpoint.old beside it the run resumes from that one",
          code == 0 and "checkpoint.old" in out and "damaged" in out, (out + err).strip()[-400:])
    rows = statistics("output/statistics.csv")
    check("... to the end", abs(float(rows[-1]["time"]) - 2) < 1e-12, rows[-1]["time"])


def resume_changes(chemokin):
    code, _, err = run([chemokin, write("a.prm", end=1, checkpoints=5)])
    check("a run with checkpoints ends normally", code == 0, err.strip()[-300:])
    reordered = write("b.prm", end=1.5, checkpoints=5,
                      extra="subsection Output\n  set Postprocessors = profiles, statistics\nend\n")
    code, out, err = run([chemokin, reordered])
    check("resumed with `Postprocessors = profiles, statistics`: ends normally", code == 0,
          (out + err).strip()[-300:])
    check("... from the checkpoint", "resuming from" in out, out.strip()[-300:])
    added = write("c.prm", end=2, checkpoints=5, extra="subsection Output\n  set Postprocessors = "
                  "profiles, statistics, visualization\nend\n")
    code, out, err = run([chemokin, added])
    check("resumed with one more postprocessor (visualization): ends normally", code == 0,
          (out + err).strip()[-300:])
    check("... and says that it begins now", "adds visualization" in out, out.strip()[-300:])
    rows = statistics("output/statistics.csv")
    check("... to the end", abs(float(rows[-1]["time"]) - 2) < 1e-12, rows[-1]["time"])
    os.remove("output/checkpoint/state.txt")
    code, _, err = run([chemokin, write("d.prm", end=3, checkpoints=5)])
    check("a checkpoint without state.txt: the resume is refused, exit 2", code == 2, "exit %s" % code)
    check("... naming `Checkpointing/Resume` and the file",
          "entry 'Checkpointing/Resume'" in err and "checkpoint/state.txt" in err, err.strip()[-300:])
    check("... and the checkpoint is kept", len(os.listdir("output/checkpoint")) > 0)


def disk_full(chemokin):
    def tree(top):
        return [os.path.join(d, f) for d, _, files in os.walk(top) for f in files]
    many = "subsection Output\n  set Postprocessors = statistics\nend\n"
    code, _, err = run([chemokin, write("ref.prm", end=1, interval=0.005, checkpoints=20,
                                        out="reference", extra=many)])
    check("the reference run ends normally", code == 0, err.strip()[-300:])
    # the files that grow with the run: statistics.csv and the checkpoint's
    # state.txt (which holds the statistics so far); the limit lies between
    # the fixed files and the largest grown one
    sizes = {f: os.path.getsize(f) for f in tree("reference")}
    grown = max(sizes.values())
    fixed = max(size for f, size in sizes.items()
                if not f.endswith("statistics.csv") and not f.endswith("state.txt"))
    check("the growing files end larger than twice the others", grown > 2 * fixed,
          "%d bytes against %d" % (grown, fixed))
    limit = (grown + fixed) // 2
    prm = write("full.prm", end=1, interval=0.005, checkpoints=20, extra=many)
    code, _, err = run([chemokin, prm], file_size_limit=limit)
    check("files limited to %d bytes: the run fails, exit 1" % limit, code == 1, "exit %s" % code)
    check("... naming the file and the reason",
          re.search(r"cannot write \S*(statistics\.csv|state\.txt)\S*: File too large", err) is not None,
          err.strip()[-300:])
    leftovers = [f for f in tree("output") if f.endswith(".tmp")]
    check("... and leaves no .tmp file", not leftovers, " ".join(leftovers))
    check("... nor a partial checkpoint", not os.path.exists("output/checkpoint.new"))
    code, out, err = run([chemokin, prm])
    check("without the limit the run resumes from its last checkpoint", code == 0 and "resuming from" in out,
          (out + err).strip()[-300:])
    reference, result = statistics("reference/statistics.csv"), statistics("output/statistics.csv")
    same = len(reference) == len(result) and all(
        abs(float(a[k]) - float(b[k])) <= 1e-12 * (1 + abs(float(a[k])))
        for a, b in zip(reference, result) for k in a if k != "wall_seconds")
    check("... and ends with the reference's statistics", same, "%d rows against %d" % (len(result), len(reference)))


REFINING = """set Dimension = 2
set Model = run and tumble
set End time = 0.02
set Memory limit = 0.1
subsection Domain
  set Lower corner = 0, 0
  set Upper corner = 4, 4
end
subsection Signal
  set Log-concentration = x
end
subsection Initial condition
  set Density = exp(-4*((x-2)^2 + (y-2)^2))
end
subsection Discretization
  set Refinement = 3
end
subsection Adaptive refinement
  set Adapt x = true
  set Maximum x level = 20
  set Refine threshold = 1e-6
  set Coarsen threshold = 1e-7
end
subsection Output
  set Time between outputs = 0.01
  set Postprocessors = statistics
end
"""


def memory(chemokin):
    with open("m.prm", "w") as f:
        f.write(REFINING)
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    code, out, err = run([chemokin, "m.prm"], timeout=300)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KiB, the largest child
    check("refinement without end under Memory limit = 0.1: the run ends normally", code == 0,
          "exit %s, %s" % (code, err.strip()[-300:]))
    warnings = [l for l in out.split("\n") if "stops refining" in l]
    check("... with one warning that the mesh stops refining", len(warnings) == 1,
          " | ".join(warnings) or out.strip()[-300:])
    rows = statistics("output/statistics.csv")
    check("... and finite statistics", all(math.isfinite(float(v)) for r in rows for v in r.values()))
    limit = 0.1 * 1024 * 1024 + 300 * 1024
    check("... and a peak resident memory of at most 0.1 GiB + 300 MiB", peak <= limit and peak > before,
          "%.0f MiB" % (peak / 1024))


def directions(chemokin):
    with open("d.prm", "w") as f:
        f.write("""set Dimension = 3
set Model = run and tumble
set End time = 0.01
subsection Domain
  set Lower corner = 0, 0, 0
  set Upper corner = 1, 1, 1
end
subsection Velocity space
  set Number of directions = 1000
end
subsection Discretization
  set Refinement = 4
end
""")
    begin = time.time()
    code, _, err = run([chemokin, "d.prm"], timeout=30)
    check("500000 directions: refused within 30 s (%.1f s)" % (time.time() - begin), code == 2,
          "exit %s" % code)
    check("... naming an entry and the memory it needs", "error in entry '" in err and "needs about" in err,
          err.strip()[-300:])


# the 2-D run and tumble of small_cases with a field; its later settings win
FIELDS_2D = BASE_2D + """subsection Signal
  set Type = reaction-diffusion
  set Log-concentration = log(1 + S)
  subsection Reaction-diffusion
    set Fields = S
    set Diffusion = 1
    set Reaction = -S + rho
    set Initial values = 1e200*(1 + x)
  end
end
"""


def field_overflow(chemokin):
    with open("f.prm", "w") as f:
        f.write(FIELDS_2D)
    for ranks, prefix in ((1, []), (2, MPIRUN)):
        code, _, err = run(prefix + [chemokin, "f.prm"], timeout=60)
        check("fields of 1e200 on %d rank(s): exit 2" % ranks, code == 2, "exit %s" % code)
        check("... naming `Signal/Reaction-diffusion/Diffusion` and the overflowing norm",
              "entry 'Signal/Reaction-diffusion/Diffusion'" in err and "1e150" in err,
              err.strip()[-400:])


def main(mode, chemokin, work):
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    os.chdir(work)
    {"rank0_write": rank0_write, "resume_interval": resume_interval, "lock": lock,
     "checksum": checksum, "memory": memory, "directions": directions,
     "resume_changes": resume_changes, "disk_full": disk_full,
     "field_overflow": field_overflow}[mode](chemokin)
    print("PASSED" if failures == 0 else "FAILED (%d)" % failures)
    return failures


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], os.path.abspath(sys.argv[2]), os.path.abspath(sys.argv[3])))
