// Dense linear algebra for the one system rmdp solves: (I - gamma P) X = B, P row-stochastic.
//
// The algorithm is chosen here, once, from scalar_traits<T>:
//   * exact rationals: the system is made integral once, M = D (I - gamma P) with D = diag(d_i),
//     d_i the lcm of the denominators of row i (for the left solve X (I - gamma P) = B this is
//     M^T (X D^{-1})^T = B^T, so columns of P are never cleared), each right-hand side scaled by
//     the lcm of its denominators; then the integer system is solved exactly by
//       - fraction-free (Bareiss) elimination on small systems, or
//       - FLINT's p-adic Dixon lifting (fmpq_mat_solve_fmpz_mat_dixon) on the others
//     (exact_algorithm_for: the sizes where each wins, measured), and unscaled. Both give the
//     same (unique) rational solution.
//   * floating point (double, long double, MPFR): LU with partial pivoting.
//   * intervals: an MPFR approximate solution x~ plus an interval residual r; because P is
//     row-stochastic, ||(I - gamma P)^{-1}||_inf <= 1/(1-gamma), so
//         x in x~ + [-1, 1] * ||r||_inf / (1 - gamma)        (right solve)
//     and, for the left (row-vector) solve, ||((I - gamma P)^T)^{-1}||_1 <= 1/(1-gamma), so each
//     entry lies in x~ +- ||r||_1 / (1 - gamma). This is a rigorous enclosure whatever x~ is.
#pragma once

#include "rmdp/scalar.hpp"

#include <cstddef>
#include <vector>

namespace rmdp {

template <class T>
struct Matrix {
    std::size_t rows = 0, cols = 0;
    std::vector<T> data;

    Matrix() = default;
    Matrix(std::size_t r, std::size_t c) : rows(r), cols(c), data(r * c, T(0)) {}
    T& operator()(std::size_t i, std::size_t j) { return data[i * cols + j]; }
    const T& operator()(std::size_t i, std::size_t j) const { return data[i * cols + j]; }
    static Matrix identity(std::size_t n) {
        Matrix m(n, n);
        for (std::size_t i = 0; i < n; ++i) m(i, i) = T(1);
        return m;
    }
};

template <class T>
using Vector = std::vector<T>;

// The same vector with every entry mapped by f (T -> U): conversions between arithmetics.
template <class U, class T, class F>
Vector<U> map_vector(const Vector<T>& v, F&& f) {
    Vector<U> out;
    out.reserve(v.size());
    for (const auto& x : v) out.push_back(f(x));
    return out;
}

template <class U, class T, class F>
Matrix<U> map_matrix(const Matrix<T>& m, F&& f) {
    Matrix<U> out;
    out.rows = m.rows;
    out.cols = m.cols;
    out.data = map_vector<U>(m.data, f);
    return out;
}

// <x, y> = sum_i x_i y_i (rho . V, and Frobenius products <A, B> = dot(A.data, B.data)).
template <class T>
T dot(const Vector<T>& x, const Vector<T>& y) {
    T acc(0);
    for (std::size_t i = 0; i < x.size(); ++i) acc += x[i] * y[i];
    return acc;
}

// ---- the support graph of a square matrix (i -> j where M(i,j) != 0) ------------------------

// Every index reachable in >= 0 steps from an index marked in `from`, on the exact support of M.
template <class T>
std::vector<bool> reachable(const Matrix<T>& M, std::vector<bool> from) {
    std::vector<std::size_t> stack;
    for (std::size_t i = 0; i < from.size(); ++i)
        if (from[i]) stack.push_back(i);
    while (!stack.empty()) {
        const std::size_t x = stack.back();
        stack.pop_back();
        for (std::size_t y = 0; y < M.cols; ++y)
            if (!from[y] && !is_zero(M(x, y))) {  // filtered for intervals (scalar.hpp)
                from[y] = true;
                stack.push_back(y);
            }
    }
    return from;
}

template <class T>
Matrix<T> transpose(const Matrix<T>& a);
template <class T>
Matrix<T> multiply(const Matrix<T>& a, const Matrix<T>& b);
template <class T>
Matrix<T> column(const Vector<T>& v);  // n x 1

// Which side the resolvent acts on.
//   right: solve (I - gamma P) X = B         (X, B: n x k; values V = (I - gamma P)^{-1} c)
//   left:  solve X (I - gamma P) = B         (X, B: k x n; occupancies, row vectors)
enum class side { right, left };

// Solve with the resolvent of a row-stochastic P (the caller guarantees P >= 0, rows sum to 1,
// 0 <= gamma < 1; the interval enclosure relies on it).
template <class T>
Matrix<T> resolvent_solve(const T& gamma, const Matrix<T>& P, const Matrix<T>& B, side s);

// Solves A X = B (A square) by Gaussian elimination with partial pivoting (largest |pivot|; in
// exact arithmetic any nonzero pivot would do, the largest is as good). std::domain_error when A is
// singular (exactly, or a zero pivot column in floating point). Intervals: naive interval
// elimination, which encloses the solution; the pivot is chosen by the midpoints' magnitudes (a
// choice, not a decision) and must then be certainly nonzero (filtered is_zero: undecided_comparison
// where its enclosure holds 0).
template <class T>
Matrix<T> lu_solve(Matrix<T> A, Matrix<T> B);

// (I - gamma P)^{-1} itself.
template <class T>
Matrix<T> resolvent(const T& gamma, const Matrix<T>& P);

// Exact solves: which algorithm solves the integral system. `automatic` (what resolvent_solve
// does) is exact_algorithm_for(n, k); the others exist so that tests and benchmarks can compare the
// two on the same system. The answer does not depend on the choice.
enum class exact_algorithm { automatic, bareiss, dixon };
Matrix<rational> resolvent_solve_exact(const rational& gamma, const Matrix<rational>& P, const Matrix<rational>& B,
                                       side s, exact_algorithm algorithm);

// n unknowns, k right-hand sides: Dixon from exact_dixon_threshold unknowns when k <= n/4, from
// exact_dixon_threshold_many otherwise (Dixon's lifting costs grow with k faster than Bareiss's
// extra columns do). The measurements behind both numbers are in lib/src/linalg.cpp.
inline constexpr std::size_t exact_dixon_threshold = 12, exact_dixon_threshold_many = 56;
inline exact_algorithm exact_algorithm_for(std::size_t n, std::size_t k) {
    const std::size_t threshold = 4 * k <= n ? exact_dixon_threshold : exact_dixon_threshold_many;
    return n < threshold ? exact_algorithm::bareiss : exact_algorithm::dixon;
}

#define RMDP_LINALG_EXTERN(T)                                                          \
    extern template Matrix<T> transpose(const Matrix<T>&);                             \
    extern template Matrix<T> multiply(const Matrix<T>&, const Matrix<T>&);            \
    extern template Matrix<T> column(const Vector<T>&);                                \
    extern template Matrix<T> resolvent_solve(const T&, const Matrix<T>&, const Matrix<T>&, side); \
    extern template Matrix<T> lu_solve(Matrix<T>, Matrix<T>);                          \
    extern template Matrix<T> resolvent(const T&, const Matrix<T>&);
RMDP_ALL_SCALARS(RMDP_LINALG_EXTERN)
#undef RMDP_LINALG_EXTERN

}  // namespace rmdp
