// What `rmdp mbpo` reports (docs/mbpo.md, "rmdp mbpo" and "Tightness over a campaign"), computed
// here so that the CLI only formats it. Exact arithmetic. A bound's per-instance verdict is a trial
// outcome word of the campaigns (campaign.hpp): holds, refuted or undecided, decided by the same
// decide_bound as the registered checks mbpo-4.1, mbpo-4.2:*, mbpo-4.3:* in mbpo.cpp.
#pragma once

#include "rmdp/io.hpp"
#include "rmdp/mbpo.hpp"

#include <cstdint>

namespace rmdp::checks {

// One instance: eta, eta_hat, eps_pi, the eps_m / eps_m' / eps_m'(n) brackets (advanced up to
// `horizon`), eta^branch under each reading, and per claim the reference, C's enclosure, the
// verdict and the tightness enclosure. Every number an exact rational string.
json mbpo_report(const MbpoData& data, std::size_t horizon);

// The tightness table over `trials` random instances (random_mbpo with default options, trial t
// drawn from Rng(trial_seed(seed, t))): per claim, min / median / max of the upper end of the
// tightness enclosure, and the counts of C = 0, unbounded, refuted and undecided instances.
json mbpo_tightness_table(std::size_t trials, std::uint64_t seed, std::size_t horizon);

}  // namespace rmdp::checks
