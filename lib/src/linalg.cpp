#include "rmdp/linalg.hpp"
#include "rmdp/deadline.hpp"

#include <flint/fmpq_mat.h>
#include <flint/fmpz.h>
#include <flint/fmpz_mat.h>

#include <cstring>
#include <stdexcept>
#include <type_traits>

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

// The exact system made integral once (see the header): K Z = R with K = M (right) or M^T (left),
// M = D (I - gamma P), D = diag(d), and R the right-hand sides, column c scaled by L[c]. The
// solution of the original system is X = Z L^{-1} (right) or X^T = D Z L^{-1} (left):
//   right: (I - gamma P) X = B  <=>  M X = D B, and column c of D B times L[c] is integral;
//   left:  X (I - gamma P) = B  <=>  (X D^{-1}) M = B  <=>  M^T (X D^{-1})^T = B^T.
// Only rows of P are cleared, never its columns (a column's lcm is far larger: docs/benchmarks.md).
struct IntegralSystem {
    std::size_t n = 0, k = 0;
    std::vector<integer> K;  // n x n, row-major
    std::vector<integer> R;  // n x k, row-major
    std::vector<integer> d;  // row scalings of I - gamma P
    std::vector<integer> L;  // scaling of each right-hand side
};

IntegralSystem integral_system(const rational& gamma, const Matrix<rational>& P, const Matrix<rational>& B, side s) {
    IntegralSystem sys;
    const std::size_t n = P.rows, k = s == side::right ? B.cols : B.rows;
    sys.n = n;
    sys.k = k;
    sys.K.resize(n * n);
    sys.R.resize(n * k);
    sys.d.resize(n);
    sys.L.resize(k);
    std::vector<rational> a(n);
    for (std::size_t i = 0; i < n; ++i) {
        integer di = 1;
        for (std::size_t j = 0; j < n; ++j) {
            if (P(i, j) == 0) {
                a[j] = i == j ? 1 : 0;
                continue;
            }
            a[j] = -gamma * P(i, j);
            if (i == j) a[j] += 1;
            if (denominator(a[j]) != 1) di = lcm(di, denominator(a[j]));
        }
        for (std::size_t j = 0; j < n; ++j) {
            integer& entry = s == side::right ? sys.K[i * n + j] : sys.K[j * n + i];
            if (a[j] != 0) entry = numerator(a[j]) * (di / denominator(a[j]));
        }
        sys.d[i] = std::move(di);
    }
    std::vector<rational> col(n);
    for (std::size_t c = 0; c < k; ++c) {
        integer l = 1;
        for (std::size_t i = 0; i < n; ++i) {
            col[i] = s == side::right ? rational(B(i, c) * sys.d[i]) : B(c, i);
            if (denominator(col[i]) != 1) l = lcm(l, denominator(col[i]));
        }
        for (std::size_t i = 0; i < n; ++i)
            if (col[i] != 0) sys.R[i * k + c] = numerator(col[i]) * (l / denominator(col[i]));
        sys.L[c] = std::move(l);
    }
    return sys;
}

// Z (the solution of K Z = R) back to the solution of the original system.
Matrix<rational> unscale(const IntegralSystem& sys, Matrix<rational> Z, side s) {
    const integer one = 1;
    for (std::size_t i = 0; i < sys.n; ++i) {
        const integer& num = s == side::right ? one : sys.d[i];
        for (std::size_t c = 0; c < sys.k; ++c)
            if (num != sys.L[c] && Z(i, c) != 0) Z(i, c) *= rational(num, sys.L[c]);
    }
    return s == side::right ? Z : transpose(Z);
}

