#include "registry.hpp"

#include "campaign.hpp"  // short_number

#include "rmdp/error.hpp"

#include <sstream>

namespace rmdp::checks {

const PolicyData& Instance::policy(const std::string& name) const {
    auto it = policies.find(name);
    if (it == policies.end()) throw input_error("", "instance.policies." + name, "missing");
    return it->second;
}

json to_json(const Instance& inst) {
    json pols = json::object();
    for (const auto& [name, p] : inst.policies) pols[name] = to_json(p)["policy"];
    json j{{"policies", pols}};
    if (inst.mdp.S > 0) j["mdp"] = to_json(inst.mdp);
    if (!inst.extra.empty()) j["extra"] = inst.extra;
    return j;
}

Instance instance_from_json(const json& j, const std::string& file) {
    // "mdp" may be absent only for claims whose whole instance lives in "extra" (the MBPO claims);
    // verify() checks that the file's claim is one of them.
    if (!j.is_object()) throw input_error(file, "instance", std::string("expected an object, found ") + j.type_name());
    if (!j.contains("mdp") && !j.contains("extra")) throw input_error(file, "instance.mdp", "missing");
    Instance inst;
    if (j.contains("mdp")) inst.mdp = parse_mdp(j.at("mdp"), file);
    if (j.contains("policies")) {
        const json& pols = j.at("policies");
        if (!pols.is_object()) throw input_error(file, "instance.policies", "expected an object of named policies");
        if (inst.mdp.S == 0 && !pols.empty())
            throw input_error(file, "instance.policies", "policies need an MDP: field 'instance.mdp' is missing");
        for (auto it = pols.begin(); it != pols.end(); ++it)
            inst.policies[it.key()] = parse_policy(json{{"policy", it.value()}}, inst.mdp, file);
    }
    if (j.contains("extra")) {
        if (!j.at("extra").is_object()) throw input_error(file, "instance.extra", "expected an object");
        inst.extra = j.at("extra");
    }
    return inst;
}

const std::vector<Claim>& registry() {
    static const std::vector<Claim> claims = [] {
        std::vector<Claim> out;
        register_foundation_claims(out);
        register_robust_claims(out);
        register_gradient_claims(out);
        register_rpmd_claims(out);
        register_mbpo_claims(out);
        for (Claim& c : out)
            if (c.schema.empty()) c.schema = default_schema_note(c.id);
        return out;
    }();
    return claims;
}

const Claim* find_claim(const std::string& id) {
    for (const auto& c : registry())
        if (c.id == id) return &c;
    return nullptr;
}

// run_campaign, the trial stream and the parallel runner: campaign.cpp.

namespace {

// Whether a claim's instances carry an MDP, read off the claim's own generator (one draw) rather
// than a list kept by hand: the MBPO claims keep their whole instance in `extra`.
bool draws_mdp(const Claim& claim) {
    Rng rng(trial_seed(1, 0));
    return claim.draw(rng, GeneratorOptions{}, 0).mdp.S > 0;
}

// The recorded violation, field by field against the recomputed one: what differs, or "".
std::string violation_differences(const json& recorded, const Finding& f, const std::string& file) {
    if (!recorded.is_object()) throw input_error(file, "violation", "expected an object {where, lhs, relation, rhs}");
    std::string out;
    const std::pair<const char*, const std::string*> fields[] = {
        {"relation", &f.relation}, {"lhs", &f.lhs}, {"rhs", &f.rhs}, {"where", &f.where}};
    for (const auto& [key, value] : fields) {
        if (!recorded.contains(key) || !recorded.at(key).is_string())
            throw input_error(file, std::string("violation.") + key, "missing (expected a string)");
        const std::string& was = recorded.at(key).get_ref<const std::string&>();
        if (was != *value)
            out += std::string(out.empty() ? "" : "; ") + "violation." + key + " recorded as '" +
                   (was.size() > 200 ? was.substr(0, 200) + "..." : was) + "', recomputed '" +
                   (value->size() > 200 ? value->substr(0, 200) + "..." : *value) + "'";
    }
    return out;
}

}  // namespace

Finding verify(const json& cx, const std::string& file, const Claim** claim_out) {
    const json* format = cx.is_object() && cx.contains("format") ? &cx.at("format") : nullptr;
    if (!format || !format->is_string() || format->get_ref<const std::string&>() != "rmdp-counterexample")
        throw input_error(file, "format", "not an rmdp counterexample file (expected \"format\": \"rmdp-counterexample\")");
    if (!cx.contains("claim") || !cx.at("claim").is_string()) throw input_error(file, "claim", "missing");
    const Claim* claim = find_claim(cx.at("claim").get<std::string>());
    if (!claim) throw input_error(file, "claim", "unknown claim id '" + cx.at("claim").get<std::string>() + "'");
    if (!cx.contains("instance")) throw input_error(file, "instance", "missing");
    Instance inst = instance_from_json(cx.at("instance"), file);
    // An empty MDP never reaches a check: only claims whose instances live in `extra` go without one.
    if (inst.mdp.S == 0 && draws_mdp(*claim))
        throw input_error(file, "instance.mdp", "missing (claim '" + claim->id + "' is about an MDP)");
    if (claim_out) *claim_out = claim;
    Finding f;
    try {
        // Exact, or certified intervals for kl sets (through decide_instance: an ordering the
        // enclosures cannot decide leaves the file unconfirmed, it never escapes as an exception).
        FilterCounts counts;
        bool exact = false;
        f = decide_instance(*claim, inst, confirmation_arith(inst), counts, exact, nullptr);
    } catch (const input_error& e) {
        throw input_error(file, e.field(), e.problem());
    }
    // Confirmed only when the recomputed violation is the recorded one: same relation, same exact
    // sides, same place. Otherwise the file's readable numbers would be unchecked text.
    if (f.result == truth::no) {
        if (!cx.contains("violation")) throw input_error(file, "violation", "missing");
        const std::string diff = violation_differences(cx.at("violation"), f, file);
        if (!diff.empty()) {
            f.result = truth::unknown;
            f.note = "the instance violates the claim, but not as the file records: " + diff;
        }
    }
    return f;
}

json to_json(const Report& r) {
    json j{{"claim", r.claim},         {"verdict", r.verdict}, {"instances", r.instances}, {"decided", r.decided},
           {"undecided", r.undecided}, {"vacuous", r.vacuous}, {"arith", r.arith},         {"seed", r.seed},
           {"detail", r.detail}};
    if (r.counterexample) {
        j["counterexample"] = *r.counterexample;
        j["counterexample_trial"] = r.counterexample_trial;
    }
    if (r.arith.rfind("interval:", 0) == 0) {
        j["enclosure_decisions"] = r.enclosure_decisions;
        j["exact_fallbacks"] = r.exact_fallbacks;
        j["exact_reruns"] = r.exact_reruns;
        j["exact_rerun_reasons"] = r.rerun_reasons;
    }
    return j;
}

json check_instance(const Claim& claim, const Instance& inst, const Arith& arith) {
    validate_instance(claim, inst);
    FilterCounts counts;
    bool exact = false;
    std::string reason;
    Finding f = decide_instance(claim, inst, arith, counts, exact, &reason);
    std::string decided_in = arith.name();  // where a refutation was decided (exact, or certified intervals for kl)
    if (f.result == truth::no && !exact) {
        // As in campaigns: a float "no" stands only when exact arithmetic (certified intervals for
        // kl sets) confirms it.
        const Arith confirm = confirmation_arith(inst);
        Finding fe = confirm.type == Arith::kind::exact ? claim.check(inst, confirm)
                                                        : decide_instance(claim, inst, confirm, counts, exact, nullptr);
        if (fe.result == truth::no) {
            f = fe;
            decided_in = exact ? std::string("exact") : confirm.name();
        } else {
            f.result = truth::unknown;
            f.note = "flagged in " + arith.name() + " but not confirmed in " + confirm.name();
        }
    }
    Report r;
    r.claim = claim.id;
    r.arith = arith.name();
    r.instances = 1;
    json j;
    std::string comparison;
    if (f.result == truth::no) {
        r.verdict = "refuted";
        r.decided = 1;
        r.detail = "violated at " + short_numbers_in(f.where) + ": " + short_number(f.lhs) + " " + f.relation + " " + short_number(f.rhs) +
                   " is false (" + (exact ? std::string("exact") : "certified in " + decided_in) + ")";
        json ce{{"format", "rmdp-counterexample"},
                {"version", 1},
                {"claim", claim.id},
                {"statement", claim.statement},
                {"reading", claim.reading},
                {"found_with", {{"arith", arith.name()}, {"source", "user instance"}}},
                {"instance", to_json(inst)},
                {"violation",
                 {{"arith", "exact"}, {"where", f.where}, {"lhs", f.lhs}, {"relation", f.relation}, {"rhs", f.rhs}}}};
        r.counterexample = ce;
        comparison = "violation";
    } else if (f.unsupported) {
        r.undecided = 1;
        const std::string family = r.arith.substr(0, r.arith.find(':'));
        r.verdict = "not supported in " + family;
        r.detail = "this check has no " + family + " version (" + f.note + "); nothing was decided";
    } else if (f.result == truth::unknown) {
        r.undecided = 1;
        r.verdict = f.tight ? "tight" : "inconclusive";
        r.detail = f.tight ? "equality within the enclosure (width " + f.width + "), no violation"
                           : "undecided in " + arith.name();
        if (!f.note.empty()) r.detail += " (" + f.note + ")";
    } else if (f.comparisons == 0) {
        r.decided = 1;
        r.vacuous = 1;
        r.verdict = "inconclusive";
        r.detail = "the instance is vacuous for this claim (nothing to compare)";
    } else {
        r.decided = 1;
        r.verdict = "holds";
        r.detail = "held on the instance (" + std::to_string(f.comparisons) + " comparison" +
                   (f.comparisons == 1 ? "" : "s") + ")";
    }
    r.enclosure_decisions = counts.enclosure;
    r.exact_fallbacks = counts.fallback;
    r.exact_reruns = exact && arith.type != Arith::kind::exact ? 1 : 0;
    if (r.exact_reruns) r.rerun_reasons[reason] = 1;
    j = to_json(r);
    j["seed"] = nullptr;
    j.erase("counterexample_trial");
    if (f.result == truth::no || f.result == truth::unknown) {
        if (f.result == truth::unknown && comparison.empty()) comparison = "undecided";
    } else if (f.least_slack) {
        const Comparison& c = *f.least_slack;
        j["where"] = c.where;
        j["lhs"] = c.lhs;
        j["relation"] = c.relation;
        j["rhs"] = c.rhs;
        j["slack"] = c.slack.str();
        j["comparison"] = "least slack";
        return j;
    } else if (!f.where.empty()) {
        comparison = "decided";
    }
    if (!comparison.empty() && !f.where.empty()) {
        j["where"] = f.where;
        j["lhs"] = f.lhs;
        j["relation"] = f.relation;
        j["rhs"] = f.rhs;
        j["comparison"] = comparison;
    }
    return j;
}

}  // namespace rmdp::checks
