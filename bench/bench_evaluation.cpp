// Policy-evaluation benchmarks: rmdp::value (one dense solve of (I - gamma P^pi) V = c^pi) and
// rmdp::occupancy (S right-hand sides) in each arithmetic, plus the exact solve against a naive
// Gaussian elimination on mpq_rational (the baseline of toolchain.md: "Bareiss on integers after
// clearing denominators is about 5x faster than naive rational elimination").
//
// Instances (see docs/benchmarks.md): for a given |S|, Rng(trial_seed(2026, |S|)) draws, in this
// order, the S*A costs k/4 with k in [-4, 4], the S*A kernel rows with random_distribution(rng, S, 6),
// rho with random_distribution(rng, S, 6), and then a policy with random_policy. |A| = 3 and
// gamma = 9/10 are fixed (random_mdp draws S, A and gamma, so it is not used directly: this is
// random_mdp's body with the three sizes pinned). Every instance is checked with rmdp::validate.
//
// Conversion from the exact MdpData to Mdp<T> happens once, outside the timed loop. Counters
// (untimed) report accuracy against the exact answer and the size of the exact answer.
#include <benchmark/benchmark.h>

#include "rmdp/evaluation.hpp"
#include "rmdp/linalg.hpp"
#include "rmdp/model.hpp"
#include "rmdp/random.hpp"
#include "rmdp/scalar.hpp"

#include <algorithm>
#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

