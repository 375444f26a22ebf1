#include "rmdp/linalg.hpp"
#include "rmdp/deadline.hpp"

#include <cmath>
#include <sstream>

#include <stdexcept>

namespace rmdp {

template <class T>
Matrix<T> transpose(const Matrix<T>& a) {
    Matrix<T> t(a.cols, a.rows);
    for (std::size_t i = 0; i < a.rows; ++i)
        for (std::size_t j = 0; j < a.cols; ++j) t(j, i) = a(i, j);
    return t;
}

template <class T>
Matrix<T> multiply(const Matrix<T>& a, const Matrix<T>& b) {
    if (a.cols != b.rows) throw std::logic_error("multiply: shape mismatch");
    Matrix<T> c(a.rows, b.cols);
    for (std::size_t i = 0; i < a.rows; ++i)
        for (std::size_t k = 0; k < a.cols; ++k) {
            if constexpr (is_exact_v<T>)
                if (a(i, k) == 0) continue;  // kernels are sparse; skipping is exact
            for (std::size_t j = 0; j < b.cols; ++j) c(i, j) += a(i, k) * b(k, j);
        }
    return c;
}

template <class T>
Matrix<T> column(const Vector<T>& v) {
    Matrix<T> c(v.size(), 1);
    for (std::size_t i = 0; i < v.size(); ++i) c(i, 0) = v[i];
    return c;
}

namespace {

// A = I - gamma P, or its transpose for the left solve.
template <class T>
Matrix<T> system_matrix(const T& gamma, const Matrix<T>& P, side s) {
    const std::size_t n = P.rows;
    Matrix<T> A(n, n);
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < n; ++j) {
            T v = -gamma * (s == side::right ? P(i, j) : P(j, i));
            if (i == j) v += T(1);
            A(i, j) = v;
        }
    return A;
}

// A size-based estimate of one Bareiss solve: n^3 updates of integers that grow to about n times
// the row bit size b, each costing about (n b / 64)^1.6 word operations (GMP's subquadratic
// products), 5 ns each -- calibrated on the 20x20 gamma = 9/10 solve of docs/benchmarks.md
// (~230 us). It only decides whether to warn; it is a rough guide, not a promise.
void warn_if_huge(const std::vector<integer>& M, std::size_t n, std::size_t w) {
    std::size_t bits = 1;
    for (std::size_t i = 0; i < n; ++i) {
        std::size_t row = 1;
        for (std::size_t j = 0; j < w; ++j)
            if (M[i * w + j] != 0) row = std::max<std::size_t>(row, msb(abs(M[i * w + j])) + 1);
        bits = std::max(bits, row);
    }
    const double nd = static_cast<double>(n), words = std::max(1.0, nd * static_cast<double>(bits) / 64.0);
    const double seconds = 5e-9 * nd * nd * nd * std::pow(words, 1.6);
    if (seconds < 10) return;
    std::ostringstream o;
    o << "an exact linear solve of " << n << " states with " << bits << "-bit rows is predicted to take about "
      << (seconds < 3600 ? std::to_string(static_cast<long>(seconds)) + " s" : std::to_string(static_cast<long>(seconds / 3600)) + " h")
      << " each, and robust solves repeat it (size-based estimate, docs/reliability.md); --time-limit SECONDS bounds the "
         "run, --arith double or mpfr:BITS is fast";
    warn_predicted_work(o.str());
}

// Fraction-free Gaussian elimination (Bareiss 1968) on the integer matrix obtained by scaling
// each row of [A | B] by the lcm of its denominators. After elimination U(n-1,n-1) = +-det, every
// det * x is an integer (Cramer), and the back-substitution divisions are exact.
Matrix<rational> bareiss_solve(const Matrix<rational>& A, const Matrix<rational>& B) {
    const std::size_t n = A.rows, k = B.cols, w = n + k;
    std::vector<integer> M(n * w);
    for (std::size_t i = 0; i < n; ++i) {
        integer l = 1;
        for (std::size_t j = 0; j < n; ++j) l = lcm(l, denominator(A(i, j)));
        for (std::size_t j = 0; j < k; ++j) l = lcm(l, denominator(B(i, j)));
        for (std::size_t j = 0; j < n; ++j) M[i * w + j] = numerator(A(i, j)) * (l / denominator(A(i, j)));
        for (std::size_t j = 0; j < k; ++j) M[i * w + n + j] = numerator(B(i, j)) * (l / denominator(B(i, j)));
    }
    warn_if_huge(M, n, w);
    integer prev = 1;
    for (std::size_t p = 0; p < n; ++p) {
        poll("exact linear solve (row)", p);
        std::size_t piv = p;
        while (piv < n && M[piv * w + p] == 0) ++piv;
        if (piv == n) throw std::domain_error("singular system in exact solve");
        if (piv != p)
            for (std::size_t j = 0; j < w; ++j) std::swap(M[p * w + j], M[piv * w + j]);
        const integer& mpp = M[p * w + p];
        for (std::size_t i = p + 1; i < n; ++i) {
            const integer mip = M[i * w + p];
            for (std::size_t j = p + 1; j < w; ++j) {
                integer v = mpp * M[i * w + j] - mip * M[p * w + j];
                M[i * w + j] = v / prev;  // exact by Sylvester's identity
            }
            M[i * w + p] = 0;
        }
        prev = mpp;
    }
    const integer det = M[(n - 1) * w + (n - 1)];
    Matrix<rational> X(n, k);
    std::vector<integer> y(n);
    for (std::size_t c = 0; c < k; ++c) {
        for (std::size_t ii = n; ii-- > 0;) {
            integer acc = det * M[ii * w + n + c];
            for (std::size_t j = ii + 1; j < n; ++j) acc -= M[ii * w + j] * y[j];
            y[ii] = acc / M[ii * w + ii];  // exact: y = det * x is integral
        }
        for (std::size_t ii = 0; ii < n; ++ii) X(ii, c) = rational(y[ii], det);
    }
    return X;
}

// LU with partial pivoting on any ordered field type.
template <class T>
Matrix<T> lu_solve(Matrix<T> A, Matrix<T> B) {
    using std::abs;
    const std::size_t n = A.rows, k = B.cols;
    for (std::size_t p = 0; p < n; ++p) {
        std::size_t piv = p;
        for (std::size_t i = p + 1; i < n; ++i)
            if (abs(A(i, p)) > abs(A(piv, p))) piv = i;
        if (A(piv, p) == 0) throw std::domain_error("singular system in floating-point solve");
        if (piv != p) {
            for (std::size_t j = 0; j < n; ++j) std::swap(A(p, j), A(piv, j));
            for (std::size_t j = 0; j < k; ++j) std::swap(B(p, j), B(piv, j));
        }
        for (std::size_t i = p + 1; i < n; ++i) {
            T l = A(i, p) / A(p, p);
            if (l == 0) continue;
            for (std::size_t j = p + 1; j < n; ++j) A(i, j) -= l * A(p, j);
            for (std::size_t j = 0; j < k; ++j) B(i, j) -= l * B(p, j);
            A(i, p) = 0;
        }
    }
    Matrix<T> X(n, k);
    for (std::size_t c = 0; c < k; ++c)
        for (std::size_t ii = n; ii-- > 0;) {
            T acc = B(ii, c);
            for (std::size_t j = ii + 1; j < n; ++j) acc -= A(ii, j) * X(j, c);
            X(ii, c) = acc / A(ii, ii);
        }
    return X;
}

mpfr_float midpoint(const mpfi_float& x) {
    mpfr_float m;
    mpfi_mid(m.backend().data(), x.backend().data());
    return m;
}

mpfi_float point(const mpfr_float& x) {
    mpfi_float v;
    mpfi_set_fr(v.backend().data(), x.backend().data());
    return v;
}

// Verified enclosure: see the header comment for the bound.
Matrix<mpfi_float> verified_solve(const mpfi_float& gamma, const Matrix<mpfi_float>& P, const Matrix<mpfi_float>& B,
                                  side s) {
    const std::size_t n = P.rows;
    Matrix<mpfi_float> A = system_matrix(gamma, P, s);  // transposed for the left solve
    Matrix<mpfr_float> Am(n, n), Bm(B.rows, B.cols);
    for (std::size_t i = 0; i < A.data.size(); ++i) Am.data[i] = midpoint(A.data[i]);
    for (std::size_t i = 0; i < B.data.size(); ++i) Bm.data[i] = midpoint(B.data[i]);
    // Left solve X A0 = B is A0^T X^T = B^T; system_matrix already transposed A.
    Matrix<mpfr_float> rhs = s == side::right ? Bm : transpose(Bm);
    Matrix<mpfr_float> approx = lu_solve(Am, rhs);
    Matrix<mpfi_float> Bi = s == side::right ? B : transpose(B);
    mpfi_float one_minus_gamma = mpfi_float(1) - gamma;
    if (!(lower_rational(one_minus_gamma) > 0)) throw std::domain_error("verified solve needs gamma < 1");
    mpfi_float inv = mpfi_float(1) / one_minus_gamma;
    const std::size_t k = rhs.cols;
    Matrix<mpfi_float> X(n, k);
    for (std::size_t c = 0; c < k; ++c) {
        mpfi_float norm(0);  // inf-norm (right) or 1-norm (left) of the interval residual
        std::vector<mpfi_float> xi(n);
        for (std::size_t i = 0; i < n; ++i) xi[i] = point(approx(i, c));
        for (std::size_t i = 0; i < n; ++i) {
            mpfi_float r = Bi(i, c);
            for (std::size_t j = 0; j < n; ++j) r -= A(i, j) * xi[j];
            mpfi_float mag;
            mpfi_abs(mag.backend().data(), r.backend().data());
            if (s == side::right)
                mpfi_put(norm.backend().data(), mag.backend().data());  // hull: sup of norm = max
            else
                norm += mag;
        }
        // Upper end of the norm is what matters: widen to [-sup, sup].
        mpfr_float sup;
        mpfi_get_right(sup.backend().data(), norm.backend().data());
        mpfi_float radius;
        mpfi_interv_fr(radius.backend().data(), sup.backend().data(), sup.backend().data());
        mpfi_float err = radius * inv;
        mpfr_float e;
        mpfi_get_right(e.backend().data(), err.backend().data());
        mpfr_float neg_e = -e;
        mpfi_float ball;
        mpfi_interv_fr(ball.backend().data(), neg_e.backend().data(), e.backend().data());
        for (std::size_t i = 0; i < n; ++i) X(i, c) = xi[i] + ball;
    }
    return s == side::right ? X : transpose(X);
}

}  // namespace

