#!/usr/bin/env python3
"""The reproducers of issue 14 (docs/reliability.md), as tests: usage `reliability.py RMDP_BINARY [CASE ...]`.

Each case builds its input (in a scratch directory: deep nesting, devices, FIFOs, tampered
counterexamples, gamma just below 1) and runs rmdp on it. A case passes when rmdp exits with the
documented status (2 bad input, 1 not confirmed, 5 time limit), never by a signal, never with
"internal error", within the timeout, with a message naming the file and the field or problem.
Prints one line per case, then "N passed, M failed"; exits 1 if any case failed.
"""

import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
EXAMPLES = os.path.join(ROOT, "examples")

GAMMA_2_60 = f"{2**60 - 1}/{2**60}"  # 1 - 2^-60: rounds to 1 in double and in 53-bit MPFR
GAMMA_2_53 = f"{2**53 - 1}/{2**53}"  # 1 - 2^-53: a double, but no digit survives a solve


def load(name):
    with open(os.path.join(EXAMPLES, name)) as f:
        return json.load(f)


def write(tmp, name, content):
    path = os.path.join(tmp, name)
    with open(path, "w") as f:
        f.write(content if isinstance(content, str) else json.dumps(content))
    return path


def run(binary, args, timeout=60, stdout=subprocess.PIPE):
    return subprocess.run([binary] + args, stdout=stdout, stderr=subprocess.PIPE, text=True, timeout=timeout,
                          errors="replace")


def expect(proc, status, *needles):
    """Problems of a finished run, as a list of strings (empty: the case passes)."""
    problems = []
    if proc.returncode < 0:
        problems.append(f"killed by signal {-proc.returncode}")
    elif proc.returncode != status:
        problems.append(f"exit status {proc.returncode}, expected {status}")
    text = (proc.stdout or "") + proc.stderr
    if "internal error" in text:
        problems.append("reports an internal error")
    for n in needles:
        if n not in text:
            problems.append(f"output lacks {n!r}: {text[:400]!r}")
    return problems


def counterexample(claim, instance, violation=None):
    cx = {"format": "rmdp-counterexample", "version": 1, "claim": claim, "instance": instance}
    if violation is not None:
        cx["violation"] = violation
    return cx


# ---- cases: each takes (binary, tmp) and returns a list of problems ----

def verify_extra_without_mdp(b, tmp):
    # 106-byte files that crashed 11 of 12 claims and made frechet-subgradient print "holds".
    problems = []
    for claim in ["pdl", "frechet-subgradient", "occupancy-difference", "rpmd-recursion"]:
        p = write(tmp, "cx.json", counterexample(claim, {"extra": {"x": 1}, "policies": {}}))
        problems += expect(run(b, ["verify", p]), 2, p, "instance.mdp")
    return problems


def verify_deep_nesting(b, tmp):
    problems = []
    for where in ["extra", "policies"]:
        inner = "[" * 200000 + "]" * 200000
        text = '{"format": "rmdp-counterexample", "claim": "pdl", "instance": {"%s": {"x": %s}}}' % (where, inner)
        p = write(tmp, "deep.json", text)
        problems += expect(run(b, ["verify", p]), 2, p, "nesting deeper than")
    return problems


def number_overflows_double(b, tmp):
    problems = []
    m = load("two-state.json")
    text = json.dumps(m).replace('"9/10"', "1e400", 1)
    p = write(tmp, "overflow.json", text)
    problems += expect(run(b, ["solve", p]), 2, p, "1e400", "overflows a double")
    p = write(tmp, "values.json", "[1e999, 0]")
    problems += expect(run(b, ["crosscheck", os.path.join(EXAMPLES, "two-state.json"), "--values", p]), 2, p,
                       "overflows a double")
    return problems


def verify_format_not_string(b, tmp):
    problems = []
    for fmt in ["1", "null", "[]"]:
        p = write(tmp, "fmt.json", '{"format": %s}' % fmt)
        problems += expect(run(b, ["verify", p]), 2, p, "field 'format'")
    return problems


