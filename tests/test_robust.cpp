// Robust core: worst cases are feasible and maximal, robust values and optimal policies carry
// their certificates, floating results lie within their rigorous bounds, value iteration meets
// its stopping rule. Instances: RapidCheck draws sizes and a seed (sizes shrink), the library's
// reproducible generator draws the robust MDP from them, ties included on purpose.
#include "support.hpp"

#include "rmdp/error_bound.hpp"
#include "rmdp/random.hpp"
#include "rmdp/solvers.hpp"

#include <catch2/catch.hpp>
#include <rapidcheck.h>
#include <rapidcheck/catch.h>

using namespace rmdp;

namespace {

struct RobustCase {
    MdpData m;
    PolicyData pi;
};

RobustCase draw_case() {
    GeneratorOptions opt;
    opt.max_states = *rc::gen::inRange<std::size_t>(1, 6);
    opt.max_actions = *rc::gen::inRange<std::size_t>(1, 4);
    const auto seed = *rc::gen::inRange<std::uint64_t>(0, 1000000);
    Rng rng(seed);
    RobustCase c;
    c.m = random_robust_mdp(rng, opt, 1000);  // trial index large: sizes up to the options
    c.pi = random_policy(rng, c.m, opt);
    RC_TAG(std::string(c.m.uncertainty.kind()));
    return c;
}

rational l1_distance(const Vector<rational>& p, const Kernel<rational>& P, std::size_t s, std::size_t a) {
    rational d = 0;
    for (std::size_t t = 0; t < p.size(); ++t) {
        rational x = p[t] - P(s, a, t);
        d += x < 0 ? rational(-x) : x;
    }
    return d;
}

// p in U_{s,a}, decided exactly.
bool is_member(const MdpData& m, const Vector<rational>& p, std::size_t s, std::size_t a) {
    rational sum = 0;
    for (const auto& x : p) {
        if (x < 0) return false;
        sum += x;
    }
    if (sum != 1) return false;
    const Uncertainty& u = m.uncertainty;
    if (u.is_nominal()) {
        for (std::size_t t = 0; t < m.S; ++t)
            if (p[t] != m.P(s, a, t)) return false;
        return true;
    }
    if (const auto* l1 = u.get<L1Ball<rational>>()) {
        if (l1->nominal_support())
            for (std::size_t t = 0; t < m.S; ++t)
                if (m.P(s, a, t) == 0 && p[t] != 0) return false;
        return l1_distance(p, m.P, s, a) <= l1->radius[s * m.A + a];
    }
    if (const auto* wl1 = u.get<WeightedL1Ball<rational>>()) {
        rational used = 0;
        for (std::size_t t = 0; t < m.S; ++t) {
            const rational x = p[t] - m.P(s, a, t);
            used += wl1->weights[(s * m.A + a) * m.S + t] * (x < 0 ? rational(-x) : x);
        }
        return used <= wl1->radius[s * m.A + a];
    }
    if (const auto* box = u.get<IntervalSet<rational>>()) {
        for (std::size_t t = 0; t < m.S; ++t) {
            std::size_t i = (s * m.A + a) * m.S + t;
            if (p[t] < box->lower[i] || p[t] > box->upper[i]) return false;
        }
        return true;
    }
    if (const auto* fin = u.get<FiniteSet<rational>>()) {
        for (const auto& q : fin->points[s * m.A + a])
            if (q == p) return true;
        return false;
    }
    FAIL("is_member: no membership test for set kind " << u.kind());
    return false;
}

rational dot(const Vector<rational>& p, const Vector<rational>& V) {
    rational acc = 0;
    for (std::size_t i = 0; i < p.size(); ++i) acc += p[i] * V[i];
    return acc;
}

}  // namespace

