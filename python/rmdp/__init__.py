"""rmdp: exact robust Markov decision processes from Python (docs/python.md).

This package only adapts Python input (numpy arrays, nested lists, ``fractions.Fraction``,
numeric strings; the layouts P[s][a][s'] and pymdptoolbox's P[a][s][s']) into the MDP document of
docs/format.md, and turns the C++ library's JSON reports back into Python objects. Every
computation and every validation is the C++ library's, the same code the ``rmdp`` command runs.

    import rmdp
    m = rmdp.Mdp(P=P, reward=R, gamma=0.9, layout="ass", snap=10**6)
    sol = m.solve()                      # exact: sol.V, sol.Q, sol.policy are Fractions
    m.crosscheck(my_float_V).max_abs_error
"""

from fractions import Fraction
import decimal
import json
import math
import numbers
import re

import _rmdp

__all__ = ["Mdp", "Result", "claims", "claim_schema", "check", "check_instance", "arith_name", "set_time_limit"]

_SOURCE = "rmdp.Mdp"


# ----------------------------------------------------------------------------------------------
# Numbers in


class _Num:
    """One input number: its text for the C++ parser, its exact value, whether it was a float."""

    __slots__ = ("text", "value", "is_float", "original")

    def __init__(self, text, value, is_float, original):
        self.text, self.value, self.is_float, self.original = text, value, is_float, original


def _err(src, field, problem, exc=ValueError):
    return exc(f"{src}: field '{field}': {problem}")


def _number(x, field, snap=None, src=_SOURCE):
    """Reads one number. Floats are their exact binary value, or with snap=N the closest fraction
    with denominator <= N (Fraction.limit_denominator); nothing else is ever changed."""
    if isinstance(x, (bool,)) or type(x).__name__ == "bool_":
        raise _err(src, field, f"expected a number, found a bool ({x!r})", TypeError)
    if hasattr(x, "ndim") and getattr(x, "ndim", None) == 0 and hasattr(x, "item") and not isinstance(x, numbers.Number):
        x = x.item()  # a 0-d numpy array
    if isinstance(x, numbers.Integral):
        v = Fraction(int(x))
        return _Num(str(v), v, False, v)
    if isinstance(x, numbers.Rational):
        v = Fraction(x.numerator, x.denominator)
        return _Num(_fraction_text(v), v, False, v)
    if isinstance(x, (float, decimal.Decimal)) or (isinstance(x, numbers.Real) and hasattr(x, "as_integer_ratio")):
        if isinstance(x, decimal.Decimal):
            if not x.is_finite():
                raise _err(src, field, f"{x} is not a finite number")
            exact = Fraction(x)
            return _Num(_fraction_text(exact), exact, False, exact)
        if not math.isfinite(float(x)) and not _is_finite_longdouble(x):
            raise _err(src, field, f"{x!r} is not a finite number")
        exact = Fraction(*x.as_integer_ratio())  # numpy float32/64/longdouble and float: exact
        v = exact.limit_denominator(snap) if snap else exact
        return _Num(_fraction_text(v), v, True, exact)
    if isinstance(x, str):
        try:
            v = Fraction(x.strip())
        except (ValueError, ZeroDivisionError):
            v = None  # the C++ parser decides, and names the problem
        return _Num(x, v, False, v)
    if isinstance(x, complex) or isinstance(x, numbers.Complex):
        raise _err(src, field, f"expected a real number, found complex {x!r}", TypeError)
    raise _err(src, field, f"expected a number (int, float, Fraction or a string like \"3/4\"), found {type(x).__name__}",
               TypeError)


def _is_finite_longdouble(x):
    try:
        x.as_integer_ratio()
        return True
    except (OverflowError, ValueError, AttributeError):
        return False


def _fraction_text(v):
    return str(v)  # "p/q" or "p", lowest terms: the format's rational spelling


def _array(x, field, src=_SOURCE):
    """A nested list from a numpy array, list or tuple (numbers are left as they are)."""
    if hasattr(x, "tolist") and hasattr(x, "shape"):
        if getattr(x, "dtype", None) is not None and x.dtype.kind == "c":
            raise _err(src, field, "expected real numbers, found a complex array", TypeError)
        if getattr(x, "dtype", None) is not None and x.dtype.kind == "f" and x.dtype.itemsize > 8:
            x = x.astype(object)  # long double: tolist() would round each entry to a Python float
        return x.tolist()
    if isinstance(x, (list, tuple)):
        return list(x)
    raise _err(src, field, f"expected an array (numpy array or nested list), found {type(x).__name__}", TypeError)


def _shape(x):
    """The shape of a rectangular nested list, or None when it is ragged."""
    if not isinstance(x, (list, tuple)):
        return ()
    if len(x) == 0:
        return (0,)
    inner = [_shape(_as_list(e)) for e in x]
    if any(s is None for s in inner) or len(set(inner)) != 1:
        return None
    return (len(x),) + inner[0]


