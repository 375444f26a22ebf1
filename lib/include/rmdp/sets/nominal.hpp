// "none": U_{s,a} = {P_N(.|s,a)}, no uncertainty. Nature has one choice, the nominal row.
#pragma once

#include "rmdp/sets/set.hpp"

namespace rmdp {

template <class T>
struct NominalSet {
    using scalar = T;
    static constexpr const char* name = "none";
    static constexpr unsigned since = 1;
    static constexpr SetTraits traits{};

    WorstCase<T> worst_case(const SetRow<T>& row) const {
        WorstCase<T> w{Vector<T>(row.q, row.q + row.S), T(0)};
        w.value = row.dot(w.p.data());
        return w;
    }
    // F_{s,a} is the nominal row itself.
    WorstCase<T> on_face(const SetRow<T>&, const SetRow<T>& byVW) const { return worst_case(byVW); }

    template <class U, class F>
    NominalSet<U> map(F&&) const {
        return {};
    }
    std::vector<SetField> fields() { return {}; }
    void validate(const Kernel<rational>&, const std::string&) const {}
    static NominalSet draw(Rng&, const Kernel<rational>&, const GeneratorOptions&) { return {}; }
};

}  // namespace rmdp
