// "interval": U_{s,a} = {p in simplex : lower <= p <= upper} (entrywise bounds).
//
// Worst case (greedy, exact in rationals): start at `lower`, then fill the remaining mass
// 1 - sum(lower) into the states of largest V first, each up to `upper` (a fractional knapsack).
#pragma once

#include "rmdp/sets/set.hpp"

namespace rmdp {

template <class T>
struct IntervalSet {
    using scalar = T;
    static constexpr const char* name = "interval";
    static constexpr unsigned since = 1;
    static constexpr SetTraits traits{};

    Vector<T> lower, upper;  // S*A*S

    WorstCase<T> worst_case(const SetRow<T>& row) const {
        const std::size_t off = row.index() * row.S;
        WorstCase<T> w{Vector<T>(lower.begin() + off, lower.begin() + off + row.S), T(0)};
        T remaining(1);
        for (const auto& x : w.p) remaining -= x;
        for (std::size_t t : row.order.descending) {
            if (is_certainly_zero(remaining)) break;
            const T cap = upper[off + t] - lower[off + t];
            const T add = smaller(cap, remaining);
            w.p[t] += add;
            remaining -= add;
        }
        w.value = row.dot(w.p.data());
        return w;
    }
    WorstCase<T> on_face(const SetRow<T>&, const SetRow<T>& byVW) const { return worst_case(byVW); }

    template <class U, class F>
    IntervalSet<U> map(F&& f) const {
        return {map_vector<U>(lower, f), map_vector<U>(upper, f)};
    }
    std::vector<SetField> fields() {
        return {{"lower", SetField::shape::per_transition, true, &lower}, {"upper", SetField::shape::per_transition, true, &upper}};
    }
    void validate(const Kernel<rational>& P, const std::string& file) const {
        for (std::size_t s = 0; s < P.S; ++s)
            for (std::size_t a = 0; a < P.A; ++a) {
                rational lo = 0, hi = 0;
                for (std::size_t t = 0; t < P.S; ++t) {
                    const std::size_t i = (s * P.A + a) * P.S + t;
                    const std::string f = set_field("lower", s, a, t);
                    if (lower[i] > upper[i])
                        throw input_error(file, f, "lower bound " + lower[i].str() + " exceeds upper bound " + upper[i].str());
                    if (lower[i] < 0 || upper[i] > 1)
                        throw input_error(file, f, "bounds [" + lower[i].str() + ", " + upper[i].str() + "] leave [0,1]");
                    lo += lower[i];
                    hi += upper[i];
                }
                if (lo > 1 || hi < 1)
                    throw input_error(file, "uncertainty[" + std::to_string(s) + "][" + std::to_string(a) + "]",
                                      "the box meets no probability vector (lower bounds sum to " + lo.str() +
                                          ", upper bounds to " + hi.str() + ")");
            }
    }
    // Boxes q -+ k/(2D), k in 0..D, clipped to [0,1]; with chance 1/6 a row is pinned to q exactly.
    static IntervalSet draw(Rng& rng, const Kernel<rational>& P, const GeneratorOptions& opt) {
        IntervalSet u;
        for (std::size_t i = 0; i < P.S * P.A; ++i) {
            const bool pinned = rng.chance(1, 6);
            for (std::size_t t = 0; t < P.S; ++t) {
                const rational q = P(i / P.A, i % P.A, t);
                const rational lo = pinned ? q : q - rational(rng.between(0, opt.denominator), 2 * opt.denominator);
                const rational hi = pinned ? q : q + rational(rng.between(0, opt.denominator), 2 * opt.denominator);
                u.lower.push_back(lo < 0 ? rational(0) : lo);
                u.upper.push_back(hi > 1 ? rational(1) : hi);
            }
        }
        return u;
    }
};

}  // namespace rmdp
