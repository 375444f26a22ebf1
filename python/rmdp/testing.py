"""Hypothesis strategies that draw exact rmdp objects, for property tests of one's own lemmas.

    from hypothesis import given, strategies as st
    import rmdp, rmdp.testing as rt

    @given(rt.robust_mdps(), st.data())
    def test_my_lemma(m, data):
        pi = data.draw(rt.policies(m))
        assert ...   # exact Fractions: == and <= are decisions

Every number is a small exact rational (weights 0..denominator, normalised), so a failure shrinks
to a small exact counterexample: sizes shrink towards 1 state and 1 action, weights towards a
point mass on state 0, costs towards 0, uncertainty types towards "none", flags towards False.
"""

from fractions import Fraction

from hypothesis import strategies as st

import rmdp

__all__ = ["mdps", "robust_mdps", "policies", "directions", "distributions", "SET_TYPES", "ALL_SET_TYPES"]

# The (s,a)-rectangular kinds with exact worst cases (docs/format.md): robust_mdps() draws these by
# default, so every exact method (evaluate, solve, robust_bellman, gradient) applies to its draws.
# "l1" covers both supports (all states, and "support": "nominal").
SET_TYPES = ("none", "l1", "interval", "finite", "weighted-l1")
# Drawn only when asked for (types=...): "kl" (worst cases transcendental: exact arithmetic refuses
# them, use arith="double", "mpfr:BITS" or "interval:BITS") and "s-l1" (s-rectangular: the
# (s,a)-rectangular operators refuse it; evaluate and solve route it, docs/robust.md).
OTHER_SET_TYPES = ("kl", "s-l1")
ALL_SET_TYPES = SET_TYPES + OTHER_SET_TYPES


def distributions(n, denominator=4):
    """A probability vector of length n: normalised integer weights 0..denominator."""
    return _weights(n, denominator).map(_normalise)


def _gamma(gamma):
    if gamma is not None:
        return st.just(Fraction(gamma))
    return st.integers(1, 9).map(lambda k: Fraction(k, 10))


def _normalise(w):
    if sum(w) == 0:
        w = [1] + [0] * (len(w) - 1)  # all weights shrunk to 0: a point mass on state 0
    t = sum(w)
    return [Fraction(x, t) for x in w]


def _weights(n, denominator):
    return st.lists(st.integers(0, denominator), min_size=n, max_size=n)


# Shrinking: S and A are drawn first, then every number for the largest sizes, and the MDP is the
# top-left S x A block (rows renormalised). Lowering S or A then keeps every other draw in place,
# so Hypothesis can cut a counterexample down to fewer states without the rest of the data
# shifting under it.
@st.composite
def _parts(draw, min_states, max_states, min_actions, max_actions, denominator, gamma, ties):
    S = draw(st.integers(min_states, max_states))
    A = draw(st.integers(min_actions, max_actions))
    NS, NA, D = max_states, max_actions, denominator
    g = draw(_gamma(gamma))
    cost = [[Fraction(draw(st.integers(-2 * D, 2 * D)), D) for _ in range(NA)] for _ in range(NS)]
    W = [[draw(_weights(NS, D)) for _ in range(NA)] for _ in range(NS)]
    cost = [row[:A] for row in cost[:S]]
    P = [[_normalise(W[s][a][:S]) for a in range(A)] for s in range(S)]
    copy = draw(st.booleans()) if ties else False
    copied = [draw(st.booleans()) for _ in range(NS)] if copy else [False] * NS
    if A >= 2:
        # Ties on purpose: action 1 a copy of action 0 in some states (argmins and worst cases tie).
        for s in range(S):
            if copied[s]:
                cost[s][1], P[s][1] = cost[s][0], list(P[s][0])
    if ties and draw(st.booleans()):
        c = cost[0][0]
        cost = [[c] * A for _ in range(S)]  # equal costs everywhere: V ties across states
    rho_w = draw(_weights(NS, D)) if draw(st.booleans()) else None
    rho = _normalise(rho_w[:S]) if rho_w is not None else None
    return S, A, g, cost, P, rho


def mdps(max_states=4, max_actions=3, min_states=1, min_actions=1, denominator=4, gamma=None, ties=True):
    """Exact nominal MDPs (uncertainty "none"): gamma in {1/10, ..., 9/10} unless given, costs in
    [-2, 2] with denominator `denominator`, kernel rows of normalised integer weights 0..denominator."""
    return _parts(min_states, max_states, min_actions, max_actions, denominator, gamma, ties).map(
        lambda p: rmdp.Mdp(P=p[4], cost=p[3], gamma=p[2], rho=p[5]))


