"""Progress lines and the timing summary, on the default example.

Usage: python3 progress_and_timing.py CHEMOKIN EXAMPLE.prm WORKDIR

Run A (End time 20, an output every 0.5): every progress line gives the share
of End time reached (to 0.1 %), and at the first line past 10 % the time
left is within a factor 2 of the time the run then still took. timing.csv
adds up to the run's wall time (the last wall_seconds of statistics.csv and
the printed total) within 5 %, and the printed table has the numbers of
timing.csv.

Run B (End time 100, one output at the end, `Progress interval = 0.5` s): lines come between
output times; SIGTERM after the fourth of them writes a checkpoint, and the resumed run's
lines carry a percentage and a time left too, its timing.csv adds up to its
own wall time.
Exit status: the number of failed checks.
"""
import csv
import os
import re
import shutil
import signal
import subprocess
import sys
import time

LINE = re.compile(r"^  t = +([0-9.]+) +step +(\d+) .* wall +([0-9.]+) s +\(([0-9.]+) %(?:, (.+) left)?\)$")
failures = 0


def check(what, ok, detail=""):
    global failures
    print(("ok    " if ok else "FAIL  ") + what + (": " + detail if detail else ""))
    failures += 0 if ok else 1


def seconds(text):
    """'< 1 s', '42 s', '3 min 10 s', '2 h 05 min' -> seconds"""
    if text.startswith("<"):
        return 0.5
    total = 0
    for value, unit in re.findall(r"(\d+) (h|min|s)", text):
        total += int(value) * {"h": 3600, "min": 60, "s": 1}[unit]
    return total


def progress_lines(log):
    return [LINE.match(l) for l in log.splitlines() if LINE.match(l)]


def timing_rows(directory):
    with open(os.path.join(directory, "timing.csv")) as f:
        return list(csv.DictReader(f))


def check_timing(name, directory, log, wall):
    rows = timing_rows(directory)
    total = sum(float(r["seconds"]) for r in rows)
    check(name + ": timing.csv names its parts", len(rows) >= 4 and
          {"set-up", "output", "transport and tumbling", "internal state"} <=
          {r["part"] for r in rows}, ", ".join(r["part"] for r in rows))
    check(name + ": the parts add up to the wall time within 5 %", abs(total - wall) <= 0.05 * wall,
          "%.3f s of %.3f s" % (total, wall))
    printed = re.search(r"chemokin: wall time ([0-9.]+) s", log)
    check(name + ": the printed wall time is the run's", printed and
          abs(float(printed.group(1)) - wall) <= 0.05 * wall + 0.05, printed.group(0) if printed else "missing")
    for r in rows:
        m = re.search(r"^  %s +([0-9.]+) +([0-9.]+) %%" % re.escape(r["part"]), log, re.M)
        check(name + ": printed %s equals timing.csv" % r["part"],
              m and abs(float(m.group(1)) - float(r["seconds"])) <= 0.006 and
              abs(float(m.group(2)) - 100 * float(r["fraction"])) <= 0.06,
              m.group(0).strip() if m else "missing")


def main(chemokin, example, work):
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    os.chdir(work)

    # run A
    with open("a.prm", "w") as f:
        f.write("include %s\nset End time = 20\nset Output directory = a\n"
                "subsection Output\n set Time between outputs = 0.5\nend\n" % example)
    log = subprocess.run([chemokin, "a.prm"], capture_output=True, text=True, check=True).stdout
    lines = progress_lines(log)
    check("run A: a progress line per output time", len(lines) == 41, "%d lines" % len(lines))
    check("run A: the share of End time on every line",
          all(abs(float(m.group(4)) - 100 * float(m.group(1)) / 20) <= 0.051 for m in lines))
    final = float(lines[-1].group(3))
    first = next(m for m in lines if float(m.group(4)) >= 10)
    left, truth = seconds(first.group(5)), final - float(first.group(3))
    check("run A: time left at %s %% within a factor 2 of the truth" % first.group(4),
          truth / 2 <= left <= 2 * truth, "estimated %s, took %.1f s" % (first.group(5), truth))
    with open("a/statistics.csv") as f:
        wall = float(list(csv.DictReader(f))[-1]["wall_seconds"])
    check_timing("run A", "a", log, wall)

    # run B: lines between outputs, a SIGTERM, the resumed run
    with open("b.prm", "w") as f:
        f.write("include %s\nset End time = 100\nset Output directory = b\n"
                "subsection Output\n set Time between outputs = 100\n set Progress interval = 0.5\nend\n"
                % example)
    # line-buffered through the pipe (stdbuf), so that the lines come as printed
    run = subprocess.Popen(["stdbuf", "-oL", chemokin, "b.prm"], stdout=subprocess.PIPE, text=True)
    # SIGTERM once four progress lines have come (the t = 0 line and three
    # between outputs), however fast the machine: the run is then at 10 %
    head = []
    for line in run.stdout:
        head.append(line)
        if len(progress_lines("".join(head))) >= 4:
            break
    run.send_signal(signal.SIGTERM)
    log_first = "".join(head) + run.communicate()[0]
    check("run B: SIGTERM writes a checkpoint", run.returncode == 0 and "checkpoint written" in log_first,
          "exit %d" % run.returncode)
    between = progress_lines(log_first)[1:]
    check("run B: progress lines between output times", len(between) >= 3 and
          all(m.group(5) for m in between), "%d lines" % len(between))
    start = time.monotonic()
    log = subprocess.run([chemokin, "b.prm"], capture_output=True, text=True, check=True).stdout
    external = time.monotonic() - start
    resumed = [m for m in progress_lines(log) if float(m.group(4)) < 100]
    check("run B, resumed: lines carry a percentage and a time left",
          "resuming from" in log and len(resumed) >= 2 and all(m.group(5) for m in resumed[1:]),
          "%d lines" % len(resumed))
    own = re.search(r"chemokin: wall time ([0-9.]+) s", log)
    check("run B, resumed: its own wall time, not the whole run's",
          own and float(own.group(1)) <= external, own.group(0) if own else "missing")
    if own:
        check_timing("run B, resumed", "b", log, float(own.group(1)))
    print("PASSED" if failures == 0 else "FAILED (%d)" % failures)
    return failures


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    sys.exit(main(*[os.path.abspath(a) for a in sys.argv[1:]]))