def _as_list(e):
    if hasattr(e, "tolist") and hasattr(e, "shape") and getattr(e, "ndim", 0) > 0:
        return _array(e, "")
    return list(e) if isinstance(e, tuple) else e


def _nested(x, field, depth, snap, out_nums, src=_SOURCE):
    """Converts a nested list of depth `depth` into the same nesting of _Num; shape errors are
    left to the C++ parser when they are plain (it names the field), type errors are raised here."""
    x = _as_list(x)
    if depth == 0:
        if isinstance(x, list):
            raise _err(src, field, "expected a number, found an array", TypeError)
        n = _number(x, field, snap, src)
        out_nums.append(n)
        return n
    if not isinstance(x, list):
        raise _err(src, field, f"expected an array, found {type(x).__name__}", TypeError)
    return [_nested(e, f"{field}[{i}]", depth - 1, snap, out_nums, src) for i, e in enumerate(x)]


def _text(n):
    if isinstance(n, list):
        return [_text(e) for e in n]
    return n if isinstance(n, str) else n.text


def _fix_rows(rows, field, snap, depth, src=_SOURCE):
    """snap: each probability row that holds a float absorbs what it misses from 1 in its largest
    entry; an error when that entry would turn negative or move by more than 1/snap."""
    if depth > 1:
        for i, r in enumerate(rows):
            if isinstance(r, list):
                _fix_rows(r, f"{field}[{i}]", snap, depth - 1, src)
        return
    if not isinstance(rows, list) or not rows or not any(n.is_float for n in rows):
        return
    if any(n.value is None for n in rows):
        return  # an unreadable string: the C++ parser reports it
    total = sum((n.value for n in rows), Fraction(0))
    miss = 1 - total
    if miss == 0:
        return
    k = max(range(len(rows)), key=lambda i: rows[i].value)
    new = rows[k].value + miss
    if new < 0:
        raise _err(src, field, f"after snap={snap} the row sums to {total}; its largest entry cannot absorb {miss}")
    if abs(miss) > Fraction(1, snap):
        raise _err(src, field, f"after snap={snap} the row sums to {total} (misses 1 by {float(miss):.3g}, more than "
                          f"1/{snap}): these floats are not a probability row at that resolution")
    rows[k].text, rows[k].value = _fraction_text(new), new  # in place: snap_error sees the change


def _check_float_rows(rows, field, depth, src=_SOURCE):
    """Without snap: a probability row with floats that misses 1 gets a message for Python users
    (the C++ one talks about JSON literals)."""
    if depth > 1:
        for i, r in enumerate(rows):
            if isinstance(r, list):
                _check_float_rows(r, f"{field}[{i}]", depth - 1, src)
        return
    if not isinstance(rows, list) or not any(isinstance(n, _Num) and n.is_float for n in rows):
        return
    if any(not isinstance(n, _Num) or n.value is None for n in rows):
        return
    total = sum((n.value for n in rows), Fraction(0))
    if total != 1 and all(n.value >= 0 for n in rows):
        miss = total - 1
        raise _err(src, field, f"probabilities (the exact binary values of the floats given) sum to 1 {'+' if miss > 0 else '-'} "
                          f"{abs(miss)} (off by {float(abs(miss)):.3g}), not exactly 1; pass snap=N to round every "
                          f"float to the nearest fraction with denominator <= N and fix each row, or give Fractions "
                          f"or strings such as \"1/10\"")


def _rows(nums, field, snap, depth, layout):
    """Probability rows: snap's fix-up, or the float-row check; indices named as the user wrote them."""
    try:
        if snap:
            _fix_rows(nums, field, snap, depth)
        else:
            _check_float_rows(nums, field, depth)
    except ValueError as e:
        if layout == "ass":
            raise ValueError(_swap_field_indices(str(e))) from None
        raise


def _max_change(nums):
    worst = Fraction(0)
    for n in nums:
        if n.is_float and n.value is not None:
            worst = max(worst, abs(n.value - n.original))
    return worst


def _transpose01(cube):
    """P[a][s][...] -> P[s][a][...] (pymdptoolbox's layout to rmdp's)."""
    if not cube:
        return cube
    return [[cube[a][s] for a in range(len(cube))] for s in range(len(cube[0]))]


_FIELD_CUBE = re.compile(r"'(P|uncertainty\.lower|uncertainty\.upper|uncertainty\.distributions)\[(\d+)\]\[(\d+)\]")


def _swap_field_indices(message):
    """C++ messages name P[s][a]; a user who passed layout='ass' wrote P[a][s]."""
    return _FIELD_CUBE.sub(lambda m: f"'{m.group(1)}[{m.group(3)}][{m.group(2)}]", message)


# ----------------------------------------------------------------------------------------------
# Results out


