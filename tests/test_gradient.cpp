// Gradient layer: face-restricted worst cases, the policy gradient against its definition, exact
// directional derivatives (Danskin) and their certificate, stationary distributions, direction
// parsing, and the claim campaigns' computed verdicts with re-verification of their files.
#include "registry.hpp"

#include "rmdp/error.hpp"
#include "rmdp/gradient.hpp"
#include "rmdp/random.hpp"
#include "rmdp/solvers.hpp"

#include <catch2/catch.hpp>
#include <rapidcheck.h>
#include <rapidcheck/catch.h>

using namespace rmdp;

namespace {

struct Case {
    Mdp<rational> m;
    UncertaintySet<rational> U;
    MdpData data;
    PolicyData pd;
    Policy<rational> pi;
    Matrix<rational> delta;
};

Case draw_case(bool interior) {
    GeneratorOptions opt;
    opt.max_states = *rc::gen::inRange<std::size_t>(1, 5);
    opt.max_actions = *rc::gen::inRange<std::size_t>(1, 4);
    Rng rng(*rc::gen::inRange<std::uint64_t>(0, 1000000));
    Case c;
    c.data = random_robust_mdp(rng, opt, 1000);
    c.pd = interior ? random_interior_policy(rng, c.data, opt) : random_policy(rng, c.data, opt);
    c.m = convert<rational>(c.data);
    c.U = convert<rational>(c.data.uncertainty);
    c.pi = convert<rational>(c.pd);
    c.delta = Matrix<rational>(c.m.S, c.m.A);
    c.delta.data = random_direction(rng, c.pd, opt);
    RC_TAG(std::string(c.data.uncertainty.kind()));
    return c;
}

rational dot(const Vector<rational>& x, const Vector<rational>& y) {
    rational acc = 0;
    for (std::size_t i = 0; i < x.size(); ++i) acc += x[i] * y[i];
    return acc;
}

rational frobenius(const Matrix<rational>& x, const Matrix<rational>& y) { return dot(x.data, y.data); }

}  // namespace

TEST_CASE("worst_case_on_face: a maximiser of <p,V> that is best for W among maximisers", "[gradient]") {
    rc::prop("face point attains max <p,V> and beats every other face point on W", [] {
        Case c = draw_case(false);
        Vector<rational> V(c.m.S), W(c.m.S), W2(c.m.S);
        for (std::size_t s = 0; s < c.m.S; ++s) {  // few values: ties in V on purpose
            V[s] = *rc::gen::inRange(0, 3);
            W[s] = *rc::gen::inRange(-3, 4);
            W2[s] = *rc::gen::inRange(-3, 4);
        }
        for (std::size_t s = 0; s < c.m.S; ++s)
            for (std::size_t a = 0; a < c.m.A; ++a) {
                const WorstCase<rational> top = worst_case(c.U, c.m.P, s, a, V);
                const WorstCase<rational> f = worst_case_on_face(c.U, c.m.P, s, a, V, W);
                const WorstCase<rational> g = worst_case_on_face(c.U, c.m.P, s, a, V, W2);
                RC_ASSERT(dot(f.p, V) == top.value);
                RC_ASSERT(f.value == dot(f.p, W));
                RC_ASSERT(dot(g.p, V) == top.value);     // g is another point of the face ...
                RC_ASSERT(dot(f.p, W) >= dot(g.p, W));   // ... so f is at least as good on W
                RC_ASSERT(dot(f.p, W) >= dot(top.p, W));
            }
    });
}

TEST_CASE("policy_gradient is d_start Q / (1-gamma) and row constants do not change <g, delta>", "[gradient]") {
    rc::prop("gradient formula and non-uniqueness", [] {
        Case c = draw_case(false);
        const Matrix<rational> g = policy_gradient(c.m, c.m.P, c.pi, c.m.rho);
        const Vector<rational> d = occupancy(c.m, c.m.P, c.pi, c.m.rho);
        const Matrix<rational> Q = q_value(c.m, c.m.P, value(c.m, c.m.P, c.pi));
        Matrix<rational> shifted = g;
        for (std::size_t s = 0; s < c.m.S; ++s)
            for (std::size_t a = 0; a < c.m.A; ++a) {
                RC_ASSERT(g(s, a) == d[s] * Q(s, a) / (1 - c.m.gamma));
                shifted(s, a) += rational(static_cast<long>(s) + 1, 3);  // a constant per row
            }
        // The notes' "the gradient is unique" fails: g + row constants predicts every feasible delta alike.
        RC_ASSERT(frobenius(g, c.delta) == frobenius(shifted, c.delta));
    });
}

