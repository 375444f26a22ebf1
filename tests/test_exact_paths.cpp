// The fast paths of the exact layer against the slow paths they replace:
//   * exact resolvent solves: FLINT's Dixon lifting and fraction-free Bareiss elimination give the
//     identical rational matrix, on both sides of exact_dixon_threshold, left and right, one or
//     many right-hand sides, and that matrix solves the system exactly;
//   * rational -> double: the one-division fast path (numerator and denominator below 2^53) gives
//     bit for bit the double MPFR rounds to, and values outside it (ties, subnormals, huge or tiny
//     ratios of big integers) still round correctly.
#include "rmdp/linalg.hpp"
#include "rmdp/random.hpp"
#include "rmdp/scalar.hpp"
#include "rmdp/solvers.hpp"

#include <catch2/catch.hpp>

#include <bit>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <thread>
#include <vector>

using namespace rmdp;

namespace {

// A row-stochastic n x n matrix with rows random_distribution(rng, n, D) (about a third zeros).
Matrix<rational> random_stochastic(Rng& rng, std::size_t n, std::int64_t D) {
    Matrix<rational> P(n, n);
    for (std::size_t i = 0; i < n; ++i) {
        const std::vector<rational> row = random_distribution(rng, n, D);
        for (std::size_t j = 0; j < n; ++j) P(i, j) = row[j];
    }
    return P;
}

// Entries p/q with p in [-20, 20], q in [1, 12]; some columns all zero.
Matrix<rational> random_rhs(Rng& rng, std::size_t r, std::size_t c) {
    Matrix<rational> B(r, c);
    for (auto& x : B.data) x = rational(rng.between(-20, 20), rng.between(1, 12));
    return B;
}

Matrix<rational> system(const rational& gamma, const Matrix<rational>& P) {
    Matrix<rational> A = Matrix<rational>::identity(P.rows);
    for (std::size_t i = 0; i < A.data.size(); ++i) A.data[i] -= gamma * P.data[i];
    return A;
}

}  // namespace

TEST_CASE("exact solves: Dixon and Bareiss give the same exact solution", "[linalg][exact]") {
    Rng rng(trial_seed(12, 1));
    const std::size_t t = exact_dixon_threshold, tm = exact_dixon_threshold_many;
    // Both thresholds of exact_algorithm_for, from below and above (k = 1, 3 and n are used below).
    std::vector<std::size_t> sizes{1, 2, 3, 7, t - 1, t, t + 1, 2 * t + 3, tm - 1, tm};
    for (std::size_t n : sizes) {
        for (std::int64_t D : {std::int64_t{6}, std::int64_t{97}}) {
            if (n >= tm && D != 6) continue;  // keeps the test at a few seconds
            const Matrix<rational> P = random_stochastic(rng, n, D);
            const rational gamma(rng.between(1, 98), 99);
            const Matrix<rational> A = system(gamma, P);
            for (std::size_t k : {std::size_t{1}, std::size_t{3}, n}) {
                INFO("n = " << n << ", D = " << D << ", k = " << k);
                // right: (I - gamma P) X = B
                const Matrix<rational> Br = k == n ? Matrix<rational>::identity(n) : random_rhs(rng, n, k);
                const Matrix<rational> Xb = resolvent_solve_exact(gamma, P, Br, side::right, exact_algorithm::bareiss);
                const Matrix<rational> Xd = resolvent_solve_exact(gamma, P, Br, side::right, exact_algorithm::dixon);
                CHECK(Xb.data == Xd.data);
                CHECK(resolvent_solve(gamma, P, Br, side::right).data == Xd.data);
                CHECK(multiply(A, Xd).data == Br.data);
                // left: X (I - gamma P) = B
                const Matrix<rational> Bl = random_rhs(rng, k, n);
                const Matrix<rational> Yb = resolvent_solve_exact(gamma, P, Bl, side::left, exact_algorithm::bareiss);
                const Matrix<rational> Yd = resolvent_solve_exact(gamma, P, Bl, side::left, exact_algorithm::dixon);
                CHECK(Yb.data == Yd.data);
                CHECK(resolvent_solve(gamma, P, Bl, side::left).data == Yd.data);
                CHECK(multiply(Yd, A).data == Bl.data);
            }
        }
    }
}