TEST_CASE("worst cases are members of U_{s,a} and beat every other point of it", "[robust]") {
    rc::prop("greedy worst case is feasible and maximal", [] {
        const RobustCase c = draw_case();
        const Mdp<rational> m = convert<rational>(c.m);
        const UncertaintySet<rational> U = convert<rational>(c.m.uncertainty);
        // A value vector with ties on purpose: entries k/2, k in 0..3.
        Vector<rational> V;
        for (std::size_t t = 0; t < m.S; ++t) V.emplace_back(*rc::gen::inRange(0, 4), 2);
        Vector<rational> W;  // another vector, for other points of U
        for (std::size_t t = 0; t < m.S; ++t) W.emplace_back(*rc::gen::inRange(-3, 4), 3);
        const rational lambda(*rc::gen::inRange(0, 5), 4);
        for (std::size_t s = 0; s < m.S; ++s)
            for (std::size_t a = 0; a < m.A; ++a) {
                const WorstCase<rational> w = worst_case(U, m.P, s, a, V);
                RC_ASSERT(is_member(c.m, w.p, s, a));
                RC_ASSERT(w.value == dot(w.p, V));
                // Other points of the convex set U_{s,a}: worst cases of W, P_N (when in U), and
                // convex combinations of them. None may beat w.
                const WorstCase<rational> o = worst_case(U, m.P, s, a, W);
                Vector<rational> mix(m.S);
                for (std::size_t t = 0; t < m.S; ++t) mix[t] = lambda * o.p[t] + (1 - lambda) * w.p[t];
                RC_ASSERT(dot(o.p, V) <= w.value);
                RC_ASSERT(dot(mix, V) <= w.value);
                if (const auto* fin = c.m.uncertainty.get<FiniteSet<rational>>())
                    for (const auto& q : fin->points[s * m.A + a]) RC_ASSERT(dot(q, V) <= w.value);
            }
    });
}

TEST_CASE("degenerate uncertainty sets", "[robust]") {
    // 3 states, 1 action; nominal row (1/2, 1/2, 0); V = (0, 1, 5): state 2 is the worst, and P_N is 0 there.
    MdpData m;
    m.S = 3;
    m.A = 1;
    m.gamma = rational(1, 2);
    m.cost = {0, 0, 0};
    m.P = Kernel<rational>(3, 1);
    for (std::size_t s = 0; s < 3; ++s) {
        m.P.set(s, 0, 0, rational(1, 2));
        m.P.set(s, 0, 1, rational(1, 2));
    }
    m.rho = {rational(1, 3), rational(1, 3), rational(1, 3)};
    const Vector<rational> V = {0, 1, 5};
    auto worst = [&](const Uncertainty& u) {
        m.uncertainty = u;
        validate(m, "test");
        return worst_case(convert<rational>(u), m.P, 0, 0, V);
    };
    L1Ball<rational> l1;
    SECTION("radius 0 is the nominal row") {
        l1.radius = {0, 0, 0};
        CHECK(worst(l1).p == Vector<rational>{rational(1, 2), rational(1, 2), 0});
    }
    SECTION("mass moves into a state with zero nominal probability, from the lowest V first") {
        l1.radius = {rational(1, 2), rational(1, 2), rational(1, 2)};
        CHECK(worst(l1).p == Vector<rational>{rational(1, 4), rational(1, 2), rational(1, 4)});
    }
    SECTION("radius >= 2 is the whole simplex: a point mass on the worst state") {
        l1.radius = {3, 3, 3};
        CHECK(worst(l1).p == Vector<rational>{0, 0, 1});
        CHECK(worst(l1).value == 5);
    }
    SECTION("an interval box with lower = upper pins p") {
        IntervalSet<rational> box;
        for (std::size_t i = 0; i < 3; ++i)
            for (std::size_t t = 0; t < 3; ++t) {
                box.lower.push_back(m.P(i, 0, t));
                box.upper.push_back(m.P(i, 0, t));
            }
        CHECK(worst(box).p == Vector<rational>{rational(1, 2), rational(1, 2), 0});
    }
    SECTION("ties in V: lowest index wins, value unchanged") {
        const Vector<rational> tied = {2, 2, 2};
        l1.radius = {1, 1, 1};
        m.uncertainty = l1;
        const auto w = worst_case(convert<rational>(m.uncertainty), m.P, 0, 0, tied);
        CHECK(w.value == 2);
        CHECK(w.p == Vector<rational>{1, 0, 0});
    }
}

