// Test support: RapidCheck generators of exact MDPs and policies, and an exact reference solver
// written independently of the library's (Gauss-Jordan on rationals, no fraction-free tricks),
// so that a library answer is compared with an answer computed another way.
#pragma once

#include "rmdp/evaluation.hpp"
#include "rmdp/io.hpp"

#include <rapidcheck.h>

#include <cstddef>
#include <ostream>
#include <stdexcept>
#include <vector>

namespace rmdp {

// Counterexamples print as the JSON file format, so a shrunk failure can be fed to `rmdp`.
inline void showValue(const MdpData& m, std::ostream& os) { os << to_json(m).dump(); }
inline void showValue(const PolicyData& p, std::ostream& os) { os << to_json(p).dump(); }

}  // namespace rmdp

namespace rmdp_test {

using rmdp::Kernel;
using rmdp::Matrix;
using rmdp::MdpData;
using rmdp::PolicyData;
using rmdp::rational;
using rmdp::Vector;

// ---------------------------------------------------------------- generators

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
                for (std::size_t t = 0; t < m.S; ++t) m.P(s, a, t) = d[t];
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
