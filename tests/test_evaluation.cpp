// Policy evaluation and the resolvent solve, one generic test body per function instantiated for
// every scalar type (Boost.Math's test_spots pattern):
//   exact     equal to the independent exact reference, and the defining identities hold exactly;
//   interval  the exact answer lies inside the enclosure, and the enclosure is narrow;
//   floating  within the a posteriori bound of error_bound.hpp (computed in exact rationals), and
//             that bound is itself small.
#include "support.hpp"

#include "rmdp/error_bound.hpp"
#include "rmdp/norms.hpp"

#include <catch2/catch.hpp>
#include <rapidcheck/catch.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>
#include <sstream>
#include <string>

using namespace rmdp;
using namespace rmdp_test;

namespace {

// Collects the first failed expectation of a check, with a message built only on failure.
struct Failures {
    std::string first;
    void expect(bool ok, const std::function<std::string()>& what) {
        if (!ok && first.empty()) first = what();
    }
};

template <class T>
rational exact_of(const T& x) {
    if constexpr (is_exact_v<T>)
        return x;
    else
        return exact_value(x);
}

template <class T>
rational unit_roundoff_q() {
    if constexpr (is_exact_v<T>)
        return 0;
    else if constexpr (is_interval_v<T>)
        return rational(1) / rational(integer(1) << working_precision());
    else
        return exact_value(scalar_traits<T>::unit_roundoff());
}

// x (computed in T) against the exact q: equality for rationals, containment for intervals,
// |x - q| <= tol for floats.
template <class T>
bool near(const T& x, const rational& q, const rational& tol) {
    if constexpr (is_exact_v<T>)
        return x == q;
    else if constexpr (is_interval_v<T>)
        return lower_rational(x) <= q && q <= upper_rational(x);
    else
        return abs_q(exact_value(x) - q) <= tol;
}

template <class T>
rational width(const T& x) {
    if constexpr (is_interval_v<T>)
        return upper_rational(x) - lower_rational(x);
    else
        return 0;
}

template <class T>
std::string describe(const char* what, std::size_t i, std::size_t j, const T& x, const rational& q,
                     const rational& tol) {
    std::ostringstream os;
    os << what << "(" << i << "," << j << ") = " << to_string(x) << " [" << scalar_traits<T>::name()
       << "], exact " << q.str() << ", tolerance " << tol.str();
    return os.str();
}

rational cost_max(const MdpData& m) {
    rational c = 0;
    for (const auto& x : m.cost) c = std::max(c, abs_q(x));
    return c;
}

// The whole of policy evaluation on one instance, in T; "" if every expectation holds.
template <class T>
std::string check_evaluation(const MdpData& m, const PolicyData& p) {
    const ExactEvaluation ex = exact_evaluation(m, p);
    const std::size_t S = m.S, A = m.A;
    const rational one_minus = 1 - m.gamma;
    const rational u = unit_roundoff_q<T>();
    const rational cmax = cost_max(m);

    const Mdp<T> mt = convert<T>(m);
    const Policy<T> pt = convert<T>(p);
    const Vector<T> V = value(mt, mt.P, pt);
    const Matrix<T> Q = q_value(mt, mt.P, V);
    const Matrix<T> D = occupancy(mt, mt.P, pt);
    const Vector<T> drho = occupancy(mt, mt.P, pt, mt.rho);

    Failures f;
    f.expect(V.size() == S && Q.rows == S && Q.cols == A && D.rows == S && D.cols == S && drho.size() == S,
             [] { return std::string("result shapes"); });
    if (!f.first.empty()) return f.first;

    // Tolerances (zero for exact and interval types, where near() ignores them).
    rational tolV = 0, tolQ = 0;
    std::vector<rational> tolD(S, rational(0));
    rational tol_drho = 0;
    if constexpr (!is_exact_v<T> && !is_interval_v<T>) {
        const evaluation_bound b = evaluation_error_bound(m, m.P, p, V);
        tolV = b.V;
        tolQ = b.Q;
        // The bound must be informative, not merely true: at most 16 (S+A+6)^2 u (1 + c_max) / (1-gamma)^2,
        // the size of the first-order terms it is made of (error_bound.hpp) with room to spare.
        const rational cap = 16 * rational(static_cast<long>((S + A + 6) * (S + A + 6))) * u * (1 + cmax) /
                             (one_minus * one_minus);
        f.expect(b.V <= cap, [&] { return "V error bound " + b.V.str() + " exceeds " + cap.str(); });
        f.expect(b.Q <= cap, [&] { return "Q error bound " + b.Q.str() + " exceeds " + cap.str(); });
        // Occupancies have no library bound: use the exact residual r_s = d~_s (I - gamma P^pi) - (1-gamma) e_s.
        // d~_s - d_s = r_s (I - gamma P^pi)^{-1}, whose row sums are 1/(1-gamma), so every entry of the error
        // is at most ||r_s||_1 / (1-gamma). The residual itself must be small (LU on a diagonally dominant
        // matrix is backward stable): ||r_s||_1 <= 16 (S+4)^2 u.
        const Matrix<rational> IA = i_minus(m.gamma, ex.Ppi);
        const rational rcap = 16 * rational(static_cast<long>((S + 4) * (S + 4))) * u;
        auto residual_l1 = [&](const Vector<rational>& x, const Vector<rational>& target) {
            rational r = 0;
            for (std::size_t t = 0; t < S; ++t) {
                rational acc = -target[t];
                for (std::size_t k = 0; k < S; ++k) acc += x[k] * IA(k, t);
                r += abs_q(acc);
            }
            return r;
        };
        for (std::size_t s = 0; s < S; ++s) {
            Vector<rational> row(S), e(S, rational(0));
            for (std::size_t t = 0; t < S; ++t) row[t] = exact_value(D(s, t));
            e[s] = one_minus;
            const rational r = residual_l1(row, e);
            f.expect(r <= rcap, [&] { return "occupancy row " + std::to_string(s) + " residual " + r.str(); });
            tolD[s] = r / one_minus;
        }
        Vector<rational> x(S), target(S);
        for (std::size_t t = 0; t < S; ++t) {
            x[t] = exact_value(drho[t]);
            target[t] = one_minus * m.rho[t];
        }
        const rational r = residual_l1(x, target);
        f.expect(r <= rcap, [&] { return "d_rho residual " + r.str(); });
        tol_drho = r / one_minus;
    }

    for (std::size_t s = 0; s < S; ++s) {
        f.expect(near(V[s], ex.V[s], tolV), [&] { return describe("V", s, 0, V[s], ex.V[s], tolV); });
        for (std::size_t a = 0; a < A; ++a)
            f.expect(near(Q(s, a), ex.Q(s, a), tolQ), [&] { return describe("Q", s, a, Q(s, a), ex.Q(s, a), tolQ); });
        for (std::size_t t = 0; t < S; ++t)
            f.expect(near(D(s, t), ex.D(s, t), tolD[s]), [&] { return describe("D", s, t, D(s, t), ex.D(s, t), tolD[s]); });
        f.expect(near(drho[s], ex.d_rho[s], tol_drho),
                 [&] { return describe("d_rho", s, 0, drho[s], ex.d_rho[s], tol_drho); });
    }

    if constexpr (is_interval_v<T>) {
        // Enclosures must be narrow: the verified solve's radius is ||r|| / (1-gamma) with ||r|| of the
        // order of S u (|c| + |V|), so 1024 (S+A+6) u (1 + c_max) / (1-gamma)^2 is generous.
        const rational cap = 1024 * rational(static_cast<long>(S + A + 6)) * (rational(1) / rational(integer(1) << working_precision())) *
                             (1 + cmax) / (one_minus * one_minus);
        for (std::size_t s = 0; s < S; ++s) {
            f.expect(width(V[s]) <= cap, [&] { return "V enclosure too wide: " + to_string(V[s]); });
            for (std::size_t a = 0; a < A; ++a)
                f.expect(width(Q(s, a)) <= cap, [&] { return "Q enclosure too wide: " + to_string(Q(s, a)); });
            for (std::size_t t = 0; t < S; ++t)
                f.expect(width(D(s, t)) <= cap, [&] { return "D enclosure too wide: " + to_string(D(s, t)); });
        }
    }

    if constexpr (is_exact_v<T>) {
        // The defining identities, exactly, computed from the data (not from the reference solve):
        // Bellman V = c^pi + gamma P^pi V; every occupancy row is a distribution; D (I - gamma P^pi) = (1-gamma) I;
        // V(s) = 1/(1-gamma) sum_t d_s(t) c^pi(t); Q(s,.) averaged under pi(.|s) is V(s).
        for (std::size_t s = 0; s < S; ++s) {
            rational bell = ex.cpi[s];
            for (std::size_t t = 0; t < S; ++t) bell += m.gamma * ex.Ppi(s, t) * V[t];
            f.expect(V[s] == bell, [&] { return "Bellman equation fails at s=" + std::to_string(s); });
            rational row_sum = 0, via_d = 0, q_avg = 0;
            for (std::size_t t = 0; t < S; ++t) {
                row_sum += D(s, t);
                via_d += D(s, t) * ex.cpi[t];
                f.expect(D(s, t) >= 0, [&] { return "negative occupancy at " + std::to_string(s); });
            }
            for (std::size_t a = 0; a < A; ++a) q_avg += p.pi[s * A + a] * Q(s, a);
            f.expect(row_sum == 1, [&] { return "occupancy row " + std::to_string(s) + " sums to " + row_sum.str(); });
            f.expect(V[s] == via_d / one_minus, [&] { return "V != d c^pi / (1-gamma) at " + std::to_string(s); });
            f.expect(q_avg == V[s], [&] { return "sum_a pi Q != V at " + std::to_string(s); });
            for (std::size_t t = 0; t < S; ++t) {
                rational acc = 0;
                for (std::size_t k = 0; k < S; ++k)
                    acc += D(s, k) * ((k == t ? rational(1) : rational(0)) - m.gamma * ex.Ppi(k, t));
                f.expect(acc == (s == t ? one_minus : rational(0)), [&] { return "D (I - gamma P) != (1-gamma) I"; });
            }
        }
        const Matrix<T> Pk = policy_kernel(mt.P, pt);
        const Vector<T> ck = policy_cost(mt.cost, pt);
        f.expect(Pk.data == ex.Ppi.data, [] { return std::string("policy_kernel differs from P^pi"); });
        f.expect(ck == ex.cpi, [] { return std::string("policy_cost differs from c^pi"); });
    }
    return f.first;
}

// resolvent_solve on both sides (and resolvent) against the exact solution.
template <class T>
std::string check_resolvent(const rational& gamma, const Matrix<rational>& P, const Matrix<rational>& Bright,
                            const Matrix<rational>& Bleft) {
    const std::size_t n = P.rows;
    const Matrix<rational> IA = i_minus(gamma, P);
    const Matrix<rational> Xr = gauss_solve(IA, Bright);
    const Matrix<rational> Xl = transposed(gauss_solve(transposed(IA), transposed(Bleft)));
    const Matrix<rational> R = gauss_solve(IA, Matrix<rational>::identity(n));

    const T gt = from_rational<T>(gamma);
    const Matrix<T> Pt = to_scalar<T>(P);
    const Matrix<T> right = resolvent_solve(gt, Pt, to_scalar<T>(Bright), side::right);
    const Matrix<T> left = resolvent_solve(gt, Pt, to_scalar<T>(Bleft), side::left);
    const Matrix<T> inv = resolvent(gt, Pt);

    Failures f;
    f.expect(right.rows == Xr.rows && right.cols == Xr.cols && left.rows == Xl.rows && left.cols == Xl.cols &&
                 inv.rows == n && inv.cols == n,
             [] { return std::string("result shapes"); });
    if (!f.first.empty()) return f.first;

    // Floating tolerance: ||x~ - x|| <= ||r|| / (1-gamma) with ||r|| <= c n^2 u ||A|| ||x||, ||A|| <= 2,
    // ||x|| <= n ||B||_max / (1-gamma): 32 (n+4)^2 n u ||B||_max / (1-gamma)^2.
    auto tol_for = [&](const Matrix<rational>& B) {
        rational bmax = 0;
        for (const auto& x : B.data) bmax = std::max(bmax, abs_q(x));
        const rational om = 1 - gamma;
        return 32 * rational(static_cast<long>((n + 4) * (n + 4) * n)) * unit_roundoff_q<T>() * bmax / (om * om);
    };
    const rational tr = tol_for(Bright), tl = tol_for(Bleft), ti = tol_for(Matrix<rational>::identity(n));
    for (std::size_t i = 0; i < right.data.size(); ++i)
        f.expect(near(right.data[i], Xr.data[i], tr),
                 [&] { return describe("right", i / Xr.cols, i % Xr.cols, right.data[i], Xr.data[i], tr); });
    for (std::size_t i = 0; i < left.data.size(); ++i)
        f.expect(near(left.data[i], Xl.data[i], tl),
                 [&] { return describe("left", i / Xl.cols, i % Xl.cols, left.data[i], Xl.data[i], tl); });
    for (std::size_t i = 0; i < inv.data.size(); ++i)
        f.expect(near(inv.data[i], R.data[i], ti), [&] { return describe("resolvent", i / n, i % n, inv.data[i], R.data[i], ti); });

    if constexpr (is_exact_v<T>) {
        // The defining equations themselves, by multiplication: (I - gamma P) X = B and X (I - gamma P) = B.
        f.expect(product(IA, right).data == Bright.data, [] { return std::string("(I - gamma P) X != B"); });
        f.expect(product(left, IA).data == Bleft.data, [] { return std::string("X (I - gamma P) != B"); });
        f.expect(product(IA, inv).data == Matrix<rational>::identity(n).data,
                 [] { return std::string("(I - gamma P) resolvent != I"); });
    }
    return f.first;
}

// The precisions a type is exercised at (native floats have one).
template <class T>
rc::Gen<unsigned> gen_bits() {
    if constexpr (std::is_same_v<T, mpfr_float> || std::is_same_v<T, mpfi_float>)
        return rc::gen::element(128u, 32u, 300u);
    else
        return rc::gen::just(128u);
}

MdpData mdp_one_state() {
    // One state, one action, a self-loop of cost 1, gamma = 1/2: V = 1 + V/2, so V = 2.
    MdpData m;
    m.S = 1;
    m.A = 1;
    m.gamma = rational(1, 2);
    m.cost = {rational(1)};
    m.P = Kernel<rational>(1, 1);
    m.P.set(0, 0, 0, 1);
    m.rho = {rational(1)};
    return m;
}

MdpData mdp_two_states() {
    // gamma = 1/2, c = [[1, 3], [2, 0]], P(.|0,0) = e0, P(.|0,1) = e1, P(.|1,0) = (1/2, 1/2), P(.|1,1) = e1,
    // rho = (1/2, 1/2).
    MdpData m;
    m.S = 2;
    m.A = 2;
    m.gamma = rational(1, 2);
    m.cost = {rational(1), rational(3), rational(2), rational(0)};
    m.P = Kernel<rational>(2, 2);
    m.P.set(0, 0, 0, 1);
    m.P.set(0, 1, 1, 1);
    m.P.set(1, 0, 0, rational(1, 2));
    m.P.set(1, 0, 1, rational(1, 2));
    m.P.set(1, 1, 1, 1);
    m.rho = {rational(1, 2), rational(1, 2)};
    return m;
}

PolicyData policy(std::size_t S, std::size_t A, std::vector<rational> pi) {
    PolicyData p;
    p.S = S;
    p.A = A;
    p.pi = std::move(pi);
    return p;
}

}  // namespace

