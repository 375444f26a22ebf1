// Robust policy mirror descent runs (notes "Robust Policy Mirror Descent", Li, Lan & Zhao 2022):
//
//   pi_{k+1}(.|s) = argmin_{p in Delta_A} eta_k <Q_r^{pi_k}(s,.), p> + D_{pi_k}^p(s),   u_k = u_{pi_k},
//
// the constant M = sup_{u in U} ||d_rho^{pi*,u} / rho||_inf of the convergence bounds, and the right
// sides of those bounds along a run. Q_r^{pi_k} comes from the robust core (robust_value), so a run
// exists for the ordered types (exact, MPFR, double, long double); the certified KL run keeps its
// iterates exact and encloses each KL step in MPFI (rpmd_run_certified_kl).
#pragma once

#include "rmdp/mirror.hpp"
#include "rmdp/solvers.hpp"

#include <optional>
#include <string>

namespace rmdp {

// eta_k = eta (constant) or eta (k + 1) (linear: increasing step sizes, docs/rpmd.md).
enum class step_schedule { constant, linear };
const char* to_string(step_schedule s);
template <class T>
T step_size(step_schedule schedule, const T& eta, std::size_t k) {
    return schedule == step_schedule::constant ? eta : T(eta * T(static_cast<long>(k + 1)));
}

// M = sup_{u in U} ||d_rho^{pi*,u} / rho||_inf, exactly, for a policy pi* (the notes' optimal one).
// For each state s, sup_u d_rho^{pi*,u}(s) = (1-gamma) sum_{s0} rho(s0) sup_u e_{s0}^T (I - gamma P_u^{pi*})^{-1} e_s
// = (1-gamma) <rho, V_r^{(s)}> where V_r^{(s)} is the robust value of pi* for the cost
// c(s',a) = 1{s' = s}: nature maximises discounted visits to s, and by rectangularity one u
// maximises every component of V at once, so the sup of the rho-average is the rho-average of the
// sups. Certified with the operators: T_r^{pi*} V = V exactly (so V_u <= V for every u in U, by
// monotonicity) and the worst-case kernel u of V attains it: d_rho^{pi*,u}(s) = (1-gamma) <rho, V>.
struct RpmdConstant {
    std::optional<rational> M;        // nullopt: M = +infinity (rho(s) = 0 at a state some u visits)
    std::vector<rational> sup_visits; // sup_u d_rho^{pi*,u}(s), per state s
    std::size_t argmax = 0;           // a state attaining M
};
RpmdConstant rpmd_constant(const MdpData& m, const Policy<rational>& pi_star);

struct RpmdOptions {
    bregman D = bregman::euclid;
    rational eta = 1;
    step_schedule schedule = step_schedule::constant;
    std::size_t steps = 20;               // K: at most K steps (pi_0 .. pi_K)
    std::optional<rational> tolerance;    // also stop once f_rho(pi_k) - f_rho(pi*) <= tolerance
};

template <class T>
struct RpmdIterate {
    Policy<T> pi;   // pi_k
    Vector<T> V;    // V_r^{pi_k}
    Matrix<T> Q;    // Q_r^{pi_k}
    Kernel<T> u;    // u_k: the worst-case kernel of V_r^{pi_k}
    T f;            // f_rho(pi_k) = <rho, V_r^{pi_k}>
    T eta;          // eta_k, the step taken from pi_k (0 for the last iterate)
};

template <class T>
struct RpmdRun {
    std::vector<RpmdIterate<T>> iterates;  // pi_0 .. pi_k
    std::string stop;                      // why the run stopped
};

// The run from pi0: K steps, or earlier when pi_{k+1} = pi_k (a fixed point of the step, compared
// with ==: exact for rationals, "no representable change" for floats) or when f_star is given and
// the gap f_rho(pi_k) - f_star <= tolerance.
template <class T>
RpmdRun<T> rpmd_run(const Mdp<T>& m, const UncertaintySet<T>& U, const Policy<T>& pi0, const RpmdOptions& opt,
                     const T* f_star = nullptr);

// The largest exponent of one KL step from pi: x = max_s eta (max - min of Q(s,a) over the support of
// pi(.|s)), exactly. The step multiplies probability ratios by at most e^x, so its smallest new
// probability can be about e^{-x} times the old one.
rational kl_step_exponent(const Policy<rational>& pi, const Matrix<rational>& Q, const rational& eta);

// Limits on x (docs/rpmd.md, "Extreme step sizes"), refused with std::invalid_argument beyond them:
//   MPFI enclosure of a KL step   x <= 2^28: e^x stays far inside MPFR's default exponent range
//                                 (overflow at about 7.4e8 = (2^30 - 1) ln 2);
//   exact iterate of a KL step    x <= 4096: probabilities down to e^{-4096} < 2^{-5909} become
//                                 rationals with denominators of thousands of bits, which every later
//                                 exact robust evaluation carries (1e6 took 13.6 s for two 2x2 steps).
inline constexpr long kl_enclosure_exponent_limit = 1L << 28;
inline constexpr long kl_exact_exponent_limit = 4096;

// One certified KL step from exact pi and exact Q: the MPFI enclosure of the exact step pi e^{-eta Q}/Z
// (at the working precision), an exact rational policy `point` (the enclosures' midpoints,
// renormalised so that every row lies in the simplex) and `error`, an exact upper bound on
// max_{s,a} |point(a|s) - (exact step)(a|s)|. Rows where Q(s,.) is constant on the support of pi(.|s)
// are exact: the step keeps them (point = enclosure = pi there). Refuses x > kl_exact_exponent_limit.
struct CertifiedKlStep {
    Policy<mpfi_float> enclosure;
    Policy<rational> point;
    rational error;
};
CertifiedKlStep kl_step_certified(const Policy<rational>& pi, const Matrix<rational>& Q, const rational& eta);

// A KL run with exact iterates: from exact pi_k and the exact Q_r^{pi_k}, the KL step is enclosed in
// MPFI at the working precision; pi_{k+1} is the exact rational normalisation of the enclosures'
// midpoints. `step_error[k]` is an exact upper bound on max_{s,a} |pi_{k+1}(a|s) - (exact KL step
// from pi_k)(a|s)|, certified by the enclosure; f_rho(pi_k) and everything else are exact.
struct CertifiedKlRun {
    RpmdRun<rational> run;
    std::vector<Policy<mpfi_float>> enclosure;  // enclosure[k] encloses the exact KL step from pi_k
    std::vector<rational> step_error;
};
CertifiedKlRun rpmd_run_certified_kl(const Mdp<rational>& m, const UncertaintySet<rational>& U,
                                     const Policy<rational>& pi0, const RpmdOptions& opt, const rational* f_star = nullptr);

// Right side of rpmd-recursion for the step k -> k+1:
//   (1 - (1-gamma)/M) (f_rho(pi_k) - f_rho(pi*)) + 1/(M eta_k) sum_s d_rho^{pi*,u_k}(s) [D_{pi_k}^{pi*}(s) - D_{pi_{k+1}}^{pi*}(s)].
template <class T>
T recursion_rhs(const Mdp<T>& m, const Kernel<T>& u_k, const Policy<T>& pi_k, const Policy<T>& pi_next,
                const Policy<T>& pi_star, const T& gap_k, const T& M, const T& eta_k, bregman D);

// rpmd-sublinear at k >= 1 (Euclidean, constant eta):
//   lhs = gap_k + (1-gamma)/M sum_{t=1}^{k-1} gap_t  <=  base + coef sqrt(arg),
//   base = gap_0, coef = |S|/M, arg = 18 k / (eta (1-gamma)); gap_t = f_rho(pi_t) - f_rho(pi*).
// The root stays symbolic so that exact arithmetic can decide the bound by squaring.
template <class T>
struct SublinearSides {
    T lhs, base, coef, arg;
};
template <class T>
SublinearSides<T> sublinear_sides(const std::vector<T>& gaps, std::size_t k, std::size_t S, const T& gamma, const T& M,
                                  const T& eta);

#define RMDP_RPMD_EXTERN(T)                                                                                       \
    extern template RpmdRun<T> rpmd_run(const Mdp<T>&, const UncertaintySet<T>&, const Policy<T>&, const RpmdOptions&, \
                                        const T*);                                                                \
    extern template SublinearSides<T> sublinear_sides(const std::vector<T>&, std::size_t, std::size_t, const T&,  \
                                                      const T&, const T&);
RMDP_ALL_SCALARS(RMDP_RPMD_EXTERN)
#undef RMDP_RPMD_EXTERN
#define RMDP_RPMD_RHS_EXTERN(T)                                                                                     \
    extern template T recursion_rhs(const Mdp<T>&, const Kernel<T>&, const Policy<T>&, const Policy<T>&,           \
                                    const Policy<T>&, const T&, const T&, const T&, bregman);
RMDP_ALL_SCALARS(RMDP_RPMD_RHS_EXTERN)
#undef RMDP_RPMD_RHS_EXTERN

}  // namespace rmdp
