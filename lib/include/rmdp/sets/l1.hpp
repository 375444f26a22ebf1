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
    static constexpr SetTraits traits{.sparse = true};

    Vector<T> radius;              // S*A
    std::string support = "all";   // "all" or "nominal"

    bool nominal_support() const { return support == "nominal"; }

    // Sparse: the maximiser's support is supp q plus j (j may lie outside supp q when the support
    // is "all": the one state the greedy adds), and the greedy takes mass only from supp q (states
    // outside it have none to give): O(|supp q| + m log |supp q|) per row for m donors, exactly the
    // dense greedy.
    SparseWorstCase<T> worst_case(const SetRow<T>& row) const {
        SparseRow<T> own;
        const SparseRow<T>& q = row.nonzeros(own);
        const Order& ord = row.order;
        std::size_t j = ord.top;
        if (nominal_support() && !q.empty()) {
            j = q.front().to;
            for (const auto& e : q)
                if (ord.rank_descending[e.to] < ord.rank_descending[j]) j = e.to;
        }
        SparseWorstCase<T> w{{}, T(0)};
        w.p.reserve(q.size() + 1);
        w.p.assign(q.begin(), q.end());
        auto at_j = std::lower_bound(w.p.begin(), w.p.end(), j, [](const Transition<T>& e, std::size_t t) { return e.to < t; });
        if (at_j == w.p.end() || at_j->to != j) at_j = w.p.insert(at_j, Transition<T>{j, T(0)});
        const std::size_t jj = static_cast<std::size_t>(at_j - w.p.begin());
        const T half = radius[row.index()] / 2;
        const T room = T(1) - at_j->p;
        const T delta = smaller(half, room);
        at_j->p += delta;
        std::vector<std::size_t> gone;  // entries that became 0 (certainly): removed at the end
        if (is_certainly_zero(w.p[jj].p)) gone.push_back(jj);
        // The donors, supp q without j, by increasing V (the order of ord.ascending), until delta is
        // taken. A row with k >= S/8 nonzeros walks ord.ascending (O(S) = O(k), and the walk stops
        // early); a sparser one pops its entries from a heap (O(k + m log k) for m donors used).
        T remaining = delta;
        const auto give = [&](std::size_t i) {
            const T take = smaller(w.p[i].p, remaining);
            w.p[i].p -= take;
            remaining -= take;
            if (is_certainly_zero(w.p[i].p)) gone.push_back(i);
        };
        constexpr std::size_t none = static_cast<std::size_t>(-1);
        if (8 * w.p.size() >= row.S) {
            thread_local std::vector<std::size_t> at;  // state -> its index in w.p; all none between calls
            if (at.size() < row.S) at.resize(row.S, none);
            for (std::size_t i = 0; i < w.p.size(); ++i) at[w.p[i].to] = i;
            for (std::size_t t : ord.ascending) {
                if (is_certainly_zero(remaining)) break;
                if (t != j && at[t] != none) give(at[t]);
            }
            for (const auto& e : w.p) at[e.to] = none;
        } else {
            std::vector<std::size_t> donors;
            donors.reserve(w.p.size());
            for (std::size_t i = 0; i < w.p.size(); ++i)
                if (w.p[i].to != j) donors.push_back(i);
            const auto later = [&](std::size_t x, std::size_t y) { return ord.rank_ascending[w.p[x].to] > ord.rank_ascending[w.p[y].to]; };
            std::make_heap(donors.begin(), donors.end(), later);
            for (auto end = donors.end(); end != donors.begin(); --end) {
                if (is_certainly_zero(remaining)) break;
                std::pop_heap(donors.begin(), end, later);
                give(*(end - 1));
            }
        }
        if (!gone.empty()) {  // compact, keeping the order by s'
            std::sort(gone.begin(), gone.end());
            std::size_t out = gone[0];
            for (std::size_t g = 0; g < gone.size(); ++g) {
                const std::size_t end = g + 1 < gone.size() ? gone[g + 1] : w.p.size();
                for (std::size_t i = gone[g] + 1; i < end; ++i) w.p[out++] = std::move(w.p[i]);
            }
            w.p.resize(out);
        }
        w.value = row.dot(w.p);
        return w;
    }
    // The greedy on the order of V + eps W (every small eps > 0) is in F(V) and maximal for W there.
    SparseWorstCase<T> on_face(const SetRow<T>&, const SetRow<T>& byVW) const { return worst_case(byVW); }

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