TEMPLATE_LIST_TEST_CASE("policy evaluation agrees with the exact answer on random MDPs", "[evaluation][property]",
                        rmdp_test::all_scalars) {
    rc::prop("V, Q, occupancies", [] {
        set_working_precision(*gen_bits<TestType>());
        const MdpData m = *gen_mdp();
        const PolicyData p = *gen_policy(m);
        validate(m, "generated");  // the generator makes valid instances only
        validate(p, m, "generated");
        const std::string failure = check_evaluation<TestType>(m, p);
        if (!failure.empty()) RC_FAIL(failure);
    });
}

TEMPLATE_LIST_TEST_CASE("resolvent_solve agrees with the exact solution on random stochastic matrices",
                        "[linalg][property]", rmdp_test::all_scalars) {
    rc::prop("left and right solves", [] {
        set_working_precision(*gen_bits<TestType>());
        const std::size_t n = *rc::gen::inRange<std::size_t>(1, 6);
        const std::size_t k = *rc::gen::inRange<std::size_t>(1, 4);
        const rational gamma = *gen_gamma();
        const Matrix<rational> P = *gen_stochastic(n);
        const Matrix<rational> Br = *gen_rhs(n, k);
        const Matrix<rational> Bl = *gen_rhs(k, n);
        const std::string failure = check_resolvent<TestType>(gamma, P, Br, Bl);
        if (!failure.empty()) RC_FAIL(failure);
    });
}