TEST_CASE("exact solves: zero right-hand sides, gamma = 0, and singular systems", "[linalg][exact]") {
    Rng rng(trial_seed(12, 2));
    const std::size_t n = exact_dixon_threshold + 2;
    const Matrix<rational> P = random_stochastic(rng, n, 6);
    for (auto alg : {exact_algorithm::bareiss, exact_algorithm::dixon}) {
        const Matrix<rational> Z(n, 2);
        CHECK(resolvent_solve_exact(rational(1, 2), P, Z, side::right, alg).data == Z.data);
        const Matrix<rational> B = random_rhs(rng, n, 2);
        CHECK(resolvent_solve_exact(rational(0), P, B, side::right, alg).data == B.data);  // I X = B
        // gamma = 1: I - P is singular (P 1 = 1); refused, never a wrong answer.
        CHECK_THROWS_AS(resolvent_solve_exact(rational(1), P, B, side::right, alg), std::domain_error);
    }
}

TEST_CASE("exact solves: Dixon from two threads at once gives the sequential answers", "[linalg][exact][threads]") {
    // Campaigns run trials in threads (issue 12, section 4): FLINT's integers must not share state
    // between threads. Each thread solves its own systems; the answers must be the sequential ones.
    Rng rng(trial_seed(12, 6));
    std::vector<Matrix<rational>> Ps, Bs, expected;
    for (int i = 0; i < 8; ++i) {
        Ps.push_back(random_stochastic(rng, 40, 6));
        Bs.push_back(random_rhs(rng, 40, 2));
        expected.push_back(resolvent_solve_exact(rational(9, 10), Ps.back(), Bs.back(), side::right, exact_algorithm::dixon));
    }
    std::vector<Matrix<rational>> got(8);
    auto work = [&](int first) {
        for (int round = 0; round < 3; ++round)
            for (int i = first; i < 8; i += 2)
                got[i] = resolvent_solve_exact(rational(9, 10), Ps[i], Bs[i], side::right, exact_algorithm::dixon);
    };
    std::thread t0(work, 0), t1(work, 1);
    t0.join();
    t1.join();
    for (int i = 0; i < 8; ++i) CHECK(got[i].data == expected[i].data);
}

namespace {

// Reference rounding, independent of the library: MPFR at 53 bits, round to nearest. Only used on
// values whose double is normal (the fast path's range), where no subnormal emulation is needed.
double mpfr_reference(const rational& x) {
    mpfr_t t;
    mpfr_init2(t, 53);
    mpfr_set_q(t, x.backend().data(), MPFR_RNDN);
    const double d = mpfr_get_d(t, MPFR_RNDN);  // exact: t has 53 bits
    mpfr_clear(t);
    return d;
}

integer random_bits(Rng& rng, unsigned bits) {  // uniform among integers with exactly `bits` bits
    integer z = 1;
    for (unsigned i = 1; i < bits; ++i) z = 2 * z + static_cast<int>(rng.below(2));
    return z;
}

rational pow2(int e) {
    const integer one = 1;
    return e >= 0 ? rational(one << e) : rational(integer(1), one << -e);
}

std::uint64_t bits_of(double d) { return std::bit_cast<std::uint64_t>(d); }

}  // namespace

TEST_CASE("rational -> double: the one-division path rounds as MPFR does", "[scalar][rounding]") {
    Rng rng(trial_seed(12, 3));
    // Bit lengths on both sides of 53 for numerator and denominator, so that both paths run and
    // the boundary is crossed; the comparison is bitwise.
    for (int trial = 0; trial < 20000; ++trial) {
        const unsigned nb = 45 + static_cast<unsigned>(rng.below(12)), db = 45 + static_cast<unsigned>(rng.below(12));
        integer p = random_bits(rng, nb), q = random_bits(rng, db);
        if (rng.chance(1, 2)) p = -p;
        const rational x(p, q);
        INFO(x.str());
        REQUIRE(bits_of(from_rational<double>(x)) == bits_of(mpfr_reference(x)));
    }
    // Small operands of every size.
    for (int trial = 0; trial < 20000; ++trial) {
        const rational x(rng.between(-1000000, 1000000), rng.between(1, 1000000));
        REQUIRE(bits_of(from_rational<double>(x)) == bits_of(mpfr_reference(x)));
    }
    // The edges of the fast path: 2^53 - 1 is its largest operand; 2^53 + 1 is not a double.
    const integer big = (integer(1) << 53) - 1;
    for (const rational& x : {rational(big, 3), rational(3, big), rational(big, big - 2), rational(big - 2, big),
                              rational(-big, 7), rational(big), rational(integer(1), big), rational(0)}) {
        INFO(x.str());
        CHECK(bits_of(from_rational<double>(x)) == bits_of(mpfr_reference(x)));
    }
}

