// The seeded random stream every generator draws from: a seed names the same instance on every
// machine. No std::uniform_*_distribution (implementation-defined). The generator is SplitMix64
// (Steele, Lea & Flood 2014); every integer-to-rational mapping is written out in the generators
// and in docs/claims.md ("Random instances"), so another implementation can regenerate an instance.
#pragma once

#include "rmdp/scalar.hpp"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace rmdp {

class Rng {
public:
    explicit Rng(std::uint64_t seed) : state_(seed) {}
    // SplitMix64 step.
    std::uint64_t next() {
        std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }
    // Uniform on {0, ..., n-1} by rejection of the top partial block (n >= 1).
    std::uint64_t below(std::uint64_t n) {
        const std::uint64_t limit = n * (UINT64_MAX / n);
        std::uint64_t z;
        do z = next();
        while (z >= limit);
        return z % n;
    }
    // Uniform on {lo, ..., hi}.
    std::int64_t between(std::int64_t lo, std::int64_t hi) {
        return lo + static_cast<std::int64_t>(below(static_cast<std::uint64_t>(hi - lo) + 1));
    }
    // True with probability num/den.
    bool chance(std::uint64_t num, std::uint64_t den) { return below(den) < num; }
    // An independent stream named by `salt`, derived from this one's state WITHOUT advancing it:
    // draws added to a newer generator version come from a fork, so the main stream (and with it
    // every instance an older version drew) is unchanged.
    Rng fork(std::uint64_t salt) const {
        Rng r(state_ ^ (0xA0761D6478BD642FULL * (salt + 1)));
        r.next();
        return r;
    }

private:
    std::uint64_t state_;
};

// The stream of trial t under campaign seed s: Rng(mix(s, t)), so trial t is reproducible alone.
std::uint64_t trial_seed(std::uint64_t seed, std::uint64_t trial);

// The generator version. 1: the draws of rmdp 0.1 (uncertainty sets none / l1 / interval / finite).
// 2: version 1's draw unchanged, then a forked stream may replace the set by a kind added later
// (weighted-l1, l1 with nominal support, and kl where GeneratorOptions::transcendental_sets); trials
// that keep a version-1 kind are the same instances as under version 1.
// 3 (current): as 2, but kl is drawn from a fork of its own, so trials without a kl set are the same
// instances with and without transcendental_sets (exact, interval and float campaigns agree on them);
// exact campaigns draw the same instances as under version 2. Counterexample files record the version.
inline constexpr unsigned current_generator_version = 3;

struct GeneratorOptions {
    std::size_t max_states = 6;     // S drawn in 1..max (grows with the trial index, see random.hpp)
    std::size_t max_actions = 3;    // A drawn in 1..max
    // Smallest sizes drawn (default 1): claims that compare nothing on |A| = 1 (or |S| = 1) set 2.
    // With the defaults the stream is that of the sizes 1..max above.
    std::size_t min_states = 1, min_actions = 1;
    std::int64_t denominator = 6;   // probability weights in 0..denominator
    std::int64_t cost_denominator = 4;  // costs k/cost_denominator
    std::int64_t cost_min = -4, cost_max = 4;  // k in [cost_min, cost_max]
    unsigned version = current_generator_version;
    // Sets whose worst case is transcendental (kl) are drawn only when the arithmetic can compute
    // with them: never in exact campaigns.
    bool transcendental_sets = false;
    // Keep them out even where the arithmetic could compute with them (`rmdp check --exact-sets-only`):
    // an interval campaign then draws the exact campaign's instances on every trial.
    bool exact_sets_only = false;
};

// A probability vector of length n: integer weights w_i in 0..D (each zero with probability 1/3,
// so kernels are sparse), normalised exactly; all-zero weights become a point mass at a drawn index.
std::vector<rational> random_distribution(Rng& rng, std::size_t n, std::int64_t D);

}  // namespace rmdp
