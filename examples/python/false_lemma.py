"""A plausible but false statement, and Hypothesis shrinking an exact counterexample of it:
    "a policy optimal for the nominal kernel is optimal for the robust MDP".
Run: /usr/bin/python3 examples/python/false_lemma.py   (prints the shrunk counterexample)."""
from hypothesis import given, note, settings
import rmdp
import rmdp.testing as rt

STRATEGY = rt.robust_mdps(max_states=4, max_actions=3)


def nominal_optimum_is_robust_optimal(m):
    nominal = rmdp.Mdp(P=m.P, cost=m.cost, gamma=m.gamma, rho=m.rho)   # same MDP, no uncertainty
    pi = nominal.solve().policy                                         # exact nominal optimum
    return m.evaluate(pi).V == m.solve().V                              # robust value of pi = V*?


@settings(deadline=None)
@given(STRATEGY)
def test_nominal_optimum_is_robust_optimal(m):
    note(m.to_json())
    assert nominal_optimum_is_robust_optimal(m)


if __name__ == "__main__":
    try:
        test_nominal_optimum_is_robust_optimal()
    except AssertionError as e:
        print("\n".join(getattr(e, "__notes__", [])))  # Hypothesis's falsifying example and note()
        print("refuted: the shrunk exact counterexample is printed above (rmdp's MDP format)")