TEST_CASE("exact robust evaluation carries its certificate", "[robust]") {
    rc::prop("T_r^pi V = V, the worst-case kernel attains V, other kernels of U do not exceed it", [] {
        const RobustCase c = draw_case();
        const Mdp<rational> m = convert<rational>(c.m);
        const UncertaintySet<rational> U = convert<rational>(c.m.uncertainty);
        const Policy<rational> pi = convert<rational>(c.pi);
        const RobustEvaluation<rational> ev = robust_value(m, U, pi);
        RC_ASSERT(robust_bellman(m, U, pi, ev.V) == ev.V);
        RC_ASSERT(value(m, worst_case_kernel(U, m.P, ev.V), pi) == ev.V);
        const Vector<rational> Vn = value(m, m.P, pi);
        const Vector<rational> Vo = value(m, worst_case_kernel(U, m.P, Vn), pi);
        for (std::size_t s = 0; s < m.S; ++s) RC_ASSERT(Vo[s] <= ev.V[s]);
        if (c.m.uncertainty.is_nominal()) RC_ASSERT(ev.V == Vn);
    });
}

TEST_CASE("exact robust policy iteration is certified optimal", "[robust]") {
    rc::prop("V* = T_r V*, pi* greedy, and no policy does better", [] {
        const RobustCase c = draw_case();
        const Mdp<rational> m = convert<rational>(c.m);
        const UncertaintySet<rational> U = convert<rational>(c.m.uncertainty);
        const RobustSolution<rational> sol = robust_solve(m, U);
        RC_ASSERT(is_robust_optimal(m, U, sol.policy, sol.V));
        for (std::size_t s = 0; s < m.S; ++s) {
            rational mass = 0;
            for (std::size_t a = 0; a < m.A; ++a) {
                RC_ASSERT((sol.policy(s, a) == 0 || sol.policy(s, a) == 1));
                mass += sol.policy(s, a);
            }
            RC_ASSERT(mass == 1);
        }
        const Vector<rational> Vpi = robust_value(m, U, convert<rational>(c.pi)).V;
        for (std::size_t s = 0; s < m.S; ++s) RC_ASSERT(sol.V[s] <= Vpi[s]);
    });
}

TEMPLATE_LIST_TEST_CASE("floating robust results lie within their rigorous bounds", "[robust]",
                        rmdp_test::rounded_ordered_scalars) {
    set_working_precision(120);
    rc::prop("|V~ - V| <= exact-residual bound, for evaluation and for the optimum", [] {
        const RobustCase c = draw_case();
        const Mdp<rational> mq = convert<rational>(c.m);
        const UncertaintySet<rational> Uq = convert<rational>(c.m.uncertainty);
        const Mdp<TestType> m = convert<TestType>(c.m);
        const UncertaintySet<TestType> U = convert<TestType>(c.m.uncertainty);
        const Vector<rational> Vexact = robust_value(mq, Uq, convert<rational>(c.pi)).V;
        const Vector<TestType> V = robust_value(m, U, convert<TestType>(c.pi)).V;
        const residual_bound b = bellman_residual_bound(c.m, &c.pi, exact_values(V));
        for (std::size_t s = 0; s < m.S; ++s) {
            rational e = exact_value(V[s]) - Vexact[s];
            RC_ASSERT((e < 0 ? rational(-e) : e) <= b.V);
        }
        const Vector<rational> Vstar = robust_solve(mq, Uq).V;
        const Vector<TestType> Vs = robust_solve(m, U).V;
        const residual_bound bs = bellman_residual_bound(c.m, nullptr, exact_values(Vs));
        for (std::size_t s = 0; s < m.S; ++s) {
            rational e = exact_value(Vs[s]) - Vstar[s];
            RC_ASSERT((e < 0 ? rational(-e) : e) <= bs.V);
        }
    });
}

