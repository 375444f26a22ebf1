// Reproducible random instances: a seed names the same MDP on every machine.
//
// No std::uniform_*_distribution (implementation-defined). The generator is SplitMix64
// (Steele, Lea & Flood 2014) and every integer-to-rational mapping is written out here and in
// docs/conventions.md, so another implementation can regenerate an instance from its seed.
#pragma once

#include "rmdp/model.hpp"

#include <cstdint>

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

private:
    std::uint64_t state_;
};

// The stream of trial t under campaign seed s: Rng(mix(s, t)), so trial t is reproducible alone.
std::uint64_t trial_seed(std::uint64_t seed, std::uint64_t trial);

struct GeneratorOptions {
    std::size_t max_states = 6;     // S drawn in 1..max (grows with the trial index, see below)
    std::size_t max_actions = 3;    // A drawn in 1..max
    // Smallest sizes drawn (default 1): claims that compare nothing on |A| = 1 (or |S| = 1) set 2.
    // With the defaults the stream is that of the sizes 1..max above.
    std::size_t min_states = 1, min_actions = 1;
    std::int64_t denominator = 6;   // probability weights in 0..denominator
    std::int64_t cost_denominator = 4;  // costs k/cost_denominator
    std::int64_t cost_min = -4, cost_max = 4;  // k in [cost_min, cost_max]
};

// A probability vector of length n: integer weights w_i in 0..D (each zero with probability 1/3,
// so kernels are sparse), normalised exactly; all-zero weights become a point mass at a drawn index.
std::vector<rational> random_distribution(Rng& rng, std::size_t n, std::int64_t D);

// A random MDP without uncertainty. Sizes grow with the trial index (small instances first,
// so the first counterexample found is small): S in 1..min(max_states, 1 + trial/4), same for A;
// with min_states = m > 1, S = m + below(max(m, min(max_states, 1 + trial/4)) - m + 1) (same for A).
MdpData random_mdp(Rng& rng, const GeneratorOptions& opt, std::size_t trial);

// The same MDP draw with the sizes and discount given: costs, then kernel rows, then rho, from
// the same stream (random_mdp draws S, A, gamma and then calls this).
MdpData random_mdp_sized(Rng& rng, const GeneratorOptions& opt, std::size_t S, std::size_t A, const rational& gamma);

// A random policy: each row a random distribution, or (probability 1/4) a vertex of the simplex.
PolicyData random_policy(Rng& rng, const MdpData& m, const GeneratorOptions& opt);

// A random (s,a)-rectangular uncertainty set for m (docs/conventions.md, "Random instances"):
// type none / l1 / interval / finite with equal chance; l1 radii k/4, k in 0..9 (so radius 0 and
// radius >= 2 occur), one radius or one per (s,a); interval boxes around P_N, some pinned exactly;
// finite sets contain P_N and up to three more distributions, duplicates included.
Uncertainty random_uncertainty(Rng& rng, const MdpData& m, const GeneratorOptions& opt);

// A random robust MDP with exact ties on purpose: with chance 1/3 costs are drawn from {0, 1}
// only, and with chance 1/4 state 1 is a copy of state 0 (equal values), so worst cases tie.
MdpData random_robust_mdp(Rng& rng, const GeneratorOptions& opt, std::size_t trial);

// The robust policy mirror descent notes assume costs in [0,1] and (for M = sup_u ||d_rho/rho||_inf
// to be finite) rho > 0 everywhere. random_robust_mdp's draw (ties included), with costs mapped
// affinely onto [0,1] when any lies outside (k -> (k - cost_min)/(cost_max - cost_min), which keeps
// exact ties) and rho redrawn with every weight in 1..denominator.
MdpData random_unit_cost_robust_mdp(Rng& rng, const GeneratorOptions& opt, std::size_t trial);

// A policy with every probability positive (weights in 1..denominator): KL divergences from it
// are finite.
PolicyData random_interior_policy(Rng& rng, const MdpData& m, const GeneratorOptions& opt);

// A feasible direction at pi (gradient layer): delta = pi'' - pi for a random policy pi'', with each
// row zero with chance 1/3; rows sum to 0, delta >= 0 where pi = 0, and pi + t delta is a policy for
// t in [0, 1].
std::vector<rational> random_direction(Rng& rng, const PolicyData& pi, const GeneratorOptions& opt);

}  // namespace rmdp
