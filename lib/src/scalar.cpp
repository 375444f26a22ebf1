#include "rmdp/scalar.hpp"

#include <boost/multiprecision/detail/digits.hpp>

#include <charconv>
#include <cstdint>
#include <cmath>
#include <numeric>
#include <stdexcept>

namespace rmdp {

namespace {

bool all_digits(const std::string& s) {
    if (s.empty()) return false;
    for (char c : s)
        if (c < '0' || c > '9') return false;
    return true;
}

// Exponents are bounded so that "1e999999999" is an error, not an hour of bignum arithmetic.
constexpr long max_decimal_exponent = 4000;

unsigned g_bits = 0;

// Base 10 always: Boost's string constructor of mpz_int reads a leading 0 as octal.
integer decimal_integer(const std::string& digits) {
    integer z;
    if (mpz_set_str(z.backend().data(), digits.c_str(), 10) != 0)
        throw std::invalid_argument("'" + digits + "' is not a decimal integer");
    return z;
}

// The common spellings "[+-]d", "[+-]d/d" and "[+-]d.d" (no exponent) with at most 18 digits in
// each integer (so each fits in 64 bits): p/q or digits/10^k from machine integers, in lowest
// terms, the value the general path gives. Anything else, and a zero denominator (whose message the
// general path gives), returns false.
bool parse_small_rational(const std::string& text, rational& out) {
    const char* p = text.data();
    const char* const end = p + text.size();
    const bool negative = p != end && *p == '-';
    if (p != end && (*p == '-' || *p == '+')) ++p;
    auto digits = [&](std::uint64_t& v, std::size_t& count) {
        const char* start = p;
        v = 0;
        while (p != end && *p >= '0' && *p <= '9') v = v * 10 + static_cast<std::uint64_t>(*p++ - '0');
        count = static_cast<std::size_t>(p - start);
        return count > 0 && count <= 18;
    };
    std::uint64_t num = 0, den = 1;
    std::size_t n = 0;
    if (!digits(num, n)) return false;
    if (p != end && *p == '/') {
        ++p;
        if (!digits(den, n) || den == 0) return false;
    } else if (p != end && *p == '.') {
        ++p;
        std::uint64_t frac = 0;
        std::size_t k = 0;
        if (!digits(frac, k)) return false;
        std::uint64_t scale = 1;
        for (std::size_t i = 0; i < k; ++i) scale *= 10;
        if (num > (UINT64_MAX - frac) / scale) return false;
        num = num * scale + frac;
        den = scale;
    }
    if (p != end) return false;
    const std::uint64_t g = std::gcd(num, den);  // canonical form (mpq_canonicalize's) in machine words
    mpq_ptr q = out.backend().data();
    mpz_set_ui(mpq_numref(q), num / g);  // unsigned long is 64 bits on the platforms rmdp builds on
    mpz_set_ui(mpq_denref(q), den / g);
    if (negative) mpq_neg(q, q);
    return true;
}

}  // namespace

rational parse_rational(const std::string& text) {
    if (text.empty()) throw std::invalid_argument("empty string is not a number");
    if (rational fast; sizeof(unsigned long) == 8 && parse_small_rational(text, fast)) return fast;
    std::string s = text;
    bool negative = false;
    std::size_t pos = 0;
    if (s[0] == '+' || s[0] == '-') {
        negative = s[0] == '-';
        pos = 1;
    }
    std::string body = s.substr(pos);
    if (body.empty()) throw std::invalid_argument("'" + text + "' is not a number");
    std::string lowered;
    for (char c : body) lowered += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lowered == "nan" || lowered == "inf" || lowered == "infinity")
        throw std::invalid_argument("'" + text + "' is not a finite number");

