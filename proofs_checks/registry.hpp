// Proof checks: one per claim of ../shared/notes/claims.md, named by the claim's id.
//
// A check draws exact random instances from a seeded stream and decides the claim on each in the
// requested arithmetic. Verdicts (docs/claims.md):
//   holds         every instance satisfied the claim (exact: decided; interval: certified;
//                 double/MPFR: within the documented first-order tolerance);
//   refuted       an instance violates the claim, confirmed in exact arithmetic, and written as a
//                 counterexample file that `rmdp verify` re-checks;
//   tight         no violation, and every undecided instance is an equality that the check's
//                 enclosure cannot certify as a non-strict inequality (its |lhs - rhs| enclosure
//                 has the width reported); used where docs/ prove the relation is an identity;
//   inconclusive  no violation was found but some instance could not be decided (a float run
//                 disagreed with the exact one), or every instance was vacuous (the check had
//                 nothing to compare on any of them);
//   not supported in ARITH  the check has no version in that arithmetic (nothing was attempted).
// Interval campaigns decide orderings and inequalities through filtered comparisons (scalar.hpp):
// by the enclosures where they separate, else by rerunning the instance in exact arithmetic; each
// row counts both (Report::enclosure_decisions, exact_fallbacks).
// A `holds` reports how many of its instances were vacuous (Finding::comparisons == 0).
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
// claim unless it says otherwise; empty, S = 0, for claims whose instance lives in `extra`)
// and named policies.
struct Instance {
    MdpData mdp;
    std::map<std::string, PolicyData> policies;
    // Claim-specific data (a direction, a model kernel, a branch length, ...), serialised as is;
    // the claim's check parses and validates it.
    json extra = json::object();
    const PolicyData& policy(const std::string& name) const;
};

json to_json(const Instance& inst);
Instance instance_from_json(const json& j, const std::string& file);

// One comparison of the two sides of a relation, as printed in the check's arithmetic.
struct Comparison {
    std::string where, lhs, rhs, relation;
    // How far the relation is from failing there: rhs - lhs for "<=", lhs - rhs for ">=",
    // |lhs - rhs| for "=="; exact for exact and float types (computed from the exact values of
    // the two printed-precision sides), a lower bound for intervals.
    rational slack;
};

// The outcome on one instance: yes (the claim holds there), no (violated), unknown.
struct Finding {
    truth result = truth::yes;
    std::string where;     // e.g. "s=2" or "s=1, s'=0"
    std::string lhs, rhs;  // the two sides compared there, printed in the check's arithmetic
    std::string relation;  // "==" or "<="
    std::string note;      // why an instance is undecided, when it is
    // Undecided only because the relation holds with equality up to the enclosure: the
    // enclosure of lhs - rhs contains 0 and has the width given (verdict `tight`, see above).
    bool tight = false;
    std::string width;
    // The check has no version in the requested arithmetic (not_supported(), compare.hpp).
    bool unsupported = false;
    // How many relations the check decided on the instance. 0 means the instance tested nothing
    // (e.g. |A| = 1, a zero direction, a run that stopped at once): it is reported as vacuous,
    // never silently counted as evidence. Checks that decide one relation directly leave it at 1.
    std::size_t comparisons = 1;
    // The satisfied comparison with the least slack (first of equal ones), recorded by Tally
    // (compare.hpp). Absent for checks that decide through their own logic; those report the
    // comparison they decided in where/lhs/rhs (docs/format.md, "rmdp check --instance").
    std::optional<Comparison> least_slack;
};

struct Claim {
    std::string id;         // exactly as in claims.md
    std::string statement;  // the claim, as checked
    std::string source;     // where in the notes
    std::string reading;    // how the statement is read when it is ambiguous
    std::function<Instance(Rng&, const GeneratorOptions&, std::size_t trial)> draw;
    std::function<Finding(const Instance&, const Arith&)> check;
    // What a user's instance must hold beyond what instance_schema() infers from draws (e.g.
    // "pi > 0 entrywise"); registrations may set it, schema.cpp supplies the family notes.
    std::string schema = {};
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
    std::string verdict;  // holds | refuted | tight | inconclusive | not supported in ARITH
    std::size_t instances = 0, decided = 0, undecided = 0;
    std::size_t vacuous = 0;  // decided instances on which the check compared nothing
    std::string arith;
    std::uint64_t seed = 0;
    std::string detail;
    std::optional<json> counterexample;  // the counterexample file's content
    std::size_t counterexample_trial = 0;  // its trial index (when counterexample is set)
    // Interval campaigns: decisions the enclosures made alone, decisions they could not make (each
    // sent its instance to exact arithmetic), and the instances so rerun.
    std::size_t enclosure_decisions = 0, exact_fallbacks = 0, exact_reruns = 0;
    std::map<std::string, std::size_t> rerun_reasons;  // exact reruns by the kind of undecided decision
};

Report run_campaign(const Claim& claim, const CampaignOptions& opt);

// The campaign row (docs/format.md, "rmdp check --json"): "claim", "verdict", "instances",
// "decided", "undecided", "vacuous", "arith", "seed", "detail"; when refuted also
// "counterexample" (the counterexample file's content) and "counterexample_trial"; in interval
// arithmetic also "enclosure_decisions", "exact_fallbacks", "exact_reruns" and "exact_rerun_reasons"
// (an object: reason -> number of instances).
json to_json(const Report& r);

// Decide `claim` on one user instance: the row's fields ("seed" null, "instances" 1) plus
// "relation", "lhs", "rhs", "where" and "comparison" -- of the violation when refuted
// ("violation"), else of the satisfied comparison with the least slack ("least slack", with
// "slack"), else of the comparison the check decided ("decided": checks that do not go through
// Tally), absent when the instance was vacuous. A float "no" is re-decided exactly, as in
// campaigns. A malformed instance is an input_error naming the field.
json check_instance(const Claim& claim, const Instance& inst, const Arith& arith);

// What instance `claim` needs (docs/claims.md, "Instances of your own"): "mdp" (required or
// absent), "uncertainty" (the set types its draws use), "policies" (names), "extra" (field ->
// JSON type, required or optional), "notes" (Claim::schema), and "example" (the instance of
// trial 0, seed 1). Inferred from the claim's own generator, so it cannot drift from the checks.
json instance_schema(const Claim& claim);
// A missing MDP, required policy or required extra field of a user's instance: input_error naming it.
void validate_instance(const Claim& claim, const Instance& inst);
std::string default_schema_note(const std::string& id);  // schema.cpp: the family notes

// claim.check in `arith`; in interval arithmetic a decision the enclosures cannot make
// (undecided_comparison) reruns the instance in exact arithmetic. `counts` receives the filtered
// decisions of the interval attempt; `exact` says whether the finding is the exact rerun's.
// `reason` is the kind of the decision that sent it to exact ("ordering", "claim inequality", ...).
Finding decide_instance(const Claim& claim, const Instance& inst, const Arith& arith, FilterCounts& counts, bool& exact,
                        std::string* reason = nullptr);

// Re-check a counterexample file's instance in exact arithmetic.
Finding verify(const json& counterexample, const std::string& file, const Claim** claim_out);

void register_foundation_claims(std::vector<Claim>& out);
void register_robust_claims(std::vector<Claim>& out);
void register_gradient_claims(std::vector<Claim>& out);  // gradient.cpp (issue 4)
void register_rpmd_claims(std::vector<Claim>& out);      // rpmd.cpp (issue 5)
void register_mbpo_claims(std::vector<Claim>& out);      // mbpo.cpp (issue 6)

}  // namespace rmdp::checks
