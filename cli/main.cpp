// rmdp: the command line. Exit status: 0 success (any verdict computed), 1 `verify` found the
// file's instance does NOT violate its claim, 2 bad input or usage, 3 internal error.
#include "../proofs_checks/registry.hpp"
#include "commands.hpp"

#include "rmdp/error.hpp"
#include "rmdp/error_bound.hpp"
#include "rmdp/evaluation.hpp"
#include "rmdp/io.hpp"
#include "rmdp/solvers.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <sstream>

#include <CLI/CLI.hpp>

#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>

using namespace rmdp;

namespace {

constexpr int exit_ok = 0, exit_not_confirmed = 1, exit_bad_input = 2, exit_internal = 3;

// A rational printed as a decimal rounded upward (for error bounds shown to people and scripts).
std::string upper_decimal(const rational& q) {
    mpfr_t t;
    mpfr_init2(t, 64);
    mpfr_set_q(t, q.backend().data(), MPFR_RNDU);
    std::string s = detail::format_mpfr(t, MPFR_RNDU);
    mpfr_clear(t);
    return s;
}

// max |decimal as printed - exact binary value| over the entries of v.
template <class T>
rational printing_error(const Vector<T>& v) {
    rational worst = 0;
    for (const auto& x : v) {
        rational d = parse_rational(to_string(x)) - exact_value(x);
        if (d < 0) d = -d;
        if (d > worst) worst = d;
    }
    return worst;
}

std::string pad(const std::string& s, std::size_t w) { return s.size() >= w ? s : s + std::string(w - s.size(), ' '); }

// An interval [x - e, x + e] for exact x, e: the enclosure built from a rigorous bound.
mpfi_float enclose(const rational& x, const rational& e) {
    mpfi_float v;
    rational lo = x - e, hi = x + e;
    mpfi_interv_q(v.backend().data(), lo.backend().data(), hi.backend().data());
    return v;
}

template <class T>
Kernel<rational> exact_kernel(const Kernel<T>& k) {
    Kernel<rational> out(k.S, k.A);
    for (std::size_t i = 0; i < k.p.size(); ++i) out.p[i] = exact_value(k.p[i]);
    return out;
}

// V, Q and their exact/bounded form, for printing. Everything rigorous is computed here.
struct ValueReport {
    json V, Q;
    std::vector<std::string> Vs;
    std::vector<std::vector<std::string>> Qs;
    std::optional<std::pair<std::string, std::string>> bounds;  // (E_V, E_Q)
};

template <class T>
ValueReport make_report(const Vector<T>& V, const Matrix<T>& Q) {
    ValueReport r;
    r.V = to_json_vector(V);
    r.Q = to_json_matrix(Q);
    for (const auto& x : V) r.Vs.push_back(to_string(x));
    for (std::size_t s = 0; s < Q.rows; ++s) {
        std::vector<std::string> row;
        for (std::size_t a = 0; a < Q.cols; ++a) row.push_back(to_string(Q(s, a)));
        r.Qs.push_back(row);
    }
    return r;
}

// Float results: bounds E_V = residual bound + printing error; E_Q = |Q~ - robust_q(V~)| + gamma E + printing.
template <class T>
void attach_float_bounds(ValueReport& r, const MdpData& m, const PolicyData* pi, const Vector<T>& V, const Matrix<T>& Q,
                         json& out) {
    const residual_bound b = bellman_residual_bound(m, pi, exact_values(V));
    rational qdiff = 0;
    for (std::size_t i = 0; i < Q.data.size(); ++i) {
        rational d = exact_value(Q.data[i]) - b.Q_at.data[i];
        qdiff = std::max(qdiff, d < 0 ? rational(-d) : d);
    }
    const rational EV = b.V + printing_error(V);
    const rational EQ = qdiff + m.gamma * b.V + printing_error(Q.data);
    out["V_error_bound"] = upper_decimal(EV);
    out["Q_error_bound"] = upper_decimal(EQ);
    r.bounds = std::make_pair(upper_decimal(EV), upper_decimal(EQ));
}

// Interval results for robust objects: an MPFR solution V~ at the working precision, then the
// rigorous enclosure V in V~ +- ||T V~ - V~||/(1-gamma), Q in robust_q(V~) +- gamma * that.
void interval_report(ValueReport& r, const MdpData& m, const PolicyData* pi, const Vector<rational>& Vt) {
    const residual_bound b = bellman_residual_bound(m, pi, Vt);
    Vector<mpfi_float> V;
    for (const auto& x : Vt) V.push_back(enclose(x, b.V));
    Matrix<mpfi_float> Q(m.S, m.A);
    for (std::size_t i = 0; i < Q.data.size(); ++i) Q.data[i] = enclose(b.Q_at.data[i], m.gamma * b.V);
    r = make_report(V, Q);
}

void print_table(const std::string& title, const MdpData& m, const ValueReport& r, const std::string& vname,
                 const std::string& qname) {
    std::cout << title << "\n\n";
    std::size_t w = 12;
    for (const auto& v : r.Vs) w = std::max(w, v.size() + 2);
    for (const auto& row : r.Qs)
        for (const auto& q : row) w = std::max(w, q.size() + 2);
    std::cout << pad("state", 7) << pad(vname + "(s)", w);
    for (std::size_t a = 0; a < m.A; ++a) std::cout << pad(qname + "(s," + std::to_string(a) + ")", w);
    std::cout << "\n";
    for (std::size_t s = 0; s < m.S; ++s) {
        std::cout << pad(std::to_string(s), 7) << pad(r.Vs[s], w);
        for (std::size_t a = 0; a < m.A; ++a) std::cout << pad(r.Qs[s][a], w);
        std::cout << "\n";
    }
    if (r.bounds)
        std::cout << "\nmax_s |" << vname << " - exact| <= " << r.bounds->first << ", max |" << qname
                  << " - exact| <= " << r.bounds->second
                  << "\n(rigorous a-posteriori bounds from the exact Bellman residual, docs/arithmetic.md)\n";
}

int cmd_evaluate(const std::string& mdp_path, const std::string& pol_path, const std::string& arith_text, bool as_json,
                 bool nominal) {
    const Arith arith = parse_arith(arith_text);
    const MdpData m = read_mdp(mdp_path);
    const PolicyData p = read_policy(pol_path, m);
    const bool robust = !nominal && m.uncertainty.type != Uncertainty::kind::none;
    json out{{"arith", arith.name()}, {"kernel", robust ? "robust" : "nominal"}};
    ValueReport rep;
    if (!robust) {
        dispatch(arith, [&]<class T>() {
            const Mdp<T> mt = convert<T>(m);
            const Policy<T> pt = convert<T>(p);
            const Vector<T> V = value(mt, mt.P, pt);
            const Matrix<T> Q = q_value(mt, mt.P, V);
            rep = make_report(V, Q);
            if constexpr (!is_exact_v<T> && !is_interval_v<T>) {
                MdpData nominal_only = m;
                nominal_only.uncertainty = Uncertainty{};
                attach_float_bounds(rep, nominal_only, &p, V, Q, out);
            }
        });
    } else {
        dispatch(arith, [&]<class T>() {
            if constexpr (is_interval_v<T>) {
                const RobustEvaluation<mpfr_float> ev =
                    robust_value(convert<mpfr_float>(m), convert<mpfr_float>(m.uncertainty), convert<mpfr_float>(p));
                interval_report(rep, m, &p, exact_values(ev.V));
            } else {
                const Mdp<T> mt = convert<T>(m);
                const UncertaintySet<T> U = convert<T>(m.uncertainty);
                const RobustEvaluation<T> ev = robust_value(mt, U, convert<T>(p));
                const Matrix<T> Q = robust_q(mt, U, ev.V);
                rep = make_report(ev.V, Q);
                out["worst_case"] = to_json(exact_kernel(ev.kernel));
                out["nature_iterations"] = ev.iterations;
                if constexpr (!is_exact_v<T>) attach_float_bounds(rep, m, &p, ev.V, Q, out);
            }
        });
    }
    out["V"] = rep.V;
    out["Q"] = rep.Q;
    if (as_json) {
        std::cout << out.dump(2) << "\n";
        return exit_ok;
    }
    const std::string what = robust ? "Robust policy evaluation (nature maximises cost over the uncertainty set)"
                                    : "Policy evaluation under the nominal kernel";
    print_table(what + ": " + std::to_string(m.S) + " states x " + std::to_string(m.A) + " actions, gamma = " +
                    m.gamma.str() + ", arithmetic " + arith.name() +
                    "\nV(s) = expected discounted cost from s; Q(s,a) = cost of a at s, then the policy",
                m, rep, robust ? "V_r" : "V", robust ? "Q_r" : "Q");
    return exit_ok;
}

int cmd_solve(const std::string& mdp_path, const std::string& arith_text, bool as_json, const std::string& method,
              const std::string& eps_text) {
    const Arith arith = parse_arith(arith_text);
    const MdpData m = read_mdp(mdp_path);
    if (method != "pi" && method != "vi") throw input_error("", "--method", "expected 'pi' or 'vi', got '" + method + "'");
    if (method == "vi" && (arith.type == Arith::kind::exact || arith.type == Arith::kind::interval))
        throw input_error("", "--method", "value iteration is for floating arithmetics (double, long-double, mpfr:BITS)");
    rational eps = 0;  // 0: automatic (twice the arithmetic's rounding floor)
    if (eps_text != "auto") {
        try {
            eps = parse_rational(eps_text);
        } catch (const std::invalid_argument& e) {
            throw input_error("", "--epsilon", e.what());
        }
        if (eps <= 0) throw input_error("", "--epsilon", "must be positive (or 'auto')");
    }
    json out{{"arith", arith.name()}, {"method", method}};
    ValueReport rep;
    PolicyData policy{m.S, m.A, {}};
    dispatch(arith, [&]<class T>() {
        using W = std::conditional_t<is_interval_v<T>, mpfr_float, T>;  // intervals: solve in MPFR, then enclose
        const Mdp<W> mt = convert<W>(m);
        const UncertaintySet<W> U = convert<W>(m.uncertainty);
        Vector<W> V;
        Policy<W> pi;
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
            out["iterations"] = {{"policy", sol.policy_iterations}, {"nature", sol.nature_iterations}};
        }
        for (const auto& x : pi.data) policy.pi.push_back(exact_value(x));
        const Matrix<W> Q = robust_q(mt, U, V);
        if constexpr (is_interval_v<T>) {
            interval_report(rep, m, nullptr, exact_values(V));
        } else {
            rep = make_report(V, Q);
            if constexpr (is_exact_v<T>) {
                // Certificate, by the operators alone: V* = T_r V* and pi* greedy (T_r^{pi*} V* = V*).
                if (!is_robust_optimal(mt, U, pi, V)) throw std::logic_error("robust_solve returned an uncertified answer");
                out["certificate"] = "V = T_r V and T_r^pi V = V, checked exactly";
            } else {
                attach_float_bounds(rep, m, nullptr, V, Q, out);
            }
        }
    });
    out["policy"] = to_json(policy)["policy"];
    out["V"] = rep.V;
    out["Q"] = rep.Q;
    if (as_json) {
        std::cout << out.dump(2) << "\n";
        return exit_ok;
    }
    std::string acts;
    for (std::size_t s = 0; s < m.S; ++s)
        for (std::size_t a = 0; a < m.A; ++a)
            if (policy.pi[s * m.A + a] == 1) acts += (acts.empty() ? "" : " ") + std::to_string(a);
    print_table("Optimal robust policy (" + method + "), " + std::to_string(m.S) + " states x " + std::to_string(m.A) +
                    " actions, gamma = " + m.gamma.str() + ", arithmetic " + arith.name() +
                    "\npi*(s) = " + acts + "   (action per state)" +
                    (out.contains("certificate") ? "\ncertificate: " + out["certificate"].get<std::string>() : ""),
                m, rep, "V*", "Q_r");
    return exit_ok;
}

