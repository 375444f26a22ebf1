// The MBPO layer (docs/mbpo.md): returns, TV distances, the eps_m bracket, branched returns, the
// bound decisions, the instance format, and the claims' verdicts.
#include "registry.hpp"

#include "rmdp/error.hpp"
#include "rmdp/mbpo.hpp"

#include <catch2/catch.hpp>
#include <numeric>
#include <rapidcheck.h>
#include <rapidcheck/catch.h>

using namespace rmdp;

namespace {

MbpoData one_state(const rational& gamma, const rational& r, std::size_t k) {
    const json j{{"states", 1}, {"actions", 1}, {"gamma", gamma.str()}, {"reward", {{r.str()}}}, {"P", {{{1}}}},
                 {"P_model", {{{1}}}}, {"pi_data", {{1}}}, {"pi", {{1}}}, {"k", k}};
    return parse_mbpo(j, "one-state");
}

MbpoData drawn(std::uint64_t seed, std::size_t trial) {
    Rng rng(trial_seed(seed, trial));
    return random_mbpo(rng, GeneratorOptions{}, trial);
}


}  // namespace

TEST_CASE("one state: returns and branched returns in closed form", "[mbpo]") {
    for (std::size_t k : {0, 1, 3}) {
        const rational g(9, 10), r(-1, 2);
        const MbpoModel<rational> m = convert<rational>(one_state(g, r, k));
        const rational eta = r / (1 - g);  // sum_t gamma^t r
        CHECK(discounted_return(m.mdp, m.mdp.P, m.pi) == eta);
        CHECK(discounted_return(m.mdp, m.P_model, m.pi) == eta);
        // Truncated: sum_t (1-g) g^t [r (1 - g^t)/(1-g) + g^t r (1 - g^k)/(1-g)] = r (g + 1 - g^k)/(1 - g^2).
        rational gk = 1;
        for (std::size_t i = 0; i < k; ++i) gk *= g;
        CHECK(branched_return(m, branch_reading::a) == r * (g + 1 - gk) / (1 - g * g));
        for (auto rd : {branch_reading::a2, branch_reading::a3, branch_reading::b}) CHECK(branched_return(m, rd) == eta);
    }
}

TEST_CASE("total variation and policy divergence", "[mbpo]") {
    const rational p[] = {rational(1, 2), rational(1, 2), 0}, q[] = {1, 0, 0};
    CHECK(total_variation(p, q, 3) == rational(1, 2));
    CHECK(total_variation(p, p, 3) == 0);
    Policy<rational> a(2, 2), b(2, 2);
    a(0, 0) = 1, a(1, 0) = rational(1, 2), a(1, 1) = rational(1, 2);
    b(0, 1) = 1, b(1, 0) = rational(1, 2), b(1, 1) = rational(1, 2);
    CHECK(policy_divergence(a, b) == 1);
}

TEST_CASE("decide_bound is sound with a bracket", "[mbpo]") {
    // eta >= reference - C(eps): C(lower) = 1, C(upper) = 3.
    CHECK(decide_bound<rational>(0, 1, 1, 3, 0) == truth::yes);       // holds at the lower end
    CHECK(decide_bound<rational>(0, 4, 1, 3, 0) == truth::no);        // fails at the upper end
    CHECK(decide_bound<rational>(0, 2, 1, 3, 0) == truth::unknown);   // 2 - 3 <= 0 < 2 - 1
    CHECK(decide_bound<rational>(0, 3, 3, 3, 0) == truth::yes);       // closed bracket: equality holds
}

TEST_CASE("the example instance", "[mbpo]") {
    const MbpoData d = parse_mbpo(read_json_file(RMDP_MBPO_EXAMPLE), "example");
    const MbpoModel<rational> m = convert<rational>(d);
    // w is constant (1/20 under pi_D, 1/4 under pi), so the bracket closes at once.
    auto e = model_error_bracket(d, m, error_policy::data);
    CHECK(e.closed());
    CHECK(e.lower() == rational(1, 20));
    auto e2 = model_error_bracket(d, m, error_policy::updated);
    CHECK(e2.lower() == rational(1, 4));
    CHECK(policy_divergence(m.pi, m.pi_data) == rational(2, 5));
    // The file format round-trips.
    CHECK(to_json(parse_mbpo(to_json(d), "again")) == to_json(d));
}

