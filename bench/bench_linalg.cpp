// Exact linear-algebra benchmarks (docs/benchmarks.md, "Exact solves: FLINT"):
//   * resolvent/<algorithm>/<side>/n/k: rmdp::resolvent_solve_exact with exact_algorithm::bareiss or
//     ::dixon on the same system, right (k = 1 or k = n, the resolvent) and left (k = 1); these
//     decide exact_dixon_threshold in lib/src/linalg.cpp;
//   * value_system/{library,flint_direct}/n: the system the exact robust solve of an n x 3 L1 instance
//     solves, (I - gamma P_u^pi) V = c^pi at the double warm start's policy pi and worst-case kernel u:
//     once through rmdp::resolvent_solve (integral scaling, GMP -> FLINT conversion, Dixon, back),
//     and once FLINT's fmpq_mat_solve_fmpz_mat_dixon alone on an fmpz system prepared outside the
//     timed loop. Their ratio is the library's overhead around FLINT.
//   * value_system/bareiss/n: the same system by the fraction-free elimination used before FLINT.
//   * to_double/{library,mpfr_before}: rmdp::from_rational<double> (one division when numerator and
//     denominator fit in 53 bits) vs the MPFR rounding used before for every value, on the kernel
//     and cost entries of the 200 x 3 instance; both must give the same doubles.
//
// Instances: bench_robust.cpp's (seed 2026, |A| = 3, gamma = 9/10, L1 radius 1/4); every answer is
// checked exactly after the timed loop ((I - gamma P) X = B).
#include <benchmark/benchmark.h>

#include "rmdp/evaluation.hpp"
#include "rmdp/linalg.hpp"
#include "rmdp/model.hpp"
#include "rmdp/random.hpp"
#include "rmdp/robust.hpp"
#include "rmdp/scalar.hpp"
#include "rmdp/solvers.hpp"

#include <flint/fmpq_mat.h>
#include <flint/fmpz.h>
#include <flint/fmpz_mat.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <map>
#include <vector>