TEMPLATE_LIST_TEST_CASE("hand-computed evaluations", "[evaluation]", rmdp_test::all_scalars) {
    using T = TestType;
    set_working_precision(128);

    SECTION("one state, self-loop, cost 1, gamma 1/2: V = 2") {
        const MdpData m = mdp_one_state();
        const PolicyData p = policy(1, 1, {rational(1)});
        const Mdp<T> mt = convert<T>(m);
        const Policy<T> pt = convert<T>(p);
        const Vector<T> V = value(mt, mt.P, pt);
        const Matrix<T> Q = q_value(mt, mt.P, V);
        const Matrix<T> D = occupancy(mt, mt.P, pt);
        rational tolV = 0, tolQ = 0;
        if constexpr (!is_exact_v<T> && !is_interval_v<T>) {
            const evaluation_bound b = evaluation_error_bound(m, m.P, p, V);
            tolV = b.V;
            tolQ = b.Q;
        }
        REQUIRE(V.size() == 1);
        CHECK(near(V[0], rational(2), tolV));
        CHECK(near(Q(0, 0), rational(2), tolQ));
        CHECK(near(D(0, 0), rational(1), rational(4) * unit_roundoff_q<T>()));
        CHECK(check_evaluation<T>(m, p) == "");
    }

    SECTION("two states, two actions: V = (8/3, 0)") {
        // c^pi = (2, 0); P^pi = [[1/2, 1/2], [0, 1]]; V(1) = V(1)/2 gives 0; V(0) = 2 + V(0)/4 gives 8/3.
        // Q = [[1 + 4/3, 3 + 0], [2 + (4/3 + 0)/2, 0]] = [[7/3, 3], [8/3, 0]].
        // (I - P^pi/2)^{-1} = [[4/3, 2/3], [0, 2]], so D = [[2/3, 1/3], [0, 1]] and d_rho = (1/3, 2/3).
        const MdpData m = mdp_two_states();
        const PolicyData p = policy(2, 2, {rational(1, 2), rational(1, 2), rational(0), rational(1)});
        const Mdp<T> mt = convert<T>(m);
        const Policy<T> pt = convert<T>(p);
        const Vector<T> V = value(mt, mt.P, pt);
        const Matrix<T> Q = q_value(mt, mt.P, V);
        const Matrix<T> D = occupancy(mt, mt.P, pt);
        const Vector<T> drho = occupancy(mt, mt.P, pt, mt.rho);
        rational tolV = 0, tolQ = 0, tolD = 0;
        if constexpr (!is_exact_v<T> && !is_interval_v<T>) {
            const evaluation_bound b = evaluation_error_bound(m, m.P, p, V);
            tolV = b.V;
            tolQ = b.Q;
            tolD = 64 * unit_roundoff_q<T>();
        }
        REQUIRE(V.size() == 2);
        CHECK(near(V[0], rational(8, 3), tolV));
        CHECK(near(V[1], rational(0), tolV));
        CHECK(near(Q(0, 0), rational(7, 3), tolQ));
        CHECK(near(Q(0, 1), rational(3), tolQ));
        CHECK(near(Q(1, 0), rational(8, 3), tolQ));
        CHECK(near(Q(1, 1), rational(0), tolQ));
        CHECK(near(D(0, 0), rational(2, 3), tolD));
        CHECK(near(D(0, 1), rational(1, 3), tolD));
        CHECK(near(D(1, 0), rational(0), tolD));
        CHECK(near(D(1, 1), rational(1), tolD));
        CHECK(near(drho[0], rational(1, 3), tolD));
        CHECK(near(drho[1], rational(2, 3), tolD));
        CHECK(check_evaluation<T>(m, p) == "");
    }

    SECTION("gamma = 0: V is the immediate cost") {
        MdpData m = mdp_two_states();
        m.gamma = 0;
        const PolicyData p = policy(2, 2, {rational(1, 3), rational(2, 3), rational(1), rational(0)});
        const Mdp<T> mt = convert<T>(m);
        const Vector<T> V = value(mt, mt.P, convert<T>(p));
        rational tolV = 0;
        if constexpr (!is_exact_v<T> && !is_interval_v<T>) tolV = evaluation_error_bound(m, m.P, p, V).V;
        CHECK(near(V[0], rational(1, 3) + 2, tolV));  // 1/3 * 1 + 2/3 * 3
        CHECK(near(V[1], rational(2), tolV));
        CHECK(check_evaluation<T>(m, p) == "");
    }
}

