"""rmdp.testing: properties over the strategies (exact, so every assertion is a decision), and a
false statement that Hypothesis refutes and shrinks to a small exact counterexample."""
import importlib.util
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, seed, settings, strategies as st

import rmdp
import rmdp.testing as rt
from conftest import EXAMPLES


def load_example(name):
    spec = importlib.util.spec_from_file_location(name, EXAMPLES / "python" / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@given(rt.robust_mdps())
def test_strategies_draw_valid_exact_mdps(m):
    assert isinstance(m, rmdp.Mdp) and 1 <= m.states <= 4 and 1 <= m.actions <= 3
    assert all(sum(row) == 1 for s in m.P for row in s)
    assert rmdp.Mdp.from_dict(m.to_dict()) == m


@given(rt.robust_mdps(types=rt.ALL_SET_TYPES))
def test_strategies_draw_every_set_kind(m):
    assert m.uncertainty["type"] in rt.ALL_SET_TYPES
    assert rmdp.Mdp.from_dict(m.to_dict()) == m


@given(rt.robust_mdps(types=("l1",)), st.data())
def test_nominal_support_is_a_subset(m, data):
    # The same ball restricted to supp P_N is a subset: nature's worst case can only be smaller.
    pi = data.draw(rt.policies(m))
    every = {k: v for k, v in m.uncertainty.items() if k != "support"}
    V = {support: rmdp.Mdp(P=m.P, cost=m.cost, gamma=m.gamma, rho=m.rho, uncertainty=u).evaluate(pi).V
         for support, u in (("all", every), ("nominal", dict(every, support="nominal")))}
    assert all(n <= a for n, a in zip(V["nominal"], V["all"]))


def test_unknown_set_type_is_refused():
    with pytest.raises(ValueError, match="types must be some of"):
        rt.robust_mdps(types=("l2",))


@given(rt.robust_mdps(), st.data())
def test_robust_value_dominates_nominal(m, data):
    # Nature maximises cost over a set containing P_N: V_r^pi >= V^pi at every state.
    pi = data.draw(rt.policies(m))
    robust, nominal = m.evaluate(pi), m.evaluate(pi, nominal=True)
    assert all(r >= n for r, n in zip(robust.V, nominal.V))


@given(rt.robust_mdps())
def test_solution_is_a_fixed_point_and_crosschecks_to_zero(m):
    sol = m.solve()
    assert m.robust_bellman(sol.V).TV == sol.V
    assert m.crosscheck([str(v) for v in sol.V]).json["max_abs_error"] in ("0", "0/1")


@given(rt.robust_mdps(types=("none", "l1")))
def test_layouts_agree(m):
    P = np.array(m.P, dtype=object)
    assert rmdp.Mdp(P=P.transpose(1, 0, 2), cost=m.cost, gamma=m.gamma, rho=m.rho, layout="ass",
                    uncertainty=m.uncertainty) == m


@given(rt.mdps(min_actions=2), st.data())
def test_directions_are_feasible(m, data):
    pi = data.draw(rt.policies(m))
    d = data.draw(rt.directions(m, pi))
    assert all(sum(row) == 0 for row in d)
    m.gradient(pi, direction=d)  # the library accepts it (feasible at pi)


def test_true_lemma_example():
    load_example("true_lemma_pdl").test_performance_difference_lemma()


def test_false_lemma_shrinks_to_two_states():
    # How small Hypothesis gets depends on the search's random stream: over seeds 0-7, the shrunk
    # counterexample had <= 2 states for 6 seeds with today's strategies (3 of 8 before weighted-l1
    # and the nominal support were drawn; one derandomized run then passed by luck). So the seeded
    # searches run in turn until one shrinks to <= 2 states (usually the first); every one must find
    # a genuine counterexample.
    ex = load_example("false_lemma")
    sizes = []
    for k in range(4):
        failing = []

        @seed(k)
        @settings(max_examples=300, derandomize=False)
        @given(ex.STRATEGY)
        def prop(m):
            if not ex.nominal_optimum_is_robust_optimal(m):
                failing.append(m)
                raise AssertionError("nominal optimum is not robust-optimal")

        with pytest.raises(AssertionError):
            prop()
        shrunk = failing[-1]  # Hypothesis replays the minimal example last
        assert not ex.nominal_optimum_is_robust_optimal(shrunk)
        assert shrunk.uncertainty["type"] != "none"
        assert all(isinstance(x, Fraction) for row in shrunk.cost for x in row)
        sizes.append(shrunk.states)
        if shrunk.states <= 2:
            break
    assert min(sizes) <= 2, f"shrunk counterexamples with {sizes} states (seeds 0-{len(sizes) - 1})"
