"""Malformed input raises ValueError / TypeError naming the field and the problem (as the CLI's
exit-2 messages do) — never a crash, never a silently changed number."""
import math
from fractions import Fraction

import numpy as np
import pytest

import rmdp

P2 = [[["1/2", "1/2"], [1, 0]], [[0, 1], ["1/10", "9/10"]]]
C2 = [[1, "1/2"], [0, "1/4"]]


def mdp(**kw):
    args = {"P": P2, "cost": C2, "gamma": "9/10"}
    args.update(kw)
    return rmdp.Mdp(**args)


def good():
    return mdp()


# (what, callable, exception, substrings the message must contain)
CASES = [
    ("ragged P", lambda: mdp(P=[[["1/2", "1/2"], [1]], [[0, 1], [1, 0]]]), ValueError, ["'P'", "ragged"]),
    ("2-d P", lambda: mdp(P=[[1, 0], [0, 1]]), ValueError, ["'P'", "3-d"]),
    ("P fits no layout", lambda: mdp(P=np.full((2, 3, 4), 0.25)), ValueError, ["'P'", "'sas'", "'ass'"]),
    ("P in the other layout", lambda: rmdp.Mdp(P=np.full((3, 2, 2), 0.5), cost=np.zeros((2, 3)), gamma=0.5),
     ValueError, ["'P'", "layout='ass'"]),
    ("row sums to 9/10", lambda: mdp(P=[[["1/2", "2/5"], [1, 0]], [[0, 1], [1, 0]]]), ValueError,
     ["'P[0][0]'", "9/10"]),
    ("negative probability", lambda: mdp(P=[[["3/2", "-1/2"], [1, 0]], [[0, 1], [1, 0]]]), ValueError,
     ["'P[0][0][1]'", "negative"]),
    ("float row off by 2^-55", lambda: mdp(P=[[[0.1, 0.9], [1, 0]], [[0, 1], [1, 0]]]), ValueError,
     ["'P[0][0]'", "off by", "snap"]),
    ("nan cost", lambda: mdp(cost=[[1, math.nan], [0, 0]]), ValueError, ["'cost[0][1]'", "finite"]),
    ("inf gamma", lambda: mdp(gamma=math.inf), ValueError, ["'gamma'", "finite"]),
    ("gamma = 1", lambda: mdp(gamma=1), ValueError, ["'gamma'"]),
    ("gamma not a number", lambda: mdp(gamma="nine tenths"), ValueError, ["'gamma'"]),
    ("cost shape", lambda: mdp(cost=[[1, 2, 3], [4, 5, 6]]), ValueError, ["'cost'", "shape"]),
    ("cost and reward", lambda: mdp(reward=C2), TypeError, ["cost", "reward"]),
    ("no cost", lambda: rmdp.Mdp(P=P2, gamma="1/2"), TypeError, ["cost"]),
    ("bool probability", lambda: mdp(P=[[[True, False], [1, 0]], [[0, 1], [1, 0]]]), TypeError,
     ["'P[0][0][0]'", "bool"]),
    ("dict as P", lambda: mdp(P={"a": 1}), TypeError, ["'P'", "dict"]),
    ("complex cost", lambda: mdp(cost=np.array([[1j, 0], [0, 0]])), TypeError, ["'cost'", "complex"]),
    ("None in cost", lambda: mdp(cost=[[None, 0], [0, 0]]), TypeError, ["'cost[0][0]'", "NoneType"]),
    ("unknown layout", lambda: mdp(layout="sa s"), ValueError, ["layout", "'sas'", "'ass'"]),
    ("snap 0", lambda: mdp(snap=0), ValueError, ["snap"]),
    ("snap float", lambda: mdp(snap=1.5), TypeError, ["snap"]),
    ("uncertainty not a dict", lambda: mdp(uncertainty="l1"), TypeError, ["'uncertainty'"]),
    ("unknown set type", lambda: mdp(uncertainty={"type": "wasserstein"}), ValueError,
     ["'uncertainty.type'", "wasserstein"]),
    ("negative radius", lambda: mdp(uncertainty={"type": "l1", "radius": "-1/10"}), ValueError,
     ["uncertainty.radius"]),
    ("unknown set field", lambda: mdp(uncertainty={"type": "l1", "radius": 1, "radus": 2}), ValueError,
     ["uncertainty.radus"]),
    ("box misses the simplex", lambda: mdp(uncertainty={"type": "interval", "lower": [[[0, 0]] * 2] * 2,
                                                         "upper": [[["1/4", "1/4"]] * 2] * 2}), ValueError,
     ["uncertainty"]),
    ("rho misses 1", lambda: mdp(rho=["1/2", "1/4"]), ValueError, ["'rho'", "3/4"]),
    ("rho length", lambda: mdp(rho=[1]), ValueError, ["'rho'"]),
    ("reward varies with s' under a set", lambda: rmdp.Mdp(
        P=np.full((2, 2, 2), 0.5), reward=np.arange(8.0).reshape(2, 2, 2), gamma=0.5, layout="ass",
        uncertainty={"type": "l1", "radius": "1/10"}), ValueError, ["'reward[0][0]'", "varies with s'"]),
    ("reward shape", lambda: rmdp.Mdp(P=np.full((2, 2, 2), 0.5), reward=np.zeros(3), gamma=0.5, layout="ass"),
     ValueError, ["'reward'", "(S,)"]),
    ("unknown arithmetic", lambda: good().solve(arith="float"), ValueError, ["float", "exact"]),
    ("arithmetic not a string", lambda: good().solve(arith=64), TypeError, ["arith"]),
    ("policy shape", lambda: good().evaluate([[1, 0, 0], [1, 0, 0]]), ValueError, ["policy"]),
    ("policy row misses 1", lambda: good().evaluate([["1/2", "1/4"], [1, 0]]), ValueError,
     ["'policy[0]'", "3/4"]),
    ("policy action out of range", lambda: good().evaluate([0, 2]), ValueError, ["policy[1]", "0..1"]),
    ("gradient in double", lambda: good().gradient([0, 0], arith="double"), ValueError, ["exact only"]),
    ("direction rows", lambda: good().gradient([["1/2", "1/2"], [1, 0]], direction=[[1, 0], [0, 0]]), ValueError,
     ["direction"]),
    ("crosscheck length", lambda: good().crosscheck([0.5]), ValueError, ["2"]),
    ("crosscheck nan", lambda: good().crosscheck([0.5, math.nan]), ValueError, ["values[1]", "finite"]),
    ("V for worst case", lambda: good().worst_case_kernel([0, "x"]), ValueError, ["V[1]"]),
    ("unknown claim", lambda: rmdp.check("no-such-claim"), ValueError, ["no-such-claim"]),
    ("zero trials", lambda: rmdp.check("pdl", trials=0), ValueError, ["trials"]),
    ("instance without mdp", lambda: rmdp.check_instance("pdl", {"policies": {}}), ValueError, ["mdp"]),
    ("instance field typo", lambda: rmdp.check_instance("pdl", {"mdp": good(), "polices": {}}), ValueError,
     ["instance.polices", "unknown"]),
    ("instance not a dict", lambda: rmdp.check_instance("pdl", [1]), TypeError, ["instance"]),
    ("missing file", lambda: rmdp.Mdp.from_json("/nonexistent/m.json"), ValueError, ["/nonexistent/m.json"]),
]