def _is_interval(s):
    return isinstance(s, str) and len(s) > 2 and s[0] == "[" and s[-1] == "]" and "," in s


_NUMBER = re.compile(r"^\s*[-+]?(\d+(/\d+)?|\d*\.\d*([eE][-+]?\d+)?|\d+[eE][-+]?\d+)\s*$")

# Fields that are exact in every arithmetic (kernels and policies are printed as exact rationals).
_EXACT_FIELDS = {"worst_case", "face_kernel", "policy", "direction", "max_step", "t"}
_TEXT_FIELDS = {"given", "arith", "method", "kernel", "certificate", "derivative_certificate", "against",
                "stopping_rule", "relation", "where", "note", "detail", "claim", "verdict", "command", "operator",
                "comparison", "spec"}


def _convert(key, v, arith):
    """One JSON value of a report to Python: exact "p/q" -> Fraction; an interval "[lo,hi]" ->
    (Fraction(lo), Fraction(hi)); in a double run a decimal value -> float (it is that double);
    in an mpfr / long-double run -> Fraction of the printed round-trip digits; rigorous error
    bounds (printed rounded up) -> Fraction of the printed decimal, so they stay upper bounds."""
    if isinstance(v, dict):
        return {k: _convert(k, x, arith) for k, x in v.items()}
    if isinstance(v, list):
        return [_convert(key, x, arith) for x in v]
    if not isinstance(v, str) or key in _TEXT_FIELDS:
        return v
    if _is_interval(v):
        lo, hi = v[1:-1].split(",")
        return (Fraction(lo.strip()), Fraction(hi.strip()))
    if not _NUMBER.match(v):
        return v
    if key.endswith("_decimal"):
        return float(v)
    if arith == "double" and "/" not in v and key not in _EXACT_FIELDS and "bound" not in key:
        return float(v)
    return Fraction(v.strip())


def _ident(key):
    k = re.sub(r"\W", "_", key)
    return k if not k[:1].isdigit() else "_" + k


def _outward(iv):
    lo, hi = iv
    flo, fhi = float(lo), float(hi)
    if Fraction(flo) > lo:
        flo = math.nextafter(flo, -math.inf)
    if Fraction(fhi) < hi:
        fhi = math.nextafter(fhi, math.inf)
    return [flo, fhi]


def _floatable(x):
    if isinstance(x, tuple) and len(x) == 2 and all(isinstance(e, Fraction) for e in x):
        return _outward(x)
    if isinstance(x, list):
        out = [_floatable(e) for e in x]
        return None if any(e is None for e in out) else out
    if isinstance(x, bool) or x is None:
        return None
    if isinstance(x, (Fraction, float, int)):
        return float(x)
    return None


class Result:
    """A report of the C++ library with the CLI's ``--json`` field names as attributes.

    ``r.V``, ``r.Q``, ... are Fractions (exact), floats (double), Fractions of the printed digits
    (mpfr, long-double) or (lo, hi) pairs of Fractions (interval); ``r.json`` is the document as
    the CLI prints it; ``r.to_numpy()`` a dict of float64 arrays (intervals: a last axis [lo, hi]
    rounded outward, so the float interval still contains the computed one)."""

    def __init__(self, doc):
        object.__setattr__(self, "json", doc)
        arith = doc.get("arith") if isinstance(doc, dict) else None
        fields = {k: _convert(k, v, arith) for k, v in doc.items()}
        object.__setattr__(self, "_fields", fields)
        for k, v in fields.items():
            object.__setattr__(self, _ident(k), v)

    def __getitem__(self, key):
        return self._fields[key]

    def __contains__(self, key):
        return key in self._fields

    def keys(self):
        return self._fields.keys()

    def __setattr__(self, name, value):
        raise AttributeError("rmdp results are read-only")

    def to_numpy(self):
        import numpy as np

        out = {}

        def walk(prefix, v):
            if isinstance(v, dict):
                for k, x in v.items():
                    walk(f"{prefix}.{k}" if prefix else k, x)
                return
            if isinstance(v, list) and v and all(isinstance(e, dict) for e in v):
                keys = [k for k in v[0] if all(k in e for e in v)]
                for k in keys:
                    walk(f"{prefix}.{k}", [e[k] for e in v])
                return
            f = _floatable(v)
            if f is not None and not isinstance(v, bool):
                out[prefix] = np.array(f, dtype=np.float64)

        walk("", self._fields)
        return out

    def __repr__(self):
        keys = ", ".join(self._fields)
        return f"<rmdp.Result arith={self._fields.get('arith')!r} fields: {keys}>"


# ----------------------------------------------------------------------------------------------
# The MDP


def _call(fn, *args, swap=False):
    try:
        return json.loads(fn(*args))
    except ValueError as e:
        if swap:
            raise ValueError(_swap_field_indices(str(e))) from None
        raise