TEST_CASE("rational -> double: ties, subnormals and extreme ratios outside the fast path", "[scalar][rounding]") {
    const integer two53 = integer(1) << 53;
    // Ties to even: 2^53 + 1 lies halfway between 2^53 and 2^53 + 2 (even mantissa: 2^53).
    CHECK(from_rational<double>(rational(two53 + 1)) == 0x1p53);
    CHECK(from_rational<double>(rational(two53 + 3)) == 0x1p53 + 4);
    CHECK(from_rational<double>(rational(-(two53 + 1))) == -0x1p53);
    CHECK(from_rational<double>(rational(two53 + 1, 2)) == 0x1p52);  // 2^52 + 1/2: tie, to even
    CHECK(from_rational<double>(rational(two53 + 3, 2)) == 0x1p52 + 2);
    // Subnormal results: the tie 2^-1075 goes to 0, 3 * 2^-1075 to 2 * 2^-1074.
    CHECK(bits_of(from_rational<double>(pow2(-1074))) == 1u);
    CHECK(bits_of(from_rational<double>(pow2(-1075))) == 0u);
    CHECK(bits_of(from_rational<double>(3 * pow2(-1075))) == 2u);
    CHECK(bits_of(from_rational<double>(rational(7, 3) * pow2(-1074))) == 2u);  // 2.33 units of 2^-1074
    CHECK(bits_of(from_rational<double>(rational(8, 3) * pow2(-1074))) == 3u);  // 2.67
    CHECK(bits_of(from_rational<double>(rational(-5, 2) * pow2(-1074))) == bits_of(-2 * 0x1p-1074));  // tie, to even
    // Huge and tiny ratios of big integers.
    const integer ten400 = pow(integer(10), 400);
    CHECK(from_rational<double>(rational(ten400 + 1, ten400)) == 1.0);
    CHECK(from_rational<double>(rational(ten400, 3 * pow(integer(10), 100))) == mpfr_reference(rational(ten400, 3 * pow(integer(10), 100))));
    CHECK(from_rational<double>(rational(3 * pow(integer(10), 100), ten400)) == mpfr_reference(rational(3 * pow(integer(10), 100), ten400)));
    CHECK(from_rational<double>(pow2(1023) * (2 - pow2(-52))) == std::numeric_limits<double>::max());
    CHECK_THROWS_AS(from_rational<double>(pow2(1024)), std::invalid_argument);
}

TEST_CASE("MPFR robust solves agree with exact ones after the double warm start", "[solvers][mpfr]") {
    // The warm start only chooses where the iteration begins: the MPFR answer must carry the exact
    // optimal policy's value up to rounding (relative 2^-200 at 256 bits, far above the noise).
    const unsigned old_bits = working_precision();
    set_working_precision(256);
    Rng rng(trial_seed(12, 4));
    GeneratorOptions opt;
    for (std::size_t trial = 0; trial < 20; ++trial) {
        const MdpData md = random_robust_mdp(rng, opt, trial + 30);
        const auto mq = convert<rational>(md);
        const auto Uq = convert<rational>(md.uncertainty);
        const RobustSolution<rational> exact = robust_solve(mq, Uq);
        const RobustSolution<mpfr_float> approx = robust_solve(convert<mpfr_float>(md), convert<mpfr_float>(md.uncertainty));
        rational scale = 1;
        for (const auto& v : exact.V) scale = std::max(scale, v < 0 ? rational(-v) : v);
        for (std::size_t s = 0; s < md.S; ++s) {
            rational err = exact_value(approx.V[s]) - exact.V[s];
            if (err < 0) err = -err;
            CHECK(err <= scale * pow2(-200));
        }
    }
    set_working_precision(old_bits);
}

TEMPLATE_TEST_CASE("robust_solve's Q is robust_q at V*, from the last worst-case pass", "[solvers]", rational, double) {
    // robust_solve no longer recomputes robust_q: the values come from robust_value's last switch
    // test. They must equal the operator's, entry for entry (bitwise in double: same rows, same sums).
    Rng rng(trial_seed(12, 5));
    GeneratorOptions opt;
    for (std::size_t trial = 0; trial < 30; ++trial) {
        const MdpData md = random_robust_mdp(rng, opt, trial + 10);
        const auto m = convert<TestType>(md);
        const auto U = convert<TestType>(md.uncertainty);
        const RobustSolution<TestType> sol = robust_solve(m, U);
        CHECK(sol.Q.data == robust_q(m, U, sol.V).data);
        const RobustEvaluation<TestType> ev = robust_value(m, U, sol.policy);
        CHECK(ev.worst_values.data == worst_case_values(U, m.P, ev.V).data);
    }
}
