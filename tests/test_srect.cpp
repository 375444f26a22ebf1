// The s-rectangular L1 set (srect.hpp): nature's best response is feasible, beats random points
// of U_s and agrees exactly with an independent LP (the per-state game's bracket, A = 1 and the
// weighted two-receiver case of issue 13); robust evaluation is an exact fixed point of T_r^pi,
// lies above the nominal value, grows with the radius, and sits between the (s,a)-rectangular
// values of radius r_s / A and r_s (U_{s,a} balls of radius r_s/A form a subset of U_s, which is
// a subset of the product of balls of radius r_s); V* is certified or bracketed, and the
// (s,a)-rectangular operators refuse the set.
#include "rmdp/random.hpp"
#include "rmdp/srect.hpp"

#include <catch2/catch.hpp>

using namespace rmdp;

namespace {

MdpData draw(std::uint64_t seed, std::size_t maxS = 4, std::size_t maxA = 3) {
    GeneratorOptions opt;
    opt.max_states = maxS;
    opt.max_actions = maxA;
    Rng rng(seed);
    return random_s_rectangular(rng, opt, 1000);
}

const SL1Ball<rational>& set_of(const MdpData& m) { return *m.uncertainty.get<SL1Ball<rational>>(); }

rational used_budget(const SL1Ball<rational>& U, const Kernel<rational>& P, std::size_t s, const Matrix<rational>& p) {
    rational used = 0;
    for (std::size_t a = 0; a < P.A; ++a)
        for (std::size_t t = 0; t < P.S; ++t) {
            const rational d = p(a, t) - P(s, a, t);
            used += U.weight(P.S, P.A, s, a, t) * (d < 0 ? rational(-d) : d);
        }
    return used;
}

bool in_simplex_rows(const Matrix<rational>& p) {
    for (std::size_t a = 0; a < p.rows; ++a) {
        rational sum = 0;
        for (std::size_t t = 0; t < p.cols; ++t) {
            if (p(a, t) < 0) return false;
            sum += p(a, t);
        }
        if (sum != 1) return false;
    }
    return true;
}

// (s,a)-rectangular L1 ball of radius factor * r_s at every (s,a); needs unit weights.
Uncertainty sa_ball(const MdpData& m, const rational& factor) {
    L1Ball<rational> b;
    for (std::size_t s = 0; s < m.S; ++s)
        for (std::size_t a = 0; a < m.A; ++a) b.radius.push_back(set_of(m).radius[s] * factor);
    return Uncertainty(b);
}

Vector<rational> random_values(Rng& rng, std::size_t S) {
    Vector<rational> V;
    for (std::size_t t = 0; t < S; ++t) V.emplace_back(rng.between(-4, 4), rng.between(1, 3));
    return V;
}

}  // namespace

TEST_CASE("s-l1 best response: feasible, beats random points of U_s, matches the LP", "[srect]") {
    for (std::uint64_t seed = 1; seed <= 60; ++seed) {
        const MdpData m = draw(seed);
        const SL1Ball<rational>& U = set_of(m);
        Rng rng(seed * 7919);
        const PolicyData pd = random_policy(rng, m, GeneratorOptions{});
        const Policy<rational> pi = convert<rational>(pd);
        const Vector<rational> V = random_values(rng, m.S);
        for (std::size_t s = 0; s < m.S; ++s) {
            const StateResponse<rational> r = s_best_response(U, m.P, s, &pi(s, 0), V);
            REQUIRE(in_simplex_rows(r.p));
            REQUIRE(used_budget(U, m.P, s, r.p) <= U.radius[s]);
            // Random points of U_s: the nominal rows moved toward random rows, scaled into the budget.
            for (int k = 0; k < 20; ++k) {
                Matrix<rational> p(m.A, m.S);
                for (std::size_t a = 0; a < m.A; ++a) {
                    const auto d = random_distribution(rng, m.S, 6);
                    for (std::size_t t = 0; t < m.S; ++t) p(a, t) = d[t];
                }
                const rational full = used_budget(U, m.P, s, p);
                const rational theta = full <= U.radius[s] ? rational(1) : rational(U.radius[s] / full);
                rational val = 0;
                for (std::size_t a = 0; a < m.A; ++a)
                    for (std::size_t t = 0; t < m.S; ++t) {
                        p(a, t) = m.P(s, a, t) + theta * (p(a, t) - m.P(s, a, t));
                        val += pi(s, a) * p(a, t) * V[t];
                    }
                REQUIRE(used_budget(U, m.P, s, p) <= U.radius[s]);
                REQUIRE(val <= r.value);
            }
        }
        // The per-state game: nature's LP (lower) and the greedy against the agent's LP row (upper)
        // agree exactly (s_robust_bellman_optimal throws if they do not).
        const Mdp<rational> mq = convert<rational>(m);
        const OptimalBellman<rational> G = s_robust_bellman_optimal(mq, U, V);
        REQUIRE(G.lower == G.upper);
        // With one action there is nothing to mix: the game's value is the best response's.
        if (m.A == 1) REQUIRE(G.upper == s_robust_bellman(mq, U, G.policy, V));
    }
}