class Mdp:
    """An exact MDP (docs/format.md), built from numpy arrays, lists, Fractions or strings.

    Mdp(P=..., cost=..., gamma=..., rho=None, uncertainty=None, layout="sas", snap=None), or
    reward= instead of cost= (then cost = -reward, and ``m.reward_negated`` is True).

    layout "sas": P[s][a][s'] (rmdp's); "ass": P[a][s][s'] (pymdptoolbox's). cost/reward has shape
    (S, A) in both; with a reward, (S,) (per state) and the layout's 3-d shape r(s,a,s') are read
    too, as the expected reward sum_{s'} P(s'|s,a) r(s,a,s') (refused with an uncertainty set: nature
    would change the expectation). The uncertainty dict has the JSON format's fields; its 3-d and 4-d
    fields (lower, upper, distributions) follow the same layout as P.

    Floats are never silently changed: without snap each float is its exact binary value (a row
    that then misses 1 is an error saying by how much); with snap=N every float becomes the
    closest fraction with denominator <= N, each probability row that holds a float absorbs what it
    misses from 1 in its largest entry, and ``m.snap_error`` is the largest change made.
    """

    def __init__(self, P=None, cost=None, gamma=None, rho=None, uncertainty=None, layout="sas", snap=None,
                 reward=None, _doc=None, _source=None):
        if _doc is not None:
            self._set_doc(_doc, layout="sas", snap=None, snap_error=None, reward_negated=False, source=_source)
            return
        if layout not in ("sas", "ass"):
            raise ValueError(f"{_SOURCE}: layout must be 'sas' (P[s][a][s']) or 'ass' (P[a][s][s'], pymdptoolbox's), "
                             f"got {layout!r}")
        if snap is not None:
            if isinstance(snap, bool) or not isinstance(snap, numbers.Integral):
                raise TypeError(f"{_SOURCE}: snap must be a positive integer (a largest denominator), got {snap!r}")
            if snap < 1:
                raise ValueError(f"{_SOURCE}: snap must be a positive integer (a largest denominator), got {snap}")
            snap = int(snap)
        if P is None:
            raise TypeError(f"{_SOURCE}: missing P (the nominal kernel)")
        if gamma is None:
            raise TypeError(f"{_SOURCE}: missing gamma (the discount factor)")
        if cost is not None and reward is not None:
            raise TypeError(f"{_SOURCE}: give cost= or reward=, not both")
        if cost is None and reward is None:
            raise TypeError(f"{_SOURCE}: missing cost= (or reward=, which is negated)")

        nums = []  # every number read, for snap_error
        P_list = _array(P, "P")
        shp = _shape(P_list)
        c_in = cost if cost is not None else reward
        c_name = "cost" if cost is not None else "reward"
        c_list = _array(c_in, c_name)
        c_shape = _shape(c_list)
        S, A = self._sizes(P_list, shp, c_shape, layout, c_name)

        P_nums = _nested(P_list, "P", 3, snap, nums)
        if layout == "ass":
            P_nums = _transpose01(P_nums)  # now P[s][a][s']
        _rows(P_nums, "P", snap, 3, layout)

        c_nums = self._cost(c_list, c_shape, c_name, S, A, layout, P_nums, snap, nums, uncertainty)
        g = _number(gamma, "gamma", snap)
        nums.append(g)

        doc = {"states": S, "actions": A, "gamma": g.text, "cost": _text(c_nums), "P": _text(P_nums)}
        if rho is not None:
            rho_nums = _nested(_array(rho, "rho"), "rho", 1, snap, nums)
            _rows(rho_nums, "rho", snap, 1, "sas")
            doc["rho"] = _text(rho_nums)
        if uncertainty is not None:
            doc["uncertainty"] = self._uncertainty(uncertainty, layout, snap, nums)
        snap_error = _max_change(nums) if snap else None
        self._set_doc(doc, layout=layout, snap=snap, snap_error=snap_error, reward_negated=reward is not None,
                      source=None)

    # -- construction helpers

    @staticmethod
    def _sizes(P_list, shp, c_shape, layout, c_name):
        """(S, A) from P's shape under the requested layout; cost/reward is checked against them later."""
        both = ("layout 'sas' is P[s][a][s'] of shape (S, A, S), layout 'ass' (pymdptoolbox's) is P[a][s][s'] of "
                "shape (A, S, S)")
        if shp is None or len(shp) != 3:
            got = "a ragged array" if shp is None else f"shape {shp}"
            raise ValueError(f"{_SOURCE}: field 'P': expected a 3-d array ({both}); found {got}")
        n0, n1, n2 = shp
        fits = {"sas": n0 == n2 and n0 > 0 and n1 > 0, "ass": n1 == n2 and n0 > 0 and n1 > 0}
        if not fits[layout]:
            other = "ass" if layout == "sas" else "sas"
            hint = f"; it fits layout '{other}': pass layout='{other}'" if fits[other] else "; it fits neither"
            raise ValueError(f"{_SOURCE}: field 'P': shape {tuple(shp)} does not fit layout '{layout}' ({both}){hint}")
        return (n0, n1) if layout == "sas" else (n1, n0)

    def _cost(self, c_list, c_shape, c_name, S, A, layout, P_nums, snap, nums, uncertainty):
        src = _SOURCE
        sign = 1 if c_name == "cost" else -1
        if c_shape is None:
            raise ValueError(f"{_SOURCE}: field '{c_name}': a ragged array; expected shape (S, A) = ({S}, {A})")

        def neg(n):
            if sign == 1:
                return n
            if n.value is None:  # an unreadable string: let the parser name it under 'cost'
                raise _err(src, c_name, f"cannot read {n.text!r} as a number")
            v = -n.value
            return _Num(_fraction_text(v), v, n.is_float, -n.original if n.original is not None else None)

        if c_shape == (S, A):
            c = _nested(c_list, c_name, 2, snap, nums)
            return [[neg(x).text for x in row] for row in c]
        if c_name == "reward" and c_shape == (S,):
            r = _nested(c_list, c_name, 1, snap, nums)
            return [[neg(r[s]).text for _ in range(A)] for s in range(S)]
        three = (A, S, S) if layout == "ass" else (S, A, S)
        if c_name == "reward" and c_shape == three:
            R = _nested(c_list, c_name, 3, snap, nums)
            if layout == "ass":
                R = _transpose01(R)
            has_set = uncertainty is not None and not (isinstance(uncertainty, dict) and uncertainty.get("type") == "none")
            out = []
            for s in range(S):
                row = []
                for a in range(A):
                    vals = [R[s][a][t].value for t in range(S)]
                    name = f"reward[{a}][{s}]" if layout == "ass" else f"reward[{s}][{a}]"
                    if any(v is None for v in vals):
                        raise _err(src, name, "cannot read every entry as a number")
                    if has_set and len(set(vals)) > 1:
                        raise _err(src, name, "varies with s' while an uncertainty set is given: the expected reward "
                                         "sum_s' P(s'|s,a) r(s,a,s') would change with nature's choice of P; give "
                                         "cost/reward of shape (S, A)")
                    probs = [P_nums[s][a][t].value for t in range(S)]
                    if any(p is None for p in probs):
                        raise _err(src, "P", "cannot read every probability as a number")
                    exp = sum((p * v for p, v in zip(probs, vals)), Fraction(0))
                    row.append(_fraction_text(-exp))
                out.append(row)
            return out
        shapes = f"(S, A) = ({S}, {A})"
        if c_name == "reward":
            shapes += f", (S,) = ({S},) or {three} (r(s,a,s') in layout '{layout}')"
        raise ValueError(f"{_SOURCE}: field '{c_name}': shape {tuple(c_shape)}; expected {shapes}")

    def _uncertainty(self, u, layout, snap, nums):
        src = _SOURCE
        if not isinstance(u, dict):
            raise TypeError(f"{_SOURCE}: field 'uncertainty': expected a dict like {{'type': 'l1', 'radius': '1/10'}}, "
                            f"found {type(u).__name__}")
        out = {}
        for k, v in u.items():
            if not isinstance(k, str):
                raise TypeError(f"{_SOURCE}: field 'uncertainty': keys must be strings, found {k!r}")
            f = f"uncertainty.{k}"
            if k == "type":
                if not isinstance(v, str):
                    raise _err(src, f, f"expected a string (a set kind such as none, l1, interval, finite, weighted-l1, kl or s-l1), found {type(v).__name__}",
                               TypeError)
                out[k] = v
            elif k == "radius":
                if isinstance(v, (list, tuple)) or hasattr(v, "shape") and getattr(v, "ndim", 0) > 0:
                    depth = 1 if u.get("type") == "s-l1" else 2  # s-l1: one radius per state
                    out[k] = _text(_nested(_array(v, f), f, depth, snap, nums))
                else:
                    n = _number(v, f, snap)
                    nums.append(n)
                    out[k] = n.text
            elif k in ("lower", "upper", "weights"):
                c = _nested(_array(v, f), f, 3, snap, nums)
                out[k] = _text(_transpose01(c) if layout == "ass" else c)
            elif k == "distributions":
                d = _nested(_array(v, f), f, 4, snap, nums)
                if layout == "ass":
                    d = _transpose01(d)
                _rows(d, f, snap, 4, layout)
                out[k] = _text(d)
            else:
                out[k] = _jsonable(v, f)  # the parser names unknown fields
        return out

    def _set_doc(self, doc, layout, snap, snap_error, reward_negated, source):
        text = json.dumps(doc)
        src = source or _SOURCE
        canonical = _call(_rmdp.parse_mdp, text, src, swap=(layout == "ass"))
        self._doc = canonical
        self._text = json.dumps(canonical)
        self.layout = layout
        self.snap = snap
        self.snap_error = snap_error
        self.reward_negated = reward_negated
        self.states = canonical["states"]
        self.actions = canonical["actions"]
        self.gamma = Fraction(canonical["gamma"])
        self.cost = [[Fraction(x) for x in row] for row in canonical["cost"]]
        self.P = [[[Fraction(x) for x in d] for d in row] for row in canonical["P"]]
        self.rho = [Fraction(x) for x in canonical["rho"]]
        self.uncertainty = canonical["uncertainty"]
        self.note = ("cost = -reward (rmdp minimises expected discounted cost)" if reward_negated else "")

    # -- files

    @classmethod
    def from_json(cls, path):
        """Reads an MDP file of docs/format.md (validated by the library)."""
        if not isinstance(path, (str, bytes)) and not hasattr(path, "__fspath__"):
            raise TypeError(f"rmdp.Mdp.from_json: expected a path, found {type(path).__name__}")
        import os

        p = os.fspath(path)
        p = p.decode() if isinstance(p, bytes) else p
        return cls(_doc=json.loads(_rmdp.read_mdp(p)), _source=p)

    @classmethod
    def from_dict(cls, doc):
        """An MDP from a parsed document of docs/format.md (e.g. a counterexample's instance.mdp)."""
        if not isinstance(doc, dict):
            raise TypeError(f"rmdp.Mdp.from_dict: expected a dict, found {type(doc).__name__}")
        return cls(_doc=_jsonable(doc, ""), _source="rmdp.Mdp.from_dict")

    def to_dict(self):
        """The canonical document (exact numbers as "p/q" strings)."""
        return json.loads(self._text)

    def to_json(self, path=None):
        """Writes the MDP file (docs/format.md); returns its text when path is None."""
        text = json.dumps(self._doc, indent=1) + "\n"
        if path is None:
            return text
        with open(path, "w") as f:
            f.write(text)
        return None

    def __repr__(self):
        extra = f", snap={self.snap}, snap_error={self.snap_error}" if self.snap else ""
        return (f"<rmdp.Mdp {self.states} states x {self.actions} actions, gamma={self.gamma}, "
                f"uncertainty={self.uncertainty.get('type')}{extra}{', cost = -reward' if self.reward_negated else ''}>")

    def __eq__(self, other):
        return isinstance(other, Mdp) and self._doc == other._doc

    __hash__ = None

    # -- adapters for the calls

    def _policy_text(self, policy, field="policy"):
        if isinstance(policy, Mdp):
            raise TypeError(f"{field}: expected a policy, found an rmdp.Mdp")
        if isinstance(policy, Result) and "policy" in policy:
            policy = policy["policy"]
        if isinstance(policy, dict):
            if "policy" not in policy:
                raise ValueError(f"{field}: a dict policy needs the key 'policy' ({{'policy': [[pi(a|s)]]}})")
            policy = policy["policy"]
        rows = _array(policy, field, src=field)
        shp = _shape(rows)
        if shp == (self.states,) and all(isinstance(x, numbers.Integral) and not isinstance(x, bool) for x in rows):
            # A deterministic policy as one action per state (pymdptoolbox's policy vectors).
            for s, a in enumerate(rows):
                if not 0 <= int(a) < self.actions:
                    raise ValueError(f"{field}: field '{field}[{s}]': action {a} is not in 0..{self.actions - 1}")
            rows = [[1 if b == int(a) else 0 for b in range(self.actions)] for a in rows]
        nums = _nested(rows, field, 2, self.snap, [], src=field)
        if self.snap:
            _fix_rows(nums, field, self.snap, 2, src=field)
        else:
            _check_float_rows(nums, field, 2, src=field)
        return json.dumps({"policy": _text(nums)})

    def _vector_text(self, V, field):
        if isinstance(V, Result) and "V" in V:
            V = V["V"]
        nums = _nested(_array(V, field, src=field), field, 1, None, [], src=field)
        return json.dumps(_text(nums))

    def _matrix_text(self, M, field, snap=None):
        nums = _nested(_array(M, field, src=field), field, 2, snap, [], src=field)
        return json.dumps(_text(nums))

    # -- computations (each one library call; docs/python.md lists the fields)

    def evaluate(self, policy, arith="exact", nominal=False):
        """V^pi and Q^pi; with an uncertainty set (and nominal=False) the robust V_r^pi, Q_r^pi and
        the worst-case kernel. The CLI's `rmdp evaluate --json`."""
        return Result(_call(_rmdp.evaluate, self._text, self._policy_text(policy), _arith(arith), bool(nominal)))

    def solve(self, arith="exact", method="pi", epsilon=None):
        """The optimal robust policy, V* and Q_r at V*. The CLI's `rmdp solve --json`."""
        if method not in ("pi", "vi"):
            raise ValueError(f"rmdp.Mdp.solve: method must be 'pi' or 'vi', got {method!r}")
        eps = "auto" if epsilon is None else json.dumps(_number(epsilon, "epsilon").text)
        return Result(_call(_rmdp.solve, self._text, _arith(arith), method, eps))

    def gradient(self, policy, direction=None, arith="exact"):
        """f_rho(pi), the (sub)gradient, the occupancy; with a direction the exact one-sided
        directional derivative. Exact only, as `rmdp gradient`."""
        if _arith(arith) != "exact":
            raise ValueError(f"rmdp.Mdp.gradient: arith {arith!r} is not available: gradients are exact only "
                             f"(the CLI's `rmdp gradient` has no --arith)")
        d = None if direction is None else self._matrix_text(direction, "direction")
        return Result(_call(_rmdp.gradient, self._text, self._policy_text(policy), d))

    def worst_case_kernel(self, V, policy=None, arith="exact"):
        """Nature's worst case for V: per (s,a) a maximiser of <p, V> over U_{s,a}. The policy is
        needed only by set kinds whose worst case depends on it."""
        p = None if policy is None else self._policy_text(policy)
        return Result(_call(_rmdp.worst_case, self._text, self._vector_text(V, "V"), p, _arith(arith)))

    def robust_bellman(self, V, policy=None, arith="exact"):
        """T_r V (optimality operator), or T_r^pi V with a policy."""
        p = None if policy is None else self._policy_text(policy)
        return Result(_call(_rmdp.robust_bellman, self._text, self._vector_text(V, "V"), p, _arith(arith)))

    def crosscheck(self, values, policy=None, q=None, claimed_optimal=None, tolerance=None):
        """Audits a value function computed elsewhere against the exact answer: V_r^policy when a
        policy is given, else V*; Q too with q=; with claimed_optimal=, whether that policy is exactly
        optimal and by how much it is not. The CLI's `rmdp crosscheck --json`."""
        req = {"V": _json_values(values, "values", 1)}
        if q is not None:
            req["Q"] = _json_values(q, "q", 2)
        if policy is not None:
            req["policy"] = json.loads(self._policy_text(policy, "policy"))
        if claimed_optimal is not None:
            req["claimed_optimal"] = json.loads(self._policy_text(claimed_optimal, "claimed_optimal"))
        if tolerance is not None:
            if not isinstance(tolerance, str):
                raise TypeError("rmdp.Mdp.crosscheck: tolerance must be a string 'abs:X', 'rel:X' or 'ulps:N'")
            req["tolerance"] = tolerance
        return Result(_call(_rmdp.crosscheck, self._text, json.dumps(req)))


