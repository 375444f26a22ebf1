#!/usr/bin/env python3
"""Malformed input is a test: run every case of cases.txt against an rmdp binary.

usage: run_malformed.py RMDP_BINARY [--cases FILE] [--timeout SECONDS] [-v]

A case passes when rmdp
  * exits with status exactly 2 (bad input or usage), not by a signal;
  * prints nothing on stdout that parses as JSON (a failed run must not look like a result);
  * writes to stderr a message that starts with "rmdp: error:", contains the case's expected
    substring (which names the field or the problem), and does not say "internal error";
  * finishes within the timeout (5 s by default).
Prints one line per case, then "N passed, M failed"; exits 1 if any case failed.
"""

import argparse
import json
import os
import shlex
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def load_cases(path):
    cases = []
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            parts = [p.strip() for p in line.split("|")]
            if len(parts) != 3 or not all(parts):
                raise SystemExit(f"{path}:{lineno}: expected 'name | arguments | substring'")
            cases.append((lineno, parts[0], parts[1], parts[2]))
    return cases


def looks_like_json(text):
    text = text.strip()
    if not text:
        return False
    try:
        json.loads(text)
        return True
    except ValueError:
        return False


def run_case(binary, args, expect, timeout):
    """Returns (problems, stderr); problems is empty when the case passes."""
    try:
        proc = subprocess.run([binary] + args, capture_output=True, text=True, timeout=timeout,
                              errors="replace")
    except subprocess.TimeoutExpired:
        return [f"did not finish within {timeout} s"], ""
    problems = []
    out, err = proc.stdout, proc.stderr
    if proc.returncode < 0:
        problems.append(f"killed by signal {-proc.returncode}")
    elif proc.returncode != 2:
        problems.append(f"exit status {proc.returncode}, expected 2")
    if looks_like_json(out):
        problems.append("stdout holds JSON: " + out.strip()[:120])
    if "internal error" in err:
        problems.append("stderr reports an internal error")
    if not err.startswith("rmdp: error:"):
        problems.append("stderr does not start with 'rmdp: error:': " + repr(err[:160]))
    if expect not in err:
        problems.append(f"stderr lacks {expect!r}: " + repr(err[:300]))
    return problems, err


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("binary", help="path to the rmdp executable")
    ap.add_argument("--cases", default=os.path.join(HERE, "cases.txt"))
    ap.add_argument("--timeout", type=float, default=5.0, help="seconds per case")
    ap.add_argument("-v", "--verbose", action="store_true", help="show stderr of passing cases too")
    opts = ap.parse_args()

    binary = os.path.abspath(opts.binary)
    if not os.access(binary, os.X_OK):
        raise SystemExit(f"run_malformed.py: {binary} is not an executable")
    cases = load_cases(opts.cases)
    passed = failed = 0
    with tempfile.TemporaryDirectory(prefix="rmdp-malformed-") as tmp:
        for lineno, name, argtext, expect in cases:
            args = [a.replace("{dir}", HERE).replace("{tmp}", tmp) for a in shlex.split(argtext)]
            problems, err = run_case(binary, args, expect, opts.timeout)
            if problems:
                failed += 1
                print(f"FAIL {name} (cases.txt:{lineno}): rmdp {' '.join(shlex.quote(a) for a in args)}")
                for p in problems:
                    print(f"     - {p}")
            else:
                passed += 1
                print(f"ok   {name}" + (f": {err.strip()}" if opts.verbose else ""))
            sys.stdout.flush()
        # No case may leave a counterexample behind (nothing was computed).
        leftovers = [f for _, _, fs in os.walk(tmp) for f in fs]
        if leftovers:
            failed += 1
            print(f"FAIL scratch directory: bad input wrote files {leftovers}")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