TEST_CASE("bad MBPO input names the field", "[mbpo]") {
    json j = to_json(drawn(1, 30));
    j["r_max"] = "0";
    j["reward"][0][0] = "1";
    CHECK_THROWS_WITH(parse_mbpo(j, "f"), Catch::Contains("field 'r_max'"));
    j = to_json(drawn(1, 30));
    j["P_model"][0][0][0] = "7";
    CHECK_THROWS_WITH(parse_mbpo(j, "f"), Catch::Contains("field 'P_model[0][0]'"));
    j = to_json(drawn(1, 30));
    j.erase("k");
    CHECK_THROWS_AS(parse_mbpo(j, "f"), input_error);
}

TEST_CASE("random instances: the eps bracket is sound and monotone", "[mbpo]") {
    rc::prop("lower_T <= every d_t.w seen, d_t.w <= upper_T for t up to 3T, brackets nest", [] {
        const auto seed = *rc::gen::inRange<std::uint64_t>(0, 1000000);
        const auto trial = *rc::gen::inRange<std::size_t>(0, 60);
        const MbpoData d = drawn(seed, trial);
        const MbpoModel<rational> m = convert<rational>(d);
        for (auto which : {error_policy::data, error_policy::updated, error_policy::mixed}) {
            auto b = model_error_bracket(d, m, which);
            const Matrix<rational> P = policy_kernel(m.mdp.P, which == error_policy::updated ? m.pi : m.pi_data);
            const Vector<rational> w = model_error(m.mdp.P, m.P_model, which == error_policy::data ? m.pi_data : m.pi);
            const std::size_t T = 5;
            std::vector<rational> seen;
            Vector<rational> dt = m.mdp.rho;
            for (std::size_t t = 0; t <= 3 * T; ++t) {
                seen.push_back(std::inner_product(dt.begin(), dt.end(), w.begin(), rational(0)));
                Vector<rational> next(d.S, rational(0));
                for (std::size_t s = 0; s < d.S; ++s)
                    for (std::size_t u = 0; u < d.S; ++u) next[u] += dt[s] * P(s, u);
                dt = next;
            }
            rational prev_lo = b.lower(), prev_hi = b.upper();
            for (std::size_t t = 0; t < T; ++t) {
                b.advance();
                RC_ASSERT(prev_lo <= b.lower());
                RC_ASSERT(b.upper() <= prev_hi);
                prev_lo = b.lower(), prev_hi = b.upper();
            }
            RC_ASSERT(b.lower() == *std::max_element(seen.begin(), seen.begin() + T + 1));
            for (const auto& x : seen) RC_ASSERT(x <= b.upper());
        }
    });
}

TEST_CASE("random instances: a perfect model and pi = pi_D make every branched return but :a equal eta", "[mbpo]") {
    rc::prop("p_hat = p, pi = pi_D", [] {
        MbpoData d = drawn(*rc::gen::inRange<std::uint64_t>(0, 1000000), *rc::gen::inRange<std::size_t>(0, 60));
        d.P_model = d.P;
        d.pi = d.pi_data;
        const MbpoModel<rational> m = convert<rational>(d);
        const rational eta = discounted_return(m.mdp, m.mdp.P, m.pi);
        RC_ASSERT(discounted_return(m.mdp, m.P_model, m.pi) == eta);
        for (auto r : {branch_reading::a2, branch_reading::a3, branch_reading::b}) RC_ASSERT(branched_return(m, r) == eta);
        RC_ASSERT(model_error_bracket(d, m, error_policy::data).closed());
        RC_ASSERT(model_error_bracket(d, m, error_policy::data).upper() == 0);
    });
}

TEST_CASE("interval and float arithmetic enclose / approximate the exact MBPO quantities", "[mbpo]") {
    set_working_precision(128);
    for (std::size_t trial = 0; trial < 40; ++trial) {
        const MbpoData d = drawn(7, trial);
        const MbpoModel<rational> q = convert<rational>(d);
        const MbpoModel<mpfi_float> iv = convert<mpfi_float>(d);
        for (auto r : {branch_reading::a, branch_reading::b}) {
            const rational exact = branched_return(q, r);
            const mpfi_float enc = branched_return(iv, r);
            CHECK(lower_rational(enc) <= exact);
            CHECK(exact <= upper_rational(enc));
        }
        auto be = model_error_bracket(d, q, error_policy::data);
        auto bi = model_error_bracket(d, iv, error_policy::data);
        for (int t = 0; t < 6; ++t) be.advance(), bi.advance();
        CHECK(lower_rational(bi.lower()) <= be.lower());
        CHECK(be.upper() <= upper_rational(bi.upper()));
    }
}

