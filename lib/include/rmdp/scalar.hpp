// Scalars: the number types rmdp computes with, and what each can do.
//
// Every algorithm in rmdp is a template over a scalar type T. scalar_traits<T> is the
// single place that says what T is able to decide:
//   * exact rationals (mpq): comparisons are decisions, identities are checked as identities;
//   * MPFR floats and double/long double: results carry rounding error; comparisons against
//     derived error bounds (unit_roundoff) belong to cross-checks only;
//   * MPFI intervals: comparisons are three-valued; a relation is certain only when the
//     enclosures decide it (CGAL's Uncertain<bool>, Arb's arb_lt).
#pragma once

#include <boost/multiprecision/gmp.hpp>
#include <boost/multiprecision/mpfi.hpp>
#include <boost/multiprecision/mpfr.hpp>

#include <string>
#include <tuple>
#include <type_traits>

namespace rmdp {

using rational = boost::multiprecision::mpq_rational;
using integer = boost::multiprecision::mpz_int;
using mpfr_float = boost::multiprecision::mpfr_float;    // run-time precision
using mpfi_float = boost::multiprecision::mpfi_float;    // run-time precision interval

// The one list of scalar types. Every explicit instantiation in lib/ is generated from it
// (X(T) for each T), so adding a scalar means adding it here and a scalar_traits specialisation:
//   RMDP_ORDERED_SCALARS  the totally ordered types (the robust, solver and gradient layers)
//   RMDP_ALL_SCALARS      those plus MPFI intervals (linear algebra, evaluation, mirror steps, MBPO)
#define RMDP_ORDERED_SCALARS(X) X(rational) X(mpfr_float) X(double) X(long double)
#define RMDP_ALL_SCALARS(X) RMDP_ORDERED_SCALARS(X) X(mpfi_float)

// The same lists as types (a std::tuple used only as a type list, never as an object): what
// dispatch() (arith.hpp) chooses from and what the tests' TEMPLATE_LIST_TEST_CASEs run over.
namespace detail {
template <class Done, class... Rest>
struct scalar_list_builder;
template <class... Done>
struct scalar_list_builder<std::tuple<Done...>, void> {  // the sentinel closing the macro's list
    using type = std::tuple<Done...>;
};
template <class... Done, class T, class... Rest>
struct scalar_list_builder<std::tuple<Done...>, T, Rest...> {
    using type = typename scalar_list_builder<std::tuple<Done..., T>, Rest...>::type;
};
}  // namespace detail
#define RMDP_SCALAR_LIST_ENTRY(T) T,
using ordered_scalars = detail::scalar_list_builder<std::tuple<>, RMDP_ORDERED_SCALARS(RMDP_SCALAR_LIST_ENTRY) void>::type;
using all_scalars = detail::scalar_list_builder<std::tuple<>, RMDP_ALL_SCALARS(RMDP_SCALAR_LIST_ENTRY) void>::type;
#undef RMDP_SCALAR_LIST_ENTRY

// Parse an exact rational from text: "3/4", "-2", "0.125" (= 1/8), "1e-3" (= 1/1000).
// Throws std::invalid_argument with a one-line reason on anything else (including nan/inf).
rational parse_rational(const std::string& text);

// Precision (in bits) used for newly created mpfr_float / mpfi_float values. Process-wide,
// because Boost 1.74 keeps it so (one static per backend; a thread-local default precision came
// with later Boost versions): parallel campaigns therefore fork processes (campaign.cpp) and the
// Python module holds a lock. Boost sets precision in decimal digits; this picks the smallest
// digit count giving at least `bits` bits and returns the number of bits actually in force.
unsigned set_working_precision(unsigned bits);
unsigned working_precision();

// The working precision for one scope: set on construction, the previous one restored on
// destruction, so that a run sets its precision once and leaves nothing behind.
class scoped_precision {
public:
    explicit scoped_precision(unsigned bits) : saved_(working_precision()), bits_(set_working_precision(bits)) {}
    ~scoped_precision() { set_working_precision(saved_); }
    scoped_precision(const scoped_precision&) = delete;
    scoped_precision& operator=(const scoped_precision&) = delete;
    unsigned bits() const { return bits_; }  // the precision in force (>= the bits asked for)

private:
    unsigned saved_, bits_;
};

// A three-valued truth (CGAL's Uncertain<bool>): intervals cannot always decide a relation.
enum class truth { no, yes, unknown };

namespace detail {
std::string format_mpfr(mpfr_srcptr x, mpfr_rnd_t rnd);  // round-trip digits, directed rounding
}

template <class T>
struct scalar_traits;

template <>
struct scalar_traits<rational> {
    static constexpr bool has_precision = false;  // whether working_precision() applies
    static constexpr bool is_exact = true;
    static constexpr bool is_interval = false;
    static constexpr bool has_exp_log = false;
    static const char* name() { return "exact"; }
    static rational from_rational(const rational& q) { return q; }
    static std::string to_string(const rational& x) { return x.str(); }
    // No rounding: every tolerance written as k * unit_roundoff() becomes exact equality.
    static rational unit_roundoff() { return rational(0); }
    static truth le(const rational& a, const rational& b) { return a <= b ? truth::yes : truth::no; }
    static truth eq(const rational& a, const rational& b) { return a == b ? truth::yes : truth::no; }
};

template <>
struct scalar_traits<mpfr_float> {
    static constexpr bool has_precision = true;
    static constexpr bool is_exact = false;
    static constexpr bool is_interval = false;
    static constexpr bool has_exp_log = true;
    static const char* name() { return "mpfr"; }
    static mpfr_float from_rational(const rational& q) {  // correctly rounded
        mpfr_float x;
        mpfr_set_q(x.backend().data(), q.backend().data(), MPFR_RNDN);
        return x;
    }
    static std::string to_string(const mpfr_float& x) { return detail::format_mpfr(x.backend().data(), MPFR_RNDN); }
    static mpfr_float unit_roundoff() {
        mpfr_float u(1);
        return ldexp(u, -static_cast<int>(working_precision()));
    }
    static truth le(const mpfr_float& a, const mpfr_float& b) { return a <= b ? truth::yes : truth::no; }
    static truth eq(const mpfr_float& a, const mpfr_float& b) { return a == b ? truth::yes : truth::no; }
};

template <class F>
struct native_float_traits {
    static constexpr bool has_precision = false;
    static constexpr bool is_exact = false;
    static constexpr bool is_interval = false;
    static constexpr bool has_exp_log = true;
    static F from_rational(const rational& q);  // correctly rounded (one division or MPFR: arithmetic.md)
    static std::string to_string(F x);          // shortest round-trip (std::to_chars)
    static F unit_roundoff() { return std::numeric_limits<F>::epsilon() / 2; }
    static truth le(F a, F b) { return a <= b ? truth::yes : truth::no; }
    static truth eq(F a, F b) { return a == b ? truth::yes : truth::no; }
};

template <>
struct scalar_traits<double> : native_float_traits<double> {
    static const char* name() { return "double"; }
};
template <>
struct scalar_traits<long double> : native_float_traits<long double> {
    static const char* name() { return "long-double"; }
};

template <>
struct scalar_traits<mpfi_float> {
    static constexpr bool has_precision = true;
    static constexpr bool is_exact = false;
    static constexpr bool is_interval = true;
    static constexpr bool has_exp_log = true;
    static const char* name() { return "interval"; }
    // Set directly with mpfi_set_q: Boost 1.74's converting constructor goes through a huge
    // temporary precision (toolchain.md, gotcha 1).
    static mpfi_float from_rational(const rational& q) {
        mpfi_float x;
        mpfi_set_q(x.backend().data(), q.backend().data());
        return x;
    }
    static std::string to_string(const mpfi_float& x);  // "[lo,hi]", lo rounded down, hi up
    static mpfi_float unit_roundoff() { return mpfi_float(0); }
    // Never a raw '<' on mpfi_float: it throws from a noexcept function (std::terminate).
    static truth le(const mpfi_float& a, const mpfi_float& b);
    static truth eq(const mpfi_float& a, const mpfi_float& b);
};

template <class T>
inline constexpr bool is_exact_v = scalar_traits<T>::is_exact;
template <class T>
inline constexpr bool is_interval_v = scalar_traits<T>::is_interval;

template <class T>
T from_rational(const rational& q) {
    return scalar_traits<T>::from_rational(q);
}
template <class T>
std::string to_string(const T& x) {
    return scalar_traits<T>::to_string(x);
}

// Exact rational value of a finite float (every double is a dyadic rational).
inline rational exact_value(const rational& x) { return x; }
rational exact_value(double x);
rational exact_value(long double x);
rational exact_value(const mpfr_float& x);

// Enclosure ends of an interval as exact rationals.
rational lower_rational(const mpfi_float& x);
rational upper_rational(const mpfi_float& x);

// Intervals built and taken apart here only, so that no layer above calls mpfi_* itself.
mpfi_float interval(const rational& lo, const rational& hi);      // [lo, hi], ends rounded outward
mpfi_float interval(const mpfr_float& lo, const mpfr_float& hi);  // [lo, hi]
mpfr_float lower_end(const mpfi_float& x);                         // rounded down
mpfr_float upper_end(const mpfi_float& x);                         // rounded up
mpfr_float midpoint(const mpfi_float& x);                          // a point of x (mpfi_mid)
mpfi_float hull(const mpfi_float& a, const mpfi_float& b);         // the smallest interval holding both
// An enclosure of {max(x, y) : x in a, y in b}: both of its ends are the maxima of the ends.
mpfi_float interval_max(const mpfi_float& a, const mpfi_float& b);

}  // namespace rmdp