def gamma_rounds_to_one(b, tmp):
    m = load("two-state.json")
    m["gamma"] = GAMMA_2_60
    p = write(tmp, "gamma.json", m)
    problems = []
    for arith in ["double", "mpfr:53"]:
        for method in ["pi", "vi"]:
            problems += expect(run(b, ["solve", p, "--arith", arith, "--method", method]), 2, p, "field 'gamma'",
                               "rounds to 1", "mpfr:125")
    problems += expect(run(b, ["evaluate", p, "--policy", os.path.join(EXAMPLES, "two-state-policy.json"),
                               "--arith", "double"]), 2, p, "field 'gamma'")
    problems += expect(run(b, ["solve", p, "--arith", "mpfr:200"]), 0)  # an arithmetic that can do it
    return problems


def counterexample_dir_unusable(b, tmp):
    f = write(tmp, "a-file", "x")
    args = ["check", "--claim", "resolvent-norm:b", "--trials", "200", "--seed", "1", "--counterexample-dir"]
    return expect(run(b, args + [f], timeout=120), 2, f) + \
        expect(run(b, args + [os.path.join(f, "sub")], timeout=120), 2, "a-file")


def rpmd_euclid_huge_eta(b, tmp):
    ex = os.path.join(EXAMPLES, "rpmd-l1.json")
    problems = []
    for arith in ["double", "mpfr:53"]:
        problems += expect(run(b, ["rpmd", ex, "--eta", "1e16", "--arith", arith, "--steps", "3"]), 2, "--eta",
                           "left the simplex")
    # a moderate step is labelled uncertified
    problems += expect(run(b, ["rpmd", ex, "--eta", "1/2", "--arith", "double", "--steps", "3"]), 0, "UNCERTIFIED")
    out = run(b, ["rpmd", ex, "--eta", "1/2", "--arith", "double", "--steps", "3", "--json"])
    if out.returncode != 0 or json.loads(out.stdout).get("certified") is not False:
        problems.append("--json of a double run lacks certified: false")
    return problems


def rpmd_kl_gamma_near_one(b, tmp):
    m = load("rpmd-l1.json")
    problems = []
    for gamma, needle in [(GAMMA_2_60, "rounds to 1"), (GAMMA_2_53, "too close to 1")]:
        m["gamma"] = gamma
        p = write(tmp, "kl.json", m)
        problems += expect(run(b, ["rpmd", p, "--bregman", "kl", "--arith", "double", "--steps", "3"]), 2, p,
                           "field 'gamma'", needle)
    return problems


def duplicate_keys(b, tmp):
    p = write(tmp, "dup.json", '{"states": 1, "actions": 1, "gamma": "1/2", "gamma": "1/3", "cost": [[1]], "P": [[[1]]]}')
    return expect(run(b, ["solve", p]), 2, p, "field 'gamma'", "duplicate key")


def literal_2_63(b, tmp):
    problems = []
    for lit in ["9223372036854775808", "18446744073709551615", "-9223372036854775808"]:
        p = write(tmp, "big.json", '{"states": 1, "actions": 1, "gamma": "1/2", "cost": [[%s]], "P": [[[1]]]}' % lit)
        problems += expect(run(b, ["solve", p]), 2, p, "cost[0][0]", "2^63")
    p = write(tmp, "ok.json", '{"states": 1, "actions": 1, "gamma": "1/2", "cost": [[9223372036854775807]], "P": [[[1]]]}')
    problems += expect(run(b, ["solve", p]), 0)
    return problems


def write_failures(b, tmp):
    if not os.path.exists("/dev/full"):
        return []
    ex = os.path.join(EXAMPLES, "rpmd-l1.json")
    problems = expect(run(b, ["rpmd", ex, "--arith", "double", "--steps", "2", "--csv", "/dev/full"]), 2,
                      "/dev/full", "--csv")
    with open("/dev/full", "w") as full:
        problems += expect(run(b, ["solve", os.path.join(EXAMPLES, "two-state.json")], stdout=full), 2,
                           "standard output")
    return problems