TEST_CASE("the exact reference itself is right on the hand-computed example", "[evaluation]") {
    // Guards the reference: if gauss_solve or exact_evaluation were wrong, the properties above would
    // compare the library against a wrong answer.
    const ExactEvaluation e = exact_evaluation(mdp_two_states(),
                                               policy(2, 2, {rational(1, 2), rational(1, 2), rational(0), rational(1)}));
    CHECK(e.V == Vector<rational>{rational(8, 3), rational(0)});
    CHECK(e.Q.data == Vector<rational>{rational(7, 3), rational(3), rational(8, 3), rational(0)});
    CHECK(e.D.data == Vector<rational>{rational(2, 3), rational(1, 3), rational(0), rational(1)});
    CHECK(e.d_rho == Vector<rational>{rational(1, 3), rational(2, 3)});
}

TEST_CASE("validate decides kernel row sums exactly, whatever the denominators", "[evaluation][validate]") {
    // Rows with small denominators are summed over their lcm in machine integers; rows whose lcm
    // passes 2^64 in rationals. Both must accept exactly the rows that sum to 1.
    auto mdp_with_row = [](std::vector<rational> row) {
        MdpData m;
        m.S = row.size();
        m.A = 1;
        m.gamma = rational(1, 2);
        m.cost.assign(m.S, rational(0));
        m.P = Kernel<rational>(m.S, 1);
        for (std::size_t s = 0; s < m.S; ++s)
            for (std::size_t t = 0; t < m.S; ++t) m.P.set(s, 0, t, s == 0 ? row[t] : rational(t == s ? 1 : 0));
        m.rho.assign(m.S, rational(1, static_cast<long>(m.S)));
        return m;
    };
    const rational tiny = rational(1) / rational(integer(1) << 62);
    const rational p1(1, 4294967311L), p2(1, 4294967357L);  // primes above 2^32: lcm above 2^64
    CHECK_NOTHROW(validate(mdp_with_row({rational(1, 3), rational(1, 3), rational(1, 3)}), "t"));
    CHECK_NOTHROW(validate(mdp_with_row({tiny, rational(1, 2), rational(1, 2) - tiny}), "t"));
    CHECK_NOTHROW(validate(mdp_with_row({p1, p2, 1 - p1 - p2}), "t"));
    CHECK_NOTHROW(validate(mdp_with_row({rational(0), rational(1), rational(0)}), "t"));
    CHECK_THROWS_WITH(validate(mdp_with_row({rational(1, 3), rational(1, 3), rational(1, 3) - tiny}), "t"),
                      Catch::Contains("not exactly 1"));
    CHECK_THROWS_WITH(validate(mdp_with_row({rational(1, 2), rational(1, 2) + tiny, rational(0)}), "t"),
                      Catch::Contains("not exactly 1"));
    CHECK_THROWS_WITH(validate(mdp_with_row({p1, p2, 1 - p1 - p2 + tiny}), "t"), Catch::Contains("not exactly 1"));
    CHECK_THROWS_WITH(validate(mdp_with_row({rational(2), rational(0), rational(0)}), "t"),
                      Catch::Contains("probabilities sum to 2"));
}

