// "weighted-l1": U_{s,a} = {p in simplex : sum_t w_t |p_t - q_t| <= r}, q = P_N(.|s,a),
// w = weights(s,a,.) > 0, r = radius(s,a) >= 0 (Ho, Petrik & Wiesemann 2018, "Fast Bellman updates
// for robust MDPs"; docs/robust.md, "weighted-l1").
//
// Worst case max <p, V> over U_{s,a}, exact in rationals (the idea of their homotopy, written as a
// greedy over donor-receiver moves; no code of theirs):
//   1. Flows. Write p = q + sum_{i,j} x_ij (e_j - e_i) with x >= 0, sum_j x_ij <= q_i (donor i gives
//      at most its nominal mass). Every p in the simplex is of this form, <p, V> = <q, V> +
//      sum x_ij (V_j - V_i), and sum_t w_t |p_t - q_t| <= sum x_ij (w_i + w_j), with equality for a
//      decomposition without a state that both gives and receives. So the worst case is the LP
//        max sum x_ij (V_j - V_i)  s.t.  sum_j x_ij <= q_i,  sum x_ij (w_i + w_j) <= r,  x >= 0,
//      and every feasible x gives a p in U_{s,a} with exactly that value.
//   2. One donor. Per unit of mass, donor i can buy gain V_j - V_i at cost w_i + w_j, or mix such
//      moves; its best gain per unit of mass at cost <= beta is the upper concave envelope h_i of
//      (0, 0) and the points (w_i + w_j, V_j - V_i), and with mass q_i and budget b it gains
//      q_i h_i(b / q_i). In the (w, V) plane these points are the receivers R_j = (w_j, V_j) seen
//      from D_i = (-w_i, V_i), left of all of them: h_i is the segment from D_i to its tangent point
//      on the upper hull H of {R_j}, then H itself up to its (first) highest point. The pieces of H
//      are the same for every donor: moving a unit already at receiver j on to k costs w_k - w_j and
//      gains V_k - V_j. (A single receiver is wrong: with q = (1,0,0), V = (0,1,2),
//      w = (1/10,1,3), r = 21/10, the tangent from D_0 is state 1 and H goes on to state 2; the
//      optimum 3/2 is at p = (0, 1/2, 1/2).)
//   3. All donors. The problem is max sum_i q_i h_i(b_i / q_i) over sum_i b_i <= r with every
//      piece concave, nondecreasing and zero at zero: taking the pieces of all donors in order of
//      decreasing positive slope until the budget is spent (the last one partly) is optimal (the
//      fractional knapsack; concavity makes each donor's pieces come in its own order). A piece of
//      H is taken by all the mass sitting at its left end at once, as all donors whose tangent
//      point lies left of it have taken their pieces before it (a tangent slope is >= the slope of
//      H after the tangent point; ties are broken donors first).
// Cost: O(n log n) for H and the sort, O(n |H|) for the tangents.
//
// Face maximiser (order_driven = false: the worst case depends on V's values). The algorithm only
// adds, subtracts and compares values and scales them by rationals (weights, masses), so run on the
// values V + eps W it makes, for every small enough eps > 0, the same decisions as on the pairs
// (V_t, W_t) ordered lexicographically; its result maximises <p, V + eps W> for all such eps, so it
// lies in F(V) = argmax <p, V> and maximises <p, W> there. The algorithm is written once, for a
// value type X that is T or Lexicographic<T>.
#pragma once

#include "rmdp/sets/set.hpp"

