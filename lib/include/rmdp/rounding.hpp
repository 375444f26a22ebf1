// The rounding margin of nature's and the agent's policy iterations (docs/robust.md): by how much a
// switch must win in floating point. One rule for every loop that switches on a comparison of dot
// products (robust_value, robust_solve, directional_derivative) and for value iteration's floor.
#pragma once

#include "rmdp/linalg.hpp"
#include "rmdp/scalar.hpp"

#include <cstddef>

namespace rmdp {

// Two length-S dot products with entries bounded by `scale` differ by rounding alone by up to
// about 2 (S+2) u scale; a switch must beat twice that, or nature and agent could chase rounding
// noise forever (found by the robust differential test on exactly tied instances). Exact
// arithmetic: margin 0, strict improvement. The margin only decides where an iteration stops; the
// answer's accuracy is then bounded rigorously from its exact Bellman residual (error_bound.hpp).
template <class T>
T switch_margin(std::size_t S, const T& scale) {
    if constexpr (is_exact_v<T>) {
        return T(0);
    } else {
        using std::abs;
        return T(4 * (S + 2)) * scalar_traits<T>::unit_roundoff() * abs(scale);
    }
}

}  // namespace rmdp