def verify_tampered_violation(b, tmp):
    out = run(b, ["check", "--claim", "resolvent-norm:b", "--trials", "200", "--seed", "1", "--json",
                  "--counterexample-dir", tmp], timeout=120)
    if out.returncode != 0:
        return [f"check failed: {out.stderr[:300]}"]
    doc = json.loads(out.stdout)  # `check --json`: {"rows": [...], ...} (docs/format.md)
    path = (doc["rows"] if isinstance(doc, dict) else doc)[0]["counterexample_file"]
    with open(path) as f:
        cx = json.load(f)
    problems = expect(run(b, ["verify", path]), 0, "confirmed")
    for key, value in [("lhs", "12345/7"), ("rhs", "0"), ("relation", "==")]:
        bad = json.loads(json.dumps(cx))
        bad["violation"][key] = value
        p = write(tmp, "tampered.json", bad)
        problems += expect(run(b, ["verify", p]), 1, "NOT confirmed", f"violation.{key} recorded as")
    bad = json.loads(json.dumps(cx))
    del bad["violation"]
    p = write(tmp, "no-violation.json", bad)
    problems += expect(run(b, ["verify", p]), 2, p, "field 'violation'")
    return problems


def devices_and_fifos(b, tmp):
    fifo = os.path.join(tmp, "fifo")
    os.mkfifo(fifo)
    problems = []
    for path in ["/dev/zero", "/dev/urandom", fifo, tmp]:
        problems += expect(run(b, ["solve", path], timeout=10), 2, path)
    problems += expect(run(b, ["verify", fifo], timeout=10), 2, "not a regular file")
    return problems


def size_and_depth_limits(b, tmp):
    ex = os.path.join(EXAMPLES, "two-state.json")
    env = dict(os.environ, RMDP_MAX_INPUT_BYTES="50")
    p1 = subprocess.run([b, "solve", ex], capture_output=True, text=True, env=env, timeout=30)
    env = dict(os.environ, RMDP_MAX_JSON_DEPTH="2")
    p2 = subprocess.run([b, "solve", ex], capture_output=True, text=True, env=env, timeout=30)
    env = dict(os.environ, RMDP_MAX_JSON_DEPTH="lots")
    p3 = subprocess.run([b, "solve", ex], capture_output=True, text=True, env=env, timeout=30)
    return expect(p1, 2, "larger than 50 bytes") + expect(p2, 2, "nesting deeper than 2") + \
        expect(p3, 2, "RMDP_MAX_JSON_DEPTH")


def time_limit(b, tmp):
    # A 1 KB rpmd-recursion counterexample: 4x3, 1000 exact steps of eta = 1/1000 (minutes of work).
    m = load("rpmd-l1.json")
    pi0 = [["1/3", "1/3", "1/3"]] * 4
    cx = counterexample("rpmd-recursion", {"mdp": m, "policies": {"pi0": pi0},
                                           "extra": {"eta": "1/1000", "steps": 1000, "bregman": "euclid"}},
                        {"where": "k=0", "lhs": "0", "relation": "<=", "rhs": "0"})
    p = write(tmp, "long.json", cx)
    problems = expect(run(b, ["verify", p, "--time-limit", "2"], timeout=30), 5, "time limit")
    problems += expect(run(b, ["--time-limit", "2", "verify", p], timeout=30), 5, "time limit")
    mb = load("mbpo-two-state.json")
    mb["k"] = 100000
    p = write(tmp, "mbpo-k.json", mb)
    problems += expect(run(b, ["mbpo", p, "--time-limit", "2"], timeout=30), 5, "time limit", "warning")
    # value iteration whose contraction needs more iterations than its limit: refused before the work
    slow = load("gamma999-l1.json")
    slow["gamma"] = "999999/1000000"
    p = write(tmp, "slow.json", slow)
    problems += expect(run(b, ["solve", p, "--method", "vi", "--arith", "double"], timeout=30), 2, "--method pi")
    problems += expect(run(b, ["solve", os.path.join(EXAMPLES, "two-state.json"), "--time-limit", "-1"]), 2)
    return problems


