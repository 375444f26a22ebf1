// Dense linear algebra for the one system rmdp solves: (I - gamma P) X = B, P row-stochastic.
//
// The algorithm is chosen here, once, from scalar_traits<T>:
//   * exact rationals: fraction-free (Bareiss) elimination on integers after clearing row
//     denominators, then fraction-free back-substitution; the answer is exact.
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

// (I - gamma P)^{-1} itself.
template <class T>
Matrix<T> resolvent(const T& gamma, const Matrix<T>& P);

#define RMDP_LINALG_EXTERN(T)                                                          \
    extern template Matrix<T> transpose(const Matrix<T>&);                             \
    extern template Matrix<T> multiply(const Matrix<T>&, const Matrix<T>&);            \
    extern template Matrix<T> column(const Vector<T>&);                                \
    extern template Matrix<T> resolvent_solve(const T&, const Matrix<T>&, const Matrix<T>&, side); \
    extern template Matrix<T> resolvent(const T&, const Matrix<T>&);
RMDP_LINALG_EXTERN(rational)
RMDP_LINALG_EXTERN(mpfr_float)
RMDP_LINALG_EXTERN(mpfi_float)
RMDP_LINALG_EXTERN(double)
RMDP_LINALG_EXTERN(long double)
#undef RMDP_LINALG_EXTERN

}  // namespace rmdp
