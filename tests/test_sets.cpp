// Set kinds whose worst case is not a greedy on V's order ("weighted-l1") or restricts nature's
// support ("l1" with "support": "nominal"), against an independent brute force: every vertex of
// U_{s,a} is among the candidates enumerated below, so the maximum of a linear function over U_{s,a}
// is the best feasible candidate, decided exactly.
#include "support.hpp"

#include "rmdp/robust.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <rapidcheck.h>
#include <rapidcheck/catch.h>

using namespace rmdp;

namespace {

// One row of a set of the form {p in simplex : sum_t w_t |p_t - q_t| <= r} (and p_t = 0 where
// q_t = 0 when `nominal_support`).
struct Ball {
    Vector<rational> q, w;
    rational r;
    bool nominal_support = false;
};

rational abs_of(const rational& x) { return x < 0 ? rational(-x) : x; }

rational budget_used(const Ball& b, const Vector<rational>& p) {
    rational acc = 0;
    for (std::size_t t = 0; t < p.size(); ++t) acc += b.w[t] * abs_of(p[t] - b.q[t]);
    return acc;
}

bool is_member(const Ball& b, const Vector<rational>& p) {
    if (p.size() != b.q.size()) return false;
    rational sum = 0;
    for (std::size_t t = 0; t < p.size(); ++t) {
        if (p[t] < 0) return false;
        if (b.nominal_support && b.q[t] == 0 && p[t] != 0) return false;
        sum += p[t];
    }
    return sum == 1 && budget_used(b, p) <= b.r;
}

rational dot(const Vector<rational>& p, const Vector<rational>& V) {
    rational acc = 0;
    for (std::size_t t = 0; t < p.size(); ++t) acc += p[t] * V[t];
    return acc;
}

// A superset of the vertices of U, all of them members. A vertex has n - 1 independent tight
// constraints besides sum p = 1, taken from p_t = 0, p_t = q_t (the kinks of |p_t - q_t|) and the
// budget: either every coordinate but one is at 0 or q_t, or all but two and the budget is tight
// (then the signs of the two free p_t - q_t are guessed and a 2x2 system solved). With
// nominal support U is the face {p_t = 0 where q_t = 0} of the ball, whose vertices are vertices of
// the ball: the members are filtered.
std::vector<Vector<rational>> candidate_vertices(const Ball& b) {
    const std::size_t n = b.q.size();
    std::vector<Vector<rational>> out;
    auto keep = [&](const Vector<rational>& p) {
        if (is_member(b, p)) out.push_back(p);
    };
    // fixed: for each non-free coordinate, bit 0 -> 0, bit 1 -> q_t.
    for (std::size_t i = 0; i < n; ++i) {
        std::vector<std::size_t> others;
        for (std::size_t t = 0; t < n; ++t)
            if (t != i) others.push_back(t);
        for (std::size_t mask = 0; mask < (std::size_t{1} << others.size()); ++mask) {
            Vector<rational> p(n, rational(0));
            rational rest = 1;
            for (std::size_t k = 0; k < others.size(); ++k) {
                p[others[k]] = (mask >> k & 1) ? b.q[others[k]] : rational(0);
                rest -= p[others[k]];
            }
            p[i] = rest;
            keep(p);
        }
    }
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = i + 1; j < n; ++j) {
            std::vector<std::size_t> others;
            for (std::size_t t = 0; t < n; ++t)
                if (t != i && t != j) others.push_back(t);
            for (std::size_t mask = 0; mask < (std::size_t{1} << others.size()); ++mask) {
                Vector<rational> p(n, rational(0));
                rational rest = 1, used = 0;
                for (std::size_t k = 0; k < others.size(); ++k) {
                    const std::size_t t = others[k];
                    p[t] = (mask >> k & 1) ? b.q[t] : rational(0);
                    rest -= p[t];
                    used += b.w[t] * abs_of(p[t] - b.q[t]);
                }
                // p_i + p_j = rest, si w_i (p_i - q_i) + sj w_j (p_j - q_j) = r - used.
                for (int si : {-1, 1})
                    for (int sj : {-1, 1}) {
                        const rational ai = si * b.w[i], aj = sj * b.w[j];
                        const rational det = aj - ai;  // | 1 1 ; ai aj |
                        if (det == 0) continue;
                        const rational c = b.r - used + ai * b.q[i] + aj * b.q[j];
                        p[i] = (rest * aj - c) / det;
                        p[j] = (c - rest * ai) / det;
                        if (si * (p[i] - b.q[i]) < 0 || sj * (p[j] - b.q[j]) < 0) continue;
                        keep(p);
                    }
            }
        }
    return out;
}

