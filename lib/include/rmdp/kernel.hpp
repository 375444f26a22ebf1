// A transition kernel P(s'|s,a) (claims.md "Conventions"), stored sparsely: for every (s,a) the
// successors s' with P(s'|s,a) != 0, by increasing s' (issue 12: real MDPs have few successors per
// (s,a), and a dense S x A x S kernel of rationals at 1000 states is gigabytes). Memory and every
// pass over a kernel cost O(nonzeros + S A). An entry is dropped only when it is certainly zero
// (exactly 0; an interval is kept unless it is the point 0), so a kernel's values are unchanged.
#pragma once

#include "rmdp/scalar.hpp"

#include <algorithm>
#include <cstddef>
#include <vector>

namespace rmdp {

template <class T>
struct Transition {
    std::size_t to;  // s'
    T p;             // P(s'|s,a), not certainly zero
    bool operator==(const Transition&) const = default;
};

// One row P(.|s,a): its nonzero entries by increasing s'.
template <class T>
using SparseRow = std::vector<Transition<T>>;

// The sparse row of a dense one (entries certainly zero dropped).
template <class T>
SparseRow<T> sparse_row(const T* dense, std::size_t n) {
    SparseRow<T> out;
    for (std::size_t t = 0; t < n; ++t)
        if (!is_certainly_zero(dense[t])) out.push_back({t, dense[t]});
    return out;
}

// <row, V> over the row's nonzeros.
template <class T, class V>
T row_dot(const SparseRow<T>& row, const V& v) {
    T acc(0);
    for (const auto& e : row) acc += e.p * v[e.to];
    return acc;
}

template <class T>
struct Kernel {
    std::size_t S = 0, A = 0;
    std::vector<SparseRow<T>> rows;  // index s*A + a

    Kernel() = default;
    Kernel(std::size_t s, std::size_t a) : S(s), A(a), rows(s * a) {}  // every entry 0

    const SparseRow<T>& row(std::size_t s, std::size_t a) const { return rows[s * A + a]; }
    // P(s2|s,a) (0 when s2 is not a successor): a binary search in the row.
    T operator()(std::size_t s, std::size_t a, std::size_t s2) const {
        const SparseRow<T>& r = row(s, a);
        const auto it = std::lower_bound(r.begin(), r.end(), s2, [](const Transition<T>& e, std::size_t t) { return e.to < t; });
        return it != r.end() && it->to == s2 ? it->p : T(0);
    }
    // Sets P(s2|s,a) = x (inserting, replacing or, for x certainly zero, removing the entry).
    void set(std::size_t s, std::size_t a, std::size_t s2, T x) {
        SparseRow<T>& r = rows[s * A + a];
        const auto it = std::lower_bound(r.begin(), r.end(), s2, [](const Transition<T>& e, std::size_t t) { return e.to < t; });
        const bool present = it != r.end() && it->to == s2;
        if (is_certainly_zero(x)) {
            if (present) r.erase(it);
        } else if (present) {
            it->p = std::move(x);
        } else {
            r.insert(it, Transition<T>{s2, std::move(x)});
        }
    }
    // Row (s,a) from a sparse row (entries by increasing s', none certainly zero) or a dense one.
    void set_row(std::size_t s, std::size_t a, SparseRow<T> r) { rows[s * A + a] = std::move(r); }
    void set_row(std::size_t s, std::size_t a, const T* dense) { rows[s * A + a] = sparse_row(dense, S); }
    // The dense row P(.|s,a) into `out` (length S): the scratch row of the algorithms that need one.
    void dense_row(std::size_t s, std::size_t a, std::vector<T>& out) const {
        out.assign(S, T(0));
        for (const auto& e : row(s, a)) out[e.to] = e.p;
    }
    bool operator==(const Kernel&) const = default;  // same shape, same nonzeros
    std::size_t nonzeros() const {
        std::size_t n = 0;
        for (const auto& r : rows) n += r.size();
        return n;
    }
};

}  // namespace rmdp
