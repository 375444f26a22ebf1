#include "rmdp/report.hpp"

#include "rmdp/error.hpp"
#include "rmdp/error_bound.hpp"
#include "rmdp/gradient.hpp"
#include "rmdp/solvers.hpp"
#include "rmdp/srect.hpp"

#include <cmath>
#include <limits>
#include <memory>
#include <stdexcept>

namespace rmdp {

namespace {

rational abs_q(const rational& x) { return x < 0 ? rational(-x) : x; }

std::string decimal_rounded(const rational& q, int digits, mpfr_rnd_t rnd) {
    if (q == 0) return "0";
    // Enough bits for `digits` decimal digits; MPFR's exponent range (about 2^±62) holds any
    // rational rmdp meets, so nothing overflows to inf as it would through double.
    mpfr_t t;
    mpfr_init2(t, static_cast<mpfr_prec_t>(digits * 3.33) + 8);
    mpfr_set_q(t, q.backend().data(), rnd);
    mpfr_exp_t e = 0;
    char* raw = mpfr_get_str(nullptr, &e, 10, static_cast<std::size_t>(digits), t, rnd);
    std::string m(raw);
    mpfr_free_str(raw);
    mpfr_clear(t);
    std::string sign;
    if (m[0] == '-') {
        sign = "-";
        m = m.substr(1);
    }
    while (m.size() > 1 && m.back() == '0') m.pop_back();
    const long exp10 = static_cast<long>(e) - 1;
    if (exp10 >= -4 && exp10 < digits) {  // positional, like printf's %g
        std::string out;
        if (exp10 < 0) {
            out = "0." + std::string(static_cast<std::size_t>(-exp10 - 1), '0') + m;
        } else {
            const auto point = static_cast<std::size_t>(exp10 + 1);
            if (m.size() <= point) out = m + std::string(point - m.size(), '0');
            else out = m.substr(0, point) + "." + m.substr(point);
        }
        return sign + out;
    }
    std::string out = sign + m.substr(0, 1);
    if (m.size() > 1) out += "." + m.substr(1);
    return out + "e" + (exp10 < 0 ? "-" : "+") + std::to_string(exp10 < 0 ? -exp10 : exp10);
}

// An interval [x - e, x + e] for exact x, e: the enclosure built from a rigorous bound.
mpfi_float enclose(const rational& x, const rational& e) { return interval(rational(x - e), rational(x + e)); }

// max |decimal as printed - exact binary value| over the entries (printed decimals are what a
// reader of the output gets, so the bound must cover them too).
template <class T>
rational printing_error(const Vector<T>& v) {
    rational worst = 0;
    for (const auto& x : v) worst = std::max(worst, abs_q(parse_rational(to_string(x)) - exact_value(x)));
    return worst;
}

// Float results: E_V = exact residual bound + printing error; E_Q = |Q~ - robust_q(V~)| + gamma E + printing.
// Double and long double: the same two bounds by directed rounding (error_bound.hpp), which is far
// cheaper than the exact residual; the exact one when that is not available.
template <class T>
void attach_float_bounds(json& out, const MdpData& m, const PolicyData* pi, const Vector<T>& V, const Matrix<T>& Q) {
    if constexpr (std::is_same_v<T, double> || std::is_same_v<T, long double>) {
        if (const std::optional<evaluation_bound> d = directed_bellman_bound(m, pi, V, Q)) {
            out["V_error_bound"] = decimal_up(d->V + printing_error(V));
            out["Q_error_bound"] = decimal_up(d->Q + printing_error(Q.data));
            return;
        }
    }
    const residual_bound b = bellman_residual_bound(m, pi, exact_values(V));
    rational qdiff = 0;
    for (std::size_t i = 0; i < Q.data.size(); ++i) qdiff = std::max(qdiff, abs_q(exact_value(Q.data[i]) - b.Q_at.data[i]));
    out["V_error_bound"] = decimal_up(b.V + printing_error(V));
    out["Q_error_bound"] = decimal_up(qdiff + b.Q_radius + m.gamma * b.V + printing_error(Q.data));
}

// Interval results: V in V~ +- ||T V~ - V~||/(1-gamma), Q in robust_q(V~) +- gamma * that
// (error_bound.hpp), from an MPFR solution V~ at the working precision.
void attach_enclosures(json& out, const MdpData& m, const PolicyData* pi, const Vector<rational>& Vt) {
    const residual_bound b = bellman_residual_bound(m, pi, Vt);
    Vector<mpfi_float> V;
    for (const auto& x : Vt) V.push_back(enclose(x, b.V));
    Matrix<mpfi_float> Q(m.S, m.A);
    for (std::size_t i = 0; i < Q.data.size(); ++i) Q.data[i] = enclose(b.Q_at.data[i], m.gamma * b.V + b.Q_radius);
    out["V"] = to_json_vector(V);
    out["Q"] = to_json_matrix(Q);
}

// An input_error raised below the report layer without a file (a set kind refusing the arithmetic,
// sets/kl.hpp) is about the model: name its file.
template <class F>
json naming_source(const MdpData& m, F&& f) {
    try {
        return f();
    } catch (const input_error& e) {
        if (!e.file().empty() || m.source.empty()) throw;
        throw input_error(m.source, e.field(), e.problem());
    }
}

json header(const char* command, const Arith& arith) {
    return json{{"format_version", report_format_version}, {"command", command}, {"arith", arith.name()}};
}

void require_values(const MdpData& m, const std::vector<rational>& V, const std::string& field) {
    if (V.size() != m.S)
        throw input_error("", field, "expected " + std::to_string(m.S) + " values (one per state), got " + std::to_string(V.size()));
}

template <class T>
Vector<T> values_in(const std::vector<rational>& V) {
    Vector<T> out;
    for (const auto& x : V) out.push_back(from_rational<T>(x));
    return out;
}


// One ulp at x: the spacing of doubles at |x| (numpy.spacing), exactly; beyond the largest double,
// the spacing there (a value out of double's range is still compared, not turned into inf).
rational spacing_at(const rational& x) {
    constexpr double top = std::numeric_limits<double>::max();
    if (abs_q(x) >= exact_value(top)) return exact_value(top) - exact_value(std::nextafter(top, 0.0));
    const double d = std::fabs(from_rational<double>(x));
    return exact_value(std::nextafter(d, std::numeric_limits<double>::infinity())) - exact_value(d);
}

struct ErrorStats {
    rational max_abs = 0, max_rel = 0, max_ulps = 0;
    bool rel_defined = true;
    bool met = true;
    json entries = json::array();
};

// Errors of one given entry against its exact value; updates the maxima and the tolerance test.
json entry_errors(const rational& given, const rational& exact, const std::optional<Tolerance>& tol, ErrorStats& st) {
    const rational a = abs_q(given - exact);
    json e{{"exact", exact.str()}, {"exact_decimal", decimal(exact, 17)}, {"abs_error", a.str()}, {"abs_error_decimal", decimal(a, 3)}};
    st.max_abs = std::max(st.max_abs, a);
    if (exact != 0) {
        const rational rel = a / abs_q(exact);
        e["rel_error"] = rel.str();
        e["rel_error_decimal"] = decimal(rel, 3);
        st.max_rel = std::max(st.max_rel, rel);
    } else {
        e["rel_error"] = nullptr;
        e["rel_error_decimal"] = nullptr;
        if (a != 0) st.rel_defined = false;
    }
    const rational unit = spacing_at(std::max(abs_q(given), abs_q(exact)));
    const rational u = a == 0 ? rational(0) : a / unit;
    e["ulps"] = u.str();
    e["ulps_decimal"] = decimal(u, 3);
    st.max_ulps = std::max(st.max_ulps, u);
    if (tol) {
        bool ok = true;
        switch (tol->type) {
            case Tolerance::kind::abs: ok = a <= tol->bound; break;
            case Tolerance::kind::rel: ok = a <= tol->bound * abs_q(exact); break;
            case Tolerance::kind::ulps: ok = u <= tol->bound; break;
        }
        e["within_tolerance"] = ok;
        st.met = st.met && ok;
    }
    return e;
}

void attach_maxima(json& out, const std::string& prefix, const ErrorStats& st) {
    out[prefix + "max_abs_error"] = st.max_abs.str();
    out[prefix + "max_abs_error_decimal"] = decimal(st.max_abs, 3);
    if (st.rel_defined) {
        out[prefix + "max_rel_error"] = st.max_rel.str();
        out[prefix + "max_rel_error_decimal"] = decimal(st.max_rel, 3);
    } else {
        out[prefix + "max_rel_error"] = nullptr;  // an exact 0 with a nonzero error: no relative error
        out[prefix + "max_rel_error_decimal"] = "undefined (exact value 0 with nonzero error)";
    }
    out[prefix + "max_ulps"] = st.max_ulps.str();
    out[prefix + "max_ulps_decimal"] = decimal(st.max_ulps, 3);
}

// ---- s-rectangular sets (srect.hpp): worst cases depend on the policy, so evaluate, solve,
// worst-case and robust-bellman route them here; the (s,a)-rectangular paths refuse them.

const SL1Ball<rational>* s_rectangular(const MdpData& m) { return m.uncertainty.get<SL1Ball<rational>>(); }

void refuse_interval_s_rect(const MdpData& m, const Arith& arith) {
    if (arith.type == Arith::kind::interval)
        throw input_error(m.source, "uncertainty.type", "s-rectangular sets (s-l1) have no interval version; use --arith exact, mpfr:BITS or double");
}

// The s-l1 set in the arithmetic of a computation.
template <class T>
SL1Ball<T> s_ball_in(const SL1Ball<rational>& U) {
    return U.template map<T>([](const rational& x) { return from_rational<T>(x); });
}

template <class T>
rational sup_diff(const Vector<T>& x, const Vector<rational>& y) {
    rational worst = 0;
    for (std::size_t s = 0; s < y.size(); ++s) worst = std::max(worst, abs_q(exact_value(x[s]) - y[s]));
    return worst;
}

json s_rect_evaluate(const MdpData& m, const PolicyData& p, const Arith& arith, json out) {
    refuse_interval_s_rect(m, arith);
    const SL1Ball<rational>& Uq = *s_rectangular(m);
    dispatch(arith, [&]<class T>() {
        if constexpr (!is_interval_v<T>) {
            const Mdp<T> mt = convert<T>(m);
            const SL1Ball<T> U = s_ball_in<T>(Uq);
            const Policy<T> pt = convert<T>(p);
            const RobustEvaluation<T> ev = s_robust_value(mt, U, pt);
            const Matrix<T> Q = s_robust_q(mt, U, pt, ev.V);
            out["V"] = to_json_vector(ev.V);
            out["Q"] = to_json_matrix(Q);
            out["worst_case"] = to_json(exact_kernel(ev.kernel));
            out["nature_iterations"] = ev.iterations;
            // Exact T_r^pi at the answer (for floats: at its exact binary value).
            const Mdp<rational> mq = convert<rational>(m);
            const Policy<rational> pq = convert<rational>(p);
            const Vector<rational> Vx = exact_values(ev.V);
            const rational res = sup_diff(s_robust_bellman(mq, Uq, pq, Vx), Vx);
            if constexpr (is_exact_v<T>) {
                if (res != 0) throw std::logic_error("s_robust_value failed its certificate T_r^pi V = V");
                out["certificate"] = "T_r^pi V = V (s-rectangular), checked exactly";
            } else {
                out["V_error_bound"] = decimal_up(res / (1 - m.gamma) + printing_error(ev.V));
            }
        }
    });
    return out;
}

json s_rect_solve(const MdpData& m, const Arith& arith, const std::string& method, json out) {
    refuse_interval_s_rect(m, arith);
    if (method != "pi")
        throw input_error("", "--method", "s-rectangular sets (s-l1) are solved by robust policy iteration over stochastic policies ('pi')");
    const SL1Ball<rational>& Uq = *s_rectangular(m);
    PolicyData policy{m.S, m.A, {}};
    dispatch(arith, [&]<class T>() {
        if constexpr (!is_interval_v<T>) {
            const Mdp<T> mt = convert<T>(m);
            const SL1Ball<T> U = s_ball_in<T>(Uq);
            const SRectSolution<T> sol = s_robust_solve(mt, U);
            for (const auto& x : sol.policy.data) policy.pi.push_back(exact_value(x));
            out["V"] = to_json_vector(sol.V);
            out["Q"] = to_json_matrix(s_robust_q(mt, U, sol.policy, sol.V));
            out["worst_case"] = to_json(exact_kernel(sol.kernel));
            out["iterations"] = {{"policy", sol.policy_iterations}, {"nature", sol.nature_iterations}};
            if constexpr (is_exact_v<T>) {
                // Re-checked here by the operators: T_r V = V (per-state brackets, equal) and V = V_r^pi.
                const OptimalBellman<rational> G = s_robust_bellman_optimal(mt, U, sol.V);
                const bool fixed = G.lower == sol.V && G.upper == sol.V && s_robust_bellman(mt, U, sol.policy, sol.V) == sol.V;
                if (sol.exact != fixed) throw std::logic_error("s_robust_solve: certificate disagrees with the operators");
                if (fixed) {
                    out["certificate"] = "V = T_r V (per-state min-max, certified brackets) and T_r^pi V = V, checked exactly";
                } else {
                    out["bounds"] = {{"lower", to_json_vector(sol.lower)},
                                     {"upper", to_json_vector(sol.V)},
                                     {"why", "no exact fixed point within the iteration limit (V* may be irrational): "
                                             "V = V_r^pi >= V* and V* >= V - ||T_r V - V|| / (1 - gamma), T_r computed exactly"}};
                }
            } else {
                // Rigorous: ||V~ - V*|| <= ||T_r V~ - V~|| / (1 - gamma), T_r exact at V~'s binary value.
                const Vector<rational> Vx = exact_values(sol.V);
                const OptimalBellman<rational> G = s_robust_bellman_optimal(convert<rational>(m), Uq, Vx);
                const rational res = std::max(sup_diff(G.lower, Vx), sup_diff(G.upper, Vx));
                out["V_error_bound"] = decimal_up(res / (1 - m.gamma) + printing_error(sol.V));
            }
        }
    });
    out["policy"] = to_json(policy)["policy"];
    return out;
}

}  // namespace

std::string decimal(const rational& q, int digits) { return decimal_rounded(q, digits, MPFR_RNDN); }
std::string decimal_up(const rational& q, int digits) { return decimal_rounded(q, digits, MPFR_RNDU); }

namespace {
json evaluate_report_in(const MdpData& m, const PolicyData& p, const Arith& arith, bool nominal) {
    const bool robust = !nominal && !m.uncertainty.is_nominal();
    json out = header("evaluate", arith);
    out["kernel"] = robust ? "robust" : "nominal";
    if (robust && s_rectangular(m)) return s_rect_evaluate(m, p, arith, out);
    if (!robust) {
        dispatch(arith, [&]<class T>() {
            const Mdp<T> mt = convert<T>(m);
            const Policy<T> pt = convert<T>(p);
            const Vector<T> V = value(mt, mt.P, pt);
            const Matrix<T> Q = q_value(mt, mt.P, V);
            out["V"] = to_json_vector(V);
            out["Q"] = to_json_matrix(Q);
            if constexpr (!is_exact_v<T> && !is_interval_v<T>) {
                MdpData nominal_only = m;
                nominal_only.uncertainty = Uncertainty{};
                attach_float_bounds(out, nominal_only, &p, V, Q);
            }
        });
        return out;
    }
    dispatch(arith, [&]<class T>() {
        if constexpr (is_interval_v<T>) {
            const RobustEvaluation<mpfr_float> ev =
                robust_value(convert<mpfr_float>(m), convert<mpfr_float>(m.uncertainty), convert<mpfr_float>(p));
            attach_enclosures(out, m, &p, exact_values(ev.V));
        } else {
            const Mdp<T> mt = convert<T>(m);
            const UncertaintySet<T> U = convert<T>(m.uncertainty);
            const RobustEvaluation<T> ev = robust_value(mt, U, convert<T>(p));
            const Matrix<T> Q = robust_q(mt, U, ev.V);
            out["V"] = to_json_vector(ev.V);
            out["Q"] = to_json_matrix(Q);
            out["worst_case"] = to_json(exact_kernel(ev.kernel));
            out["nature_iterations"] = ev.iterations;
            if constexpr (!is_exact_v<T>) attach_float_bounds(out, m, &p, ev.V, Q);
        }
    });
    return out;
}

json solve_report_in(const MdpData& m, const Arith& arith, const std::string& method, const rational& eps) {
    if (method != "pi" && method != "vi") throw input_error("", "--method", "expected 'pi' or 'vi', got '" + method + "'");
    if (method == "vi" && (arith.type == Arith::kind::exact || arith.type == Arith::kind::interval))
        throw input_error("", "--method", "value iteration is for floating arithmetics (double, long-double, mpfr:BITS)");
    if (eps < 0) throw input_error("", "--epsilon", "must be positive (or 'auto')");
    json out = header("solve", arith);
    out["method"] = method;
    if (s_rectangular(m)) return s_rect_solve(m, arith, method, out);
    PolicyData policy{m.S, m.A, {}};
    dispatch(arith, [&]<class T>() {
        using W = std::conditional_t<is_interval_v<T>, mpfr_float, T>;  // intervals: solve in MPFR, then enclose
        const Mdp<W> mt = convert<W>(m);
        const UncertaintySet<W> U = convert<W>(m.uncertainty);
        Vector<W> V;
        Policy<W> pi;
        Matrix<W> solver_Q;
        if (method == "vi") {
            const ValueIterationResult<W> vi = robust_value_iteration(mt, U, from_rational<W>(eps));
            V = vi.V;
            const Matrix<W> Q = robust_q(mt, U, V);
            pi = Policy<W>(m.S, m.A);
            for (std::size_t s = 0; s < m.S; ++s) {
                std::size_t best = 0;
                for (std::size_t a = 1; a < m.A; ++a)
                    if (Q(s, a) < Q(s, best)) best = a;
                pi(s, best) = W(1);
            }
            out["iterations"] = {{"value_iteration", vi.iterations}};
            out["stopping_rule"] = "gamma/(1-gamma) ||V_{k+1} - V_k|| <= epsilon" +
                                   (eps == 0 ? std::string(" (auto)") : " = " + eps.str());
        } else {
            const RobustSolution<W> sol = robust_solve(mt, U);
            V = sol.V;
            pi = sol.policy;
            solver_Q = sol.Q;
            out["iterations"] = {{"policy", sol.policy_iterations}, {"nature", sol.nature_iterations}};
        }
        for (const auto& x : pi.data) policy.pi.push_back(exact_value(x));
        if constexpr (is_interval_v<T>) {
            attach_enclosures(out, m, nullptr, exact_values(V));
        } else {
            // Exact: Q recomputed by the operator (the certificate's one trusted pass), not the solver's.
            const Matrix<W> Q = is_exact_v<T> || method == "vi" ? robust_q(mt, U, V) : solver_Q;
            out["V"] = to_json_vector(V);
            out["Q"] = to_json_matrix(Q);
            if constexpr (is_exact_v<T>) {
                // Certificate, by the operators alone: V* = T_r V* and pi* greedy (T_r^{pi*} V* = V*).
                if (!is_greedy_fixed_point(Q, pi, V)) throw std::logic_error("robust_solve returned an uncertified answer");
                out["certificate"] = "V = T_r V and T_r^pi V = V, checked exactly";
            } else {
                attach_float_bounds(out, m, nullptr, V, Q);
            }
        }
    });
    out["policy"] = to_json(policy)["policy"];
    return out;
}
}  // namespace

json evaluate_report(const MdpData& m, const PolicyData& p, const Arith& arith, bool nominal) {
    return naming_source(m, [&] { return evaluate_report_in(m, p, arith, nominal); });
}

json solve_report(const MdpData& m, const Arith& arith, const std::string& method, const rational& eps) {
    return naming_source(m, [&] { return solve_report_in(m, arith, method, eps); });
}

static json gradient_report_in(const MdpData& md, const PolicyData& pd, const std::vector<rational>* direction) {
    const Mdp<rational> m = convert<rational>(md);
    const UncertaintySet<rational> U = convert<rational>(md.uncertainty);
    const Policy<rational> pi = convert<rational>(pd);
    // Certificates through the operators alone: T_r^pi V = V (so V = V_r^pi), and u_pi attains it.
    const RobustGradient<rational> g = robust_gradient(m, U, pi);
    if (robust_bellman(m, U, pi, g.V) != g.V) throw std::logic_error("robust value failed its certificate T_r^pi V = V");
    json out = header("gradient", Arith{});
    out["kernel"] = md.uncertainty.is_nominal() ? "nominal" : "robust";
    out["f"] = g.f.str();
    out["V"] = to_json_vector(g.V);
    out["Q"] = to_json_matrix(g.Q);
    out["worst_case"] = to_json(g.kernel);
    out["occupancy"] = to_json_vector(g.occupancy);
    out["gradient"] = to_json_matrix(g.gradient);
    out["certificate"] = "T_r^pi V = V and V_{u_pi}^pi = V, checked exactly";
    if (!direction) return out;
    if (direction->size() != md.S * md.A)
        throw input_error("", "direction", "expected " + std::to_string(md.S) + " x " + std::to_string(md.A) + " numbers");
    Matrix<rational> delta(m.S, m.A);
    delta.data = *direction;
    const DirectionalDerivative<rational> dd = directional_derivative(m, U, pi, g.V, delta);
    if (derivative_bellman(m, U, pi, g.V, dd.h, dd.W) != dd.W)
        throw std::logic_error("directional derivative failed its certificate T_F W = W");
    rational linear;
    for (std::size_t i = 0; i < delta.data.size(); ++i) linear += g.gradient.data[i] * delta.data[i];
    out["direction"] = to_json_matrix(delta);
    out["directional_derivative"] = dd.value.str();
    out["gradient_times_direction"] = linear.str();
    out["h"] = to_json_vector(dd.h);
    out["W"] = to_json_vector(dd.W);
    out["face_kernel"] = to_json(dd.kernel);
    out["derivative_certificate"] =
        "W = h + gamma sum_a pi(a|s) max_{p in F_{s,a}} <p, W> checked exactly; f'(pi;delta) = rho . W";
    const rational tau = max_feasible_step(pi, delta);
    json seq = json::array();
    if (tau > 0) {
        std::size_t k = 0;
        for (const auto& [t, r] : directional_remainders(m, U, pi, delta, g.f, dd.value, 10))
            seq.push_back({{"k", ++k}, {"t", t.str()}, {"remainder", r.str()}});
    }
    out["max_step"] = tau.str();
    out["remainder_sequence"] = seq;
    return out;
}

// P[s][a][s'] as strings in T (intervals: "[lo,hi]").
template <class T>
json kernel_json(const Kernel<T>& k) {
    json out = json::array();
    for (std::size_t s = 0; s < k.S; ++s) {
        json rows = json::array();
        for (std::size_t a = 0; a < k.A; ++a) {
            json row = json::array();
            for (std::size_t t = 0; t < k.S; ++t) row.push_back(to_string(k(s, a, t)));
            rows.push_back(row);
        }
        out.push_back(rows);
    }
    return out;
}

// `compute<U>()` in MPFI, its orderings decided by the enclosures of V; where they overlap (e.g.
// equal entries of V) the exact V decides (the filtered predicate's fallback, docs/arithmetic.md)
// and the exact result is written as intervals (its enclosure). "decided_by" says which happened.
template <class F>
void interval_or_exact(json& out, F&& compute) {
    try {
        compute.template operator()<mpfi_float>();
        out["decided_by"] = "enclosures";
    } catch (const undecided_comparison&) {
        compute.template operator()<rational>();
        out["decided_by"] = "exact fallback";
    }
}

json worst_case_report(const MdpData& m, const std::vector<rational>& V, const PolicyData* pi, const Arith& arith) {
    require_values(m, V, "V");
    json out = header("worst-case", arith);
    if (const SL1Ball<rational>* Uq = s_rectangular(m)) {
        if (!pi) throw input_error("", "--policy", "required for an s-rectangular set (s-l1): nature's worst case depends on the policy");
        refuse_interval_s_rect(m, arith);
        dispatch(arith, [&]<class T>() {
            if constexpr (!is_interval_v<T>) {
                const Mdp<T> mt = convert<T>(m);
                const SL1Ball<T> U = s_ball_in<T>(*Uq);
                const Vector<T> Vt = values_in<T>(V);
                const Kernel<T> K = s_worst_case_kernel(U, mt.P, convert<T>(*pi), Vt);
                Matrix<T> vals(m.S, m.A);
                for (std::size_t s = 0; s < m.S; ++s)
                    for (std::size_t a = 0; a < m.A; ++a)
                        for (std::size_t t = 0; t < m.S; ++t) vals(s, a) += K(s, a, t) * Vt[t];
                out["worst_case"] = to_json(exact_kernel(K));
                out["values"] = to_json_matrix(vals);
            }
        });
        return out;
    }
    auto compute = [&]<class T>() {
        const Mdp<T> mt = convert<T>(m);
        const Vector<T> Vt = values_in<T>(V);
        const UncertaintySet<T> U = convert<T>(m.uncertainty);
        if constexpr (is_exact_v<T>) {
            const Kernel<rational> k = worst_case_kernel(U, mt.P, Vt);
            const Matrix<rational> values = worst_case_values(U, mt.P, Vt);
            if (arith.type == Arith::kind::interval) {  // the exact fallback, written as enclosures
                out["worst_case"] = kernel_json(convert<mpfi_float>(k));
                Matrix<mpfi_float> vi(values.rows, values.cols);
                for (std::size_t i = 0; i < values.data.size(); ++i) vi.data[i] = from_rational<mpfi_float>(values.data[i]);
                out["values"] = to_json_matrix(vi);
            } else {
                out["worst_case"] = to_json(k);
                out["values"] = to_json_matrix(values);
            }
        } else if constexpr (is_interval_v<T>) {
            out["worst_case"] = kernel_json(worst_case_kernel(U, mt.P, Vt));
            out["values"] = to_json_matrix(worst_case_values(U, mt.P, Vt));
        } else {
            out["worst_case"] = to_json(exact_kernel(worst_case_kernel(U, mt.P, Vt)));
            out["values"] = to_json_matrix(worst_case_values(U, mt.P, Vt));
        }
    };
    if (arith.type == Arith::kind::interval) {
        set_working_precision(arith.bits);
        interval_or_exact(out, compute);
    } else {
        dispatch(arith, compute);
    }
    return out;
}

json robust_bellman_report(const MdpData& m, const std::vector<rational>& V, const PolicyData* pi, const Arith& arith) {
    require_values(m, V, "V");
    json out = header("robust-bellman", arith);
    out["operator"] = pi ? "T_r^pi" : "T_r";
    if (const SL1Ball<rational>* Uq = s_rectangular(m)) {
        refuse_interval_s_rect(m, arith);
        dispatch(arith, [&]<class T>() {
            if constexpr (!is_interval_v<T>) {
                const Mdp<T> mt = convert<T>(m);
                const SL1Ball<T> U = s_ball_in<T>(*Uq);
                const Vector<T> Vt = values_in<T>(V);
                if (pi) {
                    const Policy<T> pt = convert<T>(*pi);
                    out["Q"] = to_json_matrix(s_robust_q(mt, U, pt, Vt));
                    out["TV"] = to_json_vector(s_robust_bellman(mt, U, pt, Vt));
                } else {
                    // min over stochastic rows of the per-state game; Q at the minimising rows
                    const OptimalBellman<T> G = s_robust_bellman_optimal(mt, U, Vt);
                    out["TV"] = to_json_vector(G.upper);
                    out["Q"] = to_json_matrix(s_robust_q(mt, U, G.policy, Vt));
                    out["policy"] = to_json_matrix(G.policy);
                    if constexpr (!is_exact_v<T>) out["TV_lower"] = to_json_vector(G.lower);
                }
            }
        });
        return out;
    }
    auto compute = [&]<class T>() {
        const Mdp<T> mt = convert<T>(m);
        const Vector<T> Vt = values_in<T>(V);
        const UncertaintySet<T> U = convert<T>(m.uncertainty);
        Matrix<T> Q = robust_q(mt, U, Vt);
        Vector<T> TV = pi ? robust_bellman(mt, U, convert<T>(*pi), Vt) : robust_bellman_optimal(mt, U, Vt);
        out["Q"] = to_json_matrix(Q);
        out["TV"] = to_json_vector(TV);
        if constexpr (is_exact_v<T>) {
            if (arith.type == Arith::kind::interval) {  // the exact fallback, written as enclosures
                Matrix<mpfi_float> Qi(Q.rows, Q.cols);
                for (std::size_t i = 0; i < Q.data.size(); ++i) Qi.data[i] = from_rational<mpfi_float>(Q.data[i]);
                Vector<mpfi_float> TVi;
                for (const auto& x : TV) TVi.push_back(from_rational<mpfi_float>(x));
                out["Q"] = to_json_matrix(Qi);
                out["TV"] = to_json_vector(TVi);
            }
        }
    };
    if (arith.type == Arith::kind::interval) {
        set_working_precision(arith.bits);
        interval_or_exact(out, compute);
    } else {
        dispatch(arith, compute);
    }
    return out;
}

Tolerance parse_tolerance(const std::string& text) {
    const auto colon = text.find(':');
    const std::string kind = text.substr(0, colon);
    Tolerance t;
    t.text = text;
    if (colon == std::string::npos || (kind != "abs" && kind != "rel" && kind != "ulps"))
        throw std::invalid_argument("--tolerance: expected abs:X, rel:X or ulps:N, got '" + text + "'");
    t.type = kind == "abs" ? Tolerance::kind::abs : kind == "rel" ? Tolerance::kind::rel : Tolerance::kind::ulps;
    try {
        t.bound = parse_rational(text.substr(colon + 1));
    } catch (const std::invalid_argument& e) {
        throw std::invalid_argument("--tolerance: '" + text + "': " + e.what());
    }
    if (t.bound < 0) throw std::invalid_argument("--tolerance: '" + text + "': the bound must be >= 0");
    return t;
}

static json crosscheck_report_in(const MdpData& m, const CrosscheckRequest& r) {
    require_values(m, r.V, r.values_source + ": V");
    const Mdp<rational> mq = convert<rational>(m);
    const UncertaintySet<rational> U = convert<rational>(m.uncertainty);
    json out = header("crosscheck", Arith{});
    // The reference: V_r^policy (certified: T_r^pi V = V) or V* (certified: V = T_r V, pi* greedy).
    Vector<rational> exact;
    std::optional<RobustSolution<rational>> sol;
    auto optimum = [&]() -> const RobustSolution<rational>& {
        if (!sol) {
            sol = robust_solve(mq, U);
            if (!is_robust_optimal(mq, U, sol->policy, sol->V)) throw std::logic_error("robust_solve returned an uncertified answer");
        }
        return *sol;
    };
    if (r.policy) {
        const Policy<rational> pq = convert<rational>(*r.policy);
        exact = robust_value(mq, U, pq).V;
        if (robust_bellman(mq, U, pq, exact) != exact) throw std::logic_error("robust_value failed its certificate T_r^pi V = V");
        out["against"] = "V_r^pi (robust value of the given policy)";
    } else {
        exact = optimum().V;
        out["against"] = "V* (optimal robust value)";
    }
    ErrorStats vs;
    for (std::size_t s = 0; s < m.S; ++s) {
        json e = entry_errors(r.V[s], exact[s], r.tolerance, vs);
        e["state"] = s;
        e["given"] = s < r.V_given.size() ? r.V_given[s] : r.V[s].str();
        vs.entries.push_back(e);
    }
    out["per_state"] = vs.entries;
    attach_maxima(out, "", vs);
    // How far the given values are from a fixed point of the operator they claim to solve.
    const std::optional<PolicyData>& pol = r.policy;
    out["bellman_residual_bound"] = decimal_up(bellman_residual_bound(m, pol ? &*pol : nullptr, r.V).V);
    bool met = vs.met;
    if (r.Q) {
        if (r.Q->rows != m.S || r.Q->cols != m.A)
            throw input_error(r.values_source, "Q", "expected " + std::to_string(m.S) + " x " + std::to_string(m.A) + " numbers");
        const Matrix<rational> Qx = robust_q(mq, U, exact);  // Q_r^pi = Q* form at the exact value
        ErrorStats qs;
        for (std::size_t s = 0; s < m.S; ++s)
            for (std::size_t a = 0; a < m.A; ++a) {
                json e = entry_errors((*r.Q)(s, a), Qx(s, a), r.tolerance, qs);
                e["state"] = s;
                e["action"] = a;
                e["given"] = (*r.Q)(s, a).str();
                qs.entries.push_back(e);
            }
        out["Q_per_entry"] = qs.entries;
        attach_maxima(out, "Q_", qs);
        met = met && qs.met;
    }
    if (r.tolerance) out["tolerance"] = {{"spec", r.tolerance->text}, {"met", met}};
    if (r.claimed_optimal) {
        const Policy<rational> pq = convert<rational>(*r.claimed_optimal);
        const Vector<rational> Vp = robust_value(mq, U, pq).V;
        const Vector<rational>& Vstar = optimum().V;
        json gaps = json::array();
        rational worst = 0;
        for (std::size_t s = 0; s < m.S; ++s) {
            const rational g = Vp[s] - Vstar[s];
            worst = std::max(worst, g);
            gaps.push_back(g.str());
        }
        out["claimed_optimal"] = {{"optimal", worst == 0},
                                  {"V_r_pi", to_json_vector(Vp)},
                                  {"gap_per_state", gaps},
                                  {"max_gap", worst.str()},
                                  {"max_gap_decimal", decimal(worst, 3)}};
    }
    return out;
}

json gradient_report(const MdpData& md, const PolicyData& pd, const std::vector<rational>* direction) {
    return naming_source(md, [&] { return gradient_report_in(md, pd, direction); });
}

json crosscheck_report(const MdpData& m, const CrosscheckRequest& r) {
    return naming_source(m, [&] { return crosscheck_report_in(m, r); });
}

}  // namespace rmdp