TEMPLATE_TEST_CASE("the directed-rounding bound is an upper end of the exact-residual bound", "[robust]", double,
                   long double) {
    // directed_bellman_bound must be >= the exact quantity it bounds, for solver outputs and for
    // arbitrary V~ (a solver output moved by up to 1/8 per state, so the residual is not at the
    // rounding floor), for T_r, T_r^pi and the nominal T^pi. Not a tolerance: a soundness check.
    // The last assertion is a sanity check that the bound is not vacuous: its excess over the exact
    // value stays below 2^-40 (1 + max|V~| + max|c|) / (1 - gamma), far above the long double
    // interval widths of these small instances (at most 6 states, 3 actions).
    rc::prop("E_V and E_Q by directed rounding bound the exact ones", [] {
        const RobustCase c = draw_case();
        const Mdp<TestType> m = convert<TestType>(c.m);
        const UncertaintySet<TestType> U = convert<TestType>(c.m.uncertainty);
        Vector<TestType> V = robust_solve(m, U).V;
        if (*rc::gen::arbitrary<bool>()) {
            for (auto& v : V) v += TestType(*rc::gen::inRange(-16, 17)) / 128;
        }
        const bool with_policy = *rc::gen::arbitrary<bool>();
        MdpData md = c.m;
        if (with_policy && *rc::gen::arbitrary<bool>()) md.uncertainty = Uncertainty{};  // nominal T^pi
        const Mdp<TestType> mt = convert<TestType>(md);
        const UncertaintySet<TestType> Ut = convert<TestType>(md.uncertainty);
        const Matrix<TestType> Q = robust_q(mt, Ut, V);
        const PolicyData* pi = with_policy ? &c.pi : nullptr;
        const std::optional<evaluation_bound> d = directed_bellman_bound(md, pi, V, Q);
        if (!d) {  // only for a set kind it has no worst-case program for (then the exact bound is used)
            const auto* l1 = md.uncertainty.get<L1Ball<rational>>();
            RC_ASSERT(!md.uncertainty.is_nominal() && !(l1 && !l1->nominal_support()) &&
                      !md.uncertainty.get<IntervalSet<rational>>() && !md.uncertainty.get<FiniteSet<rational>>());
            return;
        }
        const residual_bound b = bellman_residual_bound(md, pi, exact_values(V));
        RC_ASSERT(d->V >= b.V);
        rational qdiff = 0, scale = 1;
        for (std::size_t i = 0; i < Q.data.size(); ++i) {
            rational e = exact_value(Q.data[i]) - b.Q_at.data[i];
            qdiff = std::max(qdiff, e < 0 ? rational(-e) : e);
        }
        RC_ASSERT(d->Q >= qdiff + md.gamma * b.V);
        auto grow = [&scale](rational x) { scale = std::max(scale, rational(1 + (x < 0 ? rational(-x) : x))); };
        for (const auto& v : V) grow(exact_value(v));
        for (const auto& x : md.cost) grow(x);
        const rational slack = 2 * scale / (rational(1) - md.gamma) / rational(integer(1) << 40);
        RC_ASSERT(d->V <= b.V + slack);
    });
}

TEST_CASE("the directed-rounding bound leaves data beyond its range to the exact bound", "[robust]") {
    // One state, one action, P = 1, l1 radius 1/2: V = c / (1 - gamma). A cost of 2^16100 is beyond
    // the range where the long double intervals provably cannot overflow (2^16000): no bound, so the
    // caller uses the exact one. 2^100 is inside: a bound, and it holds (V~ is exact here).
    MdpData m;
    m.S = 1;
    m.A = 1;
    m.gamma = rational(1, 2);
    m.P = Kernel<rational>(1, 1);
    m.P.set(0, 0, 0, 1);
    m.rho = {rational(1)};
    m.uncertainty = L1Ball<rational>{{rational(1, 2)}};
    Vector<long double> V{0};
    Matrix<long double> Q(1, 1);
    m.cost = {rational(integer(1) << 16100)};
    CHECK_FALSE(directed_bellman_bound(m, nullptr, V, Q).has_value());
    m.cost = {rational(integer(1) << 100)};
    V[0] = std::ldexp(1.0L, 101);
    Q(0, 0) = V[0];
    const std::optional<evaluation_bound> d = directed_bellman_bound(m, nullptr, V, Q);
    REQUIRE(d.has_value());
    CHECK(d->V >= 0);
    CHECK(d->V <= rational(integer(1) << 40));  // the exact residual is 0; intervals of ~2^-63 relative
}