namespace rmdp {

namespace detail {

// v + eps w for every small eps > 0.
template <class T>
struct Lexicographic {
    T v, w;
};
template <class T>
Lexicographic<T> operator-(const Lexicographic<T>& a, const Lexicographic<T>& b) {
    return {T(a.v - b.v), T(a.w - b.w)};
}
template <class T>
Lexicographic<T> operator*(const Lexicographic<T>& a, const T& c) {
    return {T(a.v * c), T(a.w * c)};
}
// Comparisons through the filtered predicates of scalar.hpp (intervals decide or say they cannot).
template <class T>
bool lt(const Lexicographic<T>& a, const Lexicographic<T>& b) {
    return less(a.v, b.v) || (equal(a.v, b.v) && less(a.w, b.w));
}
template <class T>
bool lt(const T& a, const T& b) {
    return less(a, b);
}
template <class T>
bool is_positive(const Lexicographic<T>& a) {
    return less(T(0), a.v) || (is_zero(a.v) && less(T(0), a.w));
}
template <class T>
bool is_positive(const T& a) {
    return less(T(0), a);
}

// The maximiser of <p, val> over {p in simplex : sum_t w_t |p_t - q_t| <= r} (the header comment).
// T: the scalar of q, w, r and p; X: T or Lexicographic<T>.
template <class T, class X>
Vector<T> weighted_l1_maximiser(std::size_t n, const T* q, const X* val, const T* w, const T& r) {
    Vector<T> p(q, q + n);
    if (!is_positive(r)) return p;

    // H: the upper hull of the receivers (w_j, val_j) from the lightest one up to its first highest
    // point. Equal weights keep the highest value (then the lowest index).
    std::vector<std::size_t> by_weight(n);
    std::iota(by_weight.begin(), by_weight.end(), std::size_t{0});
    std::stable_sort(by_weight.begin(), by_weight.end(), [&](std::size_t i, std::size_t j) {
        return less(w[i], w[j]) || (equal(w[i], w[j]) && lt(val[j], val[i]));
    });
    std::vector<std::size_t> H;
    for (std::size_t c : by_weight) {
        if (!H.empty() && equal(w[H.back()], w[c])) continue;
        // Drop b while it lies on or below the line from a to c:
        // (val_b - val_a)(w_c - w_a) <= (val_c - val_a)(w_b - w_a).
        while (H.size() >= 2) {
            const std::size_t a = H[H.size() - 2], b = H.back();
            const X lhs = (val[b] - val[a]) * T(w[c] - w[a]);
            const X rhs = (val[c] - val[a]) * T(w[b] - w[a]);
            if (lt(rhs, lhs)) break;
            H.pop_back();
        }
        H.push_back(c);
    }
    std::size_t top = 0;
    for (std::size_t k = 1; k < H.size(); ++k)
        if (lt(val[H[top]], val[H[k]])) top = k;
    H.resize(top + 1);

    // The pieces: donor i's move to its tangent point H[k], then each piece H[l] -> H[l+1].
    struct Piece {
        X slope;        // gain per unit of budget
        T cost;         // budget per unit of mass
        std::size_t from, to;  // donor state i and k (donor piece), or l and l+1 (piece of H)
        bool donor;
    };
    std::vector<Piece> pieces;
    for (std::size_t i = 0; i < n; ++i) {
        if (!is_positive(q[i])) continue;
        std::size_t best = 0;
        X best_slope = (val[H[0]] - val[i]) * T(T(1) / T(w[H[0]] + w[i]));
        for (std::size_t k = 1; k < H.size(); ++k) {
            const X slope = (val[H[k]] - val[i]) * T(T(1) / T(w[H[k]] + w[i]));
            if (lt(best_slope, slope)) {
                best = k;
                best_slope = slope;
            }
        }
        if (is_positive(best_slope)) pieces.push_back({best_slope, T(w[H[best]] + w[i]), i, best, true});
    }
    for (std::size_t l = 0; l + 1 < H.size(); ++l) {
        const T cost = w[H[l + 1]] - w[H[l]];
        const X slope = (val[H[l + 1]] - val[H[l]]) * T(T(1) / cost);
        if (is_positive(slope)) pieces.push_back({slope, cost, l, l + 1, false});
    }
    // Decreasing slope; equal slopes keep donors first and H's pieces in their order (stable).
    std::stable_sort(pieces.begin(), pieces.end(), [](const Piece& x, const Piece& y) { return lt(y.slope, x.slope); });

    Vector<T> carried(H.size(), T(0));  // mass moved onto H[k] by the donors so far
    T budget = r;
    for (const Piece& piece : pieces) {
        if (!is_positive(budget)) break;
        T mass = piece.donor ? q[piece.from] : carried[piece.from];
        if (!is_positive(mass)) continue;
        if (less(budget, T(mass * piece.cost))) mass = budget / piece.cost;
        budget -= mass * piece.cost;
        if (piece.donor) {
            p[piece.from] -= mass;
            p[H[piece.to]] += mass;
            carried[piece.to] += mass;
        } else {
            p[H[piece.from]] -= mass;
            p[H[piece.to]] += mass;
            carried[piece.from] -= mass;
            carried[piece.to] += mass;
        }
    }
    return p;
}

}  // namespace detail

template <class T>
struct WeightedL1Ball {
    using scalar = T;
    static constexpr const char* name = "weighted-l1";
    static constexpr unsigned since = 2;
    static constexpr SetTraits traits{.polyhedral = true, .exact = true, .needs_exp_log = false, .order_driven = false};

