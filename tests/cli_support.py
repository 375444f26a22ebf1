"""What the command-line tests (tests/*.py) share: run rmdp and assert its exit status, and check a
condition with a message. Imported by the scripts next to it (they run as `python3 tests/X.py`)."""

import subprocess


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