UncertaintySet<rational> as_set(const Ball& b) {
    if (b.nominal_support) {
        L1Ball<rational> l1;
        l1.radius = {b.r};
        l1.support = "nominal";
        return l1;
    }
    WeightedL1Ball<rational> u;
    u.radius = {b.r};
    u.weights = b.w;
    return u;
}

Kernel<rational> one_row(const Vector<rational>& q) {
    Kernel<rational> P(q.size(), 1);
    for (std::size_t s = 0; s < q.size(); ++s)
        for (std::size_t t = 0; t < q.size(); ++t) P.set(s, 0, t, q[t]);
    return P;
}

// Weights from {1/2, 1, 2, 3}, all equal with chance 1/3; radii k/4, k in 0..12: ties on purpose.
Ball gen_ball(std::size_t n, bool nominal_support) {
    Ball b;
    b.q = *rmdp_test::gen_distribution(n);
    b.nominal_support = nominal_support;
    const auto weight = rc::gen::element(rational(1, 2), rational(1), rational(2), rational(3));
    if (nominal_support) {
        b.w.assign(n, rational(1));
    } else if (*rc::gen::inRange(0, 3) == 0) {
        b.w.assign(n, *weight);
    } else {
        for (std::size_t t = 0; t < n; ++t) b.w.push_back(*weight);
    }
    b.r = rational(*rc::gen::inRange(0, 13), 4);
    return b;
}

Vector<rational> gen_values(std::size_t n, int lo, int hi, int den) {
    Vector<rational> v;
    for (std::size_t t = 0; t < n; ++t) v.emplace_back(*rc::gen::inRange(lo, hi + 1), den);
    return v;
}

// The worst case is a member, its value is <p, V>, no vertex beats it; the face maximiser is a
// member of the face and no vertex of the face beats it for W.
void check_against_vertices(const Ball& b, const Vector<rational>& V, const Vector<rational>& W) {
    const std::size_t n = b.q.size();
    const UncertaintySet<rational> U = as_set(b);
    const Kernel<rational> P = one_row(b.q);
    const WorstCase<rational> w = worst_case(U, P, 0, 0, V);
    RC_ASSERT(is_member(b, w.p));
    RC_ASSERT(w.value == dot(w.p, V));
    const auto vertices = candidate_vertices(b);
    RC_ASSERT(!vertices.empty());
    rational best = dot(vertices[0], V);
    for (const auto& x : vertices) best = std::max(best, dot(x, V));
    RC_ASSERT(w.value == best);

    const WorstCase<rational> f = worst_case_on_face(U, P, 0, 0, V, W);
    RC_ASSERT(is_member(b, f.p));
    RC_ASSERT(dot(f.p, V) == best);
    RC_ASSERT(f.value == dot(f.p, W));
    for (const auto& x : vertices)
        if (dot(x, V) == best) RC_ASSERT(dot(x, W) <= f.value);
    std::size_t receivers = 0;
    for (std::size_t t = 0; t < n; ++t) receivers += w.p[t] > b.q[t] ? 1 : 0;
    RC_TAG("receivers " + std::to_string(receivers));
}

}  // namespace

TEST_CASE("weighted-l1: the issue's example needs two receivers", "[sets]") {
    WeightedL1Ball<rational> u;
    u.radius = {rational(21, 10)};
    u.weights = {rational(1, 10), rational(1), rational(3)};
    const Kernel<rational> P = one_row({1, 0, 0});
    const Vector<rational> V = {0, 1, 2};
    const WorstCase<rational> w = worst_case(UncertaintySet<rational>(u), P, 0, 0, V);
    CHECK(w.p == Vector<rational>{0, rational(1, 2), rational(1, 2)});
    CHECK(w.value == rational(3, 2));
    // One receiver does worse: all into state 1 gives 1, into state 2 gives 2 * 21/31 = 42/31.
    CHECK(rational(42, 31) < w.value);
}

