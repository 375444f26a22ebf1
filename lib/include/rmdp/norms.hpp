// Vector and matrix norms (claims.md "Conventions": ||.||_inf on values, ||delta||_{1,inf} on
// directions, the induced 1-norm). Every arithmetic: |x| is Boost's abs, and the maximum of two
// intervals is the enclosure of the maximum of any two points (interval_max), so for MPFI a norm
// encloses the exact one without deciding any comparison.
#pragma once

#include "rmdp/linalg.hpp"
#include "rmdp/scalar.hpp"

#include <cstddef>

namespace rmdp {

namespace detail {
template <class T>
T norm_max(const T& a, const T& b) {
    if constexpr (is_interval_v<T>)
        return interval_max(a, b);
    else
        return a < b ? b : a;
}
template <class T>
T magnitude(const T& x) {
    using std::abs;
    return T(abs(x));
}
}  // namespace detail

// ||v||_inf = max_i |v_i| (0 for an empty vector); for a matrix's data, its largest |entry|.
template <class T>
T sup_norm(const Vector<T>& v) {
    T out(0);
    for (const auto& x : v) out = detail::norm_max(out, detail::magnitude(x));
    return out;
}

// max over rows (by_rows) or columns of the sum of |entries|: the row-sum norm ||M||_inf
// (||delta||_{1,inf} of a direction) or the column-sum norm ||M||_1, the standard induced 1-norm.
template <class T>
T sum_norm(const Matrix<T>& M, bool by_rows) {
    T out(0);
    for (std::size_t i = 0; i < (by_rows ? M.rows : M.cols); ++i) {
        T sum(0);
        for (std::size_t j = 0; j < (by_rows ? M.cols : M.rows); ++j) sum += detail::magnitude(by_rows ? M(i, j) : M(j, i));
        out = detail::norm_max(out, sum);
    }
    return out;
}

// sum_i v_i^2 = ||v||_2^2 (for a matrix's data: the squared Frobenius norm).
template <class T>
T squared_norm(const Vector<T>& v) {
    T out(0);
    for (const auto& x : v) out += x * x;
    return out;
}

}  // namespace rmdp
