// Reports: what rmdp's commands compute, as JSON documents (docs/format.md, "Outputs").
//
// The command line prints these documents (`--json`) or formats them as text; the Python module
// turns them into result objects whose attributes are the same field names. Both are thin shells
// over these functions, so a number means the same thing in both. This layer sits above the
// solvers and uses JSON only as its output vocabulary; the math headers below it see none.
//
// Every mathematical value is a string: exact "p/q", floats in round-trip digits, intervals
// "[lo,hi]" (scalar.hpp). Counts are integers. Bad input throws input_error (exit 2).
#pragma once

#include "rmdp/arith.hpp"
#include "rmdp/io.hpp"

#include <optional>
#include <string>
#include <vector>

namespace rmdp {

// Version of the output documents of evaluate/solve/crosscheck/gradient/worst-case/bellman;
// bumped when a field changes meaning or disappears (new fields do not bump it).
inline constexpr int report_format_version = 1;

// q as a decimal with `digits` significant digits (round to nearest), computed with MPFR's
// exponent range, so 10^401 prints as 1e+401 (no overflow through double): for people.
std::string decimal(const rational& q, int digits = 12);
// Rounded upward (for error bounds shown to people and scripts).
std::string decimal_up(const rational& q, int digits = 6);

// V^pi, Q^pi (nominal) or V_r^pi, Q_r^pi and the worst-case kernel (robust: the MDP has a set and
// `nominal` is false). Float arithmetics add "V_error_bound"/"Q_error_bound" (rigorous, from the
// exact Bellman residual, docs/arithmetic.md); intervals enclose.
json evaluate_report(const MdpData& m, const PolicyData& pi, const Arith& arith, bool nominal = false);

// The optimal robust policy, V* and Q_r at V*: policy iteration ("pi", any arithmetic) or value
// iteration ("vi", floats; epsilon 0 = automatic). Exact answers carry their certificate
// (V = T_r V, pi greedy), checked with the operators.
json solve_report(const MdpData& m, const Arith& arith, const std::string& method = "pi",
                  const rational& epsilon = 0);

// f_rho(pi), the (sub)gradient, the occupancy; with a direction (S*A row-major, feasible at pi) the
// exact one-sided directional derivative and remainder sequence. Exact only.
json gradient_report(const MdpData& m, const PolicyData& pi, const std::vector<rational>* direction);

// The worst case of every (s,a) against a given V: "worst_case" P*[s][a][s'] and "values"
// max_{p in U_{s,a}} <p, V>. The policy is accepted for set kinds whose worst case depends on it
// ((s,a)-rectangular sets ignore it). Intervals: computed in MPFI with the order of V decided by the
// enclosures, or, where they overlap, by the exact V (the filtered predicate's fallback); either
// way the entries are enclosures ("[lo,hi]") and "decided_by" is "enclosures" or "exact fallback".
json worst_case_report(const MdpData& m, const std::vector<rational>& V, const PolicyData* pi, const Arith& arith);

// The robust Bellman operators at a given V: "Q" = c + gamma max_p <p, V> and "TV" = T_r^pi V
// (with a policy) or T_r V (without). Intervals as for worst_case_report.
json robust_bellman_report(const MdpData& m, const std::vector<rational>& V, const PolicyData* pi,
                           const Arith& arith);

// A tolerance for crosscheck: "abs:X" (|err| <= X), "rel:X" (|err| <= X |exact| per entry; an
// exact 0 then needs err = 0), "ulps:N" (ulp distance <= N, see crosscheck_report).
struct Tolerance {
    enum class kind { abs, rel, ulps };
    kind type = kind::abs;
    rational bound;
    std::string text;  // as given
};
Tolerance parse_tolerance(const std::string& text);  // std::invalid_argument on a bad spelling

struct CrosscheckRequest {
    std::vector<rational> V;             // the user's values, exactly (a double's exact binary value)
    std::vector<std::string> V_given;    // as written, for display (may be empty)
    std::optional<Matrix<rational>> Q;   // optional Q to check too (S x A)
    std::optional<PolicyData> policy;    // the values claim to be V_r^policy; without it, V*
    std::optional<PolicyData> claimed_optimal;  // test whether this policy is exactly optimal
    std::optional<Tolerance> tolerance;
    std::string values_source = "values", mdp_source = "mdp";  // names for messages
};

// The user's V (and Q) against the exact V_r^policy (Q_r^policy = robust_q(V_r^policy)) or V*
// (Q* = robust_q(V*)). Per entry: exact absolute error, relative error (undefined where the exact
// value is 0), and the error in ulps: |given - exact| / ulp(max(|given|, |exact|)) with ulp(x) the
// spacing of doubles at x (numpy's spacing; 0 when both are 0). Maxima; with a tolerance,
// "tolerance": {"spec", "met"} (each entry also says "within_tolerance"). With claimed_optimal: whether V_r^pi = V* exactly and the
// largest gap.
json crosscheck_report(const MdpData& m, const CrosscheckRequest& request);

}  // namespace rmdp