def _json_values(x, field, depth):
    """User values for crosscheck: floats stay JSON floats (the library reads their exact binary
    value and reports the literal as given), Fractions become "p/q"."""
    if isinstance(x, Result):
        x = x["V"] if depth == 1 else x["Q"]
    x = _as_list(_array(x, field)) if depth > 0 else x
    if depth == 0:
        if isinstance(x, bool) or x is None:
            raise TypeError(f"crosscheck: field '{field}': expected a number, found {x!r}")
        if isinstance(x, float) or (isinstance(x, numbers.Real) and not isinstance(x, numbers.Rational)
                                    and hasattr(x, "as_integer_ratio")):
            f = float(x)
            if not math.isfinite(f):
                raise ValueError(f"crosscheck: field '{field}': {x!r} is not a finite number")
            if f == float(x) and Fraction(f) == Fraction(*x.as_integer_ratio()):
                return f
            return str(Fraction(*x.as_integer_ratio()))  # a long double: keep every bit
        n = _number(x, field)
        return n.text
    if not isinstance(x, list):
        raise TypeError(f"crosscheck: field '{field}': expected an array, found {type(x).__name__}")
    return [_json_values(e, f"{field}[{i}]", depth - 1) for i, e in enumerate(x)]


def _jsonable(x, field):
    """Any Python data to JSON for the library: Fractions -> "p/q", floats -> their exact binary
    value as "p/q", numpy arrays -> lists, rmdp.Mdp -> its document."""
    if isinstance(x, Mdp):
        return x.to_dict()
    if isinstance(x, dict):
        out = {}
        for k, v in x.items():
            if not isinstance(k, str):
                raise TypeError(f"field '{field}': keys must be strings, found {k!r}")
            out[k] = _jsonable(v, f"{field}.{k}" if field else k)
        return out
    if hasattr(x, "tolist") and hasattr(x, "shape"):
        x = x.tolist()
    if isinstance(x, (list, tuple)):
        return [_jsonable(e, f"{field}[{i}]") for i, e in enumerate(x)]
    if x is None or isinstance(x, (bool, str)):
        return x
    if isinstance(x, numbers.Integral):
        return int(x)
    if isinstance(x, (numbers.Rational, float, decimal.Decimal)) or hasattr(x, "as_integer_ratio"):
        return _number(x, field, src="input").text
    raise TypeError(f"field '{field}': cannot convert {type(x).__name__} to JSON")