TEST_CASE("directional_derivative: certificate, Danskin bounds and the subgradient inequality", "[gradient]") {
    rc::prop("f'(pi;delta) is certified, >= <g_u, delta> for a worst case u, sublinear, and a lower model of f", [] {
        Case c = draw_case(false);
        const Vector<rational> V = robust_value(c.m, c.U, c.pi).V;
        RC_ASSERT(robust_bellman(c.m, c.U, c.pi, V) == V);
        const DirectionalDerivative<rational> d = directional_derivative(c.m, c.U, c.pi, V, c.delta);
        RC_ASSERT(derivative_bellman(c.m, c.U, c.pi, V, d.h, d.W) == d.W);
        RC_ASSERT(d.value == dot(c.m.rho, d.W));
        const RobustGradient<rational> g = robust_gradient(c.m, c.U, c.pi);
        RC_ASSERT(d.value >= frobenius(g.gradient, c.delta));
        // The face kernel attaining W is a worst case whose gradient predicts delta exactly.
        RC_ASSERT(frobenius(robust_gradient_at(c.m, c.pi, d.kernel).gradient, c.delta) == d.value);
        // f(pi + t delta) >= f(pi) + t f' - C t^2 ||delta||_{1,inf}^2 (docs/gradients.md).
        const rational t = max_feasible_step(c.pi, c.delta) / 2;
        Policy<rational> moved = c.pi;
        for (std::size_t i = 0; i < moved.data.size(); ++i) moved.data[i] += t * c.delta.data[i];
        rational cmax = 0, n1 = 0;
        for (const auto& x : c.m.cost.data) cmax = std::max(cmax, x < 0 ? rational(-x) : x);
        for (std::size_t s = 0; s < c.m.S; ++s) {
            rational row = 0;
            for (std::size_t a = 0; a < c.m.A; ++a) row += c.delta(s, a) < 0 ? rational(-c.delta(s, a)) : c.delta(s, a);
            n1 = std::max(n1, row);
        }
        const rational C = c.m.gamma * cmax / ((1 - c.m.gamma) * (1 - c.m.gamma) * (1 - c.m.gamma));
        RC_ASSERT(dot(c.m.rho, robust_value(c.m, c.U, moved).V) >= g.f + t * d.value - C * t * t * n1 * n1);
        Matrix<rational> minus = c.delta;
        for (auto& x : minus.data) x = -x;
        if (max_feasible_step(c.pi, minus) > 0)
            RC_ASSERT(d.value + directional_derivative(c.m, c.U, c.pi, V, minus).value >= 0);
    });
}

TEST_CASE("directional_derivative on the tie example: f' is not linear", "[gradient]") {
    // examples/gradient-tie.json: states 1 and 2 are copies, nature's L1 ball at state 0 ties on them.
    const MdpData md = parse_mdp(json::parse(R"({"states": 3, "actions": 2, "gamma": "1/2",
        "cost": [[0, 0], [1, "1/2"], [1, "1/2"]],
        "P": [[[1, 0, 0], [1, 0, 0]], [[0, 1, 0], [0, 1, 0]], [[0, 1, 0], [0, 1, 0]]],
        "rho": [1, 0, 0], "uncertainty": {"type": "l1", "radius": 1}})"), "tie");
    const PolicyData pd = parse_policy(json::parse(R"({"policy": [["1/2","1/2"],["1/2","1/2"],["1/2","1/2"]]})"), md, "tie");
    const Mdp<rational> m = convert<rational>(md);
    const UncertaintySet<rational> U = convert<rational>(md.uncertainty);
    const Policy<rational> pi = convert<rational>(pd);
    const Vector<rational> V = robust_value(m, U, pi).V;
    Matrix<rational> delta(3, 2);
    delta(1, 0) = -1;
    delta(1, 1) = 1;
    Matrix<rational> minus = delta;
    for (auto& x : minus.data) x = -x;
    // By hand (docs/gradients.md): nature sends state 0's extra mass to the copy with the larger W.
    CHECK(directional_derivative(m, U, pi, V, delta).value == rational(-1, 12));
    CHECK(directional_derivative(m, U, pi, V, minus).value == rational(1, 3));
    for (const auto& [t, r] : directional_remainders(m, U, pi, delta, dot(m.rho, V), rational(-1, 12), 4)) CHECK(r == 0);
}

TEST_CASE("nominal MDPs: the directional derivative is the gradient's inner product", "[gradient]") {
    rc::prop("U = none: f'(pi;delta) = <grad, delta>", [] {
        Case c = draw_case(false);
        c.U = convert<rational>(Uncertainty{});
        const RobustGradient<rational> g = robust_gradient(c.m, c.U, c.pi);
        RC_ASSERT(directional_derivative(c.m, c.U, c.pi, g.V, c.delta).value == frobenius(g.gradient, c.delta));
        RC_ASSERT(g.gradient.data == policy_gradient(c.m, c.m.P, c.pi, c.m.rho).data);
    });
}

