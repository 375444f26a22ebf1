// MBPO instances as data: read and written (io.hpp, docs/mbpo.md "Instance format") and drawn
// (random.hpp, docs/mbpo.md "Random instances"). The mathematics on them is mbpo.cpp.
#include "rmdp/error.hpp"
#include "rmdp/io.hpp"
#include "rmdp/mbpo.hpp"
#include "rmdp/norms.hpp"
#include "rmdp/random.hpp"

#include <algorithm>
#include <cstdint>

namespace rmdp {

namespace {

// The MBPO format reuses the MDP and policy parsers (same shapes, same exactness rules) and renames
// the field in their messages: the MDP parser calls the reward "cost" and the model kernel "P".
[[noreturn]] void rethrow_renamed(const input_error& e, const std::string& from, const std::string& to) {
    std::string field = e.field();
    if (field.compare(0, from.size(), from) == 0) field = to + field.substr(from.size());
    throw input_error(e.file(), field, e.problem());
}

MdpData parse_as_mdp(const json& j, const json& kernel, const std::string& file, const std::string& kernel_name) {
    json mdp{{"states", j.at("states")}, {"actions", j.at("actions")}, {"gamma", j.at("gamma")},
             {"cost", j.at("reward")}, {"P", kernel}};
    if (j.contains("rho")) mdp["rho"] = j.at("rho");
    try {
        return parse_mdp(mdp, file);
    } catch (const input_error& e) {
        if (e.field().compare(0, 4, "cost") == 0) rethrow_renamed(e, "cost", "reward");
        rethrow_renamed(e, "P", kernel_name);
    }
}

PolicyData parse_named_policy(const json& j, const char* key, const MdpData& m, const std::string& file) {
    try {
        return parse_policy(json{{"policy", j.at(key)}}, m, file);
    } catch (const input_error& e) {
        rethrow_renamed(e, "policy", key);
    }
}

}  // namespace

MbpoData parse_mbpo(const json& j, const std::string& file) {
    if (!j.is_object()) throw input_error(file, "", std::string("expected a JSON object, found ") + j.type_name());
    static const char* known[] = {"states", "actions", "gamma", "reward", "r_max", "P", "P_model",
                                  "rho",    "pi_data", "pi",    "k",      "comment"};
    for (auto it = j.begin(); it != j.end(); ++it)
        if (std::none_of(std::begin(known), std::end(known), [&](const char* k) { return it.key() == k; }))
            throw input_error(file, it.key(), "unknown field");
    for (const char* key : {"states", "actions", "gamma", "reward", "P", "P_model", "pi_data", "pi", "k"})
        if (!j.contains(key)) throw input_error(file, key, "missing");

    const MdpData truth = parse_as_mdp(j, j.at("P"), file, "P");
    const MdpData model = parse_as_mdp(j, j.at("P_model"), file, "P_model");
    MbpoData m = from_true_mdp(truth);
    m.P_model = model.P;
    m.pi_data = parse_named_policy(j, "pi_data", truth, file);
    m.pi = parse_named_policy(j, "pi", truth, file);

    const json& k = j.at("k");
    // A cap on k keeps a typo from running for hours; branched returns cost O(k S^2).
    // Any integer JSON value (a program building the instance may store a signed one); the range decides.
    if (!k.is_number_integer() || (k.is_number_unsigned() ? k.get<std::uint64_t>() > 100000
                                                           : k.get<std::int64_t>() < 0 || k.get<std::int64_t>() > 100000))
        throw input_error(file, "k", "expected an integer branch length in 0..100000, found " + k.dump());
    m.k = k.get<std::size_t>();

    const rational rmax = sup_norm(m.reward);
    m.r_max = rmax;
    if (j.contains("r_max")) {
        m.r_max = parse_number(j.at("r_max"), file, "r_max");
        if (m.r_max < rmax)
            throw input_error(file, "r_max", m.r_max.str() + " is below max |r(s,a)| = " + rmax.str());
    }
    return m;
}

json to_json(const MbpoData& m) {
    const json mdp = to_json(true_mdp(m));
    json j{{"states", m.S},
           {"actions", m.A},
           {"gamma", m.gamma.str()},
           {"reward", mdp.at("cost")},
           {"r_max", m.r_max.str()},
           {"P", mdp.at("P")},
           {"P_model", to_json(m.P_model)},
           {"rho", mdp.at("rho")},
           {"pi_data", to_json(m.pi_data).at("policy")},
           {"pi", to_json(m.pi).at("policy")},
           {"k", m.k}};
    return j;
}

namespace {

// k in 0..min(40, 4 + trial), growing with the trial so that small counterexamples come first:
// Theorem 4.3's constant has no allowance for the drift of the state distributions before the branch,
// which outgrows its gamma^{k+1} eps_pi/(1-gamma)^2 term only for k >= 5 (docs/mbpo.md).
std::size_t draw_branch_length(Rng& rng, std::size_t trial) {
    return rng.below(1 + std::min<std::size_t>(40, 4 + trial));
}

// The absorbing-drift family (docs/mbpo.md, "Random instances"). State 0 (reward r_hi) stays under
// action 0 and falls into the absorbing trap 1 (reward r_lo) under action 1; rho = delta_0 and pi_D
// always plays action 0, so the data never leave state 0, while pi plays action 1 at state 0 with a
// small probability mu and drifts into the trap. With three states the model lets the trap escape to an
// absorbing state 2 (reward r_hi) with probability lambda: model error only where pi_D never goes.
MbpoData absorbing_drift(Rng& rng, const GeneratorOptions& opt, const rational& gamma) {
    static const std::int64_t mus[][2] = {{1, 1000}, {1, 100000}, {1, 1000000}};
    static const std::int64_t lambdas[][2] = {{1, 20}, {1, 4}, {1, 1}};
    MbpoData m;
    m.S = rng.chance(1, 2) ? 2 : 3;
    m.A = 2;
    m.gamma = gamma;
    const rational r_hi(opt.cost_max, opt.cost_denominator), r_lo(opt.cost_min, opt.cost_denominator);
    m.reward = {r_hi, r_hi, r_lo, r_lo};
    if (m.S == 3) m.reward.insert(m.reward.end(), {r_hi, r_hi});
    m.P = Kernel<rational>(m.S, m.A);
    m.P(0, 0, 0) = m.P(0, 1, 1) = 1;
    for (std::size_t s = 1; s < m.S; ++s) m.P(s, 0, s) = m.P(s, 1, s) = 1;
    m.P_model = m.P;
    if (m.S == 3) {
        const auto* l = lambdas[rng.below(3)];
        const rational lambda(l[0], l[1]);
        for (std::size_t a = 0; a < m.A; ++a) m.P_model(1, a, 1) = 1 - lambda, m.P_model(1, a, 2) = lambda;
    }
    m.rho.assign(m.S, rational(0));
    m.rho[0] = 1;
    m.pi_data = PolicyData{m.S, m.A, std::vector<rational>(m.S * m.A, rational(0))};
    for (std::size_t s = 0; s < m.S; ++s) m.pi_data.pi[s * m.A] = 1;
    m.pi = m.pi_data;
    const auto* u = mus[rng.below(3)];
    m.pi.pi[0] = 1 - rational(u[0], u[1]);
    m.pi.pi[1] = rational(u[0], u[1]);
    m.r_max = sup_norm(m.reward);
    return m;
}

}  // namespace

MbpoData random_mbpo(Rng& rng, const GeneratorOptions& opt, std::size_t trial) {
    static const std::int64_t gammas[][2] = {{0, 1}, {1, 2}, {3, 4}, {9, 10}, {19, 20}, {99, 100}};
    static const std::int64_t lambdas[][2] = {{0, 1}, {1, 20}, {1, 4}, {1, 1}};
    static const std::int64_t mus[][2] = {{0, 1}, {1, 100000}, {1, 1000}, {1, 10}, {1, 2}, {1, 1}};
    if (rng.chance(1, 4)) {
        // The drift matters when eps_pi << 1 - gamma: gamma in {9/10, 19/20, 99/100}.
        const auto* g = gammas[3 + rng.below(3)];
        MbpoData m = absorbing_drift(rng, opt, rational(g[0], g[1]));
        m.k = draw_branch_length(rng, trial);
        return m;
    }
    const auto* g = gammas[rng.below(6)];
    const rational gamma(g[0], g[1]);
    const std::size_t S = 1 + rng.below(std::min<std::size_t>(opt.max_states, 1 + trial / 4));
    const std::size_t A = 1 + rng.below(std::min<std::size_t>(opt.max_actions, 1 + trial / 4));
    const MdpData base = random_mdp_sized(rng, opt, S, A, gamma);
    MbpoData m = from_true_mdp(base);
    const auto* l = lambdas[rng.below(4)];
    const rational lambda(l[0], l[1]);
    m.P_model = m.P;
    for (std::size_t s = 0; s < S; ++s)
        for (std::size_t a = 0; a < A; ++a) {
            const auto q = random_distribution(rng, S, opt.denominator);
            for (std::size_t t = 0; t < S; ++t) m.P_model(s, a, t) = (1 - lambda) * m.P(s, a, t) + lambda * q[t];
        }
    m.pi_data = random_policy(rng, base, opt);
    const PolicyData other = random_policy(rng, base, opt);
    const auto* u = mus[rng.below(6)];
    const rational mu(u[0], u[1]);
    m.pi = m.pi_data;
    for (std::size_t i = 0; i < m.pi.pi.size(); ++i) m.pi.pi[i] = (1 - mu) * m.pi_data.pi[i] + mu * other.pi[i];
    const rational rmax = sup_norm(m.reward);
    // |r| <= cost_max / cost_denominator by construction: a drawn larger r_max is the largest possible |r|.
    const rational loosest(std::max(-opt.cost_min, opt.cost_max), opt.cost_denominator);
    m.r_max = rng.chance(1, 4) ? std::max(rmax, loosest) : rmax;
    // Half the general instances keep k in 0..4, where the exact sums stay cheap.
    m.k = rng.chance(1, 2) ? rng.below(5) : draw_branch_length(rng, trial);
    return m;
}

}  // namespace rmdp