TEST_CASE("weighted s-l1: two receivers (issue 13's example)", "[srect]") {
    // q = (1,0,0), V = (0,1,2), w = (1/10, 1, 3), r = 21/10: optimum 3/2 at p = (0, 1/2, 1/2).
    Kernel<rational> P(3, 1);
    P.set(0, 0, 0, 1);
    P.set(1, 0, 1, 1);
    P.set(2, 0, 2, 1);
    SL1Ball<rational> U;
    U.radius = {rational(21, 10), rational(0), rational(0)};
    for (std::size_t s = 0; s < 3; ++s)
        for (const rational& w : {rational(1, 10), rational(1), rational(3)}) U.weights.push_back(w);
    const Vector<rational> V = {0, 1, 2};
    const rational one = 1;
    const StateResponse<rational> r = s_best_response(U, P, 0, &one, V);
    CHECK(r.value == rational(3, 2));
    CHECK(r.p(0, 0) == 0);
    CHECK(r.p(0, 1) == rational(1, 2));
    CHECK(r.p(0, 2) == rational(1, 2));
}

TEST_CASE("s-l1 robust evaluation: exact fixed point, nominal <= V_r, monotone in r, between (s,a) values", "[srect]") {
    for (std::uint64_t seed = 100; seed < 140; ++seed) {
        MdpData m = draw(seed);
        Rng rng(seed);
        const Policy<rational> pi = convert<rational>(random_policy(rng, m, GeneratorOptions{}));
        const Mdp<rational> mq = convert<rational>(m);
        const SL1Ball<rational> U = set_of(m);
        const RobustEvaluation<rational> ev = s_robust_value(mq, U, pi);
        REQUIRE(s_robust_bellman(mq, U, pi, ev.V) == ev.V);
        REQUIRE(value(mq, ev.kernel, pi) == ev.V);  // the kernel attains it
        const Vector<rational> nominal = value(mq, mq.P, pi);
        SL1Ball<rational> half = U;
        for (auto& r : half.radius) r /= 2;
        const Vector<rational> Vhalf = s_robust_value(mq, half, pi).V;
        for (std::size_t s = 0; s < m.S; ++s) {
            REQUIRE(nominal[s] <= Vhalf[s]);
            REQUIRE(Vhalf[s] <= ev.V[s]);
        }
        if (U.weighted()) continue;
        const Vector<rational> lo = robust_value(mq, sa_ball(m, rational(1, static_cast<long>(m.A))), pi).V;
        const Vector<rational> hi = robust_value(mq, sa_ball(m, rational(1)), pi).V;
        for (std::size_t s = 0; s < m.S; ++s) {
            REQUIRE(lo[s] <= ev.V[s]);
            REQUIRE(ev.V[s] <= hi[s]);
        }
    }
}

TEST_CASE("s-l1 V*: certified fixed point or certified bounds, below every policy's value", "[srect]") {
    std::size_t exact = 0;
    for (std::uint64_t seed = 200; seed < 215; ++seed) {
        const MdpData m = draw(seed, 3, 3);
        const Mdp<rational> mq = convert<rational>(m);
        const SL1Ball<rational> U = set_of(m);
        const SRectSolution<rational> sol = s_robust_solve(mq, U);
        const OptimalBellman<rational> G = s_robust_bellman_optimal(mq, U, sol.V);
        REQUIRE(s_robust_value(mq, U, sol.policy).V == sol.V);
        if (sol.exact) {
            ++exact;
            REQUIRE(G.upper == sol.V);
            REQUIRE(sol.lower == sol.V);
        }
        for (std::size_t s = 0; s < m.S; ++s) REQUIRE(sol.lower[s] <= sol.V[s]);
        Rng rng(seed);
        for (int k = 0; k < 3; ++k) {
            const Vector<rational> Vp = s_robust_value(mq, U, convert<rational>(random_policy(rng, m, GeneratorOptions{}))).V;
            for (std::size_t s = 0; s < m.S; ++s) REQUIRE(sol.lower[s] <= Vp[s]);
        }
        if (!U.weighted()) {
            const Vector<rational> lo = robust_solve(mq, sa_ball(m, rational(1, static_cast<long>(m.A)))).V;
            const Vector<rational> hi = robust_solve(mq, sa_ball(m, rational(1))).V;
            for (std::size_t s = 0; s < m.S; ++s) {
                REQUIRE(lo[s] <= sol.V[s]);
                REQUIRE(sol.lower[s] <= hi[s]);
            }
        }
    }
    WARN("exact certificates: " << exact << " of 15");
}

TEST_CASE("s-l1: the (s,a)-rectangular operators refuse it", "[srect]") {
    const MdpData m = draw(5);
    const Mdp<rational> mq = convert<rational>(m);
    const Vector<rational> V(m.S, rational(0));
    CHECK_THROWS_AS(worst_case_values(m.uncertainty, mq.P, V), input_error);
    CHECK_THROWS_WITH(robust_solve(mq, m.uncertainty), Catch::Contains("s-rectangular"));
    CHECK(m.uncertainty.traits().s_rectangular);
    CHECK(!m.uncertainty.traits().order_driven);
}
