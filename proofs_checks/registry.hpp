// Proof checks: one per claim of ../shared/notes/claims.md, named by the claim's id.
//
// A check draws exact random instances from a seeded stream and decides the claim on each in the
// requested arithmetic. Verdicts (docs/claims.md):
//   holds         every instance satisfied the claim (exact: decided; interval: certified;
//                 double/MPFR: within the documented first-order tolerance);
//   refuted       an instance violates the claim, confirmed in exact arithmetic, and written as a
//                 counterexample file that `rmdp verify` re-checks;
//   inconclusive  no violation was found but some instance could not be decided (intervals
//                 cannot certify an equality, or a float run disagreed with the exact one).
#pragma once

#include "rmdp/arith.hpp"
#include "rmdp/io.hpp"
#include "rmdp/random.hpp"

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace rmdp::checks {

// Everything a claim is about, held exactly: an MDP (whose kernel P is the fixed u of the
// claim unless it says otherwise) and named policies.
struct Instance {
    MdpData mdp;
    std::map<std::string, PolicyData> policies;
    const PolicyData& policy(const std::string& name) const;
};

json to_json(const Instance& inst);
Instance instance_from_json(const json& j, const std::string& file);

// The outcome on one instance: yes (the claim holds there), no (violated), unknown.
struct Finding {
    truth result = truth::yes;
    std::string where;     // e.g. "s=2" or "s=1, s'=0"
    std::string lhs, rhs;  // the two sides compared there, printed in the check's arithmetic
    std::string relation;  // "==" or "<="
    std::string note;      // why an instance is undecided, when it is
};

struct Claim {
    std::string id;         // exactly as in claims.md
    std::string statement;  // the claim, as checked
    std::string source;     // where in the notes
    std::string reading;    // how the statement is read when it is ambiguous
    std::function<Instance(Rng&, const GeneratorOptions&, std::size_t trial)> draw;
    std::function<Finding(const Instance&, const Arith&)> check;
};

const std::vector<Claim>& registry();
const Claim* find_claim(const std::string& id);

struct CampaignOptions {
    std::size_t trials = 200;
    std::uint64_t seed = 1;
    Arith arith;
    GeneratorOptions generator;
};

struct Report {
    std::string claim;
    std::string verdict;  // holds | refuted | inconclusive
    std::size_t instances = 0, decided = 0, undecided = 0;
    std::string arith;
    std::uint64_t seed = 0;
    std::string detail;
    std::optional<json> counterexample;  // the counterexample file's content
};

Report run_campaign(const Claim& claim, const CampaignOptions& opt);

// Re-check a counterexample file's instance in exact arithmetic.
Finding verify(const json& counterexample, const std::string& file, const Claim** claim_out);

void register_foundation_claims(std::vector<Claim>& out);
void register_robust_claims(std::vector<Claim>& out);

}  // namespace rmdp::checks
