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

// ---- the maximiser in intervals (docs/robust.md, "KL balls", "The maximiser in intervals") ----

namespace {

// The reference maximiser at 512 bits, computed independently of the library's solvers: the special
// case by its definition, otherwise bisection on beta for KL(p_beta||q) = r (KL increasing in beta)
// to a relative width 2^-480, p the tilt at the bracket's midpoint. Its error is far below the
// 2^-300 slack the checks allow (the interval boxes are ~2^-100 wide at 128 bits).
std::vector<rational> reference_maximiser(const std::vector<rational>& qr, const std::vector<rational>& Vr, const rational& rr) {
    scoped_precision prec(512);
    const std::size_t n = qr.size();
    const std::vector<mpfr_float> q = to<mpfr_float>(qr), V = to<mpfr_float>(Vr);
    const mpfr_float r = from_rational<mpfr_float>(rr);
    rational Vmax;
    bool any = false;
    for (std::size_t i = 0; i < n; ++i)
        if (qr[i] > 0 && (!any || Vr[i] > Vmax)) Vmax = Vr[i], any = true;
    rational qM = 0;
    for (std::size_t i = 0; i < n; ++i)
        if (qr[i] > 0 && Vr[i] == Vmax) qM += qr[i];
    std::vector<rational> p(n, rational(0));
    if (rr == 0) return qr;
    if (r >= -log(from_rational<mpfr_float>(qM))) {
        for (std::size_t i = 0; i < n; ++i)
            if (qr[i] > 0 && Vr[i] == Vmax) p[i] = qr[i] / qM;
        return p;
    }
    const mpfr_float top = from_rational<mpfr_float>(Vmax);
    auto tilt = [&](const mpfr_float& beta) { return detail::kl_tilt(q.data(), n, V, top, beta); };
    mpfr_float lo = 0, hi = 1;
    while (tilt(hi).kl < r) lo = hi, hi *= 2;
    for (int it = 0; it < 2000 && hi - lo > hi * ldexp(mpfr_float(1), -480); ++it) {
        const mpfr_float mid = (lo + hi) / 2;
        (tilt(mid).kl < r ? lo : hi) = mid;
    }
    const detail::KLTilt<mpfr_float> t = tilt(mpfr_float((lo + hi) / 2));
    for (std::size_t i = 0; i < n; ++i) p[i] = exact_value(t.p[i]);
    return p;
}

struct BoxCase {
    std::vector<rational> q, V;
    rational r;
    rational halfwidth = 0;  // V_i enclosed in [V_i - h, V_i + h]
};

detail::KLIntervalWorstCase interval_case(const BoxCase& c) {
    std::vector<mpfi_float> q, V;
    for (const auto& x : c.q) q.push_back(from_rational<mpfi_float>(x));
    for (const auto& x : c.V) V.push_back(c.halfwidth == 0 ? from_rational<mpfi_float>(x) : interval(rational(x - c.halfwidth), rational(x + c.halfwidth)));
    return detail::kl_interval_worst_case(q.data(), q.size(), V, from_rational<mpfi_float>(c.r));
}

bool inside(const rational& x, const mpfi_float& box, const rational& slack) {
    return lower_rational(box) - slack <= x && x <= upper_rational(box) + slack;
}

// The box of the maximiser contains the reference maximiser of every checked point of the V box
// (its centre and its corners towards and away from the largest entry), and the value box its value;
// a certified unique maximiser is narrow (at 128 bits).
void check_maximiser_box(const BoxCase& c, detail::KLMaximiser expected, bool narrow = true) {
    const detail::KLIntervalWorstCase w = interval_case(c);
    REQUIRE(w.maximiser == expected);
    const rational slack = rational(1, integer(1) << 300);
    std::vector<std::vector<rational>> points{c.V};
    if (c.halfwidth != 0)
        for (int sgn : {-1, 1}) {
            std::vector<rational> v = c.V;
            for (std::size_t i = 0; i < v.size(); ++i) v[i] += (i % 2 ? sgn : -sgn) * c.halfwidth;
            points.push_back(v);
        }
    for (const auto& V : points) {
        const std::vector<rational> p = reference_maximiser(c.q, V, c.r);
        rational value = 0;
        for (std::size_t i = 0; i < p.size(); ++i) {
            INFO("i = " << i << " reference " << p[i].convert_to<double>() << " box " << to_string(w.w.p[i]));
            REQUIRE(inside(p[i], w.w.p[i], slack));
            value += p[i] * V[i];
        }
        REQUIRE(inside(value, w.w.value, slack));
    }
    // Narrow (not a correctness condition) where the input quantisation allows: beta* times the width
    // of the differences V_j - V_i is what the box cannot beat (near-constant V of non-dyadic values).
    if (expected == detail::KLMaximiser::unique && narrow)
        for (std::size_t i = 0; i < c.q.size(); ++i)
            CHECK(upper_rational(w.w.p[i]) - lower_rational(w.w.p[i]) <= rational(1, integer(1) << 60) + 1000 * c.halfwidth);
}

// -log(x) rounded to a rational at 512 bits (for radii just below / above -log q(M)).
rational neglog(const rational& x) {
    scoped_precision prec(512);
    return exact_value(mpfr_float(-log(from_rational<mpfr_float>(x))));
}

}  // namespace

