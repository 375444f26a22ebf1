#!/usr/bin/env python3
"""`rmdp crosscheck` and the value commands' output, against values worked out by hand.

usage: cli_values.py RMDP_BINARY CASE

The MDP tests/values/crosscheck-mdp.json has V* = (4/9, 23/63, 0) (state 2 is absorbing with cost 0,
so one exact value is 0) and, for the policy "action 0 everywhere", V^pi = (1, 9/14, 0); both are
derived in the file's comment, not by rmdp. Each tolerance case puts a double one ulp inside and one
ulp outside the threshold, and checks the exit status (0 inside, 4 outside).
"""

import json
import math
import os
import struct
import sys
import tempfile
from fractions import Fraction as F

from cli_support import check, main, run

HERE = os.path.dirname(os.path.abspath(__file__))
MDP = os.path.join(HERE, "values", "crosscheck-mdp.json")
POLICY0 = os.path.join(HERE, "values", "crosscheck-policy0.json")
VSTAR = [F(4, 9), F(23, 63), F(0)]
VPI = [F(1), F(9, 14), F(0)]
QSTAR = [[F(1), F(4, 9)], [F(23, 63), F(1)], [F(0), F(0)]]


def spacing(x):  # the gap to the next double above |x|, exactly
    x = abs(float(x))
    return F(math.nextafter(x, math.inf)) - F(x)


def to_bits(d):  # positive doubles are ordered like their bit patterns
    return struct.unpack("<q", struct.pack("<d", d))[0]


def from_bits(i):
    return struct.unpack("<d", struct.pack("<q", i))[0]


def boundary_doubles(exact, ok):
    """The largest double above `exact` that satisfies ok(d), and the next double (which must not).

    Bisection over the (ordered) bit patterns of positive doubles: ok is true at the nearest
    double (checked) and false far above."""
    lo = to_bits(float(exact))
    check(ok(F(from_bits(lo))), "the nearest double must be inside the tolerance")
    step = 1
    while ok(F(from_bits(lo + step))):
        step *= 2
    hi = lo + step  # ok(lo), not ok(hi)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if ok(F(from_bits(mid))):
            lo = mid
        else:
            hi = mid
    return from_bits(lo), from_bits(hi)


def values_file(tmp, name, V, Q=None):
    path = os.path.join(tmp, name)
    doc = {"V": V}  # JSON float literals: their exact binary values are what is checked
    if Q is not None:
        doc["Q"] = Q
    with open(path, "w") as f:
        json.dump(doc, f)
    return path


def tolerance_cases(binary, exact, extra, rules):
    with tempfile.TemporaryDirectory() as tmp:
        for spec, ok_of in rules:
            for s in range(len(exact)):
                if exact[s] == 0:
                    continue
                inside, outside = boundary_doubles(exact[s], ok_of(exact[s]))
                V = [float(x) for x in exact]
                V[s] = inside
                run(binary, "crosscheck", MDP, "--values", values_file(tmp, "in.json", V), "--tolerance", spec, *extra, status=0)
                V[s] = outside
                out = run(binary, "crosscheck", MDP, "--values", values_file(tmp, "out.json", V), "--tolerance", spec,
                          *extra, "--json", status=4)
                r = json.loads(out.stdout)
                check(r["tolerance"] == {"spec": spec, "met": False}, f"{spec}: {r['tolerance']}")
                check([e["within_tolerance"] for e in r["per_state"]] == [i != s for i in range(len(exact))],
                      f"{spec} state {s}: {[e['within_tolerance'] for e in r['per_state']]}")


def rel_rule(bound):
    return lambda e: (lambda d: abs(d - e) <= bound * abs(e))


def abs_rule(bound):
    return lambda e: (lambda d: abs(d - e) <= bound)


def ulps_rule(n):
    return lambda e: (lambda d: d == e or abs(d - e) / spacing(max(abs(d), abs(e))) <= n)


def tolerance_vstar(binary):
    tolerance_cases(binary, VSTAR, [], [("rel:1e-9", rel_rule(F(1, 10**9))), ("abs:1e-12", abs_rule(F(1, 10**12))),
                                        ("ulps:4", ulps_rule(4))])


def tolerance_vpi(binary):
    tolerance_cases(binary, VPI, ["--policy", POLICY0], [("rel:1e-9", rel_rule(F(1, 10**9))), ("ulps:2", ulps_rule(2))])


