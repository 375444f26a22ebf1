// Certificates of exact robust results, to be checked outside rmdp (formal/, docs/formal.md).
//
// A certificate carries everything a checker needs to confirm, by arithmetic alone, that
//   evaluation:  V = T_r^pi V               (V is the robust value of pi)
//   optimal:     V = T_r V and T_r^pi V = V  (V = V*, pi greedy for it)
// namely V, a worst-case row p*(.|s,a) for every (s,a), and a dual solution showing that p*
// maximises <p, V> over U_{s,a}: its dual objective equals <p*, V> and bounds <p, V> above for
// every p in the set (weak duality, proved once in formal/Checker.v):
//   l1 (radius r, nominal q):  lambda >= 0, V_i <= mu + lambda for all i,
//                              mu + lambda r + sum_i q_i max(V_i - mu, -lambda)
//   interval [l, u]:           mu + sum_i max(u_i (V_i - mu), l_i (V_i - mu))
//   finite:                    the index of the listed point p* is, and every point's <x_k, V>
// The generator is not trusted: nothing here is checked, a checker decides.
#pragma once

#include "rmdp/model.hpp"
#include "rmdp/robust.hpp"

#include <vector>

namespace rmdp {

struct RowDual {
    std::string type = "none";  // the set kind
    rational mu, lambda;           // l1: (mu, lambda); interval: mu
    std::size_t index = 0;         // finite: p* is points[index]
    std::vector<rational> values;  // finite: <x_k, V> for every listed point
};

struct RobustCertificate {
    bool optimal = false;
    Policy<rational> policy;   // S x A
    Vector<rational> V;
    Kernel<rational> worst_case;
    std::vector<RowDual> dual;  // index s*A + a
    Matrix<rational> Q;         // optimal: robust Q at V (S x A); empty for evaluation
};

// The dual solution of max_{p in U_{s,a}} <p, V> matching the row p (a maximiser from worst_case):
//   l1        ||p - q||_1 < r (the ball is slack): p sits on the states of largest V, take
//             lambda = 0, mu = max V. Else, with R = {i : p_i < q_i} (states that lost mass):
//             R empty means p = q and r = 0, take mu = min V, lambda = max V - min V; otherwise
//             mu +- lambda are max V and the largest V over R (complementary slackness: mass
//             enters where V - mu = lambda and leaves where V - mu = -lambda).
//   interval  mu = the smallest V among states raised above `lower` (all states above mu are at
//             `upper`, all below at `lower`); if none was raised, the largest V among states
//             below `upper`.
//   finite    the index of the listed point equal to p (the first maximiser).
RowDual row_dual(const UncertaintySet<rational>& U, const Kernel<rational>& nominal, std::size_t s, std::size_t a,
                 const Vector<rational>& V, const rational* p);

// The Coq checker (formal/Checker.v) knows the duals above: none, l1 over the whole simplex,
// interval, finite. Other set kinds are refused with input_error naming m.source and
// uncertainty.type (the certificate format cannot express them).
void require_certifiable(const MdpData& m);

// Evaluation of pi (robust_value) or the optimal robust policy (robust_solve), with the evidence.
RobustCertificate certify_evaluation(const MdpData& m, const PolicyData& pi);
RobustCertificate certify_optimal(const MdpData& m);

}  // namespace rmdp
