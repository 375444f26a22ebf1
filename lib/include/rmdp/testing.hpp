// RapidCheck generators of exact instances, for property tests of one's own lemmas
// (docs/install.md, examples/consumer/): MDPs, robust MDPs with ties on purpose, policies,
// feasible directions, distributions. rmdp's own tests use the same generators (tests/support.hpp).
//
//   #include <rmdp/testing.hpp>
//   rc::check("my lemma", [] {
//       const auto m = *rmdp::testing::gen_robust_mdp();
//       const auto pi = *rmdp::testing::gen_policy(m);
//       RC_ASSERT(...);
//   });
//
// Everything is exact (rationals); sizes and weights shrink, so a failure shrinks to a small
// instance, and a failing MdpData prints as the MDP JSON format (a file `rmdp` reads). Needs
// RapidCheck (find_package(rapidcheck); link `rapidcheck`); the library does not.
#pragma once

#include "rmdp/io.hpp"
#include "rmdp/model.hpp"
#include "rmdp/random.hpp"

#include <rapidcheck.h>

#include <cstddef>
#include <cstdint>
#include <ostream>
#include <vector>

namespace rmdp {

// Counterexamples print as the JSON file format, so a shrunk failure can be fed to `rmdp`.
inline void showValue(const MdpData& m, std::ostream& os) { os << to_json(m).dump(); }
inline void showValue(const PolicyData& p, std::ostream& os) { os << to_json(p).dump(); }

}  // namespace rmdp

