// "l1": U_{s,a} = {p in simplex : ||p - q||_1 <= r(s,a)}, q = P_N(.|s,a); with "support":
// "nominal", also p(s') = 0 wherever q(s') = 0 (nature moves mass only among the nominal
// successors, as craam2's default L1 set does on its listed transitions; docs/robust.md).
//
// Worst case (greedy, exact in rationals): move delta = min(r/2, 1 - q(j)) into j = the first state
// of largest V (over supp q when the support is nominal), taking it from the states of smallest V
// first. It is optimal because an L1 move of mass m from i to j gains m (V_j - V_i) at budget 2m,
// and the greedy makes the moves of largest gain per unit of budget (docs/robust.md).
#pragma once

#include "rmdp/sets/set.hpp"

namespace rmdp {

template <class T>
struct L1Ball {
    using scalar = T;
    static constexpr const char* name = "l1";
    static constexpr unsigned since = 1;
    static constexpr SetTraits traits{};

    Vector<T> radius;              // S*A
    std::string support = "all";   // "all" or "nominal"

    bool nominal_support() const { return support == "nominal"; }

    WorstCase<T> worst_case(const SetRow<T>& row) const {
        WorstCase<T> w{Vector<T>(row.q, row.q + row.S), T(0)};
        std::size_t j = row.order.top;
        if (nominal_support())
            for (std::size_t t : row.order.descending)
                if (!is_zero(row.q[t])) {
                    j = t;
                    break;
                }
        const T half = radius[row.index()] / 2;
        const T room = T(1) - w.p[j];
        const T delta = smaller(half, room);
        w.p[j] += delta;
        T remaining = delta;
        for (std::size_t t : row.order.ascending) {
            if (is_certainly_zero(remaining)) break;
            if (t == j) continue;
            const T take = smaller(w.p[t], remaining);
            w.p[t] -= take;
            remaining -= take;
        }
        w.value = row.dot(w.p.data());
        return w;
    }
    // The greedy on the order of V + eps W (every small eps > 0) is in F(V) and maximal for W there.
    WorstCase<T> on_face(const SetRow<T>&, const SetRow<T>& byVW) const { return worst_case(byVW); }

    template <class U, class F>
    L1Ball<U> map(F&& f) const {
        return {map_vector<U>(radius, f), support};
    }
    std::vector<SetField> fields() {
        return {{"radius", SetField::shape::per_state_action, true, &radius},
                {"support", SetField::shape::word, false, nullptr, nullptr, &support, {"all", "nominal"}}};
    }
    void validate(const Kernel<rational>& P, const std::string& file) const {
        check_radii(radius, SetField::shape::per_state_action, P.A, file);
    }
    // Radii k/4, k in 0..9 (radius 0 and radius >= 2 occur), one radius or one per (s,a).
    static L1Ball draw(Rng& rng, const Kernel<rational>& P, const GeneratorOptions&) {
        L1Ball u;
        u.radius = draw_radii(rng, P.S * P.A, 9, 4);
        return u;
    }
    // Generator version 2 adds the nominal-support variant (same radii).
    static L1Ball draw_since_2(Rng& rng, const Kernel<rational>& P, const GeneratorOptions& opt) {
        L1Ball u = draw(rng, P, opt);
        u.support = "nominal";
        return u;
    }
};

}  // namespace rmdp