namespace {

using rmdp::rational;
using rmdp::integer;
using rmdp::Matrix;
using rmdp::Vector;

constexpr std::uint64_t kSeed = 2026;
constexpr std::size_t kActions = 3;
constexpr unsigned kBits = 256;

struct Instance {
    rmdp::MdpData mdp;
    rmdp::PolicyData policy;
    Vector<rational> V;  // exact value, computed once (untimed) for the accuracy counters
};

Instance build_instance(std::size_t S) {
    rmdp::Rng rng(rmdp::trial_seed(kSeed, S));
    rmdp::GeneratorOptions opt;  // denominator 6, costs k/4 with k in [-4, 4]
    Instance in;
    rmdp::MdpData& m = in.mdp;
    m = rmdp::random_mdp_sized(rng, opt, S, kActions, rational(9, 10));
    rmdp::validate(m, "bench instance");
    in.policy = rmdp::random_policy(rng, m, opt);
    rmdp::validate(in.policy, m, "bench instance");
    auto mq = rmdp::convert<rational>(m);
    in.V = rmdp::value(mq, mq.P, rmdp::convert<rational>(in.policy));
    return in;
}

const Instance& instance(std::size_t S) {
    static std::map<std::size_t, Instance> cache;
    auto it = cache.find(S);
    if (it == cache.end()) it = cache.emplace(S, build_instance(S)).first;
    return it->second;
}

std::size_t bits(const integer& z) { return z == 0 ? 0 : boost::multiprecision::msb(abs(z)) + 1; }

double to_double(const rational& q) { return q.convert_to<double>(); }

// max_s |x(s) - V(s)| / max_s |V(s)|
template <class F>
double relative_error(const Vector<F>& x, const Vector<rational>& V) {
    rational err = 0, scale = 0;
    for (std::size_t s = 0; s < V.size(); ++s) {
        rational d = rmdp::exact_value(x[s]) - V[s];
        err = std::max<rational>(err, abs(d));
        scale = std::max<rational>(scale, abs(V[s]));
    }
    return scale == 0 ? to_double(err) : to_double(rational(err / scale));
}

// ---- value(): one solve, every arithmetic ---------------------------------------------------

template <class T>
void BM_value(benchmark::State& state) {
    const std::size_t S = static_cast<std::size_t>(state.range(0));
    const Instance& in = instance(S);
    if constexpr (!std::is_same_v<T, rational> && !std::is_same_v<T, double>) rmdp::set_working_precision(kBits);
    const rmdp::Mdp<T> m = rmdp::convert<T>(in.mdp);
    const rmdp::Policy<T> pi = rmdp::convert<T>(in.policy);
    Vector<T> V;
    for (auto _ : state) {
        V = rmdp::value(m, m.P, pi);
        benchmark::DoNotOptimize(V.data());
        benchmark::ClobberMemory();
    }
    // Untimed: accuracy against the exact answer / size of the exact answer.
    if constexpr (std::is_same_v<T, rational>) {
        std::size_t den = 0, num = 0;
        for (const auto& v : V) {
            den = std::max(den, bits(denominator(v)));
            num = std::max(num, bits(numerator(v)));
        }
        if (V != in.V) state.SkipWithError("exact value differs from the reference");
        state.counters["den_bits"] = static_cast<double>(den);
        state.counters["num_bits"] = static_cast<double>(num);
    } else if constexpr (std::is_same_v<T, rmdp::mpfi_float>) {
        rational width = 0, scale = 0;
        for (std::size_t s = 0; s < S; ++s) {
            rational lo = rmdp::lower_rational(V[s]), hi = rmdp::upper_rational(V[s]);
            if (!(lo <= in.V[s] && in.V[s] <= hi)) state.SkipWithError("enclosure misses the exact value");
            width = std::max<rational>(width, rational(hi - lo));
            scale = std::max<rational>(scale, abs(in.V[s]));
        }
        state.counters["rel_width"] = to_double(rational(width / scale));
    } else {
        state.counters["rel_err"] = relative_error(V, in.V);
    }
    state.counters["S"] = static_cast<double>(S);
}

// ---- exact solve: library Bareiss vs naive rational Gaussian elimination ---------------------

// Textbook Gaussian elimination on mpq_rational (every operation canonicalises by a gcd): first
// non-zero pivot, zero multipliers skipped, then back-substitution. Solves (I - gamma P) X = B.
Matrix<rational> naive_rational_solve(const rational& gamma, const Matrix<rational>& P, Matrix<rational> B) {
    const std::size_t n = P.rows, k = B.cols;
    Matrix<rational> A(n, n);
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < n; ++j) {
            rational v = -gamma * P(i, j);
            if (i == j) v += 1;
            A(i, j) = v;
        }
    for (std::size_t p = 0; p < n; ++p) {
        std::size_t piv = p;
        while (piv < n && A(piv, p) == 0) ++piv;
        if (piv == n) throw std::domain_error("singular");
        if (piv != p) {
            for (std::size_t j = 0; j < n; ++j) std::swap(A(p, j), A(piv, j));
            for (std::size_t j = 0; j < k; ++j) std::swap(B(p, j), B(piv, j));
        }
        for (std::size_t i = p + 1; i < n; ++i) {
            if (A(i, p) == 0) continue;
            rational l = A(i, p) / A(p, p);
            for (std::size_t j = p + 1; j < n; ++j) A(i, j) -= l * A(p, j);
            for (std::size_t j = 0; j < k; ++j) B(i, j) -= l * B(p, j);
            A(i, p) = 0;
        }
    }
    Matrix<rational> X(n, k);
    for (std::size_t c = 0; c < k; ++c)
        for (std::size_t i = n; i-- > 0;) {
            rational acc = B(i, c);
            for (std::size_t j = i + 1; j < n; ++j) acc -= A(i, j) * X(j, c);
            X(i, c) = acc / A(i, i);
        }
    return X;
}

struct ExactSystem {
    rational gamma;
    Matrix<rational> P;  // P^pi
    Matrix<rational> c;  // c^pi as an S x 1 column
};

ExactSystem exact_system(std::size_t S) {
    const Instance& in = instance(S);
    auto m = rmdp::convert<rational>(in.mdp);
    auto pi = rmdp::convert<rational>(in.policy);
    return {m.gamma, rmdp::policy_kernel(m.P, pi), rmdp::column(rmdp::policy_cost(m.cost, pi))};
}

void BM_solve_bareiss(benchmark::State& state) {
    const std::size_t S = static_cast<std::size_t>(state.range(0));
    const ExactSystem sys = exact_system(S);
    Matrix<rational> X;
    for (auto _ : state) {
        X = rmdp::resolvent_solve_exact(sys.gamma, sys.P, sys.c, rmdp::side::right, rmdp::exact_algorithm::bareiss);
        benchmark::DoNotOptimize(X.data.data());
        benchmark::ClobberMemory();
    }
    if (X.data != instance(S).V) state.SkipWithError("Bareiss answer differs from value()");
}