    rational value;
    auto slash = body.find('/');
    if (slash != std::string::npos) {
        std::string p = body.substr(0, slash), q = body.substr(slash + 1);
        if (!all_digits(p) || !all_digits(q))
            throw std::invalid_argument("'" + text + "' is not of the form p/q with integers p, q");
        integer den = decimal_integer(q);
        if (den == 0) throw std::invalid_argument("'" + text + "' has denominator zero");
        value = rational(decimal_integer(p), den);
    } else {
        std::string mantissa = body, exponent;
        auto e = lowered.find('e');
        if (e != std::string::npos) {
            mantissa = body.substr(0, e);
            exponent = body.substr(e + 1);
        }
        std::string ip = mantissa, fp;
        auto dot = mantissa.find('.');
        if (dot != std::string::npos) {
            ip = mantissa.substr(0, dot);
            fp = mantissa.substr(dot + 1);
        }
        if ((ip.empty() && fp.empty()) || (!ip.empty() && !all_digits(ip)) || (!fp.empty() && !all_digits(fp)))
            throw std::invalid_argument("'" + text + "' is not a decimal number, an integer or p/q");
        long exp10 = 0;
        if (e != std::string::npos) {
            std::string digits = exponent;
            bool neg_exp = false;
            if (!digits.empty() && (digits[0] == '+' || digits[0] == '-')) {
                neg_exp = digits[0] == '-';
                digits = digits.substr(1);
            }
            if (!all_digits(digits)) throw std::invalid_argument("'" + text + "' has a malformed exponent");
            if (digits.size() > 6 || std::stol(digits) > max_decimal_exponent)
                throw std::invalid_argument("'" + text + "' has an exponent beyond +-" + std::to_string(max_decimal_exponent));
            exp10 = std::stol(digits) * (neg_exp ? -1 : 1);
        }
        integer num = decimal_integer(ip + fp);
        exp10 -= static_cast<long>(fp.size());
        integer scale = pow(integer(10), static_cast<unsigned>(std::labs(exp10)));
        value = exp10 >= 0 ? rational(num * scale) : rational(num, scale);
    }
    return negative ? rational(-value) : value;
}

unsigned set_working_precision(unsigned bits) {
    if (bits < 2) throw std::invalid_argument("precision must be at least 2 bits");
    unsigned d10 = 1;
    while (boost::multiprecision::detail::digits10_2_2(d10) < bits) ++d10;
    mpfr_float::default_precision(d10);
    mpfi_float::default_precision(d10);
    mpfr_float probe(1);
    g_bits = static_cast<unsigned>(mpfr_get_prec(probe.backend().data()));
    return g_bits;
}

unsigned working_precision() {
    if (g_bits == 0) {
        mpfr_float probe(1);
        g_bits = static_cast<unsigned>(mpfr_get_prec(probe.backend().data()));
    }
    return g_bits;
}

namespace detail {

std::string format_mpfr(mpfr_srcptr x, mpfr_rnd_t rnd) {
    if (mpfr_nan_p(x)) return "nan";
    if (mpfr_inf_p(x)) return mpfr_signbit(x) ? "-inf" : "inf";
    if (mpfr_zero_p(x)) return "0";
    // n digits with 10^(n-1) > 2^p make the decimal string round-trip (MPFR's mpfr_get_str doc).
    auto digits = static_cast<std::size_t>(1 + std::ceil(static_cast<double>(mpfr_get_prec(x)) * std::log10(2.0)));
    mpfr_exp_t e = 0;
    char* raw = mpfr_get_str(nullptr, &e, 10, digits, x, rnd);
    std::string m(raw);
    mpfr_free_str(raw);
    std::string sign;
    if (m[0] == '-') {
        sign = "-";
        m = m.substr(1);
    }
    while (m.size() > 1 && m.back() == '0') m.pop_back();
    std::string out = sign + m.substr(0, 1);
    if (m.size() > 1) out += "." + m.substr(1);
    long exp10 = static_cast<long>(e) - 1;
    if (exp10 != 0) out += "e" + std::to_string(exp10);
    return out;
}

}  // namespace detail

