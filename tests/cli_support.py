"""What the command-line tests (tests/*.py) share: run rmdp and assert its exit status, and check a
condition with a message. Imported by the scripts next to it (they run as `python3 tests/X.py`)."""

import os
import subprocess
import sys


def run(binary, *args, status=0, timeout=280, cwd=None):
    """rmdp ARGS (numbers are passed as text), asserting exit status `status`; the CompletedProcess."""
    args = [str(a) for a in args]
    proc = subprocess.run([binary, *args], capture_output=True, text=True, timeout=timeout, cwd=cwd)
    if proc.returncode != status:
        raise AssertionError(f"rmdp {' '.join(args)}: exit {proc.returncode}, expected {status}\n"
                             f"stdout: {proc.stdout[-3000:]}\nstderr: {proc.stderr[-3000:]}")
    return proc


def check(cond, what):
    if not cond:
        raise AssertionError(what)


def main(cases, usage):
    """`python3 tests/X.py RMDP_BINARY CASE`: runs the case named CASE (one of the functions `cases`)
    with the binary's absolute path. Exit 0 and "ok CASE" when it passes; 1 and "FAIL CASE: ..."
    when a check fails; 2 and `usage` on bad arguments."""
    by_name = {f.__name__: f for f in cases}
    if len(sys.argv) != 3 or sys.argv[2] not in by_name:
        print(usage)
        return 2
    binary, case = os.path.abspath(sys.argv[1]), sys.argv[2]
    try:
        by_name[case](binary)
    except (AssertionError, KeyError, ValueError, StopIteration, subprocess.TimeoutExpired) as e:
        print(f"FAIL {case}: {type(e).__name__}: {e}")
        return 1
    print(f"ok   {case}")
    return 0
