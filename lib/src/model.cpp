#include "rmdp/model.hpp"

#include "rmdp/error.hpp"

#include <cstdint>
#include <numeric>
#include <optional>

namespace rmdp {

const char* to_string(Uncertainty::kind k) {
    switch (k) {
        case Uncertainty::kind::none: return "none";
        case Uncertainty::kind::l1: return "l1";
        case Uncertainty::kind::interval: return "interval";
        case Uncertainty::kind::finite: return "finite";
    }
    return "?";
}

namespace {

std::string idx(const std::string& name, std::size_t i) { return name + "[" + std::to_string(i) + "]"; }
std::string idx(const std::string& name, std::size_t i, std::size_t j) { return idx(name, i) + "[" + std::to_string(j) + "]"; }

// A probability vector: nonnegative entries summing to exactly one.
// Whether nonnegative x_0..x_{n-1} sum to exactly 1, decided over their common denominator
// L = lcm(d_i) as sum_i n_i (L / d_i) == L in machine integers when L < 2^64 and every x_i <= 1
// (then each term is <= L and the sum fits in 128 bits): no gcd per addition as in a rational sum.
// Empty when that does not apply; the caller then sums in rationals.
std::optional<bool> sums_to_one_small(const std::vector<rational>& v, std::size_t off, std::size_t n) {
    std::uint64_t L = 1;
    for (std::size_t i = 0; i < n; ++i) {
        const mpq_srcptr x = v[off + i].backend().data();
        if (mpz_sgn(mpq_numref(x)) == 0) continue;
        if (!mpz_fits_ulong_p(mpq_denref(x)) || !mpz_fits_ulong_p(mpq_numref(x))) return std::nullopt;
        const std::uint64_t d = mpz_get_ui(mpq_denref(x));
        const std::uint64_t g = std::gcd(L, d), q = L / g;
        if (q > UINT64_MAX / d) return std::nullopt;
        L = q * d;
    }
    unsigned __int128 sum = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const mpq_srcptr x = v[off + i].backend().data();
        const std::uint64_t num = mpz_get_ui(mpq_numref(x)), d = mpz_get_ui(mpq_denref(x));
        if (num == 0) continue;
        if (num > d) return std::nullopt;  // x > 1
        sum += static_cast<unsigned __int128>(num) * (L / d);
    }
    return sum == L;
}

void check_simplex(const std::vector<rational>& v, std::size_t off, std::size_t n, const std::string& file,
                   const std::string& field) {
    for (std::size_t i = 0; i < n; ++i) {
        const rational& x = v[off + i];
        if (x < 0) throw input_error(file, idx(field, i), "negative probability " + x.str());
    }
    if (sizeof(unsigned long) == 8)
        if (const std::optional<bool> one = sums_to_one_small(v, off, n); one && *one) return;
    rational sum = 0;
    for (std::size_t i = 0; i < n; ++i) sum += v[off + i];
    if (sum != 1)
        throw input_error(file, field,
                          "probabilities sum to " + sum.str() + ", not exactly 1 (JSON floating-point literals are read "
                          "as their exact binary values; write such entries as strings like \"1/10\")");
}

}  // namespace

void refuse_gamma_rounding(const MdpData& m, const rational& rounded_up, const char* arith, unsigned significand_bits) {
    if (rounded_up < 1 || m.gamma >= 1) return;  // representable (gamma >= 1 is validate()'s to refuse)
    // 1 - gamma = p/q >= 2^-e with e = bits(q) - bits(p) + 1; a significand of e + 64 bits
    // represents gamma with 64 bits to spare for the solve's own rounding.
    const rational gap = 1 - m.gamma;
    const long e = static_cast<long>(msb(denominator(gap))) - static_cast<long>(msb(numerator(gap))) + 1;
    throw input_error(m.source, "gamma",
                      "gamma = " + (m.gamma.str().size() <= 40 ? m.gamma.str() : std::string("1 - (tiny)")) +
                          " is below 1 but rounds to 1 in " + arith + " arithmetic (" + std::to_string(significand_bits) +
                          "-bit significand), where 1 - gamma would be 0 and the solve singular; use --arith exact, or "
                          "--arith mpfr:" + std::to_string(e + 64) + " (or interval:" + std::to_string(e + 64) + ")");
}

