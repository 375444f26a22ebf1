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
            m.P.set_row(s, a, d.data());
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

namespace {

template <std::size_t... I>
Uncertainty draw_kind(std::size_t index, Rng& rng, const Kernel<rational>& P, const GeneratorOptions& opt,
                      std::index_sequence<I...>) {
    Uncertainty u;
    ((I == index ? (u = Uncertainty(std::variant_alternative_t<I, set_kinds<rational>>::draw(rng, P, opt)), 0) : 0), ...);
    return u;
}

// The draws generator version 2 added: each kind with since = 2, and each older kind's draw_since_2
// variant, in registration order. Which of them a list holds (`Draws`): version 3 keeps the kinds
// that need exp/log (kl) in a list of their own, drawn from a fork of its own, so whether an
// arithmetic can draw them changes no other trial's instance (exact, interval and float campaigns
// then differ only on the kl trials); version 2 mixed them into the one list when the arithmetic
// could compute with them (kept so that version-2 campaigns reproduce).
using NewDraw = Uncertainty (*)(Rng&, const Kernel<rational>&, const GeneratorOptions&);
enum class Draws { exact_only, with_transcendental, transcendental_only };

template <class K>
void add_new_draws(std::vector<NewDraw>& out, Draws which) {
    if constexpr (K::since == 2)
        if (K::traits.needs_exp_log ? which != Draws::exact_only : which != Draws::transcendental_only)
            out.push_back([](Rng& r, const Kernel<rational>& P, const GeneratorOptions& o) { return Uncertainty(K::draw(r, P, o)); });
    if constexpr (requires(Rng& r, const Kernel<rational>& P, const GeneratorOptions& o) { K::draw_since_2(r, P, o); })
        if (which != Draws::transcendental_only)
            out.push_back([](Rng& r, const Kernel<rational>& P, const GeneratorOptions& o) { return Uncertainty(K::draw_since_2(r, P, o)); });
}

template <std::size_t... I>
std::vector<NewDraw> new_draws(Draws which, std::index_sequence<I...>) {
    std::vector<NewDraw> out;
    (add_new_draws<std::variant_alternative_t<I, set_kinds<rational>>>(out, which), ...);
    return out;
}

template <std::size_t... I>
constexpr std::size_t count_since_1(std::index_sequence<I...>) {
    return ((std::variant_alternative_t<I, set_kinds<rational>>::since == 1 ? 1 : 0) + ...);
}

}  // namespace

Uncertainty random_uncertainty(Rng& rng, const MdpData& m, const GeneratorOptions& opt) {
    constexpr auto all = std::make_index_sequence<std::variant_size_v<set_kinds<rational>>>{};
    // Version 1: one of the first kinds (since = 1), equal chances, from the main stream.
    Uncertainty u = draw_kind(static_cast<std::size_t>(rng.below(count_since_1(all))), rng, m.P, opt, all);
    if (opt.version < 2) return u;
    // Version 2: a fork decides, with chance 1/2, to replace it by one of the newer draws; the main
    // stream is where version 1 left it, so everything drawn after the set is unchanged too.
    Rng side = rng.fork(2);
    const Draws first = opt.version == 2 && opt.transcendental_sets ? Draws::with_transcendental : Draws::exact_only;
    const std::vector<NewDraw> extra = new_draws(first, all);
    if (!extra.empty() && side.chance(1, 2)) u = extra[side.below(extra.size())](side, m.P, opt);
    // Version 3, where the arithmetic can compute with them: a second fork replaces the set by a kind
    // needing exp/log (kl) with chance 1/5.
    if (opt.version >= 3 && opt.transcendental_sets) {
        Rng other = rng.fork(3);
        const std::vector<NewDraw> tr = new_draws(Draws::transcendental_only, all);
        if (!tr.empty() && other.chance(1, 5)) u = tr[other.below(tr.size())](other, m.P, opt);
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
            m.P.set_row(1, a, m.P.row(0, a));
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
