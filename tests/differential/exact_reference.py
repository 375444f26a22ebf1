#!/usr/bin/env python3
"""Independent exact reference for rmdp's policy evaluation.

Standard library only. Written from the definitions in the file-format
contract, not from rmdp's C++ sources, so that the differential test compares
two independent derivations.

Definitions (finite MDP, costs minimised):
    P^pi(s, s') = sum_a pi(a|s) P(s'|s, a)
    c^pi(s)     = sum_a pi(a|s) c(s, a)
    V^pi        = (I - gamma P^pi)^{-1} c^pi
    Q^pi(s, a)  = c(s, a) + gamma sum_{s'} P(s'|s, a) V^pi(s')

Number spellings accepted (the contract):
    JSON integer                  -> that integer
    JSON floating-point literal   -> the exact binary value of the double
    JSON string "p/q", "-2"       -> that rational
    JSON string "0.125", "1e-3"   -> that decimal, exactly (1/8, 1/1000)

Usage as a CLI:
    exact_reference.py MDP.json POL.json
prints {"V": [...], "Q": [[...]]} with canonical "p/q" / "p" strings, the
same shape as `rmdp evaluate MDP.json --policy POL.json --json` (exact mode).
Bad input: message on stderr, exit status 2.
"""

from __future__ import annotations

import json
import math
import re
import sys
from fractions import Fraction

__all__ = [
    "InputError",
    "parse_number",
    "format_fraction",
    "load_mdp",
    "load_policy",
    "parse_mdp",
    "parse_policy",
    "evaluate",
    "solve_linear_system",
    "reference_json",
]


class InputError(ValueError):
    """Bad input: carries the field path and the offending value."""

    def __init__(self, where: str, message: str):
        super().__init__(f"{where}: {message}")
        self.where = where


# --------------------------------------------------------------------------
# Number parsing
# --------------------------------------------------------------------------

# "p", "-p", "p/q", "-p/q" (q > 0 checked below). A leading '+' is tolerated.
_RATIONAL_RE = re.compile(r"^([+-]?)([0-9]+)(?:/([0-9]+))?$")
# "0.125", "-3.5", "12.", ".5", "1e-3", "2.5E+07" (a '.' or an exponent needed,
# plain integers are handled by _RATIONAL_RE).
_DECIMAL_RE = re.compile(
    r"^([+-]?)(?:([0-9]+)\.([0-9]*)|\.([0-9]+)|([0-9]+))(?:[eE]([+-]?[0-9]+))?$"
)
# Guard against "1e999999999" making us build a gigantic integer.
_MAX_DECIMAL_EXPONENT = 100_000


def parse_number_string(text: str, where: str = "number") -> Fraction:
    """Parse a numeric string exactly. Rejects anything not in the contract
    (whitespace, nan, inf, empty string, zero denominators, underscores)."""
    m = _RATIONAL_RE.match(text)
    if m:
        sign, num, den = m.groups()
        p = int(num)
        q = int(den) if den is not None else 1
        if q == 0:
            raise InputError(where, f"zero denominator in {text!r}")
        value = Fraction(p, q)
        return -value if sign == "-" else value
    m = _DECIMAL_RE.match(text)
    if m:
        sign, int_part, frac_part, frac_only, int_only, exp = m.groups()
        if int_part is not None:
            digits, frac_digits = int_part + frac_part, len(frac_part)
        elif frac_only is not None:
            digits, frac_digits = frac_only, len(frac_only)
        else:
            digits, frac_digits = int_only, 0
        e = int(exp) if exp is not None else 0
        if abs(e) > _MAX_DECIMAL_EXPONENT:
            raise InputError(where, f"exponent out of supported range in {text!r}")
        shift = e - frac_digits
        mantissa = int(digits)
        value = Fraction(mantissa * 10**shift) if shift >= 0 else Fraction(mantissa, 10 ** (-shift))
        return -value if sign == "-" else value
    raise InputError(where, f"not a number: {text!r}")


