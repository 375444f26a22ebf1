#include "rmdp/random.hpp"

#include <algorithm>

namespace rmdp {

std::uint64_t trial_seed(std::uint64_t seed, std::uint64_t trial) {
    Rng r(seed ^ (0xD1B54A32D192ED03ULL * (trial + 1)));
    return r.next();
}

std::vector<rational> random_distribution(Rng& rng, std::size_t n, std::int64_t D) {
    std::vector<std::int64_t> w(n);
    std::int64_t total = 0;
    for (auto& x : w) {
        x = rng.chance(1, 3) ? 0 : rng.between(1, D);
        total += x;
    }
    if (total == 0) {
        w[rng.below(n)] = 1;
        total = 1;
    }
    std::vector<rational> p;
    for (auto x : w) p.emplace_back(x, total);
    return p;
}

namespace {
rational random_gamma(Rng& rng) {
    static const std::int64_t special[][2] = {{0, 1}, {1, 2}, {9, 10}, {99, 100}, {999, 1000}};
    if (rng.chance(1, 8)) {
        auto k = rng.below(5);
        return rational(special[k][0], special[k][1]);
    }
    return rational(rng.between(0, 19), 20);
}
}  // namespace

MdpData random_mdp_sized(Rng& rng, const GeneratorOptions& opt, std::size_t S, std::size_t A, const rational& gamma) {
    MdpData m;
    m.S = S;
    m.A = A;
    m.gamma = gamma;
    for (std::size_t i = 0; i < m.S * m.A; ++i) m.cost.emplace_back(rng.between(opt.cost_min, opt.cost_max), opt.cost_denominator);
    m.P = Kernel<rational>(m.S, m.A);
    for (std::size_t s = 0; s < m.S; ++s)
        for (std::size_t a = 0; a < m.A; ++a) {
            auto d = random_distribution(rng, m.S, opt.denominator);
            for (std::size_t t = 0; t < m.S; ++t) m.P(s, a, t) = d[t];
        }
    m.rho = random_distribution(rng, m.S, opt.denominator);
    return m;
}

MdpData random_mdp(Rng& rng, const GeneratorOptions& opt, std::size_t trial) {
    // Sizes in lo..max(lo, min(hi, 1 + trial/4)); lo = 1 gives 1 + below(min(hi, 1 + trial/4)).
    auto size = [&](std::size_t lo, std::size_t hi) {
        lo = std::max<std::size_t>(1, std::min(lo, hi));
        const std::size_t top = std::max(lo, std::min<std::size_t>(hi, 1 + trial / 4));
        return lo + static_cast<std::size_t>(rng.below(top - lo + 1));
    };
    const std::size_t S = size(opt.min_states, opt.max_states);
    const std::size_t A = size(opt.min_actions, opt.max_actions);
    const rational gamma = random_gamma(rng);
    return random_mdp_sized(rng, opt, S, A, gamma);
}

PolicyData random_policy(Rng& rng, const MdpData& m, const GeneratorOptions& opt) {
    PolicyData p;
    p.S = m.S;
    p.A = m.A;
    for (std::size_t s = 0; s < m.S; ++s) {
        if (rng.chance(1, 4)) {
            auto a = rng.below(m.A);
            for (std::size_t b = 0; b < m.A; ++b) p.pi.emplace_back(b == a ? 1 : 0);
        } else {
            auto d = random_distribution(rng, m.A, opt.denominator);
            p.pi.insert(p.pi.end(), d.begin(), d.end());
        }
    }
    return p;
}

Uncertainty random_uncertainty(Rng& rng, const MdpData& m, const GeneratorOptions& opt) {
    Uncertainty u;
    const std::size_t SA = m.S * m.A;
    switch (rng.below(4)) {
        case 0: u.type = Uncertainty::kind::none; break;
        case 1: {
            u.type = Uncertainty::kind::l1;
            const bool one = rng.chance(1, 2);
            rational r(rng.between(0, 9), 4);
            for (std::size_t i = 0; i < SA; ++i) u.radius.push_back(one ? r : rational(rng.between(0, 9), 4));
            break;
        }
        case 2: {
            u.type = Uncertainty::kind::interval;
            for (std::size_t i = 0; i < SA; ++i) {
                const bool pinned = rng.chance(1, 6);
                for (std::size_t t = 0; t < m.S; ++t) {
                    const rational& q = m.P.p[i * m.S + t];
                    rational lo = pinned ? q : q - rational(rng.between(0, opt.denominator), 2 * opt.denominator);
                    rational hi = pinned ? q : q + rational(rng.between(0, opt.denominator), 2 * opt.denominator);
                    u.lower.push_back(lo < 0 ? rational(0) : lo);
                    u.upper.push_back(hi > 1 ? rational(1) : hi);
                }
            }
            break;
        }
        default: {
            u.type = Uncertainty::kind::finite;
            for (std::size_t i = 0; i < SA; ++i) {
                std::vector<std::vector<rational>> pts;
                pts.emplace_back(m.P.p.begin() + static_cast<std::ptrdiff_t>(i * m.S),
                                 m.P.p.begin() + static_cast<std::ptrdiff_t>((i + 1) * m.S));
                const auto extra = rng.below(4);
                for (std::uint64_t k = 0; k < extra; ++k) {
                    if (rng.chance(1, 5))
                        pts.push_back(pts[rng.below(pts.size())]);  // duplicate: an exact tie
                    else
                        pts.push_back(random_distribution(rng, m.S, opt.denominator));
                }
                u.points.push_back(std::move(pts));
            }
            break;
        }
    }
    return u;
}

MdpData random_robust_mdp(Rng& rng, const GeneratorOptions& opt, std::size_t trial) {
    MdpData m = random_mdp(rng, opt, trial);
    if (rng.chance(1, 3))
        for (auto& c : m.cost) c = rational(rng.between(0, 1));
    if (m.S >= 2 && rng.chance(1, 4))
        for (std::size_t a = 0; a < m.A; ++a) {
            m.cost[1 * m.A + a] = m.cost[0 * m.A + a];
            for (std::size_t t = 0; t < m.S; ++t) m.P(1, a, t) = m.P(0, a, t);
        }
    m.uncertainty = random_uncertainty(rng, m, opt);
    return m;
}

namespace {
std::vector<rational> positive_distribution(Rng& rng, std::size_t n, std::int64_t D) {
    std::vector<std::int64_t> w(n);
    std::int64_t total = 0;
    for (auto& x : w) total += (x = rng.between(1, D));
    std::vector<rational> p;
    for (auto x : w) p.emplace_back(x, total);
    return p;
}
}  // namespace

MdpData random_unit_cost_robust_mdp(Rng& rng, const GeneratorOptions& opt, std::size_t trial) {
    MdpData m = random_robust_mdp(rng, opt, trial);
    bool outside = false;
    for (const auto& c : m.cost) outside = outside || c < 0 || c > 1;
    const std::int64_t range = opt.cost_max - opt.cost_min;
    if (outside)
        for (auto& c : m.cost) c = range > 0 ? rational(c * opt.cost_denominator - opt.cost_min) / range : rational(0);
    m.rho = positive_distribution(rng, m.S, opt.denominator);
    return m;
}

PolicyData random_interior_policy(Rng& rng, const MdpData& m, const GeneratorOptions& opt) {
    PolicyData p;
    p.S = m.S;
    p.A = m.A;
    for (std::size_t s = 0; s < m.S; ++s) {
        auto d = positive_distribution(rng, m.A, opt.denominator);
        p.pi.insert(p.pi.end(), d.begin(), d.end());
    }
    return p;
}

std::vector<rational> random_direction(Rng& rng, const PolicyData& pi, const GeneratorOptions& opt) {
    std::vector<rational> delta(pi.pi.size(), rational(0));
    for (std::size_t s = 0; s < pi.S; ++s) {
        if (rng.chance(1, 3)) continue;
        const auto target = random_distribution(rng, pi.A, opt.denominator);
        for (std::size_t a = 0; a < pi.A; ++a) delta[s * pi.A + a] = target[a] - pi.pi[s * pi.A + a];
    }
    return delta;
}

}  // namespace rmdp
