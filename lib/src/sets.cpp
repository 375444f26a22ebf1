// The parts of the set layer (sets/*.hpp) that are not templates.
#include "rmdp/sets/uncertainty.hpp"

#include <cstdint>
#include <functional>
#include <numeric>
#include <optional>

namespace rmdp {

InnerProducts<rational>::InnerProducts(const Vector<rational>& V) : D_(1) {
    for (const auto& v : V) D_ = lcm(D_, denominator(v));
    for (const auto& v : V) y_.push_back(numerator(v) * (D_ / denominator(v)));
}

rational InnerProducts<rational>::operator()(const rational* p) const {
    integer L = 1;
    for (std::size_t t = 0; t < y_.size(); ++t)
        if (p[t] != 0) L = lcm(L, denominator(p[t]));
    integer acc = 0;
    for (std::size_t t = 0; t < y_.size(); ++t)
        if (p[t] != 0) acc += numerator(p[t]) * (L / denominator(p[t])) * y_[t];
    return rational(acc, L * D_);
}

rational InnerProducts<rational>::operator()(const SparseRow<rational>& row) const {
    integer L = 1;
    for (const auto& e : row) L = lcm(L, denominator(e.p));
    integer acc = 0;
    for (const auto& e : row) acc += numerator(e.p) * (L / denominator(e.p)) * y_[e.to];
    return rational(acc, L * D_);
}

namespace {

// Whether nonnegative x_0..x_{n-1} sum to exactly 1, decided over their common denominator
// L = lcm(d_i) as sum_i n_i (L / d_i) == L in machine integers when L < 2^64 and every x_i <= 1
// (then each term is <= L and the sum fits in 128 bits): no gcd per addition as in a rational sum.
// Empty when that does not apply; the caller then sums in rationals.
template <class Get>  // get(i): the i-th of n entries
std::optional<bool> sums_to_one_small(std::size_t n, Get get) {
    std::uint64_t L = 1;
    for (std::size_t i = 0; i < n; ++i) {
        const mpq_srcptr x = get(i).backend().data();
        if (mpz_sgn(mpq_numref(x)) == 0) continue;
        if (!mpz_fits_ulong_p(mpq_denref(x)) || !mpz_fits_ulong_p(mpq_numref(x))) return std::nullopt;
        const std::uint64_t d = mpz_get_ui(mpq_denref(x));
        const std::uint64_t g = std::gcd(L, d), q = L / g;
        if (q > UINT64_MAX / d) return std::nullopt;
        L = q * d;
    }
    unsigned __int128 sum = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const mpq_srcptr x = get(i).backend().data();
        const std::uint64_t num = mpz_get_ui(mpq_numref(x)), d = mpz_get_ui(mpq_denref(x));
        if (num == 0) continue;
        if (num > d) return std::nullopt;  // x > 1
        sum += static_cast<unsigned __int128>(num) * (L / d);
    }
    return sum == L;
}

template <class Get>  // get(i): the i-th of n entries, at index where(i)
void check_simplex_of(std::size_t n, Get get, const std::function<std::size_t(std::size_t)>& where, const std::string& file,
                      const std::string& field) {
    // sign(), not get(i) < 0: the comparison with 0 builds a temporary rational per entry.
    for (std::size_t i = 0; i < n; ++i)
        if (get(i).sign() < 0) throw input_error(file, field + "[" + std::to_string(where(i)) + "]", "negative probability " + get(i).str());
    if (sizeof(unsigned long) == 8)
        if (const std::optional<bool> one = sums_to_one_small(n, get); one && *one) return;
    rational sum = 0;
    for (std::size_t i = 0; i < n; ++i) sum += get(i);
    if (sum != 1)
        throw input_error(file, field,
                          "probabilities sum to " + sum.str() + ", not exactly 1 (JSON floating-point literals are read "
                          "as their exact binary values; write such entries as strings like \"1/10\")");
}

}  // namespace

void check_simplex(const rational* p, std::size_t n, const std::string& file, const std::string& field) {
    check_simplex_of(n, [&](std::size_t i) -> const rational& { return p[i]; }, [](std::size_t i) { return i; }, file, field);
}

void check_simplex(const SparseRow<rational>& row, const std::string& file, const std::string& field) {
    check_simplex_of(row.size(), [&](std::size_t i) -> const rational& { return row[i].p; },
                     [&](std::size_t i) { return row[i].to; }, file, field);
}

void check_radii(const Vector<rational>& radius, SetField::shape per, std::size_t A, const std::string& file) {
    for (std::size_t i = 0; i < radius.size(); ++i)
        if (radius[i] < 0)
            throw input_error(file,
                              per == SetField::shape::per_state ? set_field("radius") + "[" + std::to_string(i) + "]"
                                                                : set_field("radius", i / A, i % A),
                              "negative radius " + radius[i].str());
}

void check_weights(const Vector<rational>& weights, std::size_t S, std::size_t A, const std::string& file) {
    for (std::size_t i = 0; i < weights.size(); ++i)
        if (weights[i] <= 0)
            throw input_error(file, set_field("weights", i / (A * S), i / S % A, i % S),
                              "weight " + weights[i].str() + " is not positive");
}

Vector<rational> draw_radii(Rng& rng, std::size_t count, std::int64_t max_k, std::int64_t denominator) {
    const bool one = rng.chance(1, 2);
    const rational r(rng.between(0, max_k), denominator);
    Vector<rational> radius;
    for (std::size_t i = 0; i < count; ++i) radius.push_back(one ? r : rational(rng.between(0, max_k), denominator));
    return radius;
}

std::string registered_set_names() {
    std::string out;
    constexpr std::size_t n = std::variant_size_v<set_kinds<rational>>;
    [&]<std::size_t... I>(std::index_sequence<I...>) {
        ((out += (I == 0 ? "" : I + 1 == n ? " or " : ", ") + std::string(std::variant_alternative_t<I, set_kinds<rational>>::name)), ...);
    }(std::make_index_sequence<n>{});
    return out;
}

void copy_state_rows(Uncertainty& u, std::size_t S, std::size_t A, std::size_t from, std::size_t to) {
    u.visit([&](auto& k) {
        for (SetField& f : k.fields())
            for (std::size_t a = 0; a < A; ++a) {
                const std::size_t i = from * A + a, j = to * A + a;
                switch (f.kind) {
                    case SetField::shape::per_state_action: (*f.numbers)[j] = (*f.numbers)[i]; break;
                    case SetField::shape::per_state: (*f.numbers)[to] = (*f.numbers)[from]; break;
                    case SetField::shape::per_transition:
                        if (f.numbers->empty()) break;  // an optional field that was not given
                        for (std::size_t t = 0; t < S; ++t) (*f.numbers)[j * S + t] = (*f.numbers)[i * S + t];
                        break;
                    case SetField::shape::distributions: (*f.lists)[j] = (*f.lists)[i]; break;
                    case SetField::shape::word: break;
                }
            }
    });
}

}  // namespace rmdp