def parse_number(value, where: str = "number") -> Fraction:
    """Exact value of one JSON number as the contract defines it."""
    if isinstance(value, bool):  # bool is a subclass of int: reject first
        raise InputError(where, f"expected a number, got {json.dumps(value)}")
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise InputError(where, f"non-finite number {value!r}")
        return Fraction(value)  # exact binary value of the double
    if isinstance(value, str):
        return parse_number_string(value, where)
    raise InputError(where, f"expected a number, got {type(value).__name__}")


def format_fraction(x: Fraction) -> str:
    """Canonical exact spelling: "p/q" in lowest terms with q > 1, else "p"."""
    x = Fraction(x)
    if x.denominator == 1:
        return str(x.numerator)
    return f"{x.numerator}/{x.denominator}"


# --------------------------------------------------------------------------
# Structure parsing and validation
# --------------------------------------------------------------------------


def _expect_list(value, length: int, where: str) -> list:
    if not isinstance(value, list):
        raise InputError(where, f"expected a list of length {length}")
    if len(value) != length:
        raise InputError(where, f"expected length {length}, got {len(value)}")
    return value


def _expect_positive_int(obj: dict, key: str) -> int:
    if key not in obj:
        raise InputError(key, "missing")
    v = obj[key]
    if isinstance(v, bool) or not isinstance(v, int) or v < 1:
        raise InputError(key, f"expected a positive integer, got {json.dumps(v)}")
    return v


def _parse_simplex_row(row, length: int, where: str) -> list[Fraction]:
    row = _expect_list(row, length, where)
    out = [parse_number(x, f"{where}[{i}]") for i, x in enumerate(row)]
    for i, x in enumerate(out):
        if x < 0:
            raise InputError(f"{where}[{i}]", f"negative probability {format_fraction(x)}")
    total = sum(out, Fraction(0))
    if total != 1:
        raise InputError(where, f"row sums to {format_fraction(total)}, not exactly 1")
    return out


class MDP:
    """Nominal finite MDP with exact rational data. P[s][a][t] = P(t|s,a)."""

    def __init__(self, n, m, gamma, cost, P, rho=None):
        self.n = n
        self.m = m
        self.gamma = gamma
        self.cost = cost
        self.P = P
        self.rho = rho


def parse_mdp(obj) -> MDP:
    if not isinstance(obj, dict):
        raise InputError("mdp", "top level must be a JSON object")
    n = _expect_positive_int(obj, "states")
    m = _expect_positive_int(obj, "actions")
    if "gamma" not in obj:
        raise InputError("gamma", "missing")
    gamma = parse_number(obj["gamma"], "gamma")
    if not (0 <= gamma < 1):
        raise InputError("gamma", f"must satisfy 0 <= gamma < 1, got {format_fraction(gamma)}")
    if "cost" not in obj:
        raise InputError("cost", "missing")
    cost_rows = _expect_list(obj["cost"], n, "cost")
    cost = []
    for s, row in enumerate(cost_rows):
        row = _expect_list(row, m, f"cost[{s}]")
        cost.append([parse_number(x, f"cost[{s}][{a}]") for a, x in enumerate(row)])
    if "P" not in obj:
        raise InputError("P", "missing")
    p_rows = _expect_list(obj["P"], n, "P")
    P = []
    for s, per_action in enumerate(p_rows):
        per_action = _expect_list(per_action, m, f"P[{s}]")
        P.append([_parse_simplex_row(r, n, f"P[{s}][{a}]") for a, r in enumerate(per_action)])
    rho = None
    if "rho" in obj:
        # Only the shape and number spelling are checked: the evaluation
        # below does not use rho.
        rho_list = _expect_list(obj["rho"], n, "rho")
        rho = [parse_number(x, f"rho[{s}]") for s, x in enumerate(rho_list)]
    # "uncertainty" is deliberately ignored: only the nominal P is needed.
    return MDP(n, m, gamma, cost, P, rho)


def parse_policy(obj, n: int, m: int) -> list[list[Fraction]]:
    if not isinstance(obj, dict) or "policy" not in obj:
        raise InputError("policy", "expected an object with key \"policy\"")
    rows = _expect_list(obj["policy"], n, "policy")
    return [_parse_simplex_row(r, m, f"policy[{s}]") for s, r in enumerate(rows)]