// One ulp of the double nearest to x: the spacing of doubles there (exact, as a rational).
rational ulp_at(const rational& x) {
    double d = std::fabs(from_rational<double>(x));
    double up = std::nextafter(d, std::numeric_limits<double>::infinity());
    return exact_value(up) - exact_value(d);
}

std::string sci(const rational& q) {  // 3 significant digits, for people
    std::ostringstream o;
    o << std::setprecision(3) << q.convert_to<double>();
    return o.str();
}

int cmd_crosscheck(const std::string& mdp_path, const std::string& values_path, const std::string& pol_path,
                   bool as_json) {
    const MdpData m = read_mdp(mdp_path);
    const json vj = read_json_file(values_path);
    const json* arr = &vj;
    if (vj.is_object()) {
        if (!vj.contains("V")) throw input_error(values_path, "V", "missing (expected {\"V\": [numbers]})");
        arr = &vj.at("V");
    }
    if (!arr->is_array() || arr->size() != m.S)
        throw input_error(values_path, "V", "expected an array of " + std::to_string(m.S) + " numbers (one per state)");
    Vector<rational> Vu;
    for (std::size_t s = 0; s < m.S; ++s) Vu.push_back(parse_number((*arr)[s], values_path, "V[" + std::to_string(s) + "]"));

    const Mdp<rational> mq = convert<rational>(m);
    const UncertaintySet<rational> U = convert<rational>(m.uncertainty);
    const RobustSolution<rational> sol = robust_solve(mq, U);
    if (!is_robust_optimal(mq, U, sol.policy, sol.V)) throw std::logic_error("robust_solve returned an uncertified answer");
    json out{{"arith", "exact"}, {"against", "V* (optimal robust value)"}};
    json per = json::array();
    rational max_abs = 0, max_rel = 0, max_ulp = 0;
    bool rel_defined = true;
    for (std::size_t s = 0; s < m.S; ++s) {
        rational err = Vu[s] - sol.V[s];
        rational a = err < 0 ? rational(-err) : err;
        const json& raw = (*arr)[s];
        json e{{"state", s},
               {"given", raw.is_string() ? raw.get<std::string>() : raw.dump()},
               {"exact", sol.V[s].str()},
               {"exact_decimal", to_string(from_rational<double>(sol.V[s]))},
               {"abs_error", sci(a)}};
        if (sol.V[s] != 0) {
            rational rel = a / (sol.V[s] < 0 ? rational(-sol.V[s]) : sol.V[s]);
            e["rel_error"] = sci(rel);
            max_rel = std::max(max_rel, rel);
        } else {
            e["rel_error"] = nullptr;
            rel_defined = rel_defined && a == 0;
        }
        rational u = a / ulp_at(sol.V[s]);
        e["ulps"] = sci(u);
        max_abs = std::max(max_abs, a);
        max_ulp = std::max(max_ulp, u);
        per.push_back(e);
    }
    out["per_state"] = per;
    out["max_abs_error"] = sci(max_abs);
    out["max_rel_error"] = rel_defined ? json(sci(max_rel)) : json("undefined (V* = 0 with nonzero error)");
    out["max_ulps"] = sci(max_ulp);
    // How far the supplied values are from being a fixed point of T_r (exact residual).
    const residual_bound rb = bellman_residual_bound(m, nullptr, Vu);
    out["bellman_residual_bound"] = sci(rb.V);

    std::optional<PolicyData> pol;
    if (!pol_path.empty()) {
        pol = read_policy(pol_path, m);
        const Policy<rational> pq = convert<rational>(*pol);
        const Vector<rational> Vp = robust_value(mq, U, pq).V;
        json gaps = json::array();
        rational worst = 0;
        for (std::size_t s = 0; s < m.S; ++s) {
            rational g = Vp[s] - sol.V[s];
            worst = std::max(worst, g);
            gaps.push_back(g.str());
        }
        out["policy"] = {{"optimal", worst == 0},
                         {"V_r_pi", to_json_vector(Vp)},
                         {"gap_per_state", gaps},
                         {"max_gap", worst.str()},
                         {"max_gap_decimal", sci(worst)}};
    }
    if (as_json) {
        std::cout << out.dump(2) << "\n";
        return exit_ok;
    }
    std::cout << "Cross-check of " << values_path << " against the exact optimal robust value V* of " << mdp_path << "\n"
              << "(" << m.S << " states, " << m.A << " actions, gamma = " << m.gamma.str()
              << ", uncertainty " << to_string(m.uncertainty.type)
              << "; V* computed by exact robust policy iteration and certified: V* = T_r V*)\n\n";
    std::cout << pad("state", 7) << pad("given", 26) << pad("exact V*", 26) << pad("abs error", 12) << pad("rel error", 12)
              << "ulps\n";
    for (const auto& e : per)
        std::cout << pad(std::to_string(e["state"].get<std::size_t>()), 7) << pad(e["given"].get<std::string>(), 26)
                  << pad(e["exact_decimal"].get<std::string>(), 26)
                  << pad(e["abs_error"].get<std::string>(), 12)
                  << pad(e["rel_error"].is_null() ? "-" : e["rel_error"].get<std::string>(), 12) << e["ulps"].get<std::string>()
                  << "\n";
    std::cout << "\nmax abs error " << out["max_abs_error"].get<std::string>() << ", max rel error "
              << out["max_rel_error"].get<std::string>() << ", max " << out["max_ulps"].get<std::string>()
              << " ulps (ulp of the double nearest the exact value)\n"
              << "the given values' exact Bellman residual proves ||given - V*|| <= "
              << out["bellman_residual_bound"].get<std::string>() << " (= ||T_r V - V|| / (1 - gamma))\n"
              << "exact V* shown rounded to double; exact rationals with --json\n";
    if (pol) {
        const json& pj = out["policy"];
        if (pj["optimal"].get<bool>())
            std::cout << "\nThe supplied policy is exactly optimal: V_r^pi = V* at every state.\n";
        else
            std::cout << "\nThe supplied policy is NOT optimal: max_s (V_r^pi(s) - V*(s)) = " << pj["max_gap"].get<std::string>()
                      << " (= " << pj["max_gap_decimal"].get<std::string>() << ")\n";
    }
    return exit_ok;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"rmdp: exact robust MDP computations and proof checks"};
    app.require_subcommand(1);

    std::string mdp_path, pol_path, arith_text = "exact";
    bool as_json = false, nominal = false;

    auto* ev = app.add_subcommand("evaluate", "V and Q of a policy (robust when the MDP has an uncertainty set)");
    ev->add_option("mdp", mdp_path, "MDP JSON file")->required();
    ev->add_option("--policy", pol_path, "policy JSON file")->required();
    ev->add_option("--arith", arith_text, "exact | mpfr:BITS | interval:BITS | double | long-double");
    ev->add_flag("--json", as_json, "machine-readable output");
    ev->add_flag("--nominal", nominal, "ignore the uncertainty set: evaluate the nominal kernel");

    std::string method = "pi", eps_text = "auto";
    auto* so = app.add_subcommand("solve", "optimal robust policy, V* and Q_r at V*");
    so->add_option("mdp", mdp_path, "MDP JSON file")->required();
    so->add_option("--arith", arith_text, "exact | mpfr:BITS | interval:BITS | double | long-double");
    so->add_option("--method", method, "pi: robust policy iteration (default); vi: robust value iteration (floats)");
    so->add_option("--epsilon", eps_text, "vi: stop when gamma/(1-gamma)||V_{k+1}-V_k|| <= epsilon (default auto: twice the rounding floor)");
    so->add_flag("--json", as_json, "machine-readable output");

    std::string values_path;
    auto* cc = app.add_subcommand("crosscheck", "compare values computed elsewhere with the exact V*");
    cc->add_option("mdp", mdp_path, "MDP JSON file")->required();
    cc->add_option("--values", values_path, "values JSON: {\"V\": [numbers]} or [numbers]")->required();
    cc->add_option("--policy", pol_path, "a policy to test for exact optimality");
    cc->add_flag("--json", as_json, "machine-readable output");

    // Commands of the gradient, RPMD and MBPO layers live in their own files (cli/commands.hpp).
    std::vector<cli::Command> more = {cli::add_gradient_command(app), cli::add_rpmd_command(app), cli::add_mbpo_command(app)};
    for (auto& c : cli::add_check_commands(app)) more.push_back(std::move(c));  // claims, check, verify, merge

    std::vector<std::string> args(argv + 1, argv + argc);
    if (const auto status = cli::top_level(app, args)) return *status;  // --version, help CMD, unknown commands
    std::reverse(args.begin(), args.end());
    try {
        app.parse(args);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        std::cerr << "rmdp: error: " << e.what() << "\n(run 'rmdp --help' or 'rmdp COMMAND --help' for usage)\n";
        return exit_bad_input;
    }

    try {
        if (ev->parsed()) return cmd_evaluate(mdp_path, pol_path, arith_text, as_json, nominal);
        if (so->parsed()) return cmd_solve(mdp_path, arith_text, as_json, method, eps_text);
        if (cc->parsed()) return cmd_crosscheck(mdp_path, values_path, pol_path, as_json);
        for (const auto& c : more)
            if (c.app->parsed()) return c.run();
    } catch (const input_error& e) {
        std::cerr << "rmdp: error: " << e.what() << "\n";
        return exit_bad_input;
    } catch (const std::invalid_argument& e) {
        std::cerr << "rmdp: error: " << e.what() << "\n";
        return exit_bad_input;
    } catch (const std::exception& e) {
        std::cerr << "rmdp: internal error: " << e.what() << "\n";
        return exit_internal;
    }
    return exit_internal;
}
