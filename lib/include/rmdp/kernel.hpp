// A transition kernel P(s'|s,a) (claims.md "Conventions"), stored densely.
#pragma once

#include <cstddef>
#include <vector>

namespace rmdp {

template <class T>
struct Kernel {
    std::size_t S = 0, A = 0;
    std::vector<T> p;  // index (s*A + a)*S + s'
    Kernel() = default;
    Kernel(std::size_t s, std::size_t a) : S(s), A(a), p(s * a * s, T(0)) {}
    T& operator()(std::size_t s, std::size_t a, std::size_t s2) { return p[(s * A + a) * S + s2]; }
    const T& operator()(std::size_t s, std::size_t a, std::size_t s2) const { return p[(s * A + a) * S + s2]; }
    const T* row(std::size_t s, std::size_t a) const { return p.data() + (s * A + a) * S; }
};

}  // namespace rmdp