void BM_solve_naive_rational(benchmark::State& state) {
    const std::size_t S = static_cast<std::size_t>(state.range(0));
    const ExactSystem sys = exact_system(S);
    Matrix<rational> X;
    for (auto _ : state) {
        X = naive_rational_solve(sys.gamma, sys.P, sys.c);
        benchmark::DoNotOptimize(X.data.data());
        benchmark::ClobberMemory();
    }
    if (X.data != instance(S).V) state.SkipWithError("naive answer differs from Bareiss");
}

// ---- occupancy(): all S rows (S right-hand sides, left solve), exact -------------------------

void BM_occupancy_exact(benchmark::State& state) {
    const std::size_t S = static_cast<std::size_t>(state.range(0));
    const Instance& in = instance(S);
    const auto m = rmdp::convert<rational>(in.mdp);
    const auto pi = rmdp::convert<rational>(in.policy);
    Matrix<rational> D;
    for (auto _ : state) {
        D = rmdp::occupancy(m, m.P, pi);
        benchmark::DoNotOptimize(D.data.data());
        benchmark::ClobberMemory();
    }
    // Untimed sanity check: every row of an occupancy matrix is a distribution.
    for (std::size_t s = 0; s < S; ++s) {
        rational sum = 0;
        for (std::size_t t = 0; t < S; ++t) sum += D(s, t);
        if (sum != 1) state.SkipWithError("occupancy row does not sum to 1");
    }
    std::size_t den = 0;
    for (const auto& v : D.data) den = std::max(den, bits(denominator(v)));
    state.counters["den_bits"] = static_cast<double>(den);
}

// Extra aggregate for --benchmark_repetitions: on a shared machine, interference only adds time,
// so the fastest repetition is the least-disturbed estimate (reported next to the median).
double min_of(const std::vector<double>& v) { return *std::min_element(v.begin(), v.end()); }

}  // namespace

// Exact |S| = 100 takes a sizeable fraction of a second per solve: a fixed iteration count keeps
// the whole run within a few minutes.
BENCHMARK_TEMPLATE(BM_value, rational)->Name("value/exact")->Arg(10)->Arg(20)->Arg(50)->Unit(benchmark::kMicrosecond)->ComputeStatistics("min", min_of);
BENCHMARK_TEMPLATE(BM_value, rational)->Name("value/exact")->Arg(100)->Iterations(3)->Unit(benchmark::kMicrosecond)->ComputeStatistics("min", min_of);
BENCHMARK_TEMPLATE(BM_value, rmdp::mpfr_float)->Name("value/mpfr256")->Arg(10)->Arg(20)->Arg(50)->Arg(100)->Unit(benchmark::kMicrosecond)->ComputeStatistics("min", min_of);
BENCHMARK_TEMPLATE(BM_value, rmdp::mpfi_float)->Name("value/mpfi256")->Arg(10)->Arg(20)->Arg(50)->Arg(100)->Unit(benchmark::kMicrosecond)->ComputeStatistics("min", min_of);
BENCHMARK_TEMPLATE(BM_value, double)->Name("value/double")->Arg(10)->Arg(20)->Arg(50)->Arg(100)->Unit(benchmark::kMicrosecond)->ComputeStatistics("min", min_of);
BENCHMARK(BM_solve_bareiss)->Name("solve/exact_bareiss")->Arg(20)->Arg(50)->Unit(benchmark::kMicrosecond)->ComputeStatistics("min", min_of);
BENCHMARK(BM_solve_naive_rational)->Name("solve/exact_naive_mpq")->Arg(20)->Arg(50)->Unit(benchmark::kMicrosecond)->ComputeStatistics("min", min_of);
BENCHMARK(BM_occupancy_exact)->Name("occupancy/exact")->Arg(20)->Arg(50)->Unit(benchmark::kMicrosecond)->ComputeStatistics("min", min_of);

BENCHMARK_MAIN();
