// Robust-solver benchmarks on (s,a)-rectangular L1 instances: exact robust policy iteration
// (rmdp::robust_solve on rationals), exact robust evaluation of a fixed policy (rmdp::robust_value),
// and in double: robust value iteration (rmdp::robust_value_iteration, epsilon 0 = auto) and robust
// policy iteration (rmdp::robust_solve<double>).
//
// Instances (see docs/benchmarks.md, "Robust solvers"): for a given (|S|, |A|),
// Rng(trial_seed(2026, |S|)) draws, in this order, the S*A costs k/4 with k in [-4, 4], the S*A
// kernel rows with random_distribution(rng, S, 6), rho with random_distribution(rng, S, 6), and a
// policy with random_policy. gamma = 9/10. For |A| = 3 the nominal MDP and the policy are exactly
// bench_evaluation.cpp's instances. The uncertainty set is L1 with radius 1/4 on every (s,a).
// Every instance is checked with rmdp::validate.
//
// Conversion from the exact MdpData to Mdp<T> / UncertaintySet<T> happens once, outside the timed
// loop. Untimed after the loop: exact answers are checked with the certificate is_robust_optimal
// (or T_r^pi V = V for the evaluation); counters report iteration counts and the size of the answer.
#include <benchmark/benchmark.h>

#include "rmdp/evaluation.hpp"
#include "rmdp/model.hpp"
#include "rmdp/random.hpp"
#include "rmdp/robust.hpp"
#include "rmdp/scalar.hpp"
#include "rmdp/solvers.hpp"

#include <algorithm>
#include <cstdint>
#include <map>
#include <utility>
#include <vector>