namespace rmdp::testing {

// Discounts from a small set; 0 first so that shrinking prefers it.
inline rc::Gen<rational> gen_gamma() {
    return rc::gen::element(rational(0), rational(1, 2), rational(1, 3), rational(3, 4), rational(9, 10),
                            rational(99, 100));
}

// A probability vector of length n: integer weights in 0..6, each zero with probability 1/3
// (sparse rows), normalised exactly. All-zero weights become a point mass at a drawn index.
// Weights shrink towards 0, so failures shrink towards point masses.
inline rc::Gen<std::vector<rational>> gen_distribution(std::size_t n) {
    return rc::gen::exec([n] {
        std::vector<long> w(n);
        long total = 0;
        for (auto& x : w) {
            x = *rc::gen::weightedOneOf<long>({{1, rc::gen::just(0L)}, {2, rc::gen::inRange(1L, 7L)}});
            total += x;
        }
        if (total == 0) {
            w[*rc::gen::inRange<std::size_t>(0, n)] = 1;
            total = 1;
        }
        std::vector<rational> p;
        for (long x : w) p.emplace_back(x, total);
        return p;
    });
}

// A policy row: a random distribution, or (weight 1 in 4) a vertex of the simplex.
inline rc::Gen<std::vector<rational>> gen_policy_row(std::size_t A) {
    return rc::gen::exec([A] {
        if (*rc::gen::weightedElement<int>({{1, 1}, {3, 0}}) == 1) {
            std::vector<rational> row(A, rational(0));
            row[*rc::gen::inRange<std::size_t>(0, A)] = 1;
            return row;
        }
        return *gen_distribution(A);
    });
}

// Costs k/4 with k in -8..8, shrinking towards 0.
inline rc::Gen<rational> gen_cost() {
    return rc::gen::map(rc::gen::element(0, 1, -1, 2, -2, 3, -3, 4, -4, 5, -5, 6, -6, 7, -7, 8, -8),
                        [](int k) { return rational(k, 4); });
}

// An exact MDP without uncertainty: 1..max_states states, 1..max_actions actions.
inline rc::Gen<MdpData> gen_mdp(std::size_t max_states = 6, std::size_t max_actions = 3) {
    return rc::gen::exec([=] {
        MdpData m;
        m.S = *rc::gen::inRange<std::size_t>(1, max_states + 1);
        m.A = *rc::gen::inRange<std::size_t>(1, max_actions + 1);
        m.gamma = *gen_gamma();
        for (std::size_t i = 0; i < m.S * m.A; ++i) m.cost.push_back(*gen_cost());
        m.P = Kernel<rational>(m.S, m.A);
        for (std::size_t s = 0; s < m.S; ++s)
            for (std::size_t a = 0; a < m.A; ++a) {
                const auto d = *gen_distribution(m.S);
                m.P.set_row(s, a, d.data());
            }
        m.rho = *gen_distribution(m.S);
        return m;
    });
}

inline rc::Gen<PolicyData> gen_policy(const MdpData& m) {
    const std::size_t S = m.S, A = m.A;
    return rc::gen::exec([=] {
        PolicyData p;
        p.S = S;
        p.A = A;
        for (std::size_t s = 0; s < S; ++s) {
            const auto row = *gen_policy_row(A);
            p.pi.insert(p.pi.end(), row.begin(), row.end());
        }
        return p;
    });
}

// An n x n row-stochastic matrix (rows from gen_distribution).
inline rc::Gen<Matrix<rational>> gen_stochastic(std::size_t n) {
    return rc::gen::exec([n] {
        Matrix<rational> P(n, n);
        for (std::size_t i = 0; i < n; ++i) {
            const auto row = *gen_distribution(n);
            for (std::size_t j = 0; j < n; ++j) P(i, j) = row[j];
        }
        return P;
    });
}

// An r x c matrix of entries k/3, k in -6..6 (1/3 is not a binary fraction: floats must round).
inline rc::Gen<Matrix<rational>> gen_rhs(std::size_t r, std::size_t c) {
    return rc::gen::exec([r, c] {
        Matrix<rational> B(r, c);
        for (auto& x : B.data) x = rational(*rc::gen::element(0, 1, -1, 2, -2, 3, -3, 4, -4, 5, -5, 6, -6), 3);
        return B;
    });
}

// A robust MDP drawn by the library's reproducible generator (random_robust_mdp,
// docs/conventions.md "Random instances") from a RapidCheck-drawn seed and sizes: uncertainty type
// none / l1 / interval / finite, radius 0 and radius >= 2 included, and exact ties on purpose
// (costs in {0,1} with chance 1/3, state 1 a copy of state 0 with chance 1/4). Sizes shrink;
// the seed does not shrink towards simpler sets (it names the instance).
inline rc::Gen<MdpData> gen_robust_mdp(std::size_t max_states = 5, std::size_t max_actions = 3) {
    return rc::gen::exec([=] {
        GeneratorOptions opt;
        opt.max_states = *rc::gen::inRange<std::size_t>(1, max_states + 1);
        opt.max_actions = *rc::gen::inRange<std::size_t>(1, max_actions + 1);
        Rng rng(*rc::gen::inRange<std::uint64_t>(0, 1000000));
        return random_robust_mdp(rng, opt, 1000);  // trial index large: sizes up to the options
    });
}

// A policy with every probability positive (KL divergences from it are finite).
inline rc::Gen<PolicyData> gen_interior_policy(const MdpData& m) {
    return rc::gen::exec([m] {
        GeneratorOptions opt;
        Rng rng(*rc::gen::inRange<std::uint64_t>(0, 1000000));
        return random_interior_policy(rng, m, opt);
    });
}

// A feasible direction at pi: delta = pi'' - pi (rows sum to 0, delta >= 0 where pi = 0, pi + t delta
// a policy for t in [0,1]); rows are zero with chance 1/3. Returned S x A, row-major, like PolicyData::pi.
inline rc::Gen<std::vector<rational>> gen_direction(const PolicyData& pi) {
    return rc::gen::exec([pi] {
        GeneratorOptions opt;
        Rng rng(*rc::gen::inRange<std::uint64_t>(0, 1000000));
        return random_direction(rng, pi, opt);
    });
}

// A value vector of length n with entries in {0, 1, 2}: few values, so ties are common.
inline rc::Gen<std::vector<rational>> gen_tied_values(std::size_t n) {
    return rc::gen::exec([n] {
        std::vector<rational> v;
        for (std::size_t i = 0; i < n; ++i) v.emplace_back(*rc::gen::inRange(0, 3));
        return v;
    });
}

}  // namespace rmdp::testing