TEST_CASE("lu_solve agrees with an independent exact elimination", "[linalg][property]") {
    rc::prop("A X = B for I - gamma P", [] {
        const std::size_t n = *rc::gen::inRange<std::size_t>(1, 6);
        const std::size_t k = *rc::gen::inRange<std::size_t>(1, 3);
        const rational gamma = *gen_gamma();
        const Matrix<rational> P = *gen_stochastic(n);
        const Matrix<rational> B = *gen_rhs(n, k);
        Matrix<rational> A(n, n);
        for (std::size_t i = 0; i < n; ++i)
            for (std::size_t j = 0; j < n; ++j) A(i, j) = (i == j ? rational(1) : rational(0)) - gamma * P(i, j);
        RC_ASSERT(lu_solve(A, B).data == gauss_solve(A, B).data);
    });
    Matrix<rational> singular(2, 2);
    singular(0, 0) = singular(0, 1) = singular(1, 0) = singular(1, 1) = 1;
    CHECK_THROWS_AS(lu_solve(singular, Matrix<rational>(2, 1)), std::domain_error);
}

TEST_CASE("lu_solve<double> is bit-identical to the scalar elimination (vector lanes: SSE2 or AVX2)", "[linalg][property]") {
    // The row update runs 2 or 4 lanes at a time (linalg.cpp); each element must still get the
    // scalar loop's rounded product and rounded difference. Sizes cover every tail length.
    auto scalar_solve = [](Matrix<double> A, Matrix<double> B) {
        const std::size_t n = A.rows, k = B.cols;
        for (std::size_t p = 0; p < n; ++p) {
            std::size_t piv = p;
            for (std::size_t i = p + 1; i < n; ++i)
                if (std::fabs(A(i, p)) > std::fabs(A(piv, p))) piv = i;
            for (std::size_t j = 0; j < n; ++j) std::swap(A(p, j), A(piv, j));
            for (std::size_t j = 0; j < k; ++j) std::swap(B(p, j), B(piv, j));
            for (std::size_t i = p + 1; i < n; ++i) {
                const double l = A(i, p) / A(p, p);
                if (l == 0) continue;
                for (std::size_t j = p + 1; j < n; ++j) A(i, j) -= l * A(p, j);
                for (std::size_t j = 0; j < k; ++j) B(i, j) -= l * B(p, j);
                A(i, p) = 0;
            }
        }
        Matrix<double> X(n, k);
        for (std::size_t c = 0; c < k; ++c)
            for (std::size_t ii = n; ii-- > 0;) {
                double acc = B(ii, c);
                for (std::size_t j = ii + 1; j < n; ++j) acc -= A(ii, j) * X(j, c);
                X(ii, c) = acc / A(ii, ii);
            }
        return X;
    };
    rc::prop("same bits", [&] {
        const std::size_t n = *rc::gen::inRange<std::size_t>(1, 24);
        Matrix<double> A(n, n), B(n, 2);
        for (auto& x : A.data) x = *rc::gen::inRange(-1000, 1000) / 7.0;
        for (std::size_t i = 0; i < n; ++i) A(i, i) += 3000.0;  // far from singular
        for (auto& x : B.data) x = *rc::gen::inRange(-1000, 1000) / 3.0;
        const Matrix<double> X = lu_solve(A, B), Y = scalar_solve(A, B);
        for (std::size_t i = 0; i < X.data.size(); ++i) RC_ASSERT(std::memcmp(&X.data[i], &Y.data[i], sizeof(double)) == 0);
    });
}

