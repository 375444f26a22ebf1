// KL balls (sets/kl.hpp): the float solver's primal-dual bracket against an MPFR-512 reference,
// the special case exactly, on_face, the certified MPFI enclosure containing the MPFR-512 value,
// the exact refusal, nature's policy iteration terminating on KL models in double and MPFR, and the
// generator drawing kl sets only when asked.
#include "rmdp/error_bound.hpp"
#include "rmdp/random.hpp"
#include "rmdp/solvers.hpp"

#include <catch2/catch.hpp>

using namespace rmdp;

namespace {

struct KLRow {
    std::vector<rational> q, V;
    rational r;
};

// Random rows from the library's reproducible generator: sparse q, values with ties, r = k/8.
KLRow draw_row(Rng& rng) {
    KLRow row;
    const std::size_t n = 1 + rng.below(6);
    row.q = random_distribution(rng, n, 6);
    std::vector<rational> pool;
    for (int k = 0; k < 3; ++k) pool.push_back(rational(rng.between(-8, 8), rng.between(1, 4)));
    for (std::size_t i = 0; i < n; ++i) row.V.push_back(pool[rng.below(3)]);
    row.r = rational(rng.between(0, 9), 8);
    return row;
}

template <class T>
std::vector<T> to(const std::vector<rational>& v) {
    std::vector<T> out;
    for (const auto& x : v) out.push_back(from_rational<T>(x));
    return out;
}

template <class T>
WorstCase<T> kl_worst(const KLRow& row) {
    const std::vector<T> q = to<T>(row.q), V = to<T>(row.V);
    KLBall<T> k{{from_rational<T>(row.r)}};
    const InnerProducts<T> dot(V);
    const Order none;
    return k.worst_case(SetRow<T>{0, 0, q.size(), 1, q.data(), V, dot, none});
}

// The reference: the same bracket at 512 bits, whose width (checked below) is ~2^-509 max|V|.
rational reference(const KLRow& row, rational* width) {
    const unsigned saved = working_precision();
    set_working_precision(512);
    const std::vector<mpfr_float> q = to<mpfr_float>(row.q), V = to<mpfr_float>(row.V);
    const detail::KLSolution<mpfr_float> sol = detail::kl_solve(q.data(), q.size(), V, from_rational<mpfr_float>(row.r));
    const rational value = exact_value(sol.w.value);
    *width = sol.special || sol.beta == 0 ? rational(0) : exact_value(mpfr_float(sol.gap));
    set_working_precision(saved);
    return value;
}

rational max_abs(const std::vector<rational>& v) {
    rational m = 0;
    for (const auto& x : v) m = std::max(m, x < 0 ? rational(-x) : x);
    return m;
}

template <class T>
void check_against_reference(unsigned bits) {
    Rng rng(20261130);
    for (int trial = 0; trial < 300; ++trial) {
        const KLRow row = draw_row(rng);
        rational width;
        const rational ref = reference(row, &width);
        const rational scale = max_abs(row.V);
        REQUIRE(width <= scale * rational(1, integer(1) << 500));
        // The float bracket (4 u max|V|) plus the rounding of p_beta, <p_beta, V> and KL(p_beta||q)
        // in T: each O((S + 4) u) relative, against values of size <= 2 max|V| (docs/robust.md).
        const rational u = rational(1, integer(1) << bits);
        const rational bound = (4 + 8 * (rational(row.q.size()) + 4)) * u * scale + width;
        const rational got = exact_value(kl_worst<T>(row).value);
        const rational err = got > ref ? rational(got - ref) : rational(ref - got);
        INFO("trial " << trial << " r = " << row.r << " error " << err.convert_to<double>());
        REQUIRE(err <= bound);
    }
}

}  // namespace

TEST_CASE("kl: double, long double and MPFR-128 within the derived bound of an MPFR-512 reference", "[kl]") {
    check_against_reference<double>(53);
    check_against_reference<long double>(64);
    set_working_precision(128);
    check_against_reference<mpfr_float>(128);
}

TEST_CASE("kl: the special case r >= -log q(M) is exact, r = 0 gives q", "[kl]") {
    // q = (1/2, 1/4, 1/4), V = (3, 3, 1): M = {0, 1}, -log q(M) = log(4/3) = 0.2877.
    const KLRow special{{rational(1, 2), rational(1, 4), rational(1, 4)}, {3, 3, 1}, rational(3, 8)};
    const WorstCase<double> w = kl_worst<double>(special);
    CHECK(w.value == 3.0);
    CHECK(w.p == std::vector<double>{2.0 / 3.0, 1.0 / 3.0, 0.0});
    const KLRow below{special.q, special.V, rational(1, 4)};  // r < log(4/3): a tilt, value < 3
    CHECK(kl_worst<double>(below).value < 3.0);
    CHECK(kl_worst<double>(below).value > 2.5);  // <q, V> = 5/2
    const KLRow constant{{rational(1, 3), rational(2, 3), 0}, {2, 2, 7}, rational(1, 8)};  // V constant on supp q
    CHECK(kl_worst<double>(constant).value == 2.0);
    CHECK(kl_worst<double>(constant).p == std::vector<double>{1.0 / 3.0, 2.0 / 3.0, 0.0});
    const KLRow zero{{rational(1, 2), rational(1, 2)}, {0, 1}, 0};
    CHECK(kl_worst<double>(zero).value == 0.5);
    // The MPFI enclosure of the special case is [inf <p, V>, sup max V] = [3, 3].
    set_working_precision(128);
    const WorstCase<mpfi_float> e = kl_worst<mpfi_float>(special);
    CHECK(upper_rational(e.value) == 3);  // sup max V
    CHECK(lower_rational(e.value) <= 3);   // inf <q_M, V>, q_M = q/q(M) rounded outwards
    CHECK(lower_rational(e.value) >= 3 - rational(1, integer(1) << 120));
}