@st.composite
def _robust(draw, min_states, max_states, min_actions, max_actions, denominator, gamma, types, ties):
    S, A, g, cost, P, rho = draw(_parts(min_states, max_states, min_actions, max_actions, denominator, gamma, ties))
    NS, NA, D = max_states, max_actions, denominator
    kind = draw(st.sampled_from(types))
    def radii(values, per_state=False):
        """One radius for every row, or one per (s,a) (per state for s-l1), drawn for the largest sizes."""
        if draw(st.booleans()):
            if per_state:
                return [draw(values) for _ in range(NS)][:S]
            r = [[draw(values) for _ in range(NA)] for _ in range(NS)]
            return [row[:A] for row in r[:S]]
        return draw(values)

    def weights():
        """S x A x S positive weights from {1/2, 1, 2, 3}, all equal within a row sometimes (ties)."""
        choice = st.sampled_from([Fraction(1), Fraction(1, 2), Fraction(2), Fraction(3)])
        w = [[[draw(choice) for _ in range(NS)] for _ in range(NA)] for _ in range(NS)]
        equal = [[draw(st.booleans()) for _ in range(NA)] for _ in range(NS)]
        return [[[w[s][a][0] if equal[s][a] else w[s][a][t] for t in range(S)] for a in range(A)] for s in range(S)]

    # r = 0 (the nominal point) and r = 2 (the whole simplex, for l1) are the boundary cases.
    l1_radius = st.integers(0, 2 * D).map(lambda k: Fraction(k, D))
    if kind == "none":
        u = {"type": "none"}
    elif kind == "l1":
        u = {"type": "l1", "radius": radii(l1_radius)}
        if draw(st.booleans()):
            u["support"] = "nominal"  # nature moves mass only among the nominal successors
    elif kind == "weighted-l1":
        u = {"type": "weighted-l1", "radius": radii(st.integers(0, 3 * D).map(lambda k: Fraction(k, D))),
             "weights": weights()}
    elif kind == "kl":
        # KL(p || P_N) <= r (natural log); r = 0 is the nominal point, large r reaches the special case.
        u = {"type": "kl", "radius": radii(st.integers(0, 2 * D).map(lambda k: Fraction(k, 2 * D)))}
    elif kind == "s-l1":
        u = {"type": "s-l1", "radius": radii(l1_radius, per_state=True)}
        if draw(st.booleans()):
            u["weights"] = weights()
    elif kind == "interval":
        # A box around P_N, so it meets the simplex; widths 0 make degenerate (tied) boxes.
        lo = [[[Fraction(draw(st.integers(0, D)), D) for _ in range(NS)] for _ in range(NA)] for _ in range(NS)]
        hi = [[[Fraction(draw(st.integers(0, D)), D) for _ in range(NS)] for _ in range(NA)] for _ in range(NS)]
        lower = [[[max(Fraction(0), P[s][a][t] - lo[s][a][t]) for t in range(S)] for a in range(A)] for s in range(S)]
        upper = [[[min(Fraction(1), P[s][a][t] + hi[s][a][t]) for t in range(S)] for a in range(A)] for s in range(S)]
        u = {"type": "interval", "lower": lower, "upper": upper}
    elif kind == "finite":
        # Finite sets: P_N first (so the nominal kernel is in the set) and up to two more points,
        # sometimes a repeated one (ties).
        extra = [[(draw(st.integers(0, 2)), [draw(_weights(NS, D)) for _ in range(2)], draw(st.booleans()))
                  for _ in range(NA)] for _ in range(NS)]

        def points(s, a):
            k, ws, repeat = extra[s][a]
            pts = [list(P[s][a])] + [_normalise(w[:S]) for w in ws[:k]]
            if k and repeat:
                pts.append(list(pts[-1]))
            return pts

        u = {"type": "finite", "distributions": [[points(s, a) for a in range(A)] for s in range(S)]}
    else:
        raise ValueError(f"robust_mdps: unknown set type {kind!r} (known: {', '.join(ALL_SET_TYPES)})")
    return rmdp.Mdp(P=P, cost=cost, gamma=g, rho=rho, uncertainty=u)


def robust_mdps(max_states=4, max_actions=3, min_states=1, min_actions=1, denominator=4, gamma=None,
                types=SET_TYPES, ties=True):
    """Exact robust MDPs. By default every set type with exact worst cases (SET_TYPES): "none", "l1"
    with one radius or one per (s,a) and either support, "interval" boxes around P_N, "finite" hulls
    containing P_N, "weighted-l1" with positive weights; types=ALL_SET_TYPES adds "kl" and "s-l1"
    (see OTHER_SET_TYPES for what they need). Ties on purpose (copied actions, equal costs, radius 0
    and 2, zero-width boxes, repeated points, equal weights)."""
    unknown = [t for t in types if t not in ALL_SET_TYPES]
    if unknown or not types:
        raise ValueError(f"robust_mdps: types must be some of {', '.join(ALL_SET_TYPES)}, found {list(types)}")
    return _robust(min_states, max_states, min_actions, max_actions, denominator, gamma, tuple(types), ties)


def policies(mdp, deterministic=None, denominator=4):
    """Policies of `mdp` as S x A nested lists of Fractions (use with st.data():
    ``pi = data.draw(policies(m))``). deterministic=True/False forces one kind; None draws both."""

    @st.composite
    def draw_policy(draw):
        det = draw(st.booleans()) if deterministic is None else deterministic
        rows = []
        for _ in range(mdp.states):
            if det:
                a = draw(st.integers(0, mdp.actions - 1))
                rows.append([Fraction(int(b == a)) for b in range(mdp.actions)])
            else:
                rows.append(draw(distributions(mdp.actions, denominator)))
        return rows

    return draw_policy()


def directions(mdp, policy=None, denominator=4):
    """Directions delta (S x A, rows summing to 0) as nested lists of Fractions. With a policy, the
    direction is feasible there (delta = sigma - pi for a drawn policy sigma: pi + t delta stays a
    policy for t in [0, 1]); without one, any rows summing to 0 (feasible at interior policies)."""

    @st.composite
    def draw_direction(draw):
        rows = []
        for s in range(mdp.states):
            if policy is not None:
                sigma = draw(distributions(mdp.actions, denominator))
                rows.append([sigma[a] - Fraction(policy[s][a]) for a in range(mdp.actions)])
            else:
                w = [Fraction(draw(st.integers(-denominator, denominator)), denominator) for _ in range(mdp.actions)]
                mean = sum(w, Fraction(0)) / mdp.actions
                rows.append([x - mean for x in w])
        return rows

    return draw_direction()