def sparse_kernel(b, tmp):
    # "P_sparse" is the same MDP as "P" (same exact output); its errors name P_sparse fields; a small
    # file naming a huge state count is refused before any allocation (kernels are stored densely).
    problems = []
    m = load("two-state.json")
    sp = {k: v for k, v in m.items() if k != "P"}
    sp["P_sparse"] = [[[[t, p] for t, p in enumerate(row) if p not in (0, "0")] for row in rows] for rows in m["P"]]
    dense, sparse = os.path.join(EXAMPLES, "two-state.json"), write(tmp, "sparse.json", sp)
    a, c = run(b, ["solve", dense, "--json"]), run(b, ["solve", sparse, "--json"])
    if a.returncode != 0 or c.returncode != 0 or json.loads(a.stdout)["V"] != json.loads(c.stdout)["V"]:
        problems.append(f"P_sparse twin does not solve to the same V: {a.stdout[:200]!r} / {c.stdout[:200]!r}")
    bad = [
        ({**sp, "P": m["P"]}, "field 'P_sparse'", "not both"),
        ({**sp, "P_sparse": [[[[0, "1/2"], [0, "1/2"]], [[0, 1]]], sp["P_sparse"][1]]}, "P_sparse[0][0][1][0]", "listed twice"),
        ({**sp, "P_sparse": [[[[2, 1]], [[0, 1]]], sp["P_sparse"][1]]}, "P_sparse[0][0][0][0]", "not a state index"),
        ({**sp, "P_sparse": [[[[-1, 1]], [[0, 1]]], sp["P_sparse"][1]]}, "P_sparse[0][0][0][0]", "not a state index"),
        ({**sp, "P_sparse": [[[[0, "1/2"]], [[0, 1]]], sp["P_sparse"][1]]}, "P_sparse[0][0]", "sum to 1/2"),
        ({**sp, "P_sparse": [[[0, 1], [[0, 1]]], sp["P_sparse"][1]]}, "P_sparse[0][0][0]", "expected a pair"),
        ({**sp, "P_sparse": [[{"0": 1}, [[0, 1]]], sp["P_sparse"][1]]}, "P_sparse[0][0]", "expected an array"),
        ({**sp, "states": 1000000, "cost": [[0, 0]]}, "field 'states'", "RMDP_MAX_KERNEL_ENTRIES"),
    ]
    for k, (doc, field, what) in enumerate(bad):
        p = write(tmp, f"bad{k}.json", doc)
        problems += expect(run(b, ["solve", p]), 2, p, field, what)
    return problems


def instance_with_campaign_options(b, tmp):
    # --instance decides one given instance: options that set up random instances are refused, not ignored.
    cx = os.path.join(EXAMPLES, "occupancy-difference-counterexample.json")
    problems = []
    for extra in (["--trials", "5"], ["--seed", "3"], ["-j", "2"], ["--shard", "1/2"], ["--generator-version", "1"]):
        problems += expect(run(b, ["check", "--claim", "occupancy-difference", "--instance", cx] + extra), 2,
                           "does not apply to --instance")
    problems += expect(run(b, ["check", "--claim", "occupancy-difference", "--instance", cx]), 0)
    return problems


CASES = [verify_extra_without_mdp, verify_deep_nesting, number_overflows_double, verify_format_not_string,
         gamma_rounds_to_one, counterexample_dir_unusable, rpmd_euclid_huge_eta, rpmd_kl_gamma_near_one,
         duplicate_keys, literal_2_63, write_failures, verify_tampered_violation, devices_and_fifos,
         size_and_depth_limits, time_limit, sparse_kernel,
         instance_with_campaign_options]


def main():
    binary = os.path.abspath(sys.argv[1])
    wanted = sys.argv[2:]
    passed = failed = 0
    for case in CASES:
        if wanted and case.__name__ not in wanted:
            continue
        with tempfile.TemporaryDirectory(prefix="rmdp-reliability-") as tmp:
            try:
                problems = case(binary, tmp)
            except subprocess.TimeoutExpired as e:
                problems = [f"did not finish within {e.timeout} s: {e.cmd}"]
        if problems:
            failed += 1
            print(f"FAIL {case.__name__}")
            for p in problems:
                print(f"     - {p}")
        else:
            passed += 1
            print(f"ok   {case.__name__}")
        sys.stdout.flush()
    print(f"{passed} passed, {failed} failed")
    return 1 if failed or not passed else 0


if __name__ == "__main__":
    sys.exit(main())
