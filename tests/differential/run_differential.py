#!/usr/bin/env python3
"""Differential test: `rmdp evaluate` against the independent exact reference.

Usage:
    run_differential.py RMDP_BINARY [--count N] [--seed S] [--keep-dir DIR]
                        [--modes exact,double,mpfr:200] [--bad-inputs] [-v]

For each of N random instances (drawn with random.Random(S)) it writes an MDP
file and a policy file, computes V and Q exactly with exact_reference.py, and
runs, for each arithmetic mode,

    RMDP evaluate MDP.json --policy POL.json --json --arith MODE

  * exact:          every V and Q string must equal the reference's canonical
                    "p/q" / "p" string (so the value is exactly equal and the
                    spelling canonical).
  * double, mpfr:B: every printed value, read exactly as a decimal, must lie
                    within the printed V_error_bound / Q_error_bound of the
                    exact value:  |V^(s) - V(s)| <= V_error_bound, and the same
                    for Q.  All of this is checked in exact rational arithmetic.

One (instance, mode) pair is one comparison. With --bad-inputs, a few invalid
files are also fed to rmdp, each of which must give a non-zero exit status and
a message on stderr; each is one more comparison.

Prints the seed first, every mismatch (instance file, entry, both values), and
at the end exactly one summary line "N passed, M failed". Exit status 0 iff
M == 0 (2 for a usage error, e.g. a missing binary).

Environment: RMDP_DIFF_COUNT and RMDP_DIFF_SEED set the defaults of --count and
--seed (e.g. RMDP_DIFF_COUNT=1000 for a longer campaign).
"""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
from fractions import Fraction

sys.dont_write_bytecode = True  # keep __pycache__ out of the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import exact_reference as ref  # noqa: E402

DEFAULT_COUNT = 40
DEFAULT_SEED = 20240521
DEFAULT_MODES = "exact,double,mpfr:200"
MAX_REPORTED_PER_COMPARISON = 6

# --------------------------------------------------------------------------
# Number spellings
# --------------------------------------------------------------------------


def decimal_parts(x: Fraction):
    """(N, k) with x = N / 10^k and k minimal, or None if x has no finite
    decimal expansion (denominator not of the form 2^a 5^b)."""
    q = x.denominator
    a = b = 0
    while q % 2 == 0:
        q //= 2
        a += 1
    while q % 5 == 0:
        q //= 5
        b += 1
    if q != 1:
        return None
    k = max(a, b)
    N = x * 10**k
    assert N.denominator == 1
    return N.numerator, k


def exact_double(x: Fraction):
    """The double equal to x, or None if x is not exactly a double."""
    try:
        f = float(x)
    except OverflowError:
        return None
    return f if Fraction(f) == x else None


def decimal_string(x: Fraction, rng: random.Random) -> str:
    N, k = decimal_parts(x)
    extra = rng.choice([0, 0, 0, 1, 2])  # harmless trailing zeros
    k += extra
    N *= 10**extra
    sign = "-" if N < 0 else ""
    if k == 0:
        return f"{sign}{abs(N)}.0"
    digits = str(abs(N)).rjust(k + 1, "0")
    return f"{sign}{digits[:-k]}.{digits[-k:]}"


def scientific_string(x: Fraction, rng: random.Random) -> str:
    N, k = decimal_parts(x)
    e_char = rng.choice(["e", "e", "E"])
    if N == 0:
        return rng.choice(["0e0", "0.0e+00", "0E5"])
    sign = "-" if N < 0 else ""
    digits = str(abs(N))
    if rng.random() < 0.5:  # integer mantissa: 125e-3
        mantissa, exp = digits, -k
    else:  # normalised: 1.25e-1
        mantissa = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        exp = len(digits) - 1 - k
    exp_text = rng.choice([str(exp), f"{exp:+d}", f"{exp:+03d}"])
    return f"{sign}{mantissa}{e_char}{exp_text}"


INT_JSON_LIMIT = 2**62  # JSON integer literals are kept within int64