namespace {
bool contains(const mpfi_float& x, const rational& v) { return lower_rational(x) <= v && v <= upper_rational(x); }
}  // namespace

TEST_CASE("interval robust results enclose the exact ones, or say they cannot decide", "[robust][interval]") {
    set_working_precision(128);
    rc::prop("V_r^pi, its worst-case kernel, V* and Q* enclosed; pi* exactly optimal; ties undecided", [] {
        const RobustCase c = draw_case();
        const Mdp<rational> mq = convert<rational>(c.m);
        const UncertaintySet<rational> Uq = convert<rational>(c.m.uncertainty);
        const Mdp<mpfi_float> m = convert<mpfi_float>(c.m);
        const UncertaintySet<mpfi_float> U = convert<mpfi_float>(c.m.uncertainty);
        const Vector<rational> Vq = robust_value(mq, Uq, convert<rational>(c.pi)).V;
        const Kernel<rational> uq = worst_case_kernel(Uq, mq.P, Vq);
        try {
            const RobustEvaluation<mpfi_float> ev = robust_value(m, U, convert<mpfi_float>(c.pi));
            for (std::size_t s = 0; s < m.S; ++s) RC_ASSERT(contains(ev.V[s], Vq[s]));
            // The order of V was decided, so the kernel is the exact lowest-index worst case, enclosed.
            for (std::size_t s = 0; s < m.S; ++s)
                for (std::size_t a = 0; a < m.A; ++a)
                    for (std::size_t t = 0; t < m.S; ++t) RC_ASSERT(contains(ev.kernel(s, a, t), uq(s, a, t)));
            RC_TAG("robust value decided by the enclosures");
        } catch (const undecided_comparison&) {
            // Only where the exact V has a tie somewhere: distinct exact values separate at 128 bits.
            bool tie = false;
            for (std::size_t s = 0; s < Vq.size(); ++s)
                for (std::size_t t = s + 1; t < Vq.size(); ++t) tie = tie || Vq[s] == Vq[t];
            RC_ASSERT(tie || c.m.uncertainty.traits().order_driven == false);
            RC_TAG("robust value: exact fallback");
        }
        const RobustSolution<rational> sq = robust_solve(mq, Uq);
        try {
            const RobustSolution<mpfi_float> sol = robust_solve(m, U);
            Policy<rational> pi(m.S, m.A);
            for (std::size_t i = 0; i < pi.data.size(); ++i) pi.data[i] = lower_rational(sol.policy.data[i]);
            RC_ASSERT(is_robust_optimal(mq, Uq, pi, sq.V));
            const Matrix<rational> Q = robust_q(mq, Uq, sq.V);
            for (std::size_t s = 0; s < m.S; ++s) RC_ASSERT(contains(sol.V[s], sq.V[s]));
            for (std::size_t i = 0; i < Q.data.size(); ++i) RC_ASSERT(contains(sol.Q.data[i], Q.data[i]));
        } catch (const undecided_comparison&) {
            RC_TAG("optimum: exact fallback");
        }
    });
}

TEST_CASE("robust value iteration meets its stopping rule", "[robust]") {
    rc::prop("||V_k - V*|| <= eps + rounding bound", [] {
        const RobustCase c = draw_case();
        // Exact iterates' denominators grow with every step; keep the run short.
        RC_PRE(c.m.gamma <= rational(9, 10));
        const Vector<rational> Vstar = robust_solve(convert<rational>(c.m), convert<rational>(c.m.uncertainty)).V;
        // Exact value iteration: the stopping rule's guarantee holds with no rounding at all.
        const rational eps(1, 1000);
        const auto vi = robust_value_iteration(convert<rational>(c.m), convert<rational>(c.m.uncertainty), eps, 100000);
        for (std::size_t s = 0; s < c.m.S; ++s) {
            rational e = vi.V[s] - Vstar[s];
            RC_ASSERT((e < 0 ? rational(-e) : e) <= eps);
        }
    });
}