def exact_json(binary):
    """--json: exact errors as rationals beside decimals; the 0 state has no relative error but has ulps."""
    with tempfile.TemporaryDirectory() as tmp:
        V = [0.1, float(VSTAR[1]), 1e-300]
        out = run(binary, "crosscheck", MDP, "--values", values_file(tmp, "v.json", V), "--json", status=0)
        r = json.loads(out.stdout)
        check(r["format_version"] == 1 and r["command"] == "crosscheck", f"header {r}")
        for s, e in enumerate(r["per_state"]):
            check(F(e["exact"]) == VSTAR[s], f"exact V*[{s}] = {e['exact']}")
            check(F(e["abs_error"]) == abs(F(V[s]) - VSTAR[s]), f"abs_error[{s}] = {e['abs_error']}")
            check(isinstance(e["abs_error_decimal"], str), "decimal beside the rational")
        check(r["per_state"][2]["rel_error"] is None, "relative error at an exact 0 is undefined")
        check(r["max_rel_error"] is None, "max relative error undefined when an exact 0 has an error")
        # at an exact 0 the ulp is taken at the given value: 1e-300 is 1e-300 / spacing(1e-300) ulps
        check(F(r["per_state"][2]["ulps"]) == F(1e-300) / spacing(1e-300), f"ulps at 0: {r['per_state'][2]['ulps']}")
        check(F(r["max_abs_error"]) == abs(F(0.1) - VSTAR[0]), "max abs error")
        # huge values: no overflow to inf anywhere
        path = os.path.join(tmp, "huge.json")
        with open(path, "w") as f:
            json.dump({"V": ["1e401", "0", "-1e401"]}, f)
        r = json.loads(run(binary, "crosscheck", MDP, "--values", path, "--json", status=0).stdout)
        check("inf" not in json.dumps(r), "no inf in a report of finite numbers")
        check(r["max_abs_error_decimal"].startswith("1e+401"), r["max_abs_error_decimal"])


def q_and_optimality(binary):
    with tempfile.TemporaryDirectory() as tmp:
        Q = [[float(q) for q in row] for row in QSTAR]
        V = [float(v) for v in VSTAR]
        r = json.loads(run(binary, "crosscheck", MDP, "--values", values_file(tmp, "vq.json", V, Q), "--json",
                           "--tolerance", "ulps:1", status=0).stdout)
        check(len(r["Q_per_entry"]) == 6 and r["tolerance"]["met"], f"Q crosscheck {r.get('tolerance')}")
        for e in r["Q_per_entry"]:
            check(F(e["exact"]) == QSTAR[e["state"]][e["action"]], f"Q* {e}")
        Q[1][0] = math.nextafter(math.nextafter(Q[1][0], math.inf), math.inf)
        Q[1][0] = math.nextafter(Q[1][0], math.inf)
        qpath = os.path.join(tmp, "q.json")
        with open(qpath, "w") as f:
            json.dump({"Q": Q}, f)
        run(binary, "crosscheck", MDP, "--values", values_file(tmp, "v.json", V), "--q", qpath, "--tolerance", "ulps:1",
            status=4)
        r = json.loads(run(binary, "crosscheck", MDP, "--values", values_file(tmp, "v.json", V), "--claimed-optimal",
                           POLICY0, "--json", status=0).stdout)
        co = r["claimed_optimal"]
        check(co["optimal"] is False and F(co["max_gap"]) == F(5, 9), f"claimed optimal {co}")
        text = run(binary, "crosscheck", MDP, "--values", values_file(tmp, "v.json", V), "--claimed-optimal", POLICY0,
                   status=0).stdout
        check("NOT optimal" in text, text)


def bad_tolerance(binary):
    with tempfile.TemporaryDirectory() as tmp:
        v = values_file(tmp, "v.json", [0.5, 0.5, 0])
        for spec in ["rel", "rel:", "rel:x", "max:1", "abs:-1"]:
            p = run(binary, "crosscheck", MDP, "--values", v, "--tolerance", spec, status=2)
            check("--tolerance" in p.stderr, p.stderr)
        p = run(binary, "crosscheck", MDP, "--values", values_file(tmp, "short.json", [0.5]), status=2)
        check("field 'V'" in p.stderr, p.stderr)


def decimals_text(binary):
    """Text output shows decimals (with --digits), not long fractions; --json keeps the rationals."""
    out = run(binary, "solve", MDP, "--digits", "5", status=0).stdout
    check("0.44444" in out and "0.36508" in out and "4/9" not in out, out)
    r = json.loads(run(binary, "solve", MDP, "--json", status=0).stdout)
    check([F(v) for v in r["V"]] == VSTAR, f"V* {r['V']}")


if __name__ == "__main__":
    sys.exit(main([tolerance_vstar, tolerance_vpi, exact_json, q_and_optimality, bad_tolerance, decimals_text], __doc__))