def _load_json(path: str):
    try:
        with open(path, "r", encoding="utf-8") as fh:
            # parse_constant rejects NaN / Infinity / -Infinity, which Python's
            # json module would otherwise accept although they are not JSON.
            return json.load(fh, parse_constant=_reject_constant)
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc}") from exc
    except json.JSONDecodeError as exc:
        raise InputError(path, f"invalid JSON: {exc}") from exc


def _reject_constant(name):
    raise InputError("json", f"{name} is not valid JSON")


def load_mdp(path: str) -> MDP:
    return parse_mdp(_load_json(path))


def load_policy(path: str, mdp: MDP) -> list[list[Fraction]]:
    return parse_policy(_load_json(path), mdp.n, mdp.m)


# --------------------------------------------------------------------------
# Exact linear algebra and evaluation
# --------------------------------------------------------------------------


def solve_linear_system(A: list[list[Fraction]], b: list[Fraction]) -> list[Fraction]:
    """Solve A x = b exactly by Gauss-Jordan elimination (first nonzero pivot)."""
    n = len(A)
    M = [list(map(Fraction, A[i])) + [Fraction(b[i])] for i in range(n)]
    for col in range(n):
        pivot = next((r for r in range(col, n) if M[r][col] != 0), None)
        if pivot is None:
            raise ZeroDivisionError("singular matrix")
        if pivot != col:
            M[col], M[pivot] = M[pivot], M[col]
        piv_row = M[col]
        inv = 1 / piv_row[col]
        piv_row = [x * inv for x in piv_row]
        M[col] = piv_row
        for r in range(n):
            if r == col:
                continue
            f = M[r][col]
            if f != 0:
                row = M[r]
                M[r] = [row[k] - f * piv_row[k] for k in range(n + 1)]
    return [M[i][n] for i in range(n)]


def evaluate(mdp: MDP, policy: list[list[Fraction]], check: bool = True):
    """Return (V, Q) for the policy, as lists of Fractions.

    With check=True the result is verified against the defining equations
    exactly (residual of the linear system and V(s) = sum_a pi(a|s) Q(s,a)).
    """
    n, m, g = mdp.n, mdp.m, mdp.gamma
    P_pi = [[sum((policy[s][a] * mdp.P[s][a][t] for a in range(m)), Fraction(0))
             for t in range(n)] for s in range(n)]
    c_pi = [sum((policy[s][a] * mdp.cost[s][a] for a in range(m)), Fraction(0))
            for s in range(n)]
    A = [[(1 if s == t else 0) - g * P_pi[s][t] for t in range(n)] for s in range(n)]
    V = solve_linear_system(A, c_pi)
    Q = [[mdp.cost[s][a] + g * sum((mdp.P[s][a][t] * V[t] for t in range(n)), Fraction(0))
          for a in range(m)] for s in range(n)]
    if check:
        for s in range(n):
            lhs = V[s] - g * sum((P_pi[s][t] * V[t] for t in range(n)), Fraction(0))
            if lhs != c_pi[s]:
                raise AssertionError(f"reference self-check failed: residual at state {s}")
            if sum((policy[s][a] * Q[s][a] for a in range(m)), Fraction(0)) != V[s]:
                raise AssertionError(f"reference self-check failed: V != pi.Q at state {s}")
    return V, Q


def reference_json(mdp: MDP, policy) -> dict:
    V, Q = evaluate(mdp, policy)
    return {
        "V": [format_fraction(v) for v in V],
        "Q": [[format_fraction(q) for q in row] for row in Q],
    }


def main(argv: list[str]) -> int:
    if len(argv) != 3 or argv[1] in ("-h", "--help"):
        print(f"usage: {argv[0]} MDP.json POL.json", file=sys.stderr)
        return 2
    try:
        mdp = load_mdp(argv[1])
        policy = load_policy(argv[2], mdp)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    json.dump(reference_json(mdp, policy), sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