TEST_CASE("MBPO claims: verdicts in exact arithmetic", "[mbpo]") {
    using namespace rmdp::checks;
    CampaignOptions opt;
    opt.trials = 60;
    for (const char* id : {"mbpo-4.1", "mbpo-4.2:b", "mbpo-4.3:b", "mbpo-4.2:a3", "mbpo-4.2:a2", "tv-chain", "tv-accumulation"}) {
        CAPTURE(id);
        const Claim* c = find_claim(id);
        REQUIRE(c);
        CHECK(run_campaign(*c, opt).verdict == "holds");
    }
    // The truncated reading fails even with a perfect model and pi = pi_D (docs/mbpo.md).
    const Report r = run_campaign(*find_claim("mbpo-4.2:a"), opt);
    REQUIRE(r.verdict == "refuted");
    const Claim* which = nullptr;
    CHECK(verify(*r.counterexample, "cx", &which).result == truth::no);
    // Interval arithmetic never contradicts them (it cannot certify the equalities eta = eta_hat of
    // perfect models: inconclusive), and certifies a strict instance.
    opt.arith = parse_arith("interval:128");
    CHECK(run_campaign(*find_claim("mbpo-4.1"), opt).verdict != "refuted");
    CHECK(run_campaign(*find_claim("tv-chain"), opt).verdict != "refuted");
    Instance example;
    example.extra["mbpo"] = read_json_file(RMDP_MBPO_EXAMPLE);
    for (const char* id : {"mbpo-4.1", "mbpo-4.2:b", "mbpo-4.3:a2"})
        CHECK(find_claim(id)->check(example, opt.arith).result == truth::yes);
}

TEST_CASE("tv-chain with an undefined conditional, and the truncated reading on one state", "[mbpo]") {
    using namespace rmdp::checks;
    Instance inst;
    // p1(x=1) = 0: the conditional p1(y|1) is undefined and x = 1 is left out of the max.
    inst.extra["p1"] = json::array({json::array({"1/2", "1/2"}), json::array({"0", "0"})});
    inst.extra["p2"] = json::array({json::array({"1/4", "1/4"}), json::array({"1/2", "0"})});
    const Finding f = find_claim("tv-chain")->check(inst, Arith{});
    // D_TV of the joints = 1/2 = D_TV of the marginals (1/2) + the max over x = 0 only (0): tight, holds.
    CHECK(f.result == truth::yes);
    // The truncated reading drops every reward after the k model steps: with negative rewards
    // (one state, perfect model, pi = pi_D, so C = 0) the branched return exceeds eta.
    Instance neg, pos;
    neg.extra["mbpo"] = to_json(one_state(rational(9, 10), rational(-1, 2), 1));
    pos.extra["mbpo"] = to_json(one_state(rational(9, 10), rational(1, 2), 1));
    const Finding bad = find_claim("mbpo-4.2:a")->check(neg, Arith{});
    CHECK(bad.result == truth::no);
    CHECK(bad.rhs == "-5");  // eta = (-1/2)/(1/10)
    CHECK(find_claim("mbpo-4.2:a")->check(pos, Arith{}).result == truth::yes);
    CHECK(find_claim("mbpo-4.2:b")->check(neg, Arith{}).result == truth::yes);
}

namespace {

// The absorbing-drift instance of docs/mbpo.md: G (reward 1) keeps itself under a0 and falls into the
// absorbing O (reward -1) under a1; p_hat = p; pi_D plays a0, pi plays a1 at G with probability eps
// (reward r_g1 for that move).
MbpoData drift(const rational& gamma, const rational& eps, std::size_t k, int r_g1 = 1) {
    const json j{{"states", 2}, {"actions", 2}, {"gamma", gamma.str()}, {"reward", {{1, r_g1}, {-1, -1}}},
                 {"P", {{{1, 0}, {0, 1}}, {{0, 1}, {0, 1}}}}, {"P_model", {{{1, 0}, {0, 1}}, {{0, 1}, {0, 1}}}},
                 {"rho", {1, 0}}, {"pi_data", {{1, 0}, {1, 0}}}, {"pi", {{rational(1 - eps).str(), eps.str()}, {1, 0}}},
                 {"k", k}};
    return parse_mbpo(j, "drift");
}

}  // namespace

