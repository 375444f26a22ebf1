// "s-l1": the s-rectangular L1 set (Wiesemann, Kuhn & Rustem 2013; Ho, Petrik & Wiesemann 2018):
// U = x_s U_s with one budget per state shared by its actions,
//   U_s = {(p_a)_a : p_a in simplex, sum_a sum_i w(s,a,i) |p_a(i) - q_a(i)| <= r(s)},
// q_a = P_N(.|s,a), w = 1 without "weights".
//
// It is NOT (s,a)-rectangular: nature's worst case at s maximises sum_a pi(a|s) <p_a, V> over the
// joint set, so it depends on the policy. The (s,a)-rectangular operators (worst_case(row),
// on_face) refuse it with input_error; srect.hpp computes its worst cases, robust values and V*
// (docs/robust.md, "s-rectangular L1"). since = 0: no generator version draws it for the
// (s,a)-rectangular claims; srect.hpp has its own draw.
#pragma once

#include "rmdp/sets/set.hpp"

namespace rmdp {

template <class T>
struct SL1Ball {
    using scalar = T;
    static constexpr const char* name = "s-l1";
    static constexpr unsigned since = 0;
    static constexpr SetTraits traits{.polyhedral = true, .exact = true, .needs_exp_log = false,
                                      .order_driven = false, .s_rectangular = true};

    Vector<T> radius;   // S: the budget r(s) of state s
    Vector<T> weights;  // S*A*S, (s*A + a)*S + s'; empty = all weights 1

    bool weighted() const { return !weights.empty(); }
    T weight(std::size_t S, std::size_t A, std::size_t s, std::size_t a, std::size_t t) const {
        return weighted() ? weights[(s * A + a) * S + t] : T(1);
    }

    [[noreturn]] static void refuse() {
        throw input_error("", "uncertainty.type",
                          "s-rectangular set 's-l1': worst cases depend on the policy, so the (s,a)-rectangular "
                          "operators (per-(s,a) worst case, deterministic robust policy iteration, gradients, "
                          "certificates) do not apply; use `rmdp evaluate FILE --policy P` (V_r^pi) or "
                          "`rmdp solve FILE` (V*), which route s-l1 to the s-rectangular solvers (docs/robust.md)");
    }
    WorstCase<T> worst_case(const SetRow<T>&) const { refuse(); }
    WorstCase<T> on_face(const SetRow<T>&, const SetRow<T>&) const { refuse(); }

    template <class U, class F>
    SL1Ball<U> map(F&& f) const {
        return {map_vector<U>(radius, f), map_vector<U>(weights, f)};
    }
    std::vector<SetField> fields() {
        return {{"radius", SetField::shape::per_state, true, &radius},
                {"weights", SetField::shape::per_transition, false, &weights}};
    }
    void validate(const Kernel<rational>& P, const std::string& file) const {
        check_radii(radius, SetField::shape::per_state, P.A, file);
        check_weights(weights, P.S, P.A, file);
    }
    // Budgets k/4, k in 0..9 (0 and >= 2 occur), one for all states or one per state; with chance
    // 1/3 weights k/2, k in 1..4 (drawn only by srect.hpp's random_s_rectangular).
    static SL1Ball draw(Rng& rng, const Kernel<rational>& P, const GeneratorOptions&) {
        SL1Ball u;
        u.radius = draw_radii(rng, P.S, 9, 4);
        if (rng.chance(1, 3))
            for (std::size_t i = 0; i < P.S * P.A * P.S; ++i) u.weights.emplace_back(rng.between(1, 4), 2);
        return u;
    }
};

}  // namespace rmdp