TEST_CASE("kl: the MPFI maximiser box contains the MPFR-512 maximiser (random rows)", "[kl]") {
    scoped_precision prec(128);
    Rng rng(11);
    std::size_t unique = 0;
    for (int trial = 0; trial < 300; ++trial) {
        const KLRow row = draw_row(rng);
        INFO("trial " << trial << " r = " << row.r);
        const detail::KLIntervalWorstCase w = interval_case({row.q, row.V, row.r});
        // Without a tie in max V on supp q the maximiser is certified unique. With one it is canonical
        // (the tied values are dyadic: exact points) or not certified (e.g. -1/3, enclosed with a
        // width: the box holds points without the tie, whose maximisers differ).
        rational top;
        std::size_t at_top = 0;
        bool first = true;
        for (std::size_t i = 0; i < row.q.size(); ++i)
            if (row.q[i] > 0 && (first || row.V[i] > top)) top = row.V[i], first = false;
        for (std::size_t i = 0; i < row.q.size(); ++i) at_top += row.q[i] > 0 && row.V[i] == top;
        if (at_top == 1) REQUIRE(w.maximiser == detail::KLMaximiser::unique);
        unique += w.maximiser == detail::KLMaximiser::unique;
        check_maximiser_box({row.q, row.V, row.r}, w.maximiser);
    }
    CHECK(unique > 150);
}