TEST_CASE("kl: on_face is the unique maximiser outside the special case, a KL problem on M inside", "[kl]") {
    const std::vector<double> q{0.5, 0.25, 0.25}, V{3, 3, 1}, W{0, 1, 0};
    const InnerProducts<double> dotV(V), dotW(W);
    const Order none;
    // Special (r = 3/8 >= log(4/3)): the face is {p on {0,1} : KL(p||q) <= r}; max p_1 there.
    KLBall<double> k{{0.375}};
    const WorstCase<double> f = k.on_face(SetRow<double>{0, 0, 3, 1, q.data(), V, dotV, none},
                                          SetRow<double>{0, 0, 3, 1, q.data(), W, dotW, none});
    CHECK(f.p[2] == 0.0);
    CHECK(f.p[0] * 3 + f.p[1] * 3 == Approx(3.0).epsilon(1e-15));  // on the face of V
    double kl = 0;
    for (std::size_t i = 0; i < 3; ++i)
        if (f.p[i] > 0) kl += f.p[i] * std::log(f.p[i] / q[i]);
    CHECK(kl <= 0.375 + 1e-14);
    CHECK(kl >= 0.375 - 1e-9);  // the W-maximiser uses the whole budget (W not constant on M)
    CHECK(f.p[1] > 1.0 / 3.0);   // more than q_M's mass on the state W prefers
    CHECK(f.value == Approx(f.p[1]).epsilon(1e-15));
    // Not special (r = 1/4): the face is the maximiser itself; its value against W.
    KLBall<double> k2{{0.25}};
    const WorstCase<double> g = k2.on_face(SetRow<double>{0, 0, 3, 1, q.data(), V, dotV, none},
                                           SetRow<double>{0, 0, 3, 1, q.data(), W, dotW, none});
    const WorstCase<double> w = k2.worst_case(SetRow<double>{0, 0, 3, 1, q.data(), V, dotV, none});
    CHECK(g.p == w.p);
    CHECK(g.value == dotW(w.p.data()));
}

TEST_CASE("kl: the MPFI enclosure contains the MPFR-512 value and is narrow", "[kl]") {
    Rng rng(7);
    for (int trial = 0; trial < 300; ++trial) {
        const KLRow row = draw_row(rng);
        rational width;
        const rational ref = reference(row, &width);
        set_working_precision(128);
        const WorstCase<mpfi_float> e = kl_worst<mpfi_float>(row);
        const rational lo = lower_rational(e.value), hi = upper_rational(e.value);
        INFO("trial " << trial << " r = " << row.r);
        REQUIRE(lo <= ref + width);
        REQUIRE(ref <= hi);
        // Tightness (not a correctness condition): 2^-100 max|V| at 128 bits.
        CHECK(hi - lo <= max_abs(row.V) * rational(1, integer(1) << 100));
    }
}

TEST_CASE("kl: exact arithmetic refuses kl sets naming uncertainty.type", "[kl]") {
    const std::vector<rational> q{rational(1, 2), rational(1, 2)}, V{0, 1};
    KLBall<rational> k{{rational(1, 8)}};
    const InnerProducts<rational> dot(V);
    const Order ord = order_of(V);
    try {
        (void)k.worst_case(SetRow<rational>{0, 0, 2, 1, q.data(), V, dot, ord});
        FAIL("no refusal");
    } catch (const input_error& e) {
        CHECK(e.field() == "uncertainty.type");
        CHECK(std::string(e.what()).find("--arith mpfr:BITS") != std::string::npos);
    }
}

TEST_CASE("kl: nature's policy iteration terminates on KL models (double, MPFR-128) within the enclosed bound", "[kl]") {
    GeneratorOptions opt;
    opt.max_states = 5;
    opt.max_actions = 3;
    for (std::uint64_t seed = 0; seed < 25; ++seed) {
        Rng rng(seed);
        MdpData m = random_robust_mdp(rng, opt, 1000);
        m.uncertainty = Uncertainty(KLBall<rational>::draw(rng, m.P, opt));
        INFO("seed " << seed);
        const RobustSolution<double> d = robust_solve(convert<double>(m), convert<double>(m.uncertainty));
        const residual_bound bd = bellman_residual_bound(m, nullptr, exact_values(d.V));
        set_working_precision(128);
        const RobustSolution<mpfr_float> f = robust_solve(convert<mpfr_float>(m), convert<mpfr_float>(m.uncertainty));
        const residual_bound bf = bellman_residual_bound(m, nullptr, exact_values(f.V));
        // Both bounds are rigorous (MPFI residual), so the two answers are within their sum.
        for (std::size_t s = 0; s < m.S; ++s) {
            const rational diff = exact_value(d.V[s]) - exact_value(f.V[s]);
            REQUIRE((diff < 0 ? rational(-diff) : diff) <= bd.V + bf.V);
        }
        CHECK(bd.V < rational(1, 1000000000));
        CHECK(bf.V < rational(1, integer(1) << 100));
    }
}

TEST_CASE("kl: the generator draws kl sets only with transcendental_sets", "[kl]") {
    for (bool allowed : {false, true}) {
        GeneratorOptions opt;
        opt.transcendental_sets = allowed;
        std::size_t kl = 0;
        for (std::uint64_t seed = 0; seed < 400; ++seed) {
            Rng rng(seed);
            const MdpData m = random_robust_mdp(rng, opt, 1000);
            if (std::string(m.uncertainty.kind()) == "kl") {
                ++kl;
                m.uncertainty.get<KLBall<rational>>()->validate(m.P, "drawn");
            }
        }
        INFO("transcendental_sets = " << allowed);
        CHECK((kl > 0) == allowed);
    }
}