TEST_CASE("absorbing drift: Theorem 4.3's constant misses the drift before the branch", "[mbpo]") {
    using namespace rmdp::checks;
    // The reviewer's instance: gamma = 9/10, eps_pi = 1/10000, k = 10 (docs/mbpo.md).
    const rational g(9, 10), eps(1, 10000);
    const MbpoData d = drift(g, eps, 10);
    const MbpoModel<rational> m = convert<rational>(d);
    // V(G) = (1 - gamma eps/(1-gamma)) / (1 - gamma (1 - eps)): one step at G, then G or O (value -1/(1-gamma)).
    const rational eta = (1 - g * eps / (1 - g)) / (1 - g * (1 - eps));
    CHECK(eta == rational(99910, 10009));
    CHECK(discounted_return(m.mdp, m.mdp.P, m.pi) == eta);
    // A perfect model: every eps_m is exactly 0, so 4.3's C is the eps_pi part alone.
    for (auto which : {error_policy::data, error_policy::updated, error_policy::mixed}) {
        auto b = model_error_bracket(d, m, which);
        CHECK(b.closed());
        CHECK(b.upper() == 0);
    }
    Instance inst;
    inst.extra["mbpo"] = to_json(d);
    CHECK(find_claim("mbpo-4.3:a3")->check(inst, Arith{}).result == truth::no);
    CHECK(find_claim("mbpo-4.3:a2")->check(inst, Arith{}).result == truth::yes);  // a2 needs k >= 15 here
    inst.extra["mbpo"]["k"] = 22;
    CHECK(find_claim("mbpo-4.3:a2")->check(inst, Arith{}).result == truth::no);
    // 4.2 and 4.3:b are theorems (docs/mbpo.md): they hold on the same instances.
    for (std::size_t k : {10, 22})
        for (const char* id : {"mbpo-4.2:a2", "mbpo-4.2:a3", "mbpo-4.2:b", "mbpo-4.3:b", "mbpo-4.1"}) {
            CAPTURE(id, k);
            inst.extra["mbpo"]["k"] = k;
            CHECK(find_claim(id)->check(inst, Arith{}).result == truth::yes);
        }
    // Small k: 4.3:a3 holds (the gamma^{k+1} eps_pi/(1-gamma)^2 term still covers the drift).
    inst.extra["mbpo"]["k"] = 4;
    CHECK(find_claim("mbpo-4.3:a3")->check(inst, Arith{}).result == truth::yes);
    // The reviewer's 4.3:a2 instance: gamma = 43/50, eps_pi = 10^-6, k = 12, r(G, a1) = -1.
    inst.extra["mbpo"] = to_json(drift(rational(43, 50), rational(1, 1000000), 12, -1));
    CHECK(find_claim("mbpo-4.3:a2")->check(inst, Arith{}).result == truth::no);
    CHECK(find_claim("mbpo-4.2:a2")->check(inst, Arith{}).result == truth::yes);
}

TEST_CASE("the committed MBPO counterexamples verify exactly, and the default campaign finds them", "[mbpo]") {
    using namespace rmdp::checks;
    const std::string dir = RMDP_MBPO_EXAMPLES_DIR;
    const std::pair<const char*, const char*> files[] = {{"mbpo-4.2a-counterexample.json", "mbpo-4.2:a"},
                                                          {"mbpo-4.3a2-counterexample.json", "mbpo-4.3:a2"},
                                                          {"mbpo-4.3a3-counterexample.json", "mbpo-4.3:a3"},
                                                          {"mbpo-4.3b-notes-counterexample.json", "mbpo-4.3:b-notes"}};
    for (const auto& [file, id] : files) {
        CAPTURE(file);
        const json cx = read_json_file(dir + "/" + file);
        const Claim* which = nullptr;
        CHECK(verify(cx, file, &which).result == truth::no);
        REQUIRE(which);
        CHECK(which->id == id);
        // The default campaign (seed 1, 200 trials, exact) refutes the claim with this very instance.
        CampaignOptions opt;
        const Report r = run_campaign(*find_claim(id), opt);
        REQUIRE(r.verdict == "refuted");
        CHECK(r.counterexample->at("instance") == cx.at("instance"));
    }
}

