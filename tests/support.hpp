// Test support: the public RapidCheck generators (rmdp/testing.hpp), and an exact reference solver
// written independently of the library's (Gauss-Jordan on rationals, no fraction-free tricks),
// so that a library answer is compared with an answer computed another way.
#pragma once

#include "rmdp/evaluation.hpp"
#include "rmdp/io.hpp"
#include "rmdp/testing.hpp"  // the generators (public: users write properties with them too)

#include <rapidcheck.h>

#include <cstddef>
#include <ostream>
#include <stdexcept>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace rmdp_test {

using rmdp::Kernel;
using rmdp::Matrix;
using rmdp::MdpData;
using rmdp::PolicyData;
using rmdp::rational;
using rmdp::Vector;

using rmdp::testing::gen_cost;
using rmdp::testing::gen_distribution;
using rmdp::testing::gen_gamma;
using rmdp::testing::gen_mdp;
using rmdp::testing::gen_policy;
using rmdp::testing::gen_policy_row;
using rmdp::testing::gen_rhs;
using rmdp::testing::gen_stochastic;

// ---------------------------------------------------------------- scalar type lists

// For TEMPLATE_LIST_TEST_CASE: scalar.hpp's one list of scalar types, so that a new scalar is
// tested wherever the list is, without editing the tests.
using rmdp::all_scalars;
using rmdp::ordered_scalars;

template <class T>
struct is_rounded : std::bool_constant<!rmdp::is_exact_v<T>> {};

template <template <class> class Keep, class List>
struct keep_if;
template <template <class> class Keep, class... Ts>
struct keep_if<Keep, std::tuple<Ts...>> {
    using type = decltype(std::tuple_cat(std::declval<std::conditional_t<Keep<Ts>::value, std::tuple<Ts>, std::tuple<>>>()...));
};

// The ordered types that round (MPFR, double, long double): results within derived error bounds.
using rounded_ordered_scalars = keep_if<is_rounded, ordered_scalars>::type;

// ---------------------------------------------------------------- exact reference

// Solves A X = B exactly by Gauss-Jordan elimination (first nonzero pivot).
inline Matrix<rational> gauss_solve(Matrix<rational> A, Matrix<rational> B) {
    const std::size_t n = A.rows, k = B.cols;
    for (std::size_t p = 0; p < n; ++p) {
        std::size_t piv = p;
        while (piv < n && A(piv, p) == 0) ++piv;
        if (piv == n) throw std::domain_error("gauss_solve: singular");
        for (std::size_t j = 0; j < n; ++j) std::swap(A(p, j), A(piv, j));
        for (std::size_t j = 0; j < k; ++j) std::swap(B(p, j), B(piv, j));
        const rational inv = 1 / A(p, p);
        for (std::size_t j = 0; j < n; ++j) A(p, j) *= inv;
        for (std::size_t j = 0; j < k; ++j) B(p, j) *= inv;
        for (std::size_t i = 0; i < n; ++i) {
            if (i == p || A(i, p) == 0) continue;
            const rational f = A(i, p);
            for (std::size_t j = 0; j < n; ++j) A(i, j) -= f * A(p, j);
            for (std::size_t j = 0; j < k; ++j) B(i, j) -= f * B(p, j);
        }
    }
    return B;
}

// I - gamma P.
inline Matrix<rational> i_minus(const rational& gamma, const Matrix<rational>& P) {
    Matrix<rational> A(P.rows, P.cols);
    for (std::size_t i = 0; i < P.rows; ++i)
        for (std::size_t j = 0; j < P.cols; ++j) A(i, j) = (i == j ? rational(1) : rational(0)) - gamma * P(i, j);
    return A;
}

inline Matrix<rational> transposed(const Matrix<rational>& a) {
    Matrix<rational> t(a.cols, a.rows);
    for (std::size_t i = 0; i < a.rows; ++i)
        for (std::size_t j = 0; j < a.cols; ++j) t(j, i) = a(i, j);
    return t;
}

inline Matrix<rational> product(const Matrix<rational>& a, const Matrix<rational>& b) {
    Matrix<rational> c(a.rows, b.cols);
    for (std::size_t i = 0; i < a.rows; ++i)
        for (std::size_t k = 0; k < a.cols; ++k)
            for (std::size_t j = 0; j < b.cols; ++j) c(i, j) += a(i, k) * b(k, j);
    return c;
}

// Everything policy evaluation should produce, computed from the definitions in claims.md
// "Conventions" by the reference solver.
struct ExactEvaluation {
    Matrix<rational> Ppi;  // P^pi
    Vector<rational> cpi;  // c^pi
    Vector<rational> V;    // (I - gamma P^pi)^{-1} c^pi
    Matrix<rational> Q;    // c + gamma P V
    Matrix<rational> D;    // (1 - gamma)(I - gamma P^pi)^{-1}, row s = d_s
    Vector<rational> d_rho;
};

inline ExactEvaluation exact_evaluation(const MdpData& m, const PolicyData& pi) {
    ExactEvaluation e;
    const std::size_t S = m.S, A = m.A;
    e.Ppi = Matrix<rational>(S, S);
    e.cpi.assign(S, rational(0));
    for (std::size_t s = 0; s < S; ++s)
        for (std::size_t a = 0; a < A; ++a) {
            const rational& w = pi.pi[s * A + a];
            e.cpi[s] += w * m.cost[s * A + a];
            for (std::size_t t = 0; t < S; ++t) e.Ppi(s, t) += w * m.P(s, a, t);
        }
    const Matrix<rational> IA = i_minus(m.gamma, e.Ppi);
    Matrix<rational> c(S, 1);
    for (std::size_t s = 0; s < S; ++s) c(s, 0) = e.cpi[s];
    e.V = gauss_solve(IA, c).data;
    e.Q = Matrix<rational>(S, A);
    for (std::size_t s = 0; s < S; ++s)
        for (std::size_t a = 0; a < A; ++a) {
            rational next = 0;
            for (std::size_t t = 0; t < S; ++t) next += m.P(s, a, t) * e.V[t];
            e.Q(s, a) = m.cost[s * A + a] + m.gamma * next;
        }
    e.D = gauss_solve(IA, Matrix<rational>::identity(S));
    for (auto& x : e.D.data) x *= 1 - m.gamma;
    e.d_rho.assign(S, rational(0));
    for (std::size_t s = 0; s < S; ++s)
        for (std::size_t t = 0; t < S; ++t) e.d_rho[t] += m.rho[s] * e.D(s, t);
    return e;
}

// ---------------------------------------------------------------- conversions

template <class T>
Matrix<T> to_scalar(const Matrix<rational>& a) {
    Matrix<T> out(a.rows, a.cols);
    for (std::size_t i = 0; i < a.data.size(); ++i) out.data[i] = rmdp::from_rational<T>(a.data[i]);
    return out;
}

template <class T>
Vector<T> to_scalar(const Vector<rational>& v) {
    Vector<T> out;
    for (const auto& x : v) out.push_back(rmdp::from_rational<T>(x));
    return out;
}

inline rational abs_q(const rational& x) { return x < 0 ? rational(-x) : x; }

}  // namespace rmdp_test