void validate(const MdpData& m, const std::string& file) {
    if (m.S == 0) throw input_error(file, "states", "must be at least 1");
    if (m.A == 0) throw input_error(file, "actions", "must be at least 1");
    if (m.gamma < 0 || m.gamma >= 1) throw input_error(file, "gamma", "discount " + m.gamma.str() + " is not in [0,1)");
    for (std::size_t s = 0; s < m.S; ++s)
        for (std::size_t a = 0; a < m.A; ++a) check_simplex(m.P.p, (s * m.A + a) * m.S, m.S, file, idx("P", s, a));
    if (m.rho.size() != m.S) throw input_error(file, "rho", "has " + std::to_string(m.rho.size()) + " entries, expected " + std::to_string(m.S));
    check_simplex(m.rho, 0, m.S, file, "rho");

    const Uncertainty& u = m.uncertainty;
    switch (u.type) {
        case Uncertainty::kind::none: break;
        case Uncertainty::kind::l1:
            for (std::size_t i = 0; i < u.radius.size(); ++i)
                if (u.radius[i] < 0)
                    throw input_error(file, idx("uncertainty.radius", i / m.A, i % m.A), "negative radius " + u.radius[i].str());
            break;
        case Uncertainty::kind::interval:
            for (std::size_t s = 0; s < m.S; ++s)
                for (std::size_t a = 0; a < m.A; ++a) {
                    rational lo = 0, hi = 0;
                    for (std::size_t t = 0; t < m.S; ++t) {
                        std::size_t i = (s * m.A + a) * m.S + t;
                        std::string f = idx("uncertainty.lower", s, a) + "[" + std::to_string(t) + "]";
                        if (u.lower[i] > u.upper[i])
                            throw input_error(file, f, "lower bound " + u.lower[i].str() + " exceeds upper bound " + u.upper[i].str());
                        if (u.lower[i] < 0 || u.upper[i] > 1)
                            throw input_error(file, f, "bounds [" + u.lower[i].str() + ", " + u.upper[i].str() + "] leave [0,1]");
                        lo += u.lower[i];
                        hi += u.upper[i];
                    }
                    if (lo > 1 || hi < 1)
                        throw input_error(file, idx("uncertainty", s, a),
                                          "the box meets no probability vector (lower bounds sum to " + lo.str() +
                                              ", upper bounds to " + hi.str() + ")");
                }
            break;
        case Uncertainty::kind::finite:
            for (std::size_t sa = 0; sa < u.points.size(); ++sa) {
                if (u.points[sa].empty())
                    throw input_error(file, idx("uncertainty.distributions", sa / m.A, sa % m.A), "lists no distribution");
                for (std::size_t k = 0; k < u.points[sa].size(); ++k)
                    check_simplex(u.points[sa][k], 0, m.S, file,
                                  idx("uncertainty.distributions", sa / m.A, sa % m.A) + "[" + std::to_string(k) + "]");
            }
            break;
    }
}

void validate(const PolicyData& p, const MdpData& m, const std::string& file) {
    if (p.S != m.S || p.A != m.A)
        throw input_error(file, "policy",
                          "shape " + std::to_string(p.S) + "x" + std::to_string(p.A) + " does not match the MDP's " +
                              std::to_string(m.S) + " states x " + std::to_string(m.A) + " actions");
    for (std::size_t s = 0; s < p.S; ++s) check_simplex(p.pi, s * p.A, p.A, file, idx("policy", s));
}

}  // namespace rmdp
