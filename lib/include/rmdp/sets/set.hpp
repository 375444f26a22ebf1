// The uncertainty-set concept: what an (s,a)-rectangular set U = x_{s,a} U_{s,a} (claims.md
// "Conventions") must provide so that the robust operators, solvers, gradients and generators work
// with it. One header per set kind (nominal.hpp, l1.hpp, ...), registered once in registry.hpp;
// docs/robust.md ("Adding a set kind") walks through one.
//
// A kind K<T> over the scalar T provides
//   name, since, traits           JSON "type" name; the generator version that first draws it;
//                                 what it guarantees (SetTraits)
//   worst_case(row)               a maximiser p of <p, V> over U_{s,a} and its value (SetRow gives the
//                                 nominal row, <., V> and the states ordered by V)
//   on_face(byV, byVW)            a maximiser of <p, W> over the face F_{s,a}(V) = argmax <p, V>
//                                 (Danskin; byVW carries <., W> and the order by (V, W))
//   map<U>(f)                     the same set with every number mapped by f (conversions)
//   fields()                      its parameters as SetField descriptions: the file format reads and
//                                 writes them (io.cpp); this header sees no JSON
//   validate(P_N, file)           the mathematical conditions, input_error naming the field
//   draw(rng, P_N, opt)           a random instance for the generators (random.cpp), with ties
// The last three exist for K<rational> only: input and generation are exact.
//
// Comparisons in worst_case / on_face go through rmdp::less, equal, is_zero, is_certainly_zero,
// smaller and larger (scalar.hpp), never '<' or '==' on T: for MPFI they decide from the enclosures
// or throw undecided_comparison (the caller reruns in exact rationals), and smaller/larger need no
// decision at all. Written so, a kind's code is its interval enclosure too: with the order of V
// decided, every step is an interval extension of the exact step.
#pragma once

#include "rmdp/error.hpp"
#include "rmdp/kernel.hpp"
#include "rmdp/linalg.hpp"
#include "rmdp/rng.hpp"
#include "rmdp/scalar.hpp"

#include <algorithm>
#include <concepts>
#include <numeric>
#include <string>
#include <vector>