template <class F>
F native_float_traits<F>::from_rational(const rational& q) {
    if constexpr (std::is_same_v<F, double> && std::numeric_limits<double>::is_iec559) {
        // Fast path: |numerator| < 2^53 and denominator < 2^53 are doubles exactly (each conversion is
        // then exact), and one IEEE 754 division of exact operands is correctly rounded (round to
        // nearest, ties to even; IEEE 754-2008 sec. 4.3, the default mode, never changed here).
        // The quotient's magnitude lies in [2^-53, 2^53] (or is 0), far from subnormals and
        // overflow, so it is the double the MPFR path below gives, at a few instructions a value.
        mpq_srcptr r = q.backend().data();
        // One limb each (read in place: no library call per value); the sign applies exactly.
        constexpr mp_limb_t two53 = mp_limb_t(1) << 53;
        if (mpz_size(mpq_numref(r)) <= 1 && mpz_size(mpq_denref(r)) == 1) {
            const mp_limb_t n = mpz_getlimbn(mpq_numref(r), 0), d = mpz_getlimbn(mpq_denref(r), 0);
            if (n < two53 && d < two53) {
                const double x = static_cast<double>(n) / static_cast<double>(d);
                return mpz_sgn(mpq_numref(r)) < 0 ? -x : x;
            }
        }
    }
    // Round once, to the target format including its subnormal range: MPFR emulates the format
    // when its exponent range is the format's (MPFR manual, mpfr_subnormalize).
    using lim = std::numeric_limits<F>;
    const mpfr_exp_t old_emin = mpfr_get_emin(), old_emax = mpfr_get_emax();
    mpfr_set_emin(lim::min_exponent - lim::digits + 1);
    mpfr_set_emax(lim::max_exponent);
    mpfr_t t;
    mpfr_init2(t, lim::digits);
    int inexact = mpfr_set_q(t, q.backend().data(), MPFR_RNDN);
    inexact = mpfr_check_range(t, inexact, MPFR_RNDN);
    mpfr_subnormalize(t, inexact, MPFR_RNDN);
    F out;
    if constexpr (std::is_same_v<F, double>)
        out = mpfr_get_d(t, MPFR_RNDN);
    else
        out = mpfr_get_ld(t, MPFR_RNDN);
    mpfr_clear(t);
    mpfr_set_emin(old_emin);
    mpfr_set_emax(old_emax);
    if (!std::isfinite(out))
        throw std::invalid_argument("the value " + q.str() + " is beyond the range of " +
                                    (std::is_same_v<F, double> ? std::string("double") : std::string("long double")));
    return out;
}

template <class F>
std::string native_float_traits<F>::to_string(F x) {
    char buf[128];
    auto r = std::to_chars(buf, buf + sizeof buf, x);
    return std::string(buf, r.ptr);
}

template struct native_float_traits<double>;
template struct native_float_traits<long double>;

std::string scalar_traits<mpfi_float>::to_string(const mpfi_float& x) {
    mpfr_t lo, hi;
    mpfr_init2(lo, mpfi_get_prec(x.backend().data()));
    mpfr_init2(hi, mpfi_get_prec(x.backend().data()));
    mpfi_get_left(lo, x.backend().data());
    mpfi_get_right(hi, x.backend().data());
    std::string out = "[" + detail::format_mpfr(lo, MPFR_RNDD) + "," + detail::format_mpfr(hi, MPFR_RNDU) + "]";
    mpfr_clear(lo);
    mpfr_clear(hi);
    return out;
}

truth scalar_traits<mpfi_float>::le(const mpfi_float& a, const mpfi_float& b) {
    // a <= b for every point iff sup a <= inf b; fails for every point iff inf a > sup b.
    if (mpfi_nan_p(a.backend().data()) || mpfi_nan_p(b.backend().data())) return truth::unknown;
    if (upper_rational(a) <= lower_rational(b)) return truth::yes;
    if (lower_rational(a) > upper_rational(b)) return truth::no;
    return truth::unknown;
}

truth scalar_traits<mpfi_float>::eq(const mpfi_float& a, const mpfi_float& b) {
    // Equality is certain only for two equal points; disjoint enclosures certainly differ.
    if (mpfi_nan_p(a.backend().data()) || mpfi_nan_p(b.backend().data())) return truth::unknown;
    rational alo = lower_rational(a), ahi = upper_rational(a), blo = lower_rational(b), bhi = upper_rational(b);
    if (ahi < blo || bhi < alo) return truth::no;
    if (alo == ahi && blo == bhi && alo == blo) return truth::yes;
    return truth::unknown;
}

rational exact_value(double x) {
    if (!std::isfinite(x)) throw std::invalid_argument("non-finite double has no rational value");
    return rational(x);  // mpq_set_d is exact
}

rational exact_value(const mpfr_float& x) {
    if (!mpfr_number_p(x.backend().data())) throw std::invalid_argument("non-finite mpfr value has no rational value");
    rational q;
    mpfr_get_q(q.backend().data(), x.backend().data());
    return q;
}