TEST_CASE("stationary_distribution: nu P = nu, sum 1, nonnegative, also for reducible chains", "[gradient]") {
    rc::prop("stationary", [] {
        Case c = draw_case(false);
        const Matrix<rational> P = policy_kernel(c.m.P, c.pi);
        const Vector<rational> nu = stationary_distribution(P);
        rational total = 0;
        for (std::size_t j = 0; j < P.cols; ++j) {
            rational next = 0;
            for (std::size_t i = 0; i < P.rows; ++i) next += nu[i] * P(i, j);
            RC_ASSERT(next == nu[j]);
            RC_ASSERT(nu[j] >= 0);
            total += nu[j];
        }
        RC_ASSERT(total == 1);
    });
    Matrix<double> two(2, 2);  // two absorbing states: the lowest-index closed class is chosen
    two(0, 0) = two(1, 1) = 1;
    CHECK(stationary_distribution(two) == Vector<double>{1.0, 0.0});
}

TEST_CASE("parse_direction rejects infeasible directions with the field named", "[gradient]") {
    PolicyData pi{2, 2, {rational(1), rational(0), rational(1, 2), rational(1, 2)}};
    CHECK(parse_direction(json::parse(R"([[0, 0], ["-1/2", "1/2"]])"), pi, "d.json", "direction")[2] == rational(-1, 2));
    CHECK_THROWS_WITH(parse_direction(json::parse(R"([[1, -1], [0, 0]])"), pi, "d.json", "direction"),
                      Catch::Contains("field 'direction[0][1]'") && Catch::Contains("where pi(a|s) = 0"));
    CHECK_THROWS_WITH(parse_direction(json::parse(R"([[0, 0], [1, 0]])"), pi, "d.json", "direction"),
                      Catch::Contains("field 'direction[1]': sums to 1, not 0"));
    CHECK_THROWS_WITH(parse_direction(json::parse(R"([[0, 0]])"), pi, "d.json", "direction"),
                      Catch::Contains("expected 2 rows of 2 numbers"));
    CHECK_THROWS_AS(parse_direction(json::parse(R"([[0, "nan"], [0, 0]])"), pi, "d.json", "direction"), input_error);
}

TEST_CASE("gradient claims: computed verdicts, and every refutation re-verifies exactly", "[gradient]") {
    checks::CampaignOptions opt;  // 200 trials, seed 1, exact: the documented campaign
    const std::pair<const char*, const char*> expected[] = {
        {"pg-fixed-u", "holds"},
        {"occupancy-lipschitz:a", "holds"},
        {"occupancy-lipschitz:b", "refuted"},
        {"frechet-subgradient", "holds"},
        {"differentiable-everywhere", "refuted"},
        {"vi-nonrobust-identity", "refuted"},
        {"vi-nonrobust-identity:corrected", "holds"},
        {"vi-robust-identity", "refuted"},
        {"vi-robust-identity:corrected", "refuted"},
        {"vi-robust-identity:inequality", "holds"}};
    for (const auto& [id, verdict] : expected) {
        const checks::Claim* claim = checks::find_claim(id);
        REQUIRE(claim != nullptr);
        const checks::Report r = checks::run_campaign(*claim, opt);
        INFO(id << ": " << r.detail);
        CHECK(r.verdict == verdict);
        CHECK(r.vacuous == 0);  // |S|, |A| >= 2, gamma > 0 and delta != 0 in the draws
        if (r.counterexample) {
            const checks::Finding f = checks::verify(*r.counterexample, "cx.json", nullptr);
            CHECK(f.result == truth::no);
        }
    }
}

TEST_CASE("gradient draws: non-zero delta and |A| >= 2 and a zero direction compares nothing", "[gradient]") {
    for (const char* id : {"pg-fixed-u", "occupancy-lipschitz:a", "frechet-subgradient"}) {
        const checks::Claim* c = checks::find_claim(id);
        REQUIRE(c);
        for (std::size_t trial = 0; trial < 40; ++trial) {
            Rng rng(trial_seed(1, trial));
            checks::Instance inst = c->draw(rng, GeneratorOptions{}, trial);
            CHECK(inst.mdp.A >= 2);
            CHECK(inst.mdp.S >= 2);
            CHECK(inst.mdp.gamma > 0);
            CHECK(inst.policy("pi").pi != inst.policy("pi_prime").pi);
            // pi' = pi: the check reports the instance vacuous instead of counting 0 <= 0 as evidence.
            inst.policies["pi_prime"] = inst.policy("pi");
            const checks::Finding f = c->check(inst, Arith{});
            CHECK(f.result == truth::yes);
            CHECK(f.comparisons == 0);
        }
    }
}