namespace {

using rmdp::integer;
using rmdp::Matrix;
using rmdp::rational;

constexpr std::uint64_t kSeed = 2026;

rmdp::MdpData robust_instance(std::size_t S, std::size_t A) {
    rmdp::Rng rng(rmdp::trial_seed(kSeed, S));
    rmdp::GeneratorOptions opt;
    rmdp::MdpData m = rmdp::random_mdp_sized(rng, opt, S, A, rational(9, 10));
    m.uncertainty = rmdp::L1Ball<rational>{rmdp::Vector<rational>(S * A, rational(1, 4))};
    rmdp::validate(m, "bench");
    return m;
}

// The system of the exact robust solve's first (on these instances: only) evaluation.
struct ValueSystem {
    rational gamma;
    Matrix<rational> P, c;
};

const ValueSystem& value_system(std::size_t S) {
    static std::map<std::size_t, ValueSystem> cache;
    auto it = cache.find(S);
    if (it != cache.end()) return it->second;
    const rmdp::MdpData md = robust_instance(S, 3);
    const auto m = rmdp::convert<rational>(md);
    const auto U = rmdp::convert<rational>(md.uncertainty);
    const auto d = rmdp::robust_solve(rmdp::convert<double>(md), rmdp::convert<double>(md.uncertainty));
    rmdp::Policy<rational> pi(S, 3);
    for (std::size_t i = 0; i < pi.data.size(); ++i) pi.data[i] = d.policy.data[i] == 1.0 ? 1 : 0;
    std::vector<rational> V;
    for (double x : d.V) V.push_back(rmdp::exact_value(x));
    const rmdp::Kernel<rational> u = rmdp::worst_case_kernel(U, m.P, V);
    ValueSystem sys{m.gamma, rmdp::policy_kernel(u, pi), rmdp::column(rmdp::policy_cost(m.cost, pi))};
    return cache.emplace(S, std::move(sys)).first->second;
}

Matrix<rational> random_stochastic(std::size_t n) {
    rmdp::Rng rng(rmdp::trial_seed(kSeed, n));
    Matrix<rational> P(n, n);
    for (std::size_t i = 0; i < n; ++i) {
        const auto row = rmdp::random_distribution(rng, n, 6);
        for (std::size_t j = 0; j < n; ++j) P(i, j) = row[j];
    }
    return P;
}

bool solves(const rational& gamma, const Matrix<rational>& P, const Matrix<rational>& B, const Matrix<rational>& X,
            rmdp::side s) {
    Matrix<rational> A = Matrix<rational>::identity(P.rows);
    for (std::size_t i = 0; i < A.data.size(); ++i) A.data[i] -= gamma * P.data[i];
    return (s == rmdp::side::right ? rmdp::multiply(A, X) : rmdp::multiply(X, A)).data == B.data;
}

double min_of(const std::vector<double>& v) { return *std::min_element(v.begin(), v.end()); }

// ---- Bareiss vs Dixon through the library, random systems of every size --------------------------

// k right-hand sides: 1, n / 4, or n (then B = I: the resolvent).
enum class rhs { one, quarter, all };

void BM_resolvent(benchmark::State& state, rmdp::exact_algorithm alg, rmdp::side s, rhs width) {
    const std::size_t n = static_cast<std::size_t>(state.range(0));
    const bool many = width == rhs::all;
    const std::size_t k = width == rhs::one ? 1 : std::max<std::size_t>(1, n / 4);
    const Matrix<rational> P = random_stochastic(n);
    const rational gamma(9, 10);
    Matrix<rational> B = many ? Matrix<rational>::identity(n) : (s == rmdp::side::right ? Matrix<rational>(n, k) : Matrix<rational>(k, n));
    if (!many)
        for (std::size_t i = 0; i < n * k; ++i) B.data[i] = rational(static_cast<long>(i % 9) - 4, 4);
    Matrix<rational> X;
    for (auto _ : state) {
        X = rmdp::resolvent_solve_exact(gamma, P, B, s, alg);
        benchmark::DoNotOptimize(X.data.data());
    }
    if (!solves(gamma, P, B, X, s)) state.SkipWithError("not an exact solution");
}

// ---- the robust solve's system: library vs FLINT alone vs Bareiss -------------------------------

void BM_value_system(benchmark::State& state, rmdp::exact_algorithm alg) {
    const std::size_t n = static_cast<std::size_t>(state.range(0));
    const ValueSystem& sys = value_system(n);
    Matrix<rational> X;
    for (auto _ : state) {
        X = alg == rmdp::exact_algorithm::automatic ? rmdp::resolvent_solve(sys.gamma, sys.P, sys.c, rmdp::side::right)
                                                    : rmdp::resolvent_solve_exact(sys.gamma, sys.P, sys.c, rmdp::side::right, alg);
        benchmark::DoNotOptimize(X.data.data());
    }
    if (!solves(sys.gamma, sys.P, sys.c, X, rmdp::side::right)) state.SkipWithError("not an exact solution");
}

// FLINT alone: rows of [I - gamma P | c] scaled by the lcm of their denominators, built untimed.
void BM_value_system_flint_direct(benchmark::State& state) {
    const std::size_t n = static_cast<std::size_t>(state.range(0));
    const ValueSystem& sys = value_system(n);
    fmpz_mat_t A, B;
    fmpq_mat_t X;
    fmpz_mat_init(A, n, n);
    fmpz_mat_init(B, n, 1);
    fmpq_mat_init(X, n, 1);
    for (std::size_t i = 0; i < n; ++i) {
        std::vector<rational> row(n + 1);
        integer l = 1;
        for (std::size_t j = 0; j < n; ++j) {
            row[j] = (i == j ? rational(1) : rational(0)) - sys.gamma * sys.P(i, j);
            l = lcm(l, denominator(row[j]));
        }
        row[n] = sys.c(i, 0);
        l = lcm(l, denominator(row[n]));
        for (std::size_t j = 0; j <= n; ++j) {
            const integer z = numerator(row[j]) * (l / denominator(row[j]));
            fmpz_set_mpz(j < n ? fmpz_mat_entry(A, i, j) : fmpz_mat_entry(B, i, 0), z.backend().data());
        }
    }
    for (auto _ : state) {
        const int ok = fmpq_mat_solve_fmpz_mat_dixon(X, A, B);
        benchmark::DoNotOptimize(ok);
    }
    // The same exact answer as the library's.
    const Matrix<rational> ref = rmdp::resolvent_solve(sys.gamma, sys.P, sys.c, rmdp::side::right);
    for (std::size_t i = 0; i < n; ++i) {
        rational q;
        fmpz_get_mpz(mpq_numref(q.backend().data()), fmpq_mat_entry_num(X, i, 0));
        fmpz_get_mpz(mpq_denref(q.backend().data()), fmpq_mat_entry_den(X, i, 0));
        if (q != ref(i, 0)) {
            state.SkipWithError("FLINT and rmdp disagree");
            break;
        }
    }
    fmpq_mat_clear(X);
    fmpz_mat_clear(B);
    fmpz_mat_clear(A);
}

// ---- rational -> double: the library's conversion vs the MPFR rounding it used for every value ----

// The kernel and cost entries of the 200 x 3 instance (the values a double solve converts).
const std::vector<rational>& conversion_inputs() {
    static const std::vector<rational> values = [] {
        const rmdp::MdpData m = robust_instance(200, 3);
        std::vector<rational> v;  // the kernel's nonzeros (the kernel stores no others)
        for (const auto& row : m.P.rows)
            for (const auto& e : row) v.push_back(e.p);
        v.insert(v.end(), m.cost.begin(), m.cost.end());
        return v;
    }();
    return values;
}

double mpfr_to_double(const rational& q) {  // the previous from_rational<double>, for comparison
    const mpfr_exp_t old_emin = mpfr_get_emin(), old_emax = mpfr_get_emax();
    mpfr_set_emin(std::numeric_limits<double>::min_exponent - std::numeric_limits<double>::digits + 1);
    mpfr_set_emax(std::numeric_limits<double>::max_exponent);
    mpfr_t t;
    mpfr_init2(t, 53);
    int inexact = mpfr_set_q(t, q.backend().data(), MPFR_RNDN);
    inexact = mpfr_check_range(t, inexact, MPFR_RNDN);
    mpfr_subnormalize(t, inexact, MPFR_RNDN);
    const double out = mpfr_get_d(t, MPFR_RNDN);
    mpfr_clear(t);
    mpfr_set_emin(old_emin);
    mpfr_set_emax(old_emax);
    return out;
}

void BM_to_double(benchmark::State& state, bool library) {
    const std::vector<rational>& in = conversion_inputs();
    std::vector<double> out(in.size());
    for (auto _ : state) {
        for (std::size_t i = 0; i < in.size(); ++i) out[i] = library ? rmdp::from_rational<double>(in[i]) : mpfr_to_double(in[i]);
        benchmark::DoNotOptimize(out.data());
    }
    for (std::size_t i = 0; i < in.size(); ++i)
        if (out[i] != mpfr_to_double(in[i])) state.SkipWithError("conversions disagree");
    state.counters["values"] = static_cast<double>(in.size());
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * in.size()));
}

}  // namespace