namespace rmdp {

// What a set kind guarantees; the layers above consult it instead of the kind's name.
struct SetTraits {
    // U_{s,a} is a polytope: worst cases are vertices, finitely many, so nature's policy iteration
    // terminates exactly (docs/robust.md), and faces are polytopes.
    bool polyhedral = true;
    // The worst case of rational data is rational and computed exactly by worst_case<rational>.
    bool exact = true;
    // worst_case needs exp/log (KL): only arithmetics with scalar_traits<T>::has_exp_log.
    bool needs_exp_log = false;
    // The worst case depends on V only through the order of its entries (greedy sets): on_face is
    // then worst_case on the lexicographic order of (V, W).
    bool order_driven = true;
    // U is s-rectangular, not (s,a)-rectangular (sets/s_l1.hpp): nature's worst case at s couples
    // the actions and depends on the policy, so the per-(s,a) worst case of this concept refuses it
    // and srect.hpp computes its operators.
    bool s_rectangular = false;
};

template <class T>
struct WorstCase {
    Vector<T> p;  // a maximiser of <p, V> over U_{s,a}
    T value;      // <p, V>
};

// <p, V> for many vectors p against one V (every worst case and every Q-value needs them).
// Exact: V is put over its common denominator D once (V = y / D, y integer), so each inner
// product is an integer dot product sum_t num(p_t) (L / den(p_t)) y_t over L D, L = lcm den(p):
// one canonicalisation instead of a gcd per term (profile: 45% of an exact solve was these).
template <class T>
class InnerProducts {
public:
    explicit InnerProducts(const Vector<T>& V) : V_(V) {}
    T operator()(const T* p) const {
        T acc(0);
        for (std::size_t t = 0; t < V_.size(); ++t) acc += p[t] * V_[t];
        return acc;
    }

private:
    const Vector<T>& V_;
};

template <>
class InnerProducts<rational> {
public:
    explicit InnerProducts(const Vector<rational>& V);
    rational operator()(const rational* p) const;

private:
    std::vector<integer> y_;
    integer D_;
};

// The orders greedy worst cases need, computed once per V (not once per (s,a)): states by
// increasing and by decreasing V, ties by increasing index; and the first state of largest V.
struct Order {
    std::vector<std::size_t> ascending, descending;
    std::size_t top = 0;
};

template <class Less>
Order order_by(std::size_t n, Less before) {
    Order o;
    o.ascending.resize(n);
    std::iota(o.ascending.begin(), o.ascending.end(), std::size_t{0});
    o.descending = o.ascending;
    std::stable_sort(o.ascending.begin(), o.ascending.end(), before);
    std::stable_sort(o.descending.begin(), o.descending.end(), [&](std::size_t i, std::size_t j) { return before(j, i); });
    o.top = n ? o.descending.front() : 0;
    return o;
}

template <class T>
Order order_of(const Vector<T>& V) {
    return order_by(V.size(), [&](std::size_t i, std::size_t j) { return less(V[i], V[j]); });
}

// The order of V + eps W for every small eps > 0: (V, W) compared lexicographically.
template <class T>
Order lexicographic_order_of(const Vector<T>& V, const Vector<T>& W) {
    return order_by(V.size(), [&](std::size_t i, std::size_t j) {
        return less(V[i], V[j]) || (!less(V[j], V[i]) && less(W[i], W[j]));
    });
}

// Everything a worst case at (s,a) may read.
template <class T>
struct SetRow {
    std::size_t s, a, S, A;
    const T* q;                   // the nominal row P_N(.|s,a)
    const Vector<T>& V;           // the vector nature maximises against (on a face: W)
    const InnerProducts<T>& dot;  // <., V>
    const Order& order;           // states by V (on a face: by (V, W) lexicographically)
    std::size_t index() const { return s * A + a; }
};

// A set parameter as the file format stores it (docs/format.md, "uncertainty"). io.cpp reads and
// writes every kind's parameters through these descriptions.
struct SetField {
    enum class shape {
        per_state_action,  // one number for every (s,a), or an S x A array; stored S*A
        per_transition,    // S x A x S array; stored (s*A + a)*S + s'
        per_state,         // one number for every s, or an array of S; stored S
        distributions,     // S x A array of non-empty lists of distributions over S
        word,              // a string from `words`; omitted on output when equal to words[0]
    };
    const char* name;
    shape kind;
    bool required = true;
    std::vector<rational>* numbers = nullptr;                         // per_state_action, per_transition, per_state; an optional one left empty when absent
    std::vector<std::vector<std::vector<rational>>>* lists = nullptr;  // distributions
    std::string* text = nullptr;                                      // word
    std::vector<const char*> words = {};                              // word: allowed values
};

// Field names in messages: "uncertainty.radius[1][0]".
inline std::string set_field(const char* name) { return std::string("uncertainty.") + name; }
inline std::string set_field(const char* name, std::size_t s, std::size_t a) {
    return set_field(name) + "[" + std::to_string(s) + "][" + std::to_string(a) + "]";
}
inline std::string set_field(const char* name, std::size_t s, std::size_t a, std::size_t t) {
    return set_field(name, s, a) + "[" + std::to_string(t) + "]";
}

// A probability vector: nonnegative entries summing to exactly one (input_error otherwise).
void check_simplex(const rational* p, std::size_t n, const std::string& file, const std::string& field);

// The radii of a ball are >= 0: input_error naming the first negative one, uncertainty.radius[s][a]
// (`per` = per_state_action, A actions) or uncertainty.radius[s] (`per` = per_state).
void check_radii(const Vector<rational>& radius, SetField::shape per, std::size_t A, const std::string& file);

// The weights of a weighted ball (S*A*S) are > 0: input_error naming uncertainty.weights[s][a][s'].
void check_weights(const Vector<rational>& weights, std::size_t S, std::size_t A, const std::string& file);

// The generator's radii, `count` of them: with chance 1/2 one radius k/denominator for all, else one
// each, k uniform in 0..max_k. The draws come in this order (a seed names the same instance).
Vector<rational> draw_radii(Rng& rng, std::size_t count, std::int64_t max_k, std::int64_t denominator);

template <class K>
concept RectangularSet = requires(const K& k, const SetRow<typename K::scalar>& row) {
    { K::name } -> std::convertible_to<const char*>;
    { K::since } -> std::convertible_to<unsigned>;
    { K::traits } -> std::convertible_to<SetTraits>;
    { k.worst_case(row) } -> std::same_as<WorstCase<typename K::scalar>>;
    { k.on_face(row, row) } -> std::same_as<WorstCase<typename K::scalar>>;
};

}  // namespace rmdp