TEST_CASE("mbpo-4.3:b-notes: model error only where pi_D never goes", "[mbpo]") {
    using namespace rmdp::checks;
    // The reviewer's instance: start state 0 (reward 0), trap 1 (reward -1, absorbing on p, escapes to
    // state 2 on the model), state 2 (reward 1, absorbing); gamma = 9/10, eps_pi = 1/10000, k = 10.
    const json trap = json::parse(R"({"states": 3, "actions": 2, "gamma": "9/10",
        "reward": [["0", "0"], ["-1", "-1"], ["1", "1"]], "r_max": "1",
        "P": [[["1","0","0"], ["0","1","0"]], [["0","1","0"], ["0","1","0"]], [["0","0","1"], ["0","0","1"]]],
        "P_model": [[["1","0","0"], ["0","1","0"]], [["0","0","1"], ["0","0","1"]], [["0","0","1"], ["0","0","1"]]],
        "rho": ["1", "0", "0"], "pi_data": [["1","0"], ["1","0"], ["1","0"]],
        "pi": [["9999/10000", "1/10000"], ["1","0"], ["1","0"]], "k": 10})");
    const MbpoData d = parse_mbpo(trap, "trap");
    const MbpoModel<rational> m = convert<rational>(d);
    auto notes = model_error_bracket(d, m, error_policy::mixed);
    CHECK(notes.closed());
    CHECK(notes.upper() == 0);  // pi_D never leaves state 0, where the model is exact
    CHECK(model_error_bracket(d, m, error_policy::updated).upper() == 1);  // pi reaches the trap
    Instance inst;
    inst.extra["mbpo"] = trap;
    const Finding f = find_claim("mbpo-4.3:b-notes")->check(inst, Arith{});
    CHECK(f.result == truth::no);
    CHECK(f.rhs == "-90/10009");  // eta
    CHECK(find_claim("mbpo-4.3:b")->check(inst, Arith{}).result == truth::yes);  // claims.md's eps_m': a theorem
}

TEST_CASE("random instances: 4.1, 4.2 (a2, a3, b) and 4.3:b are theorems (docs/mbpo.md)", "[mbpo]") {
    using namespace rmdp::checks;
    // The proofs' intermediate bound, stronger than C: for 4.2 under :a2, :a3, :b,
    //   (eta^branch - eta)/(2 r_max) <= eps_pi [gamma/(1-gamma)^2 + 1/(1-gamma)] + k (eps_m + eps_pi)/(1-gamma),
    // and for 4.1, |eta - eta_hat| <= 2 r_max gamma (eps_m + 2 eps_pi)/(1-gamma)^2; checked with the
    // upper end of the eps_m bracket (valid: the true eps_m is at most that).
    rc::prop("the proofs' bounds hold exactly", [] {
        const MbpoData d = drawn(*rc::gen::inRange<std::uint64_t>(0, 1000000), *rc::gen::inRange<std::size_t>(0, 60));
        const MbpoModel<rational> m = convert<rational>(d);
        auto b = model_error_bracket(d, m, error_policy::data);
        for (int t = 0; t < 16 && !b.closed(); ++t) b.advance();
        const rational eps_m = b.upper(), eps_pi = policy_divergence(m.pi, m.pi_data);
        const rational g = d.gamma, om = 1 - g, R = d.r_max;
        const rational eta = discounted_return(m.mdp, m.mdp.P, m.pi);
        rational diff = discounted_return(m.mdp, m.P_model, m.pi) - eta;
        if (diff < 0) diff = -diff;
        RC_ASSERT(diff <= 2 * R * g * (eps_m + 2 * eps_pi) / (om * om));
        const rational k(static_cast<long>(d.k));
        const rational c42 = 2 * R * (eps_pi * (g / (om * om) + 1 / om) + k * (eps_m + eps_pi) / om);
        RC_ASSERT(c42 <= bound_42(m, eps_m, eps_pi));
        for (auto r : {branch_reading::a2, branch_reading::a3, branch_reading::b})
            RC_ASSERT(branched_return(m, r) - eta <= c42);
    });
}