namespace {

using rmdp::rational;
using rmdp::integer;
using rmdp::Vector;

constexpr std::uint64_t kSeed = 2026;

struct Instance {
    rmdp::MdpData mdp;
    rmdp::PolicyData policy;
};

Instance build_instance(std::size_t S, std::size_t A) {
    rmdp::Rng rng(rmdp::trial_seed(kSeed, S));
    rmdp::GeneratorOptions opt;  // denominator 6, costs k/4 with k in [-4, 4]
    Instance in;
    rmdp::MdpData& m = in.mdp;
    m = rmdp::random_mdp_sized(rng, opt, S, A, rational(9, 10));
    m.uncertainty = rmdp::L1Ball<rational>{rmdp::Vector<rational>(S * A, rational(1, 4))};
    rmdp::validate(m, "bench");
    in.policy = rmdp::random_policy(rng, m, opt);
    rmdp::validate(in.policy, m, "bench");
    return in;
}

// Sparse-ish instances (robust_solve/exact_sparse): every (s,a) has `successors` distinct next
// states drawn by rng.below(S) (repeats redrawn) with integer weights rng.between(1, 6), normalised
// exactly; costs as above; gamma = 9/10; L1 radius 1/4. Stored dense (rmdp's kernels are dense);
// nature may still move mass to any state.
rmdp::MdpData sparse_instance(std::size_t S, std::size_t A, std::size_t successors) {
    rmdp::Rng rng(rmdp::trial_seed(kSeed + 1, S));
    rmdp::MdpData m;
    m.S = S;
    m.A = A;
    m.gamma = rational(9, 10);
    for (std::size_t i = 0; i < S * A; ++i) m.cost.emplace_back(rng.between(-4, 4), 4);
    m.P = rmdp::Kernel<rational>(S, A);
    for (std::size_t s = 0; s < S; ++s)
        for (std::size_t a = 0; a < A; ++a) {
            std::vector<std::size_t> next;
            std::vector<std::int64_t> w;
            std::int64_t total = 0;
            while (next.size() < successors) {
                const std::size_t t = static_cast<std::size_t>(rng.below(S));
                if (std::find(next.begin(), next.end(), t) != next.end()) continue;
                next.push_back(t);
                w.push_back(rng.between(1, 6));
                total += w.back();
            }
            for (std::size_t i = 0; i < next.size(); ++i) m.P(s, a, next[i]) = rational(w[i], total);
        }
    m.rho.assign(S, rational(1, static_cast<long>(S)));
    m.uncertainty = rmdp::L1Ball<rational>{rmdp::Vector<rational>(S * A, rational(1, 4))};
    rmdp::validate(m, "bench");
    return m;
}

const Instance& instance(std::size_t S, std::size_t A) {
    static std::map<std::pair<std::size_t, std::size_t>, Instance> cache;
    auto key = std::make_pair(S, A);
    auto it = cache.find(key);
    if (it == cache.end()) it = cache.emplace(key, build_instance(S, A)).first;
    return it->second;
}

std::size_t bits(const integer& z) { return z == 0 ? 0 : boost::multiprecision::msb(abs(z)) + 1; }

std::size_t max_den_bits(const Vector<rational>& V) {
    std::size_t den = 0;
    for (const auto& v : V) den = std::max(den, bits(denominator(v)));
    return den;
}

void set_sizes(benchmark::State& state, std::size_t S, std::size_t A) {
    state.counters["S"] = static_cast<double>(S);
    state.counters["A"] = static_cast<double>(A);
}

// ---- robust policy iteration: exact, MPFR (256 bits requested) and double ------------------------

// Times robust_solve<T> on md (converted to T once, outside the timed loop); counters: the sizes and
// the iteration counts.
template <class T>
rmdp::RobustSolution<T> time_robust_solve(benchmark::State& state, const rmdp::MdpData& md) {
    const auto m = rmdp::convert<T>(md);
    const auto U = rmdp::convert<T>(md.uncertainty);
    rmdp::RobustSolution<T> sol;
    for (auto _ : state) {
        sol = rmdp::robust_solve(m, U);
        benchmark::DoNotOptimize(sol.V.data());
        benchmark::ClobberMemory();
    }
    set_sizes(state, md.S, md.A);
    state.counters["policy_iterations"] = static_cast<double>(sol.policy_iterations);
    state.counters["nature_iterations"] = static_cast<double>(sol.nature_iterations);
    return sol;
}

// Exact: the answer is checked (untimed) with the certificate is_robust_optimal.
void time_exact_robust_solve(benchmark::State& state, const rmdp::MdpData& md) {
    const rmdp::RobustSolution<rational> sol = time_robust_solve<rational>(state, md);
    if (!rmdp::is_robust_optimal(rmdp::convert<rational>(md), rmdp::convert<rational>(md.uncertainty), sol.policy, sol.V))
        state.SkipWithError("certificate failed");
    state.counters["den_bits"] = static_cast<double>(max_den_bits(sol.V));
}

void BM_robust_solve_exact(benchmark::State& state) {
    const std::size_t S = static_cast<std::size_t>(state.range(0)), A = static_cast<std::size_t>(state.range(1));
    time_exact_robust_solve(state, instance(S, A).mdp);
}

void BM_robust_solve_exact_sparse(benchmark::State& state) {
    const std::size_t S = static_cast<std::size_t>(state.range(0)), A = static_cast<std::size_t>(state.range(1));
    time_exact_robust_solve(state, sparse_instance(S, A, 5));
}

// Warm-started from double like exact.
void BM_robust_solve_mpfr(benchmark::State& state) {
    const std::size_t S = static_cast<std::size_t>(state.range(0)), A = static_cast<std::size_t>(state.range(1));
    const rmdp::scoped_precision bits(256);
    time_robust_solve<rmdp::mpfr_float>(state, instance(S, A).mdp);
}

// ---- exact robust evaluation of the instance's random policy -----------------------------------

void BM_robust_value_exact(benchmark::State& state) {
    const std::size_t S = static_cast<std::size_t>(state.range(0)), A = static_cast<std::size_t>(state.range(1));
    const Instance& in = instance(S, A);
    const auto m = rmdp::convert<rational>(in.mdp);
    const auto U = rmdp::convert<rational>(in.mdp.uncertainty);
    const auto pi = rmdp::convert<rational>(in.policy);
    rmdp::RobustEvaluation<rational> ev;
    for (auto _ : state) {
        ev = rmdp::robust_value(m, U, pi);
        benchmark::DoNotOptimize(ev.V.data());
        benchmark::ClobberMemory();
    }
    if (rmdp::robust_bellman(m, U, pi, ev.V) != ev.V) state.SkipWithError("V is not the fixed point of T_r^pi");
    set_sizes(state, S, A);
    state.counters["nature_iterations"] = static_cast<double>(ev.iterations);
    state.counters["den_bits"] = static_cast<double>(max_den_bits(ev.V));
}

// ---- double: robust value iteration (auto epsilon) and robust policy iteration -------------------

void BM_robust_vi_double(benchmark::State& state) {
    const std::size_t S = static_cast<std::size_t>(state.range(0)), A = static_cast<std::size_t>(state.range(1));
    const Instance& in = instance(S, A);
    const auto m = rmdp::convert<double>(in.mdp);
    const auto U = rmdp::convert<double>(in.mdp.uncertainty);
    rmdp::ValueIterationResult<double> r;
    double total_entries = 0;
    for (auto _ : state) {
        r = rmdp::robust_value_iteration(m, U, 0.0);
        benchmark::DoNotOptimize(r.V.data());
        benchmark::ClobberMemory();
        total_entries += static_cast<double>(r.iterations) * static_cast<double>(S * A * S);
    }
    set_sizes(state, S, A);
    state.counters["vi_iterations"] = static_cast<double>(r.iterations);
    state.counters["entries_per_s"] = benchmark::Counter(total_entries, benchmark::Counter::kIsRate);
}

void BM_robust_solve_double(benchmark::State& state) {
    const std::size_t S = static_cast<std::size_t>(state.range(0)), A = static_cast<std::size_t>(state.range(1));
    time_robust_solve<double>(state, instance(S, A).mdp);
}

double min_of(const std::vector<double>& v) { return *std::min_element(v.begin(), v.end()); }

}  // namespace

