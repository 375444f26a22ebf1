// The MDP model of claims.md "Conventions": finite S, A; gamma in [0,1); costs c(s,a);
// nominal kernel P_N(s'|s,a); initial distribution rho; an (s,a)-rectangular uncertainty set;
// policies pi(a|s) with rows in the simplex. The uncertainty set is one of the registered kinds
// (sets/registry.hpp).
//
// Input is held exactly (MdpData, PolicyData, in rationals) as the file states it; a typed
// Mdp<T> / Policy<T> is the same object converted once to the arithmetic of a computation.
#pragma once

#include "rmdp/kernel.hpp"
#include "rmdp/linalg.hpp"
#include "rmdp/scalar.hpp"
#include "rmdp/sets/uncertainty.hpp"

#include <limits>
#include <string>
#include <type_traits>
#include <vector>

namespace rmdp {

struct MdpData {
    std::size_t S = 0, A = 0;
    rational gamma;
    std::vector<rational> cost;  // s*A + a
    Kernel<rational> P;          // nominal kernel P_N
    std::vector<rational> rho;   // initial distribution
    Uncertainty uncertainty;
    std::string source;  // the file it was read from (for messages; empty when built in code)
};

struct PolicyData {
    std::size_t S = 0, A = 0;
    std::vector<rational> pi;  // s*A + a
};

// Validation of the mathematical conditions (shapes are the parser's job). Throws input_error
// naming `file` and the offending field. Exact: rows must sum to one exactly.
void validate(const MdpData& m, const std::string& file);
void validate(const PolicyData& p, const MdpData& m, const std::string& file);

template <class T>
struct Mdp {
    std::size_t S = 0, A = 0;
    T gamma;
    Matrix<T> cost;  // S x A
    Kernel<T> P;     // nominal kernel
    Vector<T> rho;
};

template <class T>
using Policy = Matrix<T>;  // S x A, pi(a|s)

// gamma < 1 exactly, but the arithmetic rounds it to 1 (or its enclosure reaches 1): every
// solve would be singular or run for ever. Throws input_error naming an arithmetic that can
// represent gamma (`rounded_up` is gamma in the arithmetic, its upper end for intervals).
void refuse_gamma_rounding(const MdpData& m, const rational& rounded_up, const char* arith, unsigned significand_bits);

template <class T>
Mdp<T> convert(const MdpData& m) {
    Mdp<T> out;
    out.S = m.S;
    out.A = m.A;
    out.gamma = from_rational<T>(m.gamma);
    if constexpr (is_interval_v<T>) {
        refuse_gamma_rounding(m, upper_rational(out.gamma), scalar_traits<T>::name(), working_precision());
    } else if constexpr (!is_exact_v<T>) {
        unsigned bits = working_precision();
        if constexpr (std::is_floating_point_v<T>) bits = std::numeric_limits<T>::digits;
        refuse_gamma_rounding(m, exact_value(out.gamma), scalar_traits<T>::name(), bits);
    }
    out.cost = Matrix<T>(m.S, m.A);
    for (std::size_t i = 0; i < m.cost.size(); ++i) out.cost.data[i] = from_rational<T>(m.cost[i]);
    out.P = Kernel<T>(m.S, m.A);
    for (std::size_t i = 0; i < m.P.p.size(); ++i) out.P.p[i] = from_rational<T>(m.P.p[i]);
    for (const auto& r : m.rho) out.rho.push_back(from_rational<T>(r));
    return out;
}

template <class T>
Policy<T> convert(const PolicyData& p) {
    Policy<T> out(p.S, p.A);
    for (std::size_t i = 0; i < p.pi.size(); ++i) out.data[i] = from_rational<T>(p.pi[i]);
    return out;
}

template <class T>
Kernel<T> convert(const Kernel<rational>& k) {
    Kernel<T> out(k.S, k.A);
    for (std::size_t i = 0; i < k.p.size(); ++i) out.p[i] = from_rational<T>(k.p[i]);
    return out;
}

}  // namespace rmdp
