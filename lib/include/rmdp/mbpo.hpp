// MBPO return-discrepancy bounds (Janner, Fu, Zhang & Levine 2019, Theorems 4.1-4.3; claims.md
// "MBPO return bounds"; docs/mbpo.md). Reward is MAXIMISED; |r| <= r_max.
//
//   eta[pi]        rho^T (I - gamma P^pi)^{-1} r^pi on the true kernel p   (a sum, not (1-gamma)-normalised)
//   eta_hat[pi]    the same on the model p_hat
//   eps_pi         max_s D_TV(pi(.|s) || pi_D(.|s))
//   eps_m          sup_{t>=0} d_t . w, d_t = rho^T (P^{pi_D})^t on p, w(s) = sum_a pi_D(a|s) D_TV(p(.|s,a) || p_hat(.|s,a))
//   eps_m'         the same with pi in place of pi_D (claims.md "under pi")
//   eta^branch     the branched return under each reading of docs/mbpo.md (branched_return)
//
// eps_m and eps_m' are suprema over infinitely many t: ModelErrorBracket encloses them in
// [lower, upper], exactly equal when the bracket closes.
#pragma once

#include "rmdp/evaluation.hpp"
#include "rmdp/model.hpp"

#include <string>
#include <vector>

namespace rmdp {

// An MBPO instance, exactly as the file states it (docs/mbpo.md, "Instance format").
struct MbpoData {
    std::size_t S = 0, A = 0;
    rational gamma;
    std::vector<rational> reward;  // s*A + a
    rational r_max;                // >= max |r|; defaults to max |r|
    Kernel<rational> P;            // true dynamics p
    Kernel<rational> P_model;      // model p_hat
    std::vector<rational> rho;     // initial distribution
    PolicyData pi_data, pi;        // pi_D and pi
    std::size_t k = 0;             // branch length
};

// Read and written by io.hpp (parse_mbpo, to_json); drawn by random.hpp (random_mbpo).

// The true MDP (reward in the cost slot, kernel p) and the model MDP (kernel p_hat): evaluation.hpp's
// value() then computes V = (I - gamma P^pi)^{-1} r^pi.
MdpData true_mdp(const MbpoData& m);
// Its inverse on the shared fields (S, A, gamma, reward, p, rho); the rest is left empty.
MbpoData from_true_mdp(const MdpData& mdp);


// The readings of the branched return (docs/mbpo.md, "Branched returns"). Branch time tau:
// geometric, P(tau = t) = (1-gamma) gamma^t (readings a*), or tau = 0 (b). Before tau: pi_D on p;
// from s_tau, k steps of pi on p_hat; after those k steps:
enum class branch_reading {
    a,   // the rollout ends (return truncated)
    a2,  // pi continues on the true p
    a3,  // pi_D continues on p (the data process resumes)
    b,   // tau = 0: k steps of pi on p_hat from rho, then pi_D on p forever
};
const char* to_string(branch_reading r);

// Whose state distribution (on p) and actions the model error is averaged under:
//   data     s ~ d_t^{pi_D}, a ~ pi_D   (eps_m)
//   updated  s ~ d_t^{pi},   a ~ pi     (eps_m', claims.md)
//   mixed    s ~ d_t^{pi_D}, a ~ pi     (eps_m' as the notes' Theorem 4.3 writes it, "E_{s~pi_D,t}", a ~ pi)
enum class error_policy { data, updated, mixed };

// The instance converted once to T.
template <class T>
struct MbpoModel {
    Mdp<T> mdp;  // gamma, reward (as `cost`), true kernel p, rho
    Kernel<T> P_model;
    Policy<T> pi_data, pi;
    T r_max;
    std::size_t k = 0;
};

template <class T>
MbpoModel<T> convert(const MbpoData& m);

// D_TV(p || q) = 1/2 sum_i |p_i - q_i|.
template <class T>
T total_variation(const T* p, const T* q, std::size_t n);

// eps_pi = max_s D_TV(pi(.|s) || pi_D(.|s)).
template <class T>
T policy_divergence(const Policy<T>& pi, const Policy<T>& pi_data);

// w(s) = sum_a pol(a|s) D_TV(p(.|s,a) || p_hat(.|s,a)): the expected one-step model error at s.
template <class T>
Vector<T> model_error(const Kernel<T>& P, const Kernel<T>& P_model, const Policy<T>& pol);

// eta = rho^T (I - gamma P^pol)^{-1} r^pol on kernel P.
template <class T>
T discounted_return(const Mdp<T>& m, const Kernel<T>& P, const Policy<T>& pol);

// eta^branch under reading r (docs/mbpo.md): with W = sum_{i<k} gamma^i Phat^i r^pi + gamma^k Phat^k V_after,
// Phat = P_hat^pi and V_after = 0 (a), V^pi on p (a2), V^{pi_D} on p (a3, b):
//   a, a2, a3:  rho^T (I - gamma^2 P^{pi_D})^{-1} (gamma r^{pi_D} + (1-gamma) W);   b:  rho^T W.
template <class T>
T branched_return(const MbpoModel<T>& m, branch_reading r);

// sup_{t>=0} d_t . w with d_t = rho^T P^t, enclosed after horizon T by
//   lower_T = max_{t<=T} d_t . w,
//   upper_T = max(lower_T, max_{s in R} (P^T w)(s)),   R = states reachable from supp rho,
// since for t >= T, d_t . w = d_{t-T} . (P^T w) and d_{t-T} is a distribution on R. lower_T never
// decreases and upper_T never increases with T (R is closed under P). `reachable` comes from the
// exact data so that interval and float runs use the same R.
template <class T>
class ModelErrorBracket {
public:
    ModelErrorBracket(const Matrix<T>& P, const Vector<T>& w, const Vector<T>& rho, std::vector<bool> reachable);
    void advance();  // T -> T + 1
    std::size_t horizon() const { return T_; }
    const T& lower() const { return lower_; }
    const T& upper() const { return upper_; }
    // Exact arithmetic only: the bracket has closed, lower == upper == the supremum.
    bool closed() const;

private:
    void update_upper();
    Matrix<T> P_;
    Vector<T> w_, d_, Pw_;
    std::vector<bool> reach_;
    T lower_, upper_;
    std::size_t T_ = 0;
};

// States reachable (in >= 0 steps) from supp rho under the exact kernel P^pol.
std::vector<bool> reachable_states(const Kernel<rational>& P, const PolicyData& pol, const std::vector<rational>& rho);

// The bracket of eps_m (which = data) or eps_m' (which = updated) for the instance.
template <class T>
ModelErrorBracket<T> model_error_bracket(const MbpoData& data, const MbpoModel<T>& m, error_policy which);

// The constants C subtracted in the theorems (each increasing in every eps):
//   4.1  2 gamma r_max (eps_m + 2 eps_pi)/(1-gamma)^2 + 4 r_max eps_pi/(1-gamma)
//   4.2  2 r_max [gamma^{k+1} eps_pi/(1-gamma)^2 + (gamma^k + 2) eps_pi/(1-gamma) + k (eps_m + 2 eps_pi)/(1-gamma)]
//   4.3  2 r_max [gamma^{k+1} eps_pi/(1-gamma)^2 + (gamma^k + 2) eps_pi/(1-gamma) + k eps_m'/(1-gamma)]
template <class T>
T bound_41(const MbpoModel<T>& m, const T& eps_m, const T& eps_pi);
template <class T>
T bound_42(const MbpoModel<T>& m, const T& eps_m, const T& eps_pi);
template <class T>
T bound_43(const MbpoModel<T>& m, const T& eps_m_prime, const T& eps_pi);

// max(a, b); for intervals the enclosure [max(lo), max(hi)] of the max of any two points.
template <class T>
T max_of(const T& a, const T& b);

// Decides eta >= reference - C(eps) for the true eps in [lower, upper] (C increasing in eps):
// yes when eta >= reference - C(lower) (C(true) >= C(lower)); no when eta < reference - C(upper);
// else unknown. Three-valued in every arithmetic (scalar_traits<T>::le; `slack` is a float tolerance).
template <class T>
truth decide_bound(const T& eta, const T& reference, const T& c_lower, const T& c_upper, const T& slack);

#define RMDP_MBPO_EXTERN(T)                                                                          \
    extern template MbpoModel<T> convert(const MbpoData&);                                           \
    extern template T total_variation(const T*, const T*, std::size_t);                              \
    extern template T policy_divergence(const Policy<T>&, const Policy<T>&);                         \
    extern template Vector<T> model_error(const Kernel<T>&, const Kernel<T>&, const Policy<T>&);     \
    extern template T discounted_return(const Mdp<T>&, const Kernel<T>&, const Policy<T>&);          \
    extern template T branched_return(const MbpoModel<T>&, branch_reading);                          \
    extern template class ModelErrorBracket<T>;                                                      \
    extern template ModelErrorBracket<T> model_error_bracket(const MbpoData&, const MbpoModel<T>&, error_policy); \
    extern template T bound_41(const MbpoModel<T>&, const T&, const T&);                             \
    extern template T bound_42(const MbpoModel<T>&, const T&, const T&);                             \
    extern template T bound_43(const MbpoModel<T>&, const T&, const T&);                             \
    extern template T max_of(const T&, const T&);                                                    \
    extern template truth decide_bound(const T&, const T&, const T&, const T&, const T&);
RMDP_ALL_SCALARS(RMDP_MBPO_EXTERN)
#undef RMDP_MBPO_EXTERN

}  // namespace rmdp