// Fraction-free Gaussian elimination (Bareiss 1968) on [K | R]. After elimination
// U(n-1,n-1) = +-det, every det * z is an integer (Cramer), and the back-substitution divisions
// are exact.
Matrix<rational> bareiss_solve(const IntegralSystem& sys) {
    const std::size_t n = sys.n, k = sys.k, w = n + k;
    std::vector<integer> M(n * w);
    for (std::size_t i = 0; i < n; ++i) {
        for (std::size_t j = 0; j < n; ++j) M[i * w + j] = sys.K[i * n + j];
        for (std::size_t j = 0; j < k; ++j) M[i * w + n + j] = sys.R[i * k + j];
    }
    integer prev = 1;
    for (std::size_t p = 0; p < n; ++p) {
        poll("exact linear solve (row)", p);  // --time-limit (a FLINT Dixon solve is not interruptible)
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

// FLINT objects with their lifetimes tied to a scope.
struct FmpzMat {
    fmpz_mat_t m;
    FmpzMat(std::size_t r, std::size_t c) { fmpz_mat_init(m, static_cast<slong>(r), static_cast<slong>(c)); }
    ~FmpzMat() { fmpz_mat_clear(m); }
    FmpzMat(const FmpzMat&) = delete;
    FmpzMat& operator=(const FmpzMat&) = delete;
};
struct FmpqMat {
    fmpq_mat_t m;
    FmpqMat(std::size_t r, std::size_t c) { fmpq_mat_init(m, static_cast<slong>(r), static_cast<slong>(c)); }
    ~FmpqMat() { fmpq_mat_clear(m); }
    FmpqMat(const FmpqMat&) = delete;
    FmpqMat& operator=(const FmpqMat&) = delete;
};

// p-adic lifting (Dixon 1982) by FLINT. GMP integers cross the boundary limb for limb
// (fmpz_set_mpz / fmpz_get_mpz), never through strings. FLINT returns each entry in canonical
// form (positive denominator, coprime), which is GMP's canonical mpq form, so no re-normalisation.
Matrix<rational> dixon_solve(const IntegralSystem& sys) {
    const std::size_t n = sys.n, k = sys.k;
    FmpzMat K(n, n), R(n, k);
    FmpqMat Z(n, k);
    for (std::size_t i = 0; i < n; ++i) {
        for (std::size_t j = 0; j < n; ++j)
            if (sys.K[i * n + j] != 0) fmpz_set_mpz(fmpz_mat_entry(K.m, i, j), sys.K[i * n + j].backend().data());
        for (std::size_t j = 0; j < k; ++j)
            if (sys.R[i * k + j] != 0) fmpz_set_mpz(fmpz_mat_entry(R.m, i, j), sys.R[i * k + j].backend().data());
    }
    if (!fmpq_mat_solve_fmpz_mat_dixon(Z.m, K.m, R.m)) throw std::domain_error("singular system in exact solve");
    Matrix<rational> X(n, k);
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t c = 0; c < k; ++c) {
            mpq_ptr q = X(i, c).backend().data();
            fmpz_get_mpz(mpq_numref(q), fmpq_mat_entry_num(Z.m, i, c));
            fmpz_get_mpz(mpq_denref(q), fmpq_mat_entry_den(Z.m, i, c));
        }
    return X;
}

#if defined(__x86_64__) && defined(__GNUC__)
// a[j] -= l * b[j] for j < m, sizeof(V) / 8 lanes at a time (GCC/Clang vector extension). Each
// element gets the same two IEEE operations (a product rounded, then a difference rounded) as the
// scalar loop. always_inline: the body is compiled for the instruction set of its caller.
template <class V>
[[gnu::always_inline]] inline void subtract_scaled_lanes(double* a, const double* b, double l, std::size_t m) {
    constexpr std::size_t w = sizeof(V) / sizeof(double);
    V lv;
    for (std::size_t i = 0; i < w; ++i) lv[i] = l;
    std::size_t j = 0;
    for (; j + w <= m; j += w) {
        V x, y;
        std::memcpy(&x, a + j, sizeof x);
        std::memcpy(&y, b + j, sizeof y);
        x -= lv * y;
        std::memcpy(a + j, &x, sizeof x);
    }
    for (; j < m; ++j) a[j] -= l * b[j];
}

// Four lanes with AVX2 (no FMA is enabled for this function, so the compiler cannot fuse the
// multiply and the subtraction), chosen at run time where the CPU has it.
__attribute__((target("avx2"))) void subtract_scaled_row_avx2(double* a, const double* b, double l, std::size_t m) {
    subtract_scaled_lanes<double __attribute__((vector_size(32)))>(a, b, l, m);
}
bool has_avx2() {
    static const bool yes = (__builtin_cpu_init(), __builtin_cpu_supports("avx2"));
    return yes;
}
void subtract_scaled_row_sse2(double* a, const double* b, double l, std::size_t m) {
    subtract_scaled_lanes<double __attribute__((vector_size(16)))>(a, b, l, m);
}
#else
constexpr bool has_avx2() { return false; }
void subtract_scaled_row_avx2(double*, const double*, double, std::size_t) {}
void subtract_scaled_row_sse2(double* a, const double* b, double l, std::size_t m) {
    for (std::size_t j = 0; j < m; ++j) a[j] -= l * b[j];
}
#endif

// a[j] -= l * b[j] for j < m: for double two lanes at a time (SSE2 on x86-64, which GCC's -O2
// does not vectorise here by itself), four with AVX2; the results are identical on every path.
template <class T>
void subtract_scaled_row(T* a, const T* b, const T& l, std::size_t m) {
    if constexpr (std::is_same_v<T, double>) {
        if (has_avx2()) return subtract_scaled_row_avx2(a, b, l, m);
        subtract_scaled_row_sse2(a, b, l, m);
    } else {
        for (std::size_t j = 0; j < m; ++j) a[j] -= l * b[j];
    }
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
        for (std::size_t i = 0; i < n; ++i) xi[i] = interval(approx(i, c), approx(i, c));
        for (std::size_t i = 0; i < n; ++i) {
            mpfi_float r = Bi(i, c);
            for (std::size_t j = 0; j < n; ++j) r -= A(i, j) * xi[j];
            const mpfi_float mag = abs(r);
            if (s == side::right)
                norm = hull(norm, mag);  // sup of the hull = max of the sups
            else
                norm += mag;
        }
        // Upper end of the norm is what matters: widen to [-sup, sup].
        const mpfr_float sup = upper_end(norm);
        const mpfr_float e = upper_end(mpfi_float(interval(sup, sup) * inv));
        const mpfi_float ball = interval(mpfr_float(-e), e);
        for (std::size_t i = 0; i < n; ++i) X(i, c) = xi[i] + ball;
    }
    return s == side::right ? X : transpose(X);
}

