// Reproducible random instances: a seed names the same MDP on every machine.
//
// No std::uniform_*_distribution (implementation-defined). The generator is SplitMix64
// (Steele, Lea & Flood 2014) and every integer-to-rational mapping is written out here and in
// docs/conventions.md, so another implementation can regenerate an instance from its seed.
#pragma once

#include "rmdp/model.hpp"
#include "rmdp/rng.hpp"

#include <cstdint>

namespace rmdp {

// A random MDP without uncertainty. Sizes grow with the trial index (small instances first,
// so the first counterexample found is small): S in 1..min(max_states, 1 + trial/4), same for A;
// with min_states = m > 1, S = m + below(max(m, min(max_states, 1 + trial/4)) - m + 1) (same for A).
MdpData random_mdp(Rng& rng, const GeneratorOptions& opt, std::size_t trial);

// The same MDP draw with the sizes and discount given: costs, then kernel rows, then rho, from
// the same stream (random_mdp draws S, A, gamma and then calls this).
MdpData random_mdp_sized(Rng& rng, const GeneratorOptions& opt, std::size_t S, std::size_t A, const rational& gamma);

// A random policy: each row a random distribution, or (probability 1/4) a vertex of the simplex.
PolicyData random_policy(Rng& rng, const MdpData& m, const GeneratorOptions& opt);

// A random (s,a)-rectangular uncertainty set for m (docs/claims.md, "Random instances"): generator
// version 1 draws the kinds with since = 1 (none / l1 / interval / finite) with equal chance, each
// by its own draw (sets/*.hpp); version 2 then replaces it, with chance 1/2 decided on a forked
// stream, by one of the draws version 2 added (rng.hpp, current_generator_version); with
// opt.transcendental_sets (non-exact campaigns) version 3 lets a second fork replace it, with chance
// 1/5, by a kl set, so every other trial draws the same instance in every arithmetic (version 2
// mixed kl into the first list).
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

// An MBPO instance (mbpo.hpp).
struct MbpoData;
// Random instance (docs/mbpo.md, "Random instances"): gamma in a small set; k in 0..min(40, 4 + trial)
// (general instances: in 0..4 half the time). With chance 1/4 the absorbing-drift family (pi_D never leaves state 0,
// pi falls into an absorbing trap with a tiny probability; model error, if any, only at the trap);
// else p random (sparse), p_hat = (1-lambda) p + lambda q with lambda in {0, 1/20, 1/4, 1}, pi_D random,
// pi = (1-mu) pi_D + mu pi' with mu in {0, 1/100000, 1/1000, 1/10, 1/2, 1}, rewards k/4 in [-1, 1],
// r_max = max|r| or (chance 1/4) 1.
MbpoData random_mbpo(Rng& rng, const GeneratorOptions& opt, std::size_t trial);

}  // namespace rmdp