    Vector<T> radius;   // S*A
    Vector<T> weights;  // S*A*S, every entry > 0

    WorstCase<T> worst_case(const SetRow<T>& row) const {
        WorstCase<T> out{detail::weighted_l1_maximiser(row.S, row.q, row.V.data(), weights.data() + row.index() * row.S,
                                                       radius[row.index()]),
                         T(0)};
        out.value = row.dot(out.p.data());
        return out;
    }
    // The same algorithm on (V, W) lexicographically (header comment); the value is <p, W>.
    WorstCase<T> on_face(const SetRow<T>& byV, const SetRow<T>& byVW) const {
        std::vector<detail::Lexicographic<T>> pairs;
        pairs.reserve(byV.S);
        for (std::size_t t = 0; t < byV.S; ++t) pairs.push_back({byV.V[t], byVW.V[t]});
        WorstCase<T> out{detail::weighted_l1_maximiser(byV.S, byV.q, pairs.data(), weights.data() + byV.index() * byV.S,
                                                       radius[byV.index()]),
                         T(0)};
        out.value = byVW.dot(out.p.data());
        return out;
    }

    template <class U, class F>
    WeightedL1Ball<U> map(F&& f) const {
        return {map_vector<U>(radius, f), map_vector<U>(weights, f)};
    }
    std::vector<SetField> fields() {
        return {{"radius", SetField::shape::per_state_action, true, &radius},
                {"weights", SetField::shape::per_transition, true, &weights}};
    }
    void validate(const Kernel<rational>& P, const std::string& file) const {
        check_radii(radius, SetField::shape::per_state_action, P.A, file);
        check_weights(weights, P.S, P.A, file);
    }
    // Ties on purpose: radii k/4, k in 0..12 (radius 0 and radii past the diameter occur), one
    // radius or one per (s,a), a row of radius 0 with chance 1/6; weights from {1/2, 1, 2, 3}, all
    // equal within a row with chance 1/3. (Not draw_radii: a row's radius and weights are drawn
    // together, and changing that order would change the instances a seed names.)
    static WeightedL1Ball draw(Rng& rng, const Kernel<rational>& P, const GeneratorOptions&) {
        static const rational choices[] = {rational(1, 2), rational(1), rational(2), rational(3)};
        WeightedL1Ball u;
        const bool one = rng.chance(1, 2);
        const rational r(rng.between(0, 12), 4);
        for (std::size_t i = 0; i < P.S * P.A; ++i) {
            if (one)
                u.radius.push_back(r);
            else
                u.radius.push_back(rng.chance(1, 6) ? rational(0) : rational(rng.between(0, 12), 4));
            const bool equal = rng.chance(1, 3);
            const rational common = choices[rng.below(4)];
            for (std::size_t t = 0; t < P.S; ++t) u.weights.push_back(equal ? common : choices[rng.below(4)]);
        }
        return u;
    }
};

}  // namespace rmdp
