// "none": U_{s,a} = {P_N(.|s,a)}, no uncertainty. Nature has one choice, the nominal row.
#pragma once

#include "rmdp/sets/set.hpp"

namespace rmdp {

template <class T>
struct NominalSet {
    using scalar = T;
    static constexpr const char* name = "none";
    static constexpr unsigned since = 1;
    static constexpr SetTraits traits{.sparse = true};

    SparseWorstCase<T> worst_case(const SetRow<T>& row) const {
        SparseRow<T> own;
        const SparseRow<T>& q = row.nonzeros(own);
        return {q, row.dot(q)};
    }
    // F_{s,a} is the nominal row itself.
    SparseWorstCase<T> on_face(const SetRow<T>&, const SetRow<T>& byVW) const { return worst_case(byVW); }

    template <class U, class F>
    NominalSet<U> map(F&&) const {
        return {};
    }
    std::vector<SetField> fields() { return {}; }
    void validate(const Kernel<rational>&, const std::string&) const {}
    static NominalSet draw(Rng&, const Kernel<rational>&, const GeneratorOptions&) { return {}; }
};

}  // namespace rmdp