TEST_CASE("kl: the MPFI maximiser box on adversarial rows", "[kl]") {
    scoped_precision prec(128);
    using K = detail::KLMaximiser;
    const rational e30 = rational(1, pow(integer(10), 30)), e40 = rational(1, pow(integer(10), 40));
    const std::vector<rational> q3{rational(1, 2), rational(1, 3), rational(1, 6)};
    SECTION("tiny radius") { check_maximiser_box({q3, {1, 2, 3}, e30}, K::unique); }
    SECTION("radius just below and just above -log q(M)") {
        const rational b = neglog(rational(1, 6));  // M = {2}
        check_maximiser_box({q3, {1, 2, 3}, b - e30}, K::unique);
        check_maximiser_box({q3, {1, 2, 3}, b + e30}, K::unique);  // special: p = e_2
        const BoxCase above{q3, {1, 2, 3}, b + e30};
        CHECK(interval_case(above).w.p[2] == mpfi_float(1));
    }
    SECTION("nearly constant V") {
        check_maximiser_box({q3, {0, e30, 2 * e30}, rational(1, 8)}, K::unique);
        check_maximiser_box({q3, {5, 5, 5 + e30}, rational(1, 100)}, K::unique, false);  // 5 + 1e-30: 1e-8 relative quantisation
    }
    SECTION("q with tiny entries") {
        const std::vector<rational> q{1 - 2 * e40, e40, e40};
        check_maximiser_box({q, {0, 1, 2}, rational(1, 8)}, K::unique);
        check_maximiser_box({q, {2, 1, 0}, rational(1, 8)}, K::unique);  // the mass sits on the maximum
        check_maximiser_box({q, {0, 1, 2}, rational(100)}, K::unique);   // special, -log 1e-40 = 92.1
    }
    SECTION("V given as boxes: the maximiser of every V in the box") {
        check_maximiser_box({q3, {1, 2, 3}, rational(1, 4), rational(1, integer(1) << 110)}, K::unique);
        check_maximiser_box({q3, {3, 2, 3}, rational(1, 8), rational(1, integer(1) << 110)}, K::unique);  // tie in max V, tilt
        check_maximiser_box({{rational(1, 2), rational(1, 2), 0}, {1, 2, 9}, rational(1, 4), rational(1, integer(1) << 110)}, K::unique);
    }
    SECTION("exact ties: V constant on supp q, several maximal states") {
        check_maximiser_box({{rational(1, 3), rational(2, 3), 0}, {2, 2, 7}, rational(1, 8)}, K::canonical);  // p = q
        check_maximiser_box({q3, {3, 3, 1}, rational(1, 1)}, K::canonical);  // q_M, M = {0, 1}
        check_maximiser_box({{1, 0, 0}, {0, 4, 9}, rational(1, 8)}, K::unique);  // supp q one state: p = q
    }
    SECTION("not certified: a near-tie in max V decides the regime") {
        // V_0 and V_2 overlap; r = 1 > -log q({0,2}) but < -log q({2}) = log 6 = 1.79: the maximiser is
        // q_{0,2} or e_2 or a tilt depending on the point. The box is [0,1] on supp q, the value enclosed.
        const BoxCase c{q3, {3, 1, 3}, rational(1), rational(1, integer(1) << 110)};
        const detail::KLIntervalWorstCase w = interval_case(c);
        CHECK(w.maximiser == K::unknown);
        check_maximiser_box(c, K::unknown);
    }
}

TEST_CASE("kl: MPFI on_face is the certified unique maximiser, undecided otherwise", "[kl]") {
    scoped_precision prec(128);
    const std::vector<mpfi_float> q{from_rational<mpfi_float>(rational(1, 2)), from_rational<mpfi_float>(rational(1, 4)),
                                    from_rational<mpfi_float>(rational(1, 4))};
    const std::vector<mpfi_float> V{mpfi_float(3), mpfi_float(2), mpfi_float(1)}, W{mpfi_float(0), mpfi_float(1), mpfi_float(0)};
    const InnerProducts<mpfi_float> dotV(V), dotW(W);
    const Order none;
    KLBall<mpfi_float> k{{from_rational<mpfi_float>(rational(1, 4))}};
    const SetRow<mpfi_float> byV{0, 0, 3, 1, q.data(), V, dotV, none}, byVW{0, 0, 3, 1, q.data(), W, dotW, none};
    const WorstCase<mpfi_float> f = k.on_face(byV, byVW), w = k.worst_case(byV);
    CHECK(lower_rational(f.value) == lower_rational(w.p[1]));
    CHECK(upper_rational(f.value) == upper_rational(w.p[1]));
    // V constant on supp q: every feasible p is a maximiser, the face is not one point.
    const std::vector<mpfi_float> C{mpfi_float(2), mpfi_float(2), mpfi_float(2)};
    const InnerProducts<mpfi_float> dotC(C);
    CHECK_THROWS_AS(k.on_face(SetRow<mpfi_float>{0, 0, 3, 1, q.data(), C, dotC, none}, byVW), undecided_comparison);
}