BENCHMARK_CAPTURE(BM_to_double, library, true)->Unit(benchmark::kMillisecond)->ComputeStatistics("min", min_of);
BENCHMARK_CAPTURE(BM_to_double, mpfr_before, false)->Unit(benchmark::kMillisecond)->ComputeStatistics("min", min_of);

#define RMDP_THRESHOLD_SIZES ->Arg(4)->Arg(8)->Arg(12)->Arg(16)->Arg(24)->Arg(32)->Arg(48)->Arg(64)
BENCHMARK_CAPTURE(BM_resolvent, bareiss_right_k1, rmdp::exact_algorithm::bareiss, rmdp::side::right, rhs::one)
    RMDP_THRESHOLD_SIZES->Unit(benchmark::kMicrosecond)->ComputeStatistics("min", min_of);
BENCHMARK_CAPTURE(BM_resolvent, dixon_right_k1, rmdp::exact_algorithm::dixon, rmdp::side::right, rhs::one)
    RMDP_THRESHOLD_SIZES->Unit(benchmark::kMicrosecond)->ComputeStatistics("min", min_of);
BENCHMARK_CAPTURE(BM_resolvent, bareiss_left_k1, rmdp::exact_algorithm::bareiss, rmdp::side::left, rhs::one)
    RMDP_THRESHOLD_SIZES->Unit(benchmark::kMicrosecond)->ComputeStatistics("min", min_of);
BENCHMARK_CAPTURE(BM_resolvent, dixon_left_k1, rmdp::exact_algorithm::dixon, rmdp::side::left, rhs::one)
    RMDP_THRESHOLD_SIZES->Unit(benchmark::kMicrosecond)->ComputeStatistics("min", min_of);
BENCHMARK_CAPTURE(BM_resolvent, bareiss_right_kquarter, rmdp::exact_algorithm::bareiss, rmdp::side::right, rhs::quarter)
    RMDP_THRESHOLD_SIZES->Unit(benchmark::kMicrosecond)->ComputeStatistics("min", min_of);
BENCHMARK_CAPTURE(BM_resolvent, dixon_right_kquarter, rmdp::exact_algorithm::dixon, rmdp::side::right, rhs::quarter)
    RMDP_THRESHOLD_SIZES->Unit(benchmark::kMicrosecond)->ComputeStatistics("min", min_of);
BENCHMARK_CAPTURE(BM_resolvent, bareiss_right_kn, rmdp::exact_algorithm::bareiss, rmdp::side::right, rhs::all)
    RMDP_THRESHOLD_SIZES->Unit(benchmark::kMicrosecond)->ComputeStatistics("min", min_of);
BENCHMARK_CAPTURE(BM_resolvent, dixon_right_kn, rmdp::exact_algorithm::dixon, rmdp::side::right, rhs::all)
    RMDP_THRESHOLD_SIZES->Unit(benchmark::kMicrosecond)->ComputeStatistics("min", min_of);

BENCHMARK_CAPTURE(BM_value_system, library, rmdp::exact_algorithm::automatic)
    ->Arg(100)->Arg(200)->Arg(400)->Unit(benchmark::kMillisecond)->ComputeStatistics("min", min_of);
BENCHMARK(BM_value_system_flint_direct)->Name("BM_value_system/flint_direct")
    ->Arg(100)->Arg(200)->Arg(400)->Unit(benchmark::kMillisecond)->ComputeStatistics("min", min_of);
BENCHMARK_CAPTURE(BM_value_system, bareiss, rmdp::exact_algorithm::bareiss)
    ->Arg(100)->Arg(200)->Iterations(1)->Unit(benchmark::kMillisecond)->ComputeStatistics("min", min_of);
BENCHMARK_CAPTURE(BM_value_system, bareiss_400, rmdp::exact_algorithm::bareiss)
    ->Arg(400)->Iterations(1)->Repetitions(1)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
