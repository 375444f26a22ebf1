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

// c_max = max_{s,a} |c(s,a)| (0 for no costs): the scale of every value, ||V|| <= c_max / (1 - gamma).
rational c_max(const MdpData& m);

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

// The same kernel / MDP with every number mapped by f (T -> U). Every conversion between
// arithmetics is this one map: convert<T> from the exact data below, exact_kernel back to
// rationals, the solvers' double warm starts.
template <class U, class T, class F>
Kernel<U> map_kernel(const Kernel<T>& k, F&& f) {
    Kernel<U> out(k.S, k.A);
    for (std::size_t i = 0; i < k.rows.size(); ++i) {
        out.rows[i].reserve(k.rows[i].size());
        for (const auto& e : k.rows[i]) {
            U x = f(e.p);
            if (!is_certainly_zero(x)) out.rows[i].push_back({e.to, std::move(x)});  // underflow to 0
        }
    }
    return out;
}

template <class U, class T, class F>
Mdp<U> map_mdp(const Mdp<T>& m, F&& f) {
    Mdp<U> out;
    out.S = m.S;
    out.A = m.A;
    out.gamma = f(m.gamma);
    out.cost = map_matrix<U>(m.cost, f);
    out.P = map_kernel<U>(m.P, f);
    out.rho = map_vector<U>(m.rho, f);
    return out;
}

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
    const auto f = [](const rational& x) { return from_rational<T>(x); };
    out.cost = Matrix<T>(m.S, m.A);
    out.cost.data = map_vector<T>(m.cost, f);
    out.P = map_kernel<T>(m.P, f);
    out.rho = map_vector<T>(m.rho, f);
    return out;
}

template <class T>
Policy<T> convert(const PolicyData& p) {
    Policy<T> out(p.S, p.A);
    out.data = map_vector<T>(p.pi, [](const rational& x) { return from_rational<T>(x); });
    return out;
}

template <class T>
Kernel<T> convert(const Kernel<rational>& k) {
    return map_kernel<T>(k, [](const rational& x) { return from_rational<T>(x); });
}

// The exact rational values of a kernel computed in T (every float is a dyadic rational).
template <class T>
Kernel<rational> exact_kernel(const Kernel<T>& k) {
    return map_kernel<rational>(k, [](const T& x) { return exact_value(x); });
}

}  // namespace rmdp
