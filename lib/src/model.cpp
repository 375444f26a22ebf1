#include "rmdp/model.hpp"

#include "rmdp/error.hpp"
#include "rmdp/norms.hpp"

namespace rmdp {

namespace {

std::string idx(const std::string& name, std::size_t i) { return name + "[" + std::to_string(i) + "]"; }
std::string idx(const std::string& name, std::size_t i, std::size_t j) { return idx(name, i) + "[" + std::to_string(j) + "]"; }

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

rational c_max(const MdpData& m) { return sup_norm(m.cost); }

void validate(const MdpData& m, const std::string& file) {
    if (m.S == 0) throw input_error(file, "states", "must be at least 1");
    if (m.A == 0) throw input_error(file, "actions", "must be at least 1");
    if (m.gamma < 0 || m.gamma >= 1) throw input_error(file, "gamma", "discount " + m.gamma.str() + " is not in [0,1)");
    for (std::size_t s = 0; s < m.S; ++s)
        for (std::size_t a = 0; a < m.A; ++a) check_simplex(m.P.row(s, a), file, idx("P", s, a));
    if (m.rho.size() != m.S) throw input_error(file, "rho", "has " + std::to_string(m.rho.size()) + " entries, expected " + std::to_string(m.S));
    check_simplex(m.rho.data(), m.S, file, "rho");

    m.uncertainty.visit([&](const auto& k) { k.validate(m.P, file); });
}

void validate(const PolicyData& p, const MdpData& m, const std::string& file) {
    if (p.S != m.S || p.A != m.A)
        throw input_error(file, "policy",
                          "shape " + std::to_string(p.S) + "x" + std::to_string(p.A) + " does not match the MDP's " +
                              std::to_string(m.S) + " states x " + std::to_string(m.A) + " actions");
    for (std::size_t s = 0; s < p.S; ++s) check_simplex(p.pi.data() + s * p.A, p.A, file, idx("policy", s));
}

}  // namespace rmdp
