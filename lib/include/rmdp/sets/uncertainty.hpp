// UncertaintySet<T>: one of the registered set kinds (registry.hpp) over the scalar T. The variant
// is the I/O and storage boundary; the operators dispatch on it once per pass and then run the
// kind's own code (robust.cpp), so each algorithm is written once, templated on the concept.
#pragma once

#include "rmdp/sets/registry.hpp"

#include <utility>

namespace rmdp {

template <class T>
struct UncertaintySet {
    set_kinds<T> set;

    UncertaintySet() = default;
    template <class K>
        requires RectangularSet<K>
    UncertaintySet(K k) : set(std::move(k)) {}

    template <class F>
    decltype(auto) visit(F&& f) const {
        return std::visit(std::forward<F>(f), set);
    }
    template <class F>
    decltype(auto) visit(F&& f) {
        return std::visit(std::forward<F>(f), set);
    }
    template <class K>
    const K* get() const {
        return std::get_if<K>(&set);
    }
    template <class K>
    K* get() {
        return std::get_if<K>(&set);
    }
    const char* kind() const {
        return visit([](const auto& k) -> const char* { return k.name; });
    }
    SetTraits traits() const {
        return visit([](const auto& k) -> SetTraits { return std::decay_t<decltype(k)>::traits; });
    }
    bool is_nominal() const { return std::holds_alternative<NominalSet<T>>(set); }

    // The same set with every number mapped by f (from_rational, to double, ...).
    template <class U, class F>
    UncertaintySet<U> map(F&& f) const {
        return visit([&](const auto& k) { return UncertaintySet<U>(k.template map<U>(f)); });
    }
};

// The set as read from a file: exact.
using Uncertainty = UncertaintySet<rational>;

template <class T>
UncertaintySet<T> convert(const Uncertainty& u) {
    return u.template map<T>([](const rational& x) { return from_rational<T>(x); });
}

// Calls f(K<rational>{}) for the registered kind named `name` (false when none is).
template <class F>
bool with_kind_named(const std::string& name, F&& f) {
    bool found = false;
    [&]<std::size_t... I>(std::index_sequence<I...>) {
        ((!found && name == std::variant_alternative_t<I, set_kinds<rational>>::name
              ? (f(std::variant_alternative_t<I, set_kinds<rational>>{}), found = true)
              : false),
         ...);
    }(std::make_index_sequence<std::variant_size_v<set_kinds<rational>>>{});
    return found;
}

// "none, l1, interval or finite": the registered names, for messages and docs.
std::string registered_set_names();

// Make the set at state `to` a copy of state `from` for every action (every parameter indexed by
// (s,a) is copied; a generator uses it to create exact ties between states).
void copy_state_rows(Uncertainty& u, std::size_t S, std::size_t A, std::size_t from, std::size_t to);

}  // namespace rmdp
