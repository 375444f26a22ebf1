// A campaign as a stream of per-trial outcomes (docs/claims.md, "Campaigns: parallel, sharded").
//
// Trial t of a campaign is a pure function of (claim, seed, t, generator, arith): its instance is
// drawn from Rng(trial_seed(seed, t)) alone. A campaign's report is a fold of the outcomes in trial
// order that stops at the first refuted trial, so any schedule that delivers the outcomes of every
// trial up to the first refutation -- one process, forked workers, Slurm shards merged later --
// gives the same report: counts, verdict, detail and counterexample. Outcomes of trials after the
// first refutation are never counted, even when a worker already computed them.
#pragma once

#include "registry.hpp"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace rmdp::checks {

struct TrialOutcome {
    enum class kind { holds, vacuous, undecided, false_alarm, refuted };
    std::size_t trial = 0;
    kind result = kind::holds;
    bool tight = false;        // undecided: an equality within the enclosure
    std::string note, width;   // undecided: why; tight: the width of |lhs - rhs|
    std::optional<json> counterexample;  // refuted: the counterexample file's content
};

// The word for an outcome, as trial outcomes, reports and `rmdp mbpo` print it ("holds", "refuted", ...).
const char* outcome_word(TrialOutcome::kind k);

// The generator options a campaign in `arith` draws with: kl sets (transcendental worst cases) only
// where the arithmetic can compute them, i.e. never in exact campaigns. Every campaign (CLI, Python)
// draws through it.
GeneratorOptions generator_for(GeneratorOptions g, const Arith& arith);

// The arithmetic that confirms a refutation: exact, or interval:256 (certified enclosures) when the
// instance's sets have no exact worst case (kl). Campaigns and `rmdp verify` use it.
Arith confirmation_arith(const Instance& inst);

// Draws trial `trial` of the campaign and decides it (a float "no" is re-decided exactly).
TrialOutcome run_trial(const Claim& claim, const CampaignOptions& opt, std::size_t trial);

// The report of `outcomes` (any trials, sorted by trial index): folded in order, stopping at the
// first refuted one.
Report summarize(const Claim& claim, const CampaignOptions& opt, const std::vector<TrialOutcome>& outcomes);

// docs/format.md, "Trial outcomes" (what shards record and `rmdp merge` reads).
json to_json(const TrialOutcome& o);
// The generator settings as reports and counterexample files record them ("version": the
// generator version, rng.hpp); generator_from_json reads them back (version 1 when absent: files
// written before versions were recorded).
json generator_json(const GeneratorOptions& g);
GeneratorOptions generator_from_json(const json& j);
TrialOutcome outcome_from_json(const json& j, const std::string& file, const std::string& field);

// The trials a run computes: first, first + stride, ... (count of them), in this order.
struct TrialSlice {
    std::size_t first = 0, stride = 1, count = 0;
    std::size_t at(std::size_t position) const { return first + position * stride; }
};

// Which trials of 0..trials-1 the I-th of N shards runs (I counted from 1): t with t mod N = I - 1.
// Interleaved rather than blocks because instance sizes grow with the trial index.
TrialSlice shard_trials(std::size_t trials, std::size_t index, std::size_t count);

// Runs the slice's trials and returns their outcomes up to and including the first refuted one,
// in trial order; those are exactly the outcomes `summarize` folds, for every `jobs`. jobs = 1
// runs here; jobs > 1 forks that many worker processes (campaign.cpp says why processes, not
// threads). Memory does not grow with the number of trials. progress(done, total) is called in
// this process after each outcome arrives.
std::vector<TrialOutcome> run_trials(const Claim& claim, const CampaignOptions& opt, const TrialSlice& trials,
                                     unsigned jobs, const std::function<void(std::size_t, std::size_t)>& progress);

// Counterexample file name: claim (':' -> '_'), arithmetic, generator, seed and trial, so that
// campaigns differing in any of them never overwrite each other's files, and shards of one
// campaign write the name a single run writes. E.g. "occupancy-difference.exact.g6-3-6.seed1.trial4.json".
std::string counterexample_file_name(const std::string& claim, const CampaignOptions& opt, std::size_t trial);

// A number printed by a check (a rational "p/q", a decimal, or an interval "[lo,hi]"), shortened to
// `digits` significant digits for people: "~" marks a rounded value; interval ends are rounded
// outward. Anything else is returned unchanged.
std::string short_number(const std::string& text, int digits = 12);
// Every number in `text` (a check's "where", say) through short_number.
std::string short_numbers_in(const std::string& text, int digits = 12);

}  // namespace rmdp::checks