def _arith(a):
    if not isinstance(a, str):
        raise TypeError(f"arith must be a string such as 'exact', 'double', 'mpfr:256', 'interval:128', got {a!r}")
    return _rmdp.arith_name(a)


def set_time_limit(seconds):
    """Limits every later library call to `seconds` of wall time: past it the call raises
    TimeoutError and computes nothing (the CLI's --time-limit, exit 5). None or 0: no limit.
    Ctrl-C interrupts a long computation too (KeyboardInterrupt, within about a second)."""
    if seconds is None:
        seconds = 0
    if isinstance(seconds, bool) or not isinstance(seconds, numbers.Real):
        raise TypeError(f"rmdp.set_time_limit: expected seconds as a number, got {seconds!r}")
    if not math.isfinite(float(seconds)) or seconds < 0:
        raise ValueError(f"rmdp.set_time_limit: expected a finite number of seconds >= 0, got {seconds!r}")
    _rmdp.set_time_limit(float(seconds))


def arith_name(a):
    """The canonical name of an arithmetic; ValueError listing the accepted ones when unknown."""
    return _arith(a)


# ----------------------------------------------------------------------------------------------
# Claims


def claims():
    """The registered claims: a list of dicts with the CLI's fields (id, statement, source, reading)."""
    return json.loads(_rmdp.claims())


