// The registered uncertainty-set kinds. Adding a kind: write sets/<kind>.hpp (the concept of
// sets/set.hpp) and add it to the list below — nothing else (docs/robust.md, "Adding a set kind").
//
// Order matters for reproducibility only: generator version 1 draws the kinds with since = 1 by
// their position in this list, so new kinds go after them.
#pragma once

#include "rmdp/sets/finite.hpp"
#include "rmdp/sets/interval.hpp"
#include "rmdp/sets/kl.hpp"
#include "rmdp/sets/l1.hpp"
#include "rmdp/sets/nominal.hpp"
#include "rmdp/sets/s_l1.hpp"
#include "rmdp/sets/weighted_l1.hpp"

#include <variant>

namespace rmdp {

template <class T>
using set_kinds = std::variant<NominalSet<T>, L1Ball<T>, IntervalSet<T>, FiniteSet<T>, WeightedL1Ball<T>, KLBall<T>, SL1Ball<T>>;

}  // namespace rmdp