TEMPLATE_TEST_CASE("weighted-l1 in every ordered arithmetic: a dyadic two-receiver example", "[sets]", rational,
                   mpfr_float, double, long double) {
    using T = TestType;
    // q = (1,0,0), V = (0,1,2), w = (1/8,1,3), r = 17/8: state 1 first (slope 8/9), then half of
    // the mass on to state 2 (slope 1/2): p = (0, 1/2, 1/2), value 3/2, every step exact in binary.
    WeightedL1Ball<T> u;
    u.radius = {T(17) / 8};
    u.weights = {T(1) / 8, T(1), T(3)};
    Kernel<T> P(3, 1);
    for (std::size_t s = 0; s < 3; ++s) P.set(s, 0, 0, T(1));
    const Vector<T> V = {T(0), T(1), T(2)};
    const WorstCase<T> w = worst_case(UncertaintySet<T>(u), P, 0, 0, V);
    CHECK(w.p == Vector<T>{T(0), T(1) / 2, T(1) / 2});
    CHECK(w.value == T(3) / 2);
    // A face: V = (0,1,1) ties states 1 and 2; W = (0,0,1) prefers state 2, which costs more
    // (w = 3): within F(V) the cheapest way is still all to state 1 first, then trading 1 -> 2 does
    // not change <p, V>, so it is made with the rest of the budget: 17/8 - 9/8 = 1 buys 1/2.
    const Vector<T> Vtie = {T(0), T(1), T(1)}, W = {T(0), T(0), T(1)};
    const WorstCase<T> f = worst_case_on_face(UncertaintySet<T>(u), P, 0, 0, Vtie, W);
    CHECK(f.p == Vector<T>{T(0), T(1) / 2, T(1) / 2});
    CHECK(f.value == T(1) / 2);
}

TEST_CASE("weighted-l1 worst cases and face maximisers are optimal (vertex enumeration)", "[sets]") {
    rc::prop("weighted-l1 row against its vertices", [] {
        const std::size_t n = *rc::gen::resize(100, rc::gen::inRange<std::size_t>(1, 5));
        const Ball b = gen_ball(n, false);
        check_against_vertices(b, gen_values(n, 0, 3, 2), gen_values(n, -3, 3, 3));
    });
    // Staircases make several receivers common: V_t = t plus a little, weights 3^t/2 (better states
    // are much dearer, so the upper hull of (w_t, V_t) has several points), radii up to 6.
    rc::prop("weighted-l1 staircase row against its vertices", [] {
        const std::size_t n = *rc::gen::resize(100, rc::gen::inRange<std::size_t>(2, 5));
        Ball b = gen_ball(n, false);
        b.w.clear();
        for (std::size_t t = 0; t < n; ++t) b.w.emplace_back(static_cast<long>(std::pow(3, t)), 2);
        b.r = rational(*rc::gen::inRange(0, 25), 4);
        Vector<rational> V;
        for (std::size_t t = 0; t < n; ++t) V.push_back(rational(static_cast<long>(t)) + rational(*rc::gen::inRange(0, 3), 4));
        check_against_vertices(b, V, gen_values(n, -3, 3, 3));
    });
}

TEST_CASE("weighted-l1 with equal weights w is l1 with radius r/w", "[sets]") {
    rc::prop("same worst-case value as the l1 greedy", [] {
        const std::size_t n = *rc::gen::resize(100, rc::gen::inRange<std::size_t>(1, 9));
        const Ball b = gen_ball(n, false);
        const rational w = *rc::gen::element(rational(1, 2), rational(1), rational(2), rational(3));
        WeightedL1Ball<rational> u;
        u.radius = {b.r};
        u.weights.assign(n, w);
        L1Ball<rational> l1;
        l1.radius = {b.r / w};
        const Kernel<rational> P = one_row(b.q);
        const Vector<rational> V = gen_values(n, 0, 3, 2);
        RC_ASSERT(worst_case(UncertaintySet<rational>(u), P, 0, 0, V).value ==
                  worst_case(UncertaintySet<rational>(l1), P, 0, 0, V).value);
    });
}

TEST_CASE("l1 with nominal support: zero outside supp q, optimal (vertex enumeration)", "[sets]") {
    rc::prop("nominal-support l1 row against its vertices", [] {
        const std::size_t n = *rc::gen::resize(100, rc::gen::inRange<std::size_t>(1, 5));
        const Ball b = gen_ball(n, true);
        check_against_vertices(b, gen_values(n, 0, 3, 2), gen_values(n, -3, 3, 3));
    });
    SECTION("a state with zero nominal probability and the largest V receives nothing") {
        L1Ball<rational> l1;
        l1.radius = {2};
        l1.support = "nominal";
        const Kernel<rational> P = one_row({rational(1, 2), rational(1, 2), 0});
        const WorstCase<rational> w = worst_case(UncertaintySet<rational>(l1), P, 0, 0, Vector<rational>{0, 1, 5});
        CHECK(w.p == Vector<rational>{0, 1, 0});
        CHECK(w.value == 1);
    }
}