template <class T>
Matrix<T> resolvent_solve(const T& gamma, const Matrix<T>& P, const Matrix<T>& B, side s) {
    if (P.rows != P.cols) throw std::logic_error("resolvent_solve: P must be square");
    if ((s == side::right ? B.rows : B.cols) != P.rows) throw std::logic_error("resolvent_solve: shape mismatch");
    if constexpr (is_interval_v<T>) {
        return verified_solve(gamma, P, B, s);
    } else {
        Matrix<T> A = system_matrix(gamma, P, s);
        Matrix<T> rhs = s == side::right ? B : transpose(B);
        Matrix<T> X;
        if constexpr (is_exact_v<T>)
            X = bareiss_solve(A, rhs);
        else
            X = lu_solve(A, rhs);
        return s == side::right ? X : transpose(X);
    }
}

template <class T>
Matrix<T> resolvent(const T& gamma, const Matrix<T>& P) {
    return resolvent_solve(gamma, P, Matrix<T>::identity(P.rows), side::right);
}

#define RMDP_LINALG_INSTANTIATE(T)                                              \
    template Matrix<T> transpose(const Matrix<T>&);                             \
    template Matrix<T> multiply(const Matrix<T>&, const Matrix<T>&);            \
    template Matrix<T> column(const Vector<T>&);                                \
    template Matrix<T> resolvent_solve(const T&, const Matrix<T>&, const Matrix<T>&, side); \
    template Matrix<T> resolvent(const T&, const Matrix<T>&);
RMDP_LINALG_INSTANTIATE(rational)
RMDP_LINALG_INSTANTIATE(mpfr_float)
RMDP_LINALG_INSTANTIATE(mpfi_float)
RMDP_LINALG_INSTANTIATE(double)
RMDP_LINALG_INSTANTIATE(long double)

}  // namespace rmdp