// |x| for choosing a pivot: for intervals the magnitude of the midpoint (a choice, not a decision).
template <class T>
auto pivot_size(const T& x) {
    using std::abs;
    if constexpr (is_interval_v<T>)
        return mpfr_float(abs(midpoint(x)));
    else
        return T(abs(x));
}
}  // namespace

// linalg.hpp: partial pivoting on any field type; for intervals the pivot's nonzero test is filtered.
template <class T>
Matrix<T> lu_solve(Matrix<T> A, Matrix<T> B) {
    const std::size_t n = A.rows, k = B.cols;
    for (std::size_t p = 0; p < n; ++p) {
        std::size_t piv = p;
        for (std::size_t i = p + 1; i < n; ++i)
            if (pivot_size(A(i, p)) > pivot_size(A(piv, p))) piv = i;
        if (is_zero(A(piv, p))) throw std::domain_error("singular system in lu_solve");
        if (piv != p) {
            for (std::size_t j = 0; j < n; ++j) std::swap(A(p, j), A(piv, j));
            for (std::size_t j = 0; j < k; ++j) std::swap(B(p, j), B(piv, j));
        }
        for (std::size_t i = p + 1; i < n; ++i) {
            T l = A(i, p) / A(p, p);
            if (is_certainly_zero(l)) continue;
            subtract_scaled_row(&A(i, p + 1), &A(p, p + 1), l, n - p - 1);  // rows i != p: no overlap
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

template <class T>
Matrix<T> resolvent_solve(const T& gamma, const Matrix<T>& P, const Matrix<T>& B, side s) {
    if (P.rows != P.cols) throw std::logic_error("resolvent_solve: P must be square");
    if ((s == side::right ? B.rows : B.cols) != P.rows) throw std::logic_error("resolvent_solve: shape mismatch");
    if constexpr (is_interval_v<T>) {
        return verified_solve(gamma, P, B, s);
    } else if constexpr (is_exact_v<T>) {
        return resolvent_solve_exact(gamma, P, B, s, exact_algorithm::automatic);
    } else {
        Matrix<T> A = system_matrix(gamma, P, s);
        Matrix<T> X = lu_solve(A, s == side::right ? B : transpose(B));
        return s == side::right ? X : transpose(X);
    }
}

// exact_algorithm_for (linalg.hpp) from bench/bench_linalg.cpp, BM_resolvent, 2026-11-30 on the
// 2-vCPU VM of docs/benchmarks.md (shared, load 10-12; CPU time, gamma = 9/10, rows
// random_distribution(rng, n, 6)), Bareiss / Dixon in microseconds:
//   k = 1 (right):  n = 4: 22 / 39,  8: 81 / 86,   12: 216 / 197,  16: 471 / 316,  64: 26538 / 5223
//   k = 1 (left):   n = 8: 71 / 87,  12: 231 / 219, 16: 442 / 326
//   k = n/4:        n = 4: 22 / 30,  8: 98 / 71,   12: 307 / 191,  64: 42821 / 15358
//   k = n (B = I):  n = 32: 8948 / 9337,  48: 22124 / 23794,  64: 73462 / 55442
// so Dixon from n = 12 for few right-hand sides and from about n = 56 for the full resolvent.

Matrix<rational> resolvent_solve_exact(const rational& gamma, const Matrix<rational>& P, const Matrix<rational>& B,
                                       side s, exact_algorithm algorithm) {
    if (P.rows != P.cols) throw std::logic_error("resolvent_solve: P must be square");
    if ((s == side::right ? B.rows : B.cols) != P.rows) throw std::logic_error("resolvent_solve: shape mismatch");
    const IntegralSystem sys = integral_system(gamma, P, B, s);
    if (sys.n == 0 || sys.k == 0) return s == side::right ? Matrix<rational>(sys.n, sys.k) : Matrix<rational>(sys.k, sys.n);
    if (algorithm == exact_algorithm::automatic) algorithm = exact_algorithm_for(sys.n, sys.k);
    return unscale(sys, algorithm == exact_algorithm::bareiss ? bareiss_solve(sys) : dixon_solve(sys), s);
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
    template Matrix<T> lu_solve(Matrix<T>, Matrix<T>);                          \
    template Matrix<T> resolvent(const T&, const Matrix<T>&);
RMDP_ALL_SCALARS(RMDP_LINALG_INSTANTIATE)

}  // namespace rmdp