TEST_CASE("weighted-l1 validation names the field", "[sets]") {
    WeightedL1Ball<rational> u;
    u.radius = {1, 1};
    u.weights = {1, 1, 1, 1};
    const Kernel<rational> P(2, 1);
    CHECK_NOTHROW(u.validate(P, "f.json"));
    u.weights[3] = 0;
    CHECK_THROWS_WITH(u.validate(P, "f.json"), Catch::Contains("uncertainty.weights[1][0][1]") && Catch::Contains("not positive"));
    u.weights[3] = 1;
    u.radius[1] = rational(-1, 2);
    CHECK_THROWS_WITH(u.validate(P, "f.json"), Catch::Contains("uncertainty.radius[1][0]") && Catch::Contains("negative"));
}

// ---- sparse-native l1 (kernel.hpp, sets/l1.hpp) ---------------------------------------------

namespace {

// The l1 greedy on dense rows as it was written before kernels were sparse (O(S) per row): the
// reference the sparse greedy must reproduce exactly.
Vector<rational> dense_l1_greedy(const Vector<rational>& q, const Vector<rational>& V, const rational& r, bool nominal) {
    const Order ord = order_of(V);
    Vector<rational> p = q;
    std::size_t j = ord.top;
    if (nominal)
        for (std::size_t t : ord.descending)
            if (q[t] != 0) {
                j = t;
                break;
            }
    const rational delta = std::min(rational(r / 2), rational(1 - p[j]));
    p[j] += delta;
    rational remaining = delta;
    for (std::size_t t : ord.ascending) {
        if (remaining == 0) break;
        if (t == j) continue;
        const rational take = std::min(p[t], remaining);
        p[t] -= take;
        remaining -= take;
    }
    return p;
}

}  // namespace

TEST_CASE("l1 on sparse rows: exactly the dense greedy, mass moved outside supp q included", "[sets][sparse]") {
    rc::prop("sparse greedy == dense greedy", [] {
        const std::size_t n = *rc::gen::inRange<std::size_t>(1, 8);
        const Vector<rational> q = *rmdp_test::gen_distribution(n);
        const Vector<rational> V = gen_values(n, -2, 3, 2);  // ties on purpose
        const rational r(*rc::gen::inRange(0, 10), 4);
        const bool nominal = *rc::gen::arbitrary<bool>();
        L1Ball<rational> l1;
        l1.radius.assign(n, r);
        l1.support = nominal ? "nominal" : "all";
        Kernel<rational> P(n, 1);
        for (std::size_t s = 0; s < n; ++s) P.set_row(s, 0, q.data());
        const UncertaintySet<rational> U(l1);
        const Vector<rational> want = dense_l1_greedy(q, V, r, nominal);
        const WorstCase<rational> w = worst_case(U, P, 0, 0, V);
        RC_ASSERT(w.p == want);
        RC_ASSERT(w.value == dot(want, V));
        const Kernel<rational> u = worst_case_kernel(U, P, V);
        RC_ASSERT(u.row(0, 0) == sparse_row(want.data(), n));
        bool outside = false;
        for (std::size_t t = 0; t < n; ++t) outside |= q[t] == 0 && want[t] != 0;
        RC_ASSERT(!(outside && nominal));
        RC_TAG(outside ? "mass moved outside supp q" : "inside supp q");
    });
}

TEST_CASE("l1 worst-case kernel: supp u = supp q plus the state of largest V, stored sparsely", "[sets][sparse]") {
    // Two rows of 5 states with 2 successors each; V is largest at state 4, outside both supports.
    Kernel<rational> P(5, 1);
    P.set(0, 0, 0, rational(1, 2));
    P.set(0, 0, 1, rational(1, 2));
    for (std::size_t s = 1; s < 5; ++s) P.set(s, 0, s, 1);
    L1Ball<rational> l1;
    l1.radius.assign(5, rational(1, 2));
    const Vector<rational> V = {0, 1, 2, 3, 5};
    const Kernel<rational> u = worst_case_kernel(UncertaintySet<rational>(l1), P, V);
    // Row 0: 1/4 of mass moves from state 0 (smallest V) to state 4.
    CHECK(u.row(0, 0) == SparseRow<rational>{{0, rational(1, 4)}, {1, rational(1, 2)}, {4, rational(1, 4)}});
    CHECK(u.row(4, 0) == SparseRow<rational>{{4, rational(1)}});  // already all on the top state
    CHECK(u.row(2, 0) == SparseRow<rational>{{2, rational(3, 4)}, {4, rational(1, 4)}});
    CHECK(u.nonzeros() == 3 + 2 + 2 + 2 + 1);
    l1.support = "nominal";  // the receiver is the top state of supp q: state 1 in row 0
    const Kernel<rational> un = worst_case_kernel(UncertaintySet<rational>(l1), P, V);
    CHECK(un.row(0, 0) == SparseRow<rational>{{0, rational(1, 4)}, {1, rational(3, 4)}});
}