def spell(x: Fraction, rng: random.Random, float_weight: float = 2.0):
    """A random valid JSON spelling of the exact value x."""
    x = Fraction(x)
    kinds, weights = ["frac"], [3.0]
    if x.denominator == 1 and abs(x) < INT_JSON_LIMIT:
        kinds.append("int")
        weights.append(3.0)
    if abs(x.numerator) < 10**6 and x.denominator < 10**6:
        kinds.append("unreduced")
        weights.append(0.3)
    if exact_double(x) is not None:
        kinds.append("float")
        weights.append(float_weight)
    dp = decimal_parts(x)
    if dp is not None and dp[1] <= 60:
        kinds += ["decimal", "scientific"]
        weights += [2.0, 1.5]
    if x == 0:
        kinds += ["negzero"]
        weights += [0.5]
    kind = rng.choices(kinds, weights)[0]
    if kind == "frac":
        return ref.format_fraction(x)
    if kind == "int":
        return int(x)
    if kind == "unreduced":
        k = rng.randint(2, 6)
        return f"{x.numerator * k}/{x.denominator * k}"
    if kind == "float":
        return exact_double(x)
    if kind == "decimal":
        return decimal_string(x, rng)
    if kind == "scientific":
        return scientific_string(x, rng)
    if kind == "negzero":
        return rng.choice(["-0", -0.0, "-0.0", "0/7", "-0e3"])
    raise AssertionError(kind)


# --------------------------------------------------------------------------
# Random instances
# --------------------------------------------------------------------------

# Discount factors, taken in turn (index i % len) so that every one of them is
# covered whatever the seed, as long as count >= len(GAMMAS).
GAMMAS = [
    "0", "999/1000", 0.5, "9/10", 0, "0.999", "1/2", 0.9, "9.99e-1", 0.0,
    "3/4", "99/100", "1e-3", "0.123456789", 0.999, "RANDOM", "0.95", "5/7",
]

ROW_STYLES = ["deterministic", "sparse", "dense"]
WEIGHT_SCHEMES = ["fraction", "dyadic", "decimal", "thirds", "tiny", "bigfraction"]
COST_STYLES = ["int", "zero", "fraction", "decimal", "float", "big", "mixed"]


def split_total(total: int, parts: int, rng: random.Random) -> list[int]:
    """`parts` positive integers summing to `total` (total >= parts)."""
    cuts = sorted(rng.sample(range(1, total), parts - 1))
    bounds = [0] + cuts + [total]
    return [bounds[i + 1] - bounds[i] for i in range(parts)]