def claim_schema(claim):
    """What instance `claim` needs for check_instance: the `rmdp claims --schema ID --json` schema
    ("mdp", "policies", "extra", "notes", and an "example" instance)."""
    if not isinstance(claim, str):
        raise TypeError(f"rmdp.claim_schema: claim must be a claim id string, got {claim!r}")
    return json.loads(_rmdp.claim_schema(claim))


def check(claim, trials=200, seed=1, arith="exact"):
    """A proof-check campaign of one claim: a dict with the fields of a `rmdp check --json` row
    ("verdict", "instances", ..., and "counterexample", the counterexample file's content, when
    refuted). No file is written."""
    if not isinstance(claim, str):
        raise TypeError(f"rmdp.check: claim must be a claim id string (see rmdp.claims()), got {claim!r}")
    for name, v in (("trials", trials), ("seed", seed)):
        if isinstance(v, bool) or not isinstance(v, numbers.Integral):
            raise TypeError(f"rmdp.check: {name} must be an integer, got {v!r}")
    if trials < 1:
        raise ValueError(f"rmdp.check: trials must be at least 1, got {trials}")
    if not 0 <= seed < 2 ** 64:
        raise ValueError(f"rmdp.check: seed must be in 0..2^64-1, got {seed}")
    return json.loads(_rmdp.check(claim, int(trials), int(seed), _arith(arith)))