TEST_CASE("reachable follows the exact support", "[linalg]") {
    Matrix<rational> M(4, 4);  // 0 -> 1 -> 2, 3 alone
    M(0, 1) = rational(1, 2);
    M(1, 2) = 1;
    M(3, 3) = 1;
    CHECK(reachable(M, {true, false, false, false}) == std::vector<bool>{true, true, true, false});
    CHECK(reachable(M, {false, false, false, true}) == std::vector<bool>{false, false, false, true});
    CHECK(reachable(M, {false, true, false, true}) == std::vector<bool>{false, true, true, true});
}

TEST_CASE("norms: exact values, and enclosures of them in MPFI", "[linalg]") {
    Matrix<rational> M(2, 3);
    M.data = {rational(1), rational(-2), rational(1, 2), rational(-3), rational(0), rational(1, 4)};
    CHECK(sup_norm(M.data) == 3);
    CHECK(sum_norm(M, true) == rational(7, 2));   // rows: 7/2, 13/4
    CHECK(sum_norm(M, false) == 4);               // columns: 4, 2, 3/4
    CHECK(squared_norm(M.data) == rational(1 + 4 + 9) + rational(1, 4) + rational(1, 16));
    CHECK(sup_norm(Vector<rational>{}) == 0);
    set_working_precision(64);
    Matrix<mpfi_float> I(2, 3);
    for (std::size_t i = 0; i < M.data.size(); ++i) I.data[i] = from_rational<mpfi_float>(M.data[i] / 3);  // inexact: thirds
    const mpfi_float rows = sum_norm(I, true);
    CHECK(lower_rational(rows) <= rational(7, 6));  // the row sums of M / 3: 7/6, 13/12
    CHECK(upper_rational(rows) >= rational(7, 6));
    CHECK(upper_rational(rows) - lower_rational(rows) < rational(1, 1000000));
    set_working_precision(128);
    MdpData m;
    m.cost = {rational(-5, 2), rational(1), rational(2)};
    CHECK(c_max(m) == rational(5, 2));
}