// Exact solves at |S| >= 100 take seconds: those sizes are pinned to a fixed iteration count so that
// the whole run stays within a few minutes.
BENCHMARK(BM_robust_solve_exact)->Name("robust_solve/exact")->ArgNames({"S", "A"})
    ->Args({10, 3})->Args({20, 3})->Args({30, 3})->Args({50, 3})
    ->Unit(benchmark::kMillisecond)->ComputeStatistics("min", min_of);
BENCHMARK(BM_robust_solve_exact)->Name("robust_solve/exact")->ArgNames({"S", "A"})
    ->Args({100, 3})->Args({100, 4})->Iterations(1)->Unit(benchmark::kMillisecond)->ComputeStatistics("min", min_of);
BENCHMARK(BM_robust_solve_exact)->Name("robust_solve/exact")->ArgNames({"S", "A"})
    ->Args({200, 3})->Args({400, 3})->Iterations(1)->Unit(benchmark::kMillisecond)->ComputeStatistics("min", min_of);
BENCHMARK(BM_robust_solve_exact_sparse)->Name("robust_solve/exact_sparse5")->ArgNames({"S", "A"})
    ->Args({250, 4})->Args({500, 4})->Args({1000, 4})->Iterations(1)->Unit(benchmark::kMillisecond)
    ->ComputeStatistics("min", min_of);
BENCHMARK(BM_robust_solve_mpfr)->Name("robust_solve/mpfr256")->ArgNames({"S", "A"})
    ->Args({100, 3})->Args({200, 3})->Args({400, 3})->Iterations(1)->Unit(benchmark::kMillisecond)
    ->ComputeStatistics("min", min_of);

BENCHMARK(BM_robust_value_exact)->Name("robust_value/exact")->ArgNames({"S", "A"})
    ->Args({10, 3})->Args({20, 3})->Args({30, 3})->Args({50, 3})
    ->Unit(benchmark::kMillisecond)->ComputeStatistics("min", min_of);
BENCHMARK(BM_robust_value_exact)->Name("robust_value/exact")->ArgNames({"S", "A"})
    ->Args({100, 3})->Args({200, 3})->Iterations(1)->Unit(benchmark::kMillisecond)->ComputeStatistics("min", min_of);

BENCHMARK(BM_robust_vi_double)->Name("robust_vi/double")->ArgNames({"S", "A"})
    ->Args({50, 3})->Args({100, 3})->Args({200, 3})->Unit(benchmark::kMillisecond)->ComputeStatistics("min", min_of);
BENCHMARK(BM_robust_solve_double)->Name("robust_solve/double")->ArgNames({"S", "A"})
    ->Args({50, 3})->Args({100, 3})->Args({200, 3})->Unit(benchmark::kMillisecond)->ComputeStatistics("min", min_of);

BENCHMARK_MAIN();