@pytest.mark.parametrize("what,call,exc,needles", CASES, ids=[c[0] for c in CASES])
def test_malformed_input(what, call, exc, needles):
    with pytest.raises(exc) as e:
        call()
    assert type(e.value) is exc, f"{what}: {type(e.value).__name__}: {e.value}"
    msg = str(e.value)
    for n in needles:
        assert n in msg, f"{what}: {n!r} not in {msg!r}"
    assert "internal error" not in msg


def test_malformed_json_file(tmp_path):
    f = tmp_path / "bad.json"
    f.write_text('{"states": 2, ')
    with pytest.raises(ValueError, match="malformed JSON"):
        rmdp.Mdp.from_json(f)
    f.write_text('{"states": 1, "actions": 1, "gamma": "1/2", "cost": [[0]], "P": [[[1]]], "gama": 1}')
    with pytest.raises(ValueError, match=r"field 'gama': unknown field"):
        rmdp.Mdp.from_json(f)


def test_at_least_twenty_cases():
    assert len(CASES) >= 20


def test_nothing_changed_silently():
    # Exactness is kept for values a double cannot hold.
    m = rmdp.Mdp(P=[[[1]]], cost=[[Fraction(1, 3)]], gamma="999999999999999999/1000000000000000000")
    assert m.gamma == Fraction(999999999999999999, 10 ** 18) and m.cost[0][0] == Fraction(1, 3)


# Junk of every kind in every argument: the module either builds an MDP or raises ValueError /
# TypeError; never RuntimeError (a bug), never a crash.
from hypothesis import given, settings, strategies as st  # noqa: E402

_scalars = st.one_of(st.none(), st.booleans(), st.integers(-10, 10), st.integers(2 ** 62, 2 ** 70),
                     st.floats(allow_nan=True, allow_infinity=True), st.fractions(max_denominator=7),
                     st.sampled_from(["1/2", "0.1", "1e-3", "1e99999", "-0", "1/0", "nan", "inf", "", " 1", "x",
                                      "9" * 60]),
                     st.complex_numbers(max_magnitude=2))
_junk = st.recursive(_scalars, lambda c: st.one_of(st.lists(c, max_size=3), st.dictionaries(st.text(max_size=3), c,
                                                                                                max_size=2)),
                     max_leaves=12)


@settings(max_examples=150)
@given(P=st.one_of(_junk, st.just(P2)), cost=st.one_of(_junk, st.just(C2)), gamma=_scalars,
       rho=st.one_of(st.none(), _junk), uncertainty=st.one_of(st.none(), _junk),
       layout=st.sampled_from(["sas", "ass", "xyz"]), snap=st.one_of(st.none(), st.integers(-1, 20)))
def test_junk_never_crashes(P, cost, gamma, rho, uncertainty, layout, snap):
    try:
        m = rmdp.Mdp(P=P, cost=cost, gamma=gamma, rho=rho, uncertainty=uncertainty, layout=layout, snap=snap)
    except (ValueError, TypeError) as e:
        assert "internal error" not in str(e)
        return
    m.solve()