def random_simplex(length: int, style: str, scheme: str, rng: random.Random) -> list[Fraction]:
    if style == "deterministic" or length == 1:
        support = [rng.randrange(length)]
    elif style == "sparse":
        support = rng.sample(range(length), rng.randint(1, min(3, length)))
    else:
        support = list(range(length))
        if length > 3 and rng.random() < 0.3:  # "dense" with a few holes
            support = rng.sample(support, length - rng.randint(1, length // 2))
    s = len(support)
    if s == 1:
        weights = [Fraction(1)]
    elif scheme == "fraction":
        w = [rng.randint(1, 9) for _ in range(s)]
        weights = [Fraction(x, sum(w)) for x in w]
    elif scheme == "bigfraction":
        w = [rng.randint(1, 10**12) for _ in range(s)]
        weights = [Fraction(x, sum(w)) for x in w]
    elif scheme == "dyadic":
        d = max(s - 1, 0).bit_length() + rng.randint(0, 6)
        weights = [Fraction(x, 2**d) for x in split_total(2**d, s, rng)]
    elif scheme == "decimal":
        d = 1
        while 10**d < s:
            d += 1
        d += rng.randint(0, 3)
        weights = [Fraction(x, 10**d) for x in split_total(10**d, s, rng)]
    elif scheme == "thirds":
        weights = [Fraction(1, s)] * s
    elif scheme == "tiny":
        eps = Fraction(1, 10 ** rng.randint(6, 15))
        weights = [eps] * (s - 1) + [1 - (s - 1) * eps]
        rng.shuffle(weights)
    else:
        raise AssertionError(scheme)
    row = [Fraction(0)] * length
    for idx, w in zip(support, weights):
        row[idx] = w
    assert sum(row) == 1 and all(x >= 0 for x in row)
    return row


def random_cost(style: str, rng: random.Random):
    """(json_value, exact value) for one cost entry."""
    if style == "mixed":
        style = rng.choice([s for s in COST_STYLES if s != "mixed"])
    if style == "int":
        v = Fraction(rng.randint(-10, 10))
    elif style == "zero":
        v = Fraction(0) if rng.random() < 0.7 else Fraction(rng.randint(-3, 3))
    elif style == "fraction":
        v = Fraction(rng.randint(-100, 100), rng.randint(1, 30))
    elif style == "decimal":
        v = Fraction(rng.randint(-10**5, 10**5), 10 ** rng.randint(0, 5))
    elif style == "float":
        f = rng.choice([
            rng.uniform(-100, 100),
            rng.uniform(-1, 1) * 10.0 ** rng.randint(-8, 8),
            0.1, -0.3, 1 / 3, 2 / 3, 1e-07, -2.5e10, 5e-324,
        ])
        # A float literal means the exact binary value of the double.
        return (f if rng.random() < 0.85 else spell(Fraction(f), rng)), Fraction(f)
    elif style == "big":
        r = rng.random()
        if r < 0.15:
            v = Fraction(rng.choice([2**53 + 1, -(2**53 + 1), 2**62 - 1, -(2**62)]))
            return int(v), v  # JSON integer that a double cannot hold
        v = Fraction(rng.randint(-10**25, 10**25), rng.randint(1, 10**15))
        return ref.format_fraction(v), v
    else:
        raise AssertionError(style)
    return spell(v, rng), v


def random_gamma(i: int, rng: random.Random):
    g = GAMMAS[i % len(GAMMAS)]
    if g == "RANDOM":
        q = rng.randint(2, 1000)
        v = Fraction(rng.randint(0, q - 1), q)
        return spell(v, rng), v
    return g, ref.parse_number(g)


def generate_instance(i: int, count: int, rng: random.Random):
    """Returns (mdp_json, policy_json, exact) where exact holds the intended
    Fractions, used to check that the files say what was meant."""
    large_slots = [k for k in range(count) if k % 12 == 5]
    if i in large_slots:
        n = 20 if i == large_slots[0] else rng.randint(12, 20)
        m = rng.randint(1, 3)
    elif i == 0:
        n, m = 1, 1
    else:
        n, m = rng.randint(1, 8), rng.randint(1, 4)
    gamma_json, gamma = random_gamma(i, rng)

    row_style = rng.choice(ROW_STYLES + ["mixed"])
    scheme = rng.choice(WEIGHT_SCHEMES + ["mixed", "mixed"])
    if n >= 12 and scheme in ("bigfraction", "mixed"):
        scheme = "fraction"  # keep the large exact solves quick
    cost_style = rng.choice(COST_STYLES)

    def pick_row_style():
        return rng.choice(ROW_STYLES) if row_style == "mixed" else row_style

    def pick_scheme():
        return rng.choice(WEIGHT_SCHEMES) if scheme == "mixed" else scheme

    float_weight = rng.choice([0.0, 2.0, 6.0])  # some instances all-string

    P = [[random_simplex(n, pick_row_style(), pick_scheme(), rng) for _ in range(m)]
         for _ in range(n)]
    cost_pairs = [[random_cost(cost_style, rng) for _ in range(m)] for _ in range(n)]
    pol_style = rng.choice(ROW_STYLES + ["mixed"])
    policy = [random_simplex(m, rng.choice(ROW_STYLES) if pol_style == "mixed" else pol_style,
                             pick_scheme(), rng) for _ in range(n)]

    mdp_json = {
        "states": n,
        "actions": m,
        "gamma": gamma_json,
        "cost": [[c for c, _ in row] for row in cost_pairs],
        "P": [[[spell(p, rng, float_weight) for p in row] for row in per_s] for per_s in P],
    }
    rho = None
    if rng.random() < 0.3:
        rho = random_simplex(n, "dense", "fraction", rng)
        mdp_json["rho"] = [spell(x, rng, float_weight) for x in rho]
    pol_json = {"policy": [[spell(p, rng, float_weight) for p in row] for row in policy]}
    exact = {
        "gamma": gamma,
        "cost": [[v for _, v in row] for row in cost_pairs],
        "P": P,
        "policy": policy,
        "rho": rho,
        "desc": f"n={n} m={m} gamma={ref.format_fraction(gamma)} rows={row_style}/{scheme} "
                f"cost={cost_style} policy={pol_style}",
    }
    return mdp_json, pol_json, exact


def write_json(path: str, obj, rng: random.Random):
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(obj, fh, indent=rng.choice([None, None, 1, 2]))
        fh.write("\n")


# --------------------------------------------------------------------------
# Running rmdp and comparing
# --------------------------------------------------------------------------


def abbreviate(text: str, limit: int = 240) -> str:
    """Shorten huge exact fractions in messages (full values are in the files)."""
    if len(text) <= limit:
        return text
    return f"{text[:limit // 2]}...[{len(text)} chars]...{text[-limit // 2:]}"


def run_rmdp(binary: str, args: list[str], timeout: float):
    try:
        proc = subprocess.run([binary] + args, capture_output=True, text=True, timeout=timeout)
        return proc.returncode, proc.stdout, proc.stderr
    except subprocess.TimeoutExpired:
        return None, "", f"timed out after {timeout} s"
    except OSError as exc:
        return None, "", f"could not run: {exc}"


def read_printed_value(value, what: str):
    """Exact rational value of a printed number string; raises ValueError."""
    if not isinstance(value, str):
        raise ValueError(f"{what}: expected a string, got {json.dumps(value)}")
    try:
        return ref.parse_number_string(value, what)
    except ref.InputError as exc:
        raise ValueError(str(exc)) from None


def half_unit_in_last_digit(text: str) -> Fraction:
    """Half a unit in the last place of a printed decimal such as "-1.25e-3"."""
    mantissa, _, exp = text.lower().partition("e")
    frac_digits = len(mantissa.partition(".")[2])
    return Fraction(1, 2) * Fraction(10) ** (int(exp or 0) - frac_digits)


def compare(mode: str, stdout: str, V, Q, stats: dict) -> list[str]:
    """List of problems with rmdp's output for this mode (empty: passed)."""
    n, m = len(V), len(Q[0])
    try:
        out = json.loads(stdout)
    except json.JSONDecodeError as exc:
        return [f"stdout is not JSON ({exc}): {stdout[:300]!r}"]
    if not isinstance(out, dict):
        return ["stdout is not a JSON object"]
    problems = []
    got_V, got_Q = out.get("V"), out.get("Q")
    if not isinstance(got_V, list) or len(got_V) != n:
        problems.append(f"\"V\" should be a list of {n} strings, got {json.dumps(got_V)[:200]}")
    if (not isinstance(got_Q, list) or len(got_Q) != n
            or any(not isinstance(r, list) or len(r) != m for r in got_Q)):
        problems.append(f"\"Q\" should be {n} lists of {m} strings, got {json.dumps(got_Q)[:200]}")
    if problems:
        return problems
    entries = [(f"V[{s}]", got_V[s], V[s], "V") for s in range(n)]
    entries += [(f"Q[{s}][{a}]", got_Q[s][a], Q[s][a], "Q") for s in range(n) for a in range(m)]

    if mode == "exact":
        for name, got, want, _ in entries:
            want_text = ref.format_fraction(want)
            if got == want_text:
                continue
            note = ""
            try:
                if read_printed_value(got, name) == want:
                    note = " (equal value, but not the canonical lowest-terms spelling)"
            except ValueError:
                pass
            problems.append(f"{name}: rmdp {abbreviate(json.dumps(got))} != "
                            f"reference \"{abbreviate(want_text)}\"{note}")
        return problems

    bounds = {}
    for key, which in (("V_error_bound", "V"), ("Q_error_bound", "Q")):
        if key not in out:
            problems.append(f"missing \"{key}\"")
            continue
        try:
            b = read_printed_value(out[key], key)
        except ValueError as exc:
            problems.append(f"{key}: unreadable: {exc}")
            continue
        if b < 0:
            problems.append(f"{key} is negative: {out[key]}")
        bounds[which] = b
    if problems:
        return problems
    scale = 1 + max(max(abs(v) for v in V), max(abs(q) for row in Q for q in row))
    st = stats.setdefault(mode, {"max_err_over_bound": Fraction(0), "max_bound_over_scale": Fraction(0)})
    for which in ("V", "Q"):
        st["max_bound_over_scale"] = max(st["max_bound_over_scale"], bounds[which] / scale)
    for name, got, want, which in entries:
        try:
            value = read_printed_value(got, name)
        except ValueError as exc:
            problems.append(f"{name}: unreadable value: {exc}")
            continue
        err = abs(value - want)
        bound = bounds[which]
        if err > bound:
            hint = ""
            if err <= bound + half_unit_in_last_digit(got):
                hint = (" [within bound + half a unit in the last printed digit: the bound"
                        " seems not to cover the conversion to decimal]")
            problems.append(
                f"{name}: rmdp {abbreviate(got)} differs from exact "
                f"{abbreviate(ref.format_fraction(want))} "
                f"(~{float(want)!r}) by {float(err):.6g} > {which}_error_bound {out[which + '_error_bound']}{hint}")
        elif bound > 0:
            st["max_err_over_bound"] = max(st["max_err_over_bound"], err / bound)
    return problems


# --------------------------------------------------------------------------
# Invalid inputs (--bad-inputs)
# --------------------------------------------------------------------------


def bad_input_cases():
    """(name, mdp_json or raw text, policy_json) that rmdp must reject."""
    good = {"states": 2, "actions": 2, "gamma": "1/2", "cost": [[1, 2], [3, 4]],
            "P": [[["1/2", "1/2"], [1, 0]], [[0, 1], ["1/4", "3/4"]]]}
    pol = {"policy": [[1, 0], ["1/2", "1/2"]]}

    def with_(**kw):
        d = json.loads(json.dumps(good))
        d.update(kw)
        return d

    return [
        ("row sum 5/6", with_(P=[[["1/2", "1/3"], [1, 0]], [[0, 1], ["1/4", "3/4"]]]), pol),
        ("row sum of doubles 0.1+0.9 != 1", with_(P=[[[0.1, 0.9], [1, 0]], [[0, 1], ["1/4", "3/4"]]]), pol),
        ("negative probability", with_(P=[[["3/2", "-1/2"], [1, 0]], [[0, 1], ["1/4", "3/4"]]]), pol),
        ("gamma = 1", with_(gamma="1"), pol),
        ("gamma < 0", with_(gamma="-1/10"), pol),
        ("zero denominator", with_(cost=[["1/0", 2], [3, 4]]), pol),
        ("not a number", with_(cost=[["abc", 2], [3, 4]]), pol),
        ("short cost row", with_(cost=[[1], [3, 4]]), pol),
        ("missing P", {k: v for k, v in good.items() if k != "P"}, pol),
        ("not JSON", "{\"states\": 2, ", pol),
        ("policy row sum 1/2", good, {"policy": [["1/2", 0], [1, 0]]}),
        ("policy wrong shape", good, {"policy": [[1, 0]]}),
    ]


# --------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("binary", help="path to the rmdp executable")
    ap.add_argument("--count", type=int, default=int(os.environ.get("RMDP_DIFF_COUNT", DEFAULT_COUNT)),
                    help=f"number of random instances (default $RMDP_DIFF_COUNT or {DEFAULT_COUNT})")
    ap.add_argument("--seed", type=int, default=int(os.environ.get("RMDP_DIFF_SEED", DEFAULT_SEED)),
                    help=f"seed of random.Random (default $RMDP_DIFF_SEED or {DEFAULT_SEED})")
    ap.add_argument("--keep-dir", help="write instances here and keep them")
    ap.add_argument("--modes", default=DEFAULT_MODES,
                    help=f"comma-separated arithmetic modes (default {DEFAULT_MODES})")
    ap.add_argument("--bad-inputs", action="store_true",
                    help="also check that invalid files are rejected (counted in the summary)")
    ap.add_argument("--timeout", type=float, default=120.0, help="seconds per rmdp run")
    ap.add_argument("--jobs", type=int, default=max(1, os.cpu_count() or 1),
                    help="rmdp processes run in parallel (default: number of CPUs)")
    ap.add_argument("-v", "--verbose", action="store_true",
                    help="print every passing comparison and error-bound statistics")
    args = ap.parse_args(argv)

    if not (os.path.isfile(args.binary) and os.access(args.binary, os.X_OK)):
        print(f"error: {args.binary} is not an executable file", file=sys.stderr)
        return 2
    modes = [m.strip() for m in args.modes.split(",") if m.strip()]

    if args.keep_dir:
        workdir = os.path.abspath(args.keep_dir)
        os.makedirs(workdir, exist_ok=True)
    else:
        workdir = tempfile.mkdtemp(prefix="rmdp-differential-")
    print(f"differential test: seed {args.seed}, count {args.count}, modes {','.join(modes)}, "
          f"dir {workdir}", flush=True)

    rng = random.Random(args.seed)
    instances = []
    for i in range(args.count):
        mdp_json, pol_json, exact = generate_instance(i, args.count, rng)
        mdp_path = os.path.join(workdir, f"inst_{i:03d}_mdp.json")
        pol_path = os.path.join(workdir, f"inst_{i:03d}_policy.json")
        write_json(mdp_path, mdp_json, rng)
        write_json(pol_path, pol_json, rng)
        # The reference reads the files back with its own parser; they must
        # say exactly what the generator meant.
        mdp = ref.load_mdp(mdp_path)
        policy = ref.load_policy(pol_path, mdp)
        if (mdp.gamma, mdp.cost, mdp.P, policy, mdp.rho) != (
                exact["gamma"], exact["cost"], exact["P"], exact["policy"], exact["rho"]):
            print(f"internal error: generator/parser disagree on {mdp_path}", file=sys.stderr)
            return 2
        V, Q = ref.evaluate(mdp, policy)
        with open(os.path.join(workdir, f"inst_{i:03d}_reference.json"), "w") as fh:
            json.dump(ref.reference_json(mdp, policy), fh)
            fh.write("\n")
        instances.append((i, mdp_path, pol_path, V, Q, exact["desc"]))

    jobs = []
    for i, mdp_path, pol_path, V, Q, desc in instances:
        for mode in modes:
            cmd = ["evaluate", mdp_path, "--policy", pol_path, "--json", "--arith", mode]
            jobs.append((i, mode, mdp_path, pol_path, V, Q, desc, cmd))
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        results = list(pool.map(lambda j: run_rmdp(args.binary, j[7], args.timeout), jobs))

    passed = failed = 0
    stats: dict = {}
    for (i, mode, mdp_path, pol_path, V, Q, desc, cmd), (rc, out, err) in zip(jobs, results):
        if rc != 0:
            problems = [f"exit status {rc}; stderr: {err.strip()[:500]!r}"]
        else:
            problems = compare(mode, out, V, Q, stats)
        if not problems:
            passed += 1
            if args.verbose:
                print(f"ok   inst {i:03d} [{mode}] {desc}")
            continue
        failed += 1
        raw = os.path.join(workdir, f"inst_{i:03d}_{mode.replace(':', '_')}.stdout")
        with open(raw, "w") as fh:
            fh.write(out)
        print(f"FAIL inst {i:03d} [{mode}] {desc}")
        print(f"     instance: {mdp_path}  policy: {pol_path}")
        print(f"     command:  {args.binary} {' '.join(cmd)}")
        print(f"     rmdp stdout saved to {raw}")
        for p in problems[:MAX_REPORTED_PER_COMPARISON]:
            print(f"     {p}")
        if len(problems) > MAX_REPORTED_PER_COMPARISON:
            print(f"     ... and {len(problems) - MAX_REPORTED_PER_COMPARISON} more")
        sys.stdout.flush()

    if args.bad_inputs:
        bad_dir = os.path.join(workdir, "bad")
        os.makedirs(bad_dir, exist_ok=True)
        for k, (name, mdp_obj, pol_obj) in enumerate(bad_input_cases()):
            mdp_path = os.path.join(bad_dir, f"bad_{k:02d}_mdp.json")
            pol_path = os.path.join(bad_dir, f"bad_{k:02d}_policy.json")
            with open(mdp_path, "w") as fh:
                fh.write(mdp_obj if isinstance(mdp_obj, str) else json.dumps(mdp_obj))
            with open(pol_path, "w") as fh:
                json.dump(pol_obj, fh)
            rc, out, err = run_rmdp(args.binary, ["evaluate", mdp_path, "--policy", pol_path,
                                                  "--json", "--arith", "exact"], args.timeout)
            if rc not in (0, None) and err.strip():
                passed += 1
                if args.verbose:
                    print(f"ok   bad input '{name}' rejected: {err.strip().splitlines()[0][:120]}")
            else:
                failed += 1
                print(f"FAIL bad input '{name}' ({mdp_path}, {pol_path}) not rejected properly: "
                      f"exit status {rc}, stderr {err.strip()[:200]!r}, stdout {out.strip()[:200]!r}")

    if args.verbose:
        for mode, st in stats.items():
            print(f"note [{mode}]: max |error|/bound = {float(st['max_err_over_bound']):.3g}, "
                  f"max bound/(1+max|V|,|Q|) = {float(st['max_bound_over_scale']):.3g}")
    if failed and not args.keep_dir:
        print(f"instances kept in {workdir}")
    elif not failed and not args.keep_dir:
        shutil.rmtree(workdir, ignore_errors=True)
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
