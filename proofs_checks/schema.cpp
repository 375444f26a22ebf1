// What instance each claim needs (`rmdp claims --schema ID`, docs/claims.md "Instances of your own").
//
// The structure is inferred from the claim's own generator: trials 0..47 of seed 1 are drawn and
// the fields every draw has are required, the fields some draws have are optional. So the schema
// cannot drift from the checks. What a draw cannot show (a condition such as "pi > 0") is the
// claim's Claim::schema note; the family notes below fill it where a registration left it empty.
#include "registry.hpp"

#include "rmdp/error.hpp"

#include <mutex>
#include <set>

namespace rmdp::checks {

namespace {

bool starts(const std::string& id, const char* prefix) { return id.rfind(prefix, 0) == 0; }

const char* json_kind(const json& j) {
    if (j.is_string()) return "string";
    if (j.is_number_integer() || j.is_number_unsigned()) return "integer";
    if (j.is_number()) return "number";
    if (j.is_array()) return "array";
    if (j.is_object()) return "object";
    if (j.is_boolean()) return "boolean";
    return "null";
}

}  // namespace

std::string default_schema_note(const std::string& id) {
    const std::string steps =
        "extra.eta: a positive number (the step size eta, e.g. \"1/2\"); ";
    if (id == "pdl" || starts(id, "occupancy-") || starts(id, "resolvent-norm"))
        return "mdp: any MDP; its kernel P is the fixed kernel P_u of the claim (an uncertainty set is ignored). "
               "policies: any policies on the MDP.";
    if (starts(id, "robust-") || id == "worst-case-kernel" || id == "lemma-2-7" || starts(id, "vi-upper") ||
        id == "vi-optimality")
        return "mdp: any robust MDP (uncertainty none, l1, interval or finite; docs/format.md). policies: any policies.";
    if (id == "pg-fixed-u" || starts(id, "occupancy-lipschitz") || id == "frechet-subgradient")
        return "mdp: any robust MDP. policies.pi and policies.pi_prime any policies; claims compare the two.";
    if (id == "differentiable-everywhere")
        return "mdp: any robust MDP; policies.pi: the point; extra.direction (optional): an S x A direction with rows "
               "summing to 0 that is feasible both ways at pi (decided at exact arithmetic only).";
    if (starts(id, "vi-"))
        return "mdp: any robust MDP; policies as listed; extra.direction (when listed): an S x A direction with rows "
               "summing to 0 feasible at pi (docs/gradients.md).";
    if (id == "three-point:kl")
        return steps + "policies.pi: pi > 0 entrywise (finite KL divergences), any robust MDP; "
                       "eta * span_a Q_r^pi(s,a) <= 2^28 (docs/rpmd.md).";
    if (id == "rpmd-monotone:kl" || id == "rpmd-recursion:kl")
        return steps + "policies.pi: pi > 0 entrywise (finite KL divergences); the notes' assumptions: costs in "
                       "[0,1] and rho > 0; eta * span_a Q_r^pi(s,a) <= 2^28 (docs/rpmd.md).";
    if (starts(id, "three-point") || id == "rpmd-monotone" || id == "euclid-bregman-gap")
        return steps + "policies.pi: pi_k, any policy on the robust MDP (docs/rpmd.md).";
    if (starts(id, "rpmd-"))
        return steps + "policies.pi0: the first iterate; extra.steps: an integer 0..1000 (K); extra.bregman: "
                       "\"euclid\" (1/2||.||^2) or \"euclid-w\" (||.||^2); extra.schedule: \"constant\" or \"linear\" "
                       "(claims stated for a constant step refuse linear); the notes' assumptions: costs in [0,1], rho > 0.";
    if (starts(id, "mbpo-"))
        return "no mdp; extra.mbpo: an MBPO instance in the format `rmdp mbpo` reads (docs/mbpo.md, \"Instance format\").";
    if (id == "tv-chain")
        return "no mdp; extra.p1, extra.p2: joint distributions p(x,y) as X x Y tables of probabilities (each table sums to 1).";
    if (id == "tv-accumulation")
        return "no mdp; extra.mu0: the common initial distribution over S; extra.p1, extra.p2: S x S transition "
               "kernels (rows sum to 1); extra.T: the horizon, a positive integer.";
    return "";
}

json instance_schema(const Claim& claim) {
    static std::mutex mutex;
    static std::map<std::string, json> cache;
    const std::lock_guard<std::mutex> lock(mutex);
    if (auto it = cache.find(claim.id); it != cache.end()) return it->second;

    constexpr std::size_t draws = 48;
    const GeneratorOptions gen;
    std::size_t with_mdp = 0;
    std::set<std::string> uncertainty;
    std::map<std::string, std::size_t> policies;
    std::map<std::string, std::pair<std::size_t, std::set<std::string>>> extra;
    json example;
    for (std::size_t t = 0; t < draws; ++t) {
        Rng rng(trial_seed(1, t));
        const Instance inst = claim.draw(rng, gen, t);
        if (t == 0) example = to_json(inst);
        if (inst.mdp.S > 0) {
            ++with_mdp;
            uncertainty.insert(inst.mdp.uncertainty.kind());
        }
        for (const auto& [name, p] : inst.policies) ++policies[name];
        for (auto it = inst.extra.begin(); it != inst.extra.end(); ++it) {
            ++extra[it.key()].first;
            extra[it.key()].second.insert(json_kind(it.value()));
        }
    }
    auto need = [&](std::size_t k) { return k == draws ? "required" : "optional"; };
    json pol = json::object();
    for (const auto& [name, k] : policies) pol[name] = need(k);
    json ext = json::object();
    for (const auto& [key, v] : extra) {
        std::string kinds;
        for (const auto& s : v.second) kinds += (kinds.empty() ? "" : "|") + s;
        ext[key] = {{"need", need(v.first)}, {"type", kinds}};
        // Fields the checks read with a default (rpmd.cpp extra_run; gradient.cpp
        // check_differentiable): optional whatever the generator draws.
        if (key == "bregman") ext[key]["need"] = "optional", ext[key]["default"] = "euclid";
        if (key == "schedule") ext[key]["need"] = "optional", ext[key]["default"] = "constant";
        if (key == "direction" && claim.id == "differentiable-everywhere") ext[key]["need"] = "optional";
    }
    json out{{"claim", claim.id},
             {"mdp", with_mdp == draws ? "required" : with_mdp == 0 ? "absent" : "optional"},
             {"uncertainty", json(std::vector<std::string>(uncertainty.begin(), uncertainty.end()))},
             {"policies", pol},
             {"extra", ext},
             {"notes", claim.schema},
             {"example", example}};
    cache[claim.id] = out;
    return out;
}

// The user's instance against the schema: a missing MDP, policy or required extra field is named.
void validate_instance(const Claim& claim, const Instance& inst) {
    const json s = instance_schema(claim);
    if (s.at("mdp") == "required" && inst.mdp.S == 0)
        throw input_error("", "instance.mdp", "missing (claim '" + claim.id + "' needs an MDP; see rmdp claims --schema " +
                                                  claim.id + ")");
    for (auto it = s.at("policies").begin(); it != s.at("policies").end(); ++it)
        if (it.value() == "required" && !inst.policies.count(it.key()))
            throw input_error("", "instance.policies." + it.key(),
                              "missing (claim '" + claim.id + "' needs it; see rmdp claims --schema " + claim.id + ")");
    for (auto it = s.at("extra").begin(); it != s.at("extra").end(); ++it)
        if (it.value().at("need") == "required" && !inst.extra.contains(it.key()))
            throw input_error("", "instance.extra." + it.key(),
                              "missing (claim '" + claim.id + "' needs it; see rmdp claims --schema " + claim.id + ")");
}

}  // namespace rmdp::checks