rational exact_value(long double x) {
    if (!std::isfinite(x)) throw std::invalid_argument("non-finite long double has no rational value");
    mpfr_t t;
    mpfr_init2(t, std::numeric_limits<long double>::digits);
    mpfr_set_ld(t, x, MPFR_RNDN);  // exact: the precision holds every long double
    rational q;
    mpfr_get_q(q.backend().data(), t);
    mpfr_clear(t);
    return q;
}

namespace {
rational interval_end(const mpfi_float& x, bool upper) {
    mpfr_t e;
    mpfr_init2(e, mpfi_get_prec(x.backend().data()));
    if (upper)
        mpfi_get_right(e, x.backend().data());
    else
        mpfi_get_left(e, x.backend().data());
    if (!mpfr_number_p(e)) {
        mpfr_clear(e);
        throw std::domain_error("interval end is not finite");
    }
    rational q;
    mpfr_get_q(q.backend().data(), e);
    mpfr_clear(e);
    return q;
}
}  // namespace

FilterCounts& filter_counts() {
    static FilterCounts counts;
    return counts;
}

namespace detail {

void undecided(const char* what) {
    ++filter_counts().fallback;
    throw undecided_comparison{what};
}

truth interval_less(const mpfi_float& a, const mpfi_float& b) {
    // a < b for every point iff sup a < inf b; fails for every point iff inf a >= sup b.
    if (mpfi_nan_p(a.backend().data()) || mpfi_nan_p(b.backend().data())) return truth::unknown;
    if (mpfr_less_p(&a.backend().data()->right, &b.backend().data()->left)) return truth::yes;
    if (mpfr_greaterequal_p(&a.backend().data()->left, &b.backend().data()->right)) return truth::no;
    return truth::unknown;
}

mpfi_float interval_min(const mpfi_float& a, const mpfi_float& b) {
    mpfi_float out;
    mpfr_min(&out.backend().data()->left, &a.backend().data()->left, &b.backend().data()->left, MPFR_RNDD);
    mpfr_min(&out.backend().data()->right, &a.backend().data()->right, &b.backend().data()->right, MPFR_RNDU);
    return out;
}

mpfi_float interval_max(const mpfi_float& a, const mpfi_float& b) {
    mpfi_float out;
    mpfr_max(&out.backend().data()->left, &a.backend().data()->left, &b.backend().data()->left, MPFR_RNDD);
    mpfr_max(&out.backend().data()->right, &a.backend().data()->right, &b.backend().data()->right, MPFR_RNDU);
    return out;
}

}  // namespace detail

rational lower_rational(const mpfi_float& x) { return interval_end(x, false); }
rational upper_rational(const mpfi_float& x) { return interval_end(x, true); }

mpfi_float interval(const rational& lo, const rational& hi) {
    mpfi_float x;
    mpfi_interv_q(x.backend().data(), lo.backend().data(), hi.backend().data());
    return x;
}

mpfi_float interval(const mpfr_float& lo, const mpfr_float& hi) {
    mpfi_float x;
    mpfi_interv_fr(x.backend().data(), lo.backend().data(), hi.backend().data());
    return x;
}

mpfr_float lower_end(const mpfi_float& x) {
    mpfr_float e;
    mpfi_get_left(e.backend().data(), x.backend().data());
    return e;
}

mpfr_float upper_end(const mpfi_float& x) {
    mpfr_float e;
    mpfi_get_right(e.backend().data(), x.backend().data());
    return e;
}

mpfr_float midpoint(const mpfi_float& x) {
    mpfr_float m;
    mpfi_mid(m.backend().data(), x.backend().data());
    return m;
}

mpfi_float hull(const mpfi_float& a, const mpfi_float& b) {
    mpfi_float x = a;
    mpfi_put(x.backend().data(), b.backend().data());
    return x;
}

mpfi_float interval_max(const mpfi_float& a, const mpfi_float& b) {
    const mpfr_float alo = lower_end(a), ahi = upper_end(a), blo = lower_end(b), bhi = upper_end(b);
    return interval(alo < blo ? blo : alo, ahi < bhi ? bhi : ahi);
}

}  // namespace rmdp
