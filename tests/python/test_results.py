"""Result objects: each arithmetic's numbers relate to the exact answer as docs/python.md says
(floats within their printed rigorous bound, intervals enclosing it), and the float views."""
from fractions import Fraction

import numpy as np
import pytest

import rmdp


@pytest.fixture
def m(examples):
    return rmdp.Mdp.from_json(examples / "gamma999-l1.json")


def test_double_within_its_error_bound(m):
    exact, d = m.solve(), m.solve(arith="double")
    assert all(isinstance(v, float) for v in d.V)
    assert max(abs(Fraction(v) - e) for v, e in zip(d.V, exact.V)) <= d.V_error_bound
    qerr = max(abs(Fraction(q) - e) for qr, er in zip(d.Q, exact.Q) for q, e in zip(qr, er))
    assert qerr <= d.Q_error_bound


@pytest.mark.parametrize("arith", ["mpfr:128", "long-double"])
def test_mpfr_digits_within_bound(m, arith):
    exact, r = m.solve(), m.solve(arith=arith)
    assert all(isinstance(v, Fraction) for v in r.V)
    assert max(abs(v - e) for v, e in zip(r.V, exact.V)) <= r.V_error_bound


def test_interval_encloses_the_exact_value(m):
    exact, r = m.solve(), m.solve(arith="interval:128")
    assert all(lo <= e <= hi for (lo, hi), e in zip(r.V, exact.V))
    a = r.to_numpy()["V"]
    assert a.shape == (m.states, 2)
    assert all(Fraction(lo) <= e <= Fraction(hi) for (lo, hi), e in zip(a, exact.V))


def test_to_numpy_shapes(m):
    n = m.solve(arith="double").to_numpy()
    assert n["V"].shape == (m.states,) and n["Q"].shape == (m.states, m.actions)
    assert n["policy"].shape == (m.states, m.actions) and n["V"].dtype == np.float64
    assert n["iterations.policy"].shape == ()
    e = m.solve().to_numpy()
    assert np.allclose(e["V"], n["V"], rtol=1e-9)


def test_worst_case_and_bellman(m, examples):
    sol = m.solve()
    wc = m.worst_case_kernel(sol.V)
    assert all(sum(row) == 1 for s in wc.worst_case for row in s)
    # values[s][a] = <P*[s][a], V>: the worst case attains its value.
    for s in range(m.states):
        for a in range(m.actions):
            assert wc.values[s][a] == sum(p * v for p, v in zip(wc.worst_case[s][a], sol.V))
    b = m.robust_bellman(sol.V)
    assert b.operator == "T_r" and b.TV == sol.V and b.Q == sol.Q
    # Intervals: enclosures of the exact worst case and operators (the order of V decided by the
    # enclosures, or by the exact V where they overlap: "decided_by").
    wi = m.worst_case_kernel(sol.V, arith="interval:64")
    assert wi.json["decided_by"] in ("enclosures", "exact fallback")
    for s in range(m.states):
        for a in range(m.actions):
            lo, hi = wi.values[s][a]
            assert lo <= wc.values[s][a] <= hi
            for t in range(m.states):
                lo, hi = wi.worst_case[s][a][t]
                assert lo <= wc.worst_case[s][a][t] <= hi
    bi = m.robust_bellman(sol.V, arith="interval:64")
    for s in range(m.states):
        lo, hi = bi.TV[s]
        assert lo <= b.TV[s] <= hi


def test_crosscheck_tolerance_one_ulp(m):
    exact = m.solve().V
    V = [float(v) for v in exact]  # the nearest doubles: within half an ulp
    assert m.crosscheck(V, tolerance="ulps:1").tolerance["met"] is True
    assert m.crosscheck(V, tolerance="abs:0").tolerance["met"] is False
    r = m.crosscheck(V)
    assert r.max_ulps <= Fraction(1, 2) and isinstance(r.max_abs_error, Fraction)
    assert r.per_state[0]["given"] == repr(V[0])


def test_crosscheck_of_a_policy_and_q(m, examples):
    pol = [1, 0, 0, 1, 0]
    ev = m.evaluate(pol)
    r = m.crosscheck([str(v) for v in ev.V], policy=pol, q=ev.Q)
    assert r.max_abs_error == 0 and r.Q_max_abs_error == 0 and r.against.startswith("V_r^pi")


def test_policies_snap_with_the_mdp():
    m = rmdp.Mdp(P=[[[0.5, 0.5], [1.0, 0.0]], [[0.0, 1.0], [0.25, 0.75]]], cost=[[1, 0], [0, 1]], gamma=0.5,
                 snap=100)
    r = m.evaluate([[0.333, 0.667], [1.0, 0.0]])
    exact = rmdp.Mdp(P=m.P, cost=m.cost, gamma=m.gamma).evaluate([[Fraction(1, 3), Fraction(2, 3)], [1, 0]])
    assert r.V == exact.V
    with pytest.raises(ValueError, match=r"policy\[0\].*snap"):
        rmdp.Mdp(P=m.P, cost=m.cost, gamma=m.gamma).evaluate([[0.333, 0.667], [1.0, 0.0]])


def test_threads_do_not_mix_precisions(m):
    # The working precision is process-wide; the binding serialises library calls.
    from concurrent.futures import ThreadPoolExecutor

    ariths = ["mpfr:64", "mpfr:256", "interval:64", "interval:200"] * 3
    expected = {a: m.solve(arith=a).json for a in set(ariths)}
    with ThreadPoolExecutor(max_workers=4) as pool:
        got = list(pool.map(lambda a: (a, m.solve(arith=a).json), ariths))
    assert all(doc == expected[a] for a, doc in got)