def check_instance(claim, instance, arith="exact"):
    """Decides one claim on the user's instance: {"mdp": Mdp or dict, "policies": {"pi": ..., ...},
    "extra": {...}} (the counterexample file's instance format; a whole counterexample dict is
    accepted too). Returns a dict with "verdict" and both sides ("lhs", "relation", "rhs", "where")."""
    if not isinstance(claim, str):
        raise TypeError(f"rmdp.check_instance: claim must be a claim id string, got {claim!r}")
    if not isinstance(instance, dict):
        raise TypeError(f"rmdp.check_instance: instance must be a dict {{'mdp': ..., 'policies': {{...}}}}, "
                        f"found {type(instance).__name__}")
    if "instance" in instance and "mdp" not in instance:
        instance = instance["instance"]
    for k in instance:
        if k not in ("mdp", "policies", "extra", "comment"):
            raise ValueError(f"rmdp.check_instance: field 'instance.{k}': unknown field (an instance has mdp, "
                             f"policies, extra, comment)")
    inst = {}
    mdp = instance.get("mdp")
    for k, v in instance.items():
        if k == "policies":
            if not isinstance(v, dict):
                raise TypeError("rmdp.check_instance: field 'policies': expected a dict of named policies")
            if isinstance(mdp, Mdp):
                inst[k] = {name: json.loads(mdp._policy_text(p, f"policies.{name}"))["policy"] for name, p in v.items()}
            else:
                inst[k] = _jsonable(v, "policies")
        else:
            inst[k] = _jsonable(v, k)
    return json.loads(_rmdp.check_instance(claim, json.dumps(inst), _arith(arith)))


def __getattr__(name):
    # rmdp.testing needs Hypothesis; it is imported on first use, so `import rmdp` does not.
    if name == "testing":
        import importlib

        return importlib.import_module(".testing", __name__)
    raise AttributeError(f"module 'rmdp' has no attribute {name!r}")
