// rmdp evaluate | solve | crosscheck: values of policies, optimal robust policies, and audits of
// values computed elsewhere. Each command reads its inputs, calls one function of the report layer
// (rmdp/report.hpp) and prints its document: as JSON, or as a table for people, where exact
// rationals are shown as decimals (--digits) and the exact values are in --json.
#include "commands.hpp"
#include "input.hpp"

#include "rmdp/error.hpp"
#include "rmdp/io.hpp"
#include "rmdp/report.hpp"

#include <iostream>
#include <memory>
#include <string>

namespace rmdp::cli {

namespace {

constexpr int exit_tolerance_exceeded = 4;

std::string pad(const std::string& s, std::size_t w) { return s.size() >= w ? s : s + std::string(w - s.size(), ' '); }

// A value of a report as people read it: exact rationals as decimals, others as printed.
std::string shown(const json& v, bool exact, int digits) {
    const std::string s = v.get<std::string>();
    return exact ? decimal(parse_rational(s), digits) : s;
}

void print_table(const std::string& title, const MdpData& m, const json& r, const std::string& vname,
                 const std::string& qname, int digits) {
    const bool exact = r["arith"] == "exact";
    std::vector<std::string> Vs;
    std::vector<std::vector<std::string>> Qs;
    std::size_t w = 12;
    for (const auto& v : r["V"]) w = std::max(w, (Vs.emplace_back(shown(v, exact, digits))).size() + 2);
    for (const auto& row : r["Q"]) {
        Qs.emplace_back();
        for (const auto& q : row) w = std::max(w, (Qs.back().emplace_back(shown(q, exact, digits))).size() + 2);
    }
    std::cout << title << "\n\n" << pad("state", 7) << pad(vname + "(s)", w);
    for (std::size_t a = 0; a < m.A; ++a) std::cout << pad(qname + "(s," + std::to_string(a) + ")", w);
    std::cout << "\n";
    for (std::size_t s = 0; s < m.S; ++s) {
        std::cout << pad(std::to_string(s), 7) << pad(Vs[s], w);
        for (std::size_t a = 0; a < m.A; ++a) std::cout << pad(Qs[s][a], w);
        std::cout << "\n";
    }
    if (exact) std::cout << "\nexact rationals shown as " << digits << "-digit decimals; the exact values are in --json\n";
    if (r.contains("V_error_bound"))
        std::cout << "\nmax_s |" << vname << " - exact| <= " << r["V_error_bound"].get<std::string>()
                  << (r.contains("Q_error_bound") ? ", max |" + std::string(qname) + " - exact| <= " + r["Q_error_bound"].get<std::string>() : "")
                  << (m.uncertainty.traits().exact
                          ? "\n(rigorous a-posteriori bounds from the exact Bellman residual, docs/arithmetic.md)\n"
                          : "\n(rigorous a-posteriori bounds from the Bellman residual enclosed in MPFI, docs/robust.md)\n");
}

std::string header_line(const MdpData& m, const json& r) {
    return std::to_string(m.S) + " states x " + std::to_string(m.A) + " actions, gamma = " + m.gamma.str() +
           ", arithmetic " + r["arith"].get<std::string>();
}

int emit(const json& r, bool as_json) {
    if (as_json) std::cout << r.dump(2) << "\n";
    return 0;
}

struct EvaluateOptions {
    MdpInputOptions input;
    std::string mdp, policy, arith = "exact";
    bool as_json = false, nominal = false;
    int digits = 12;
};

int run_evaluate(const EvaluateOptions& o) {
    const Arith arith = parse_arith(o.arith);
    const MdpData m = load_mdp(o.mdp, o.input);
    const PolicyData p = read_policy(o.policy, m);
    const json r = evaluate_report(m, p, arith, o.nominal);
    if (o.as_json) return emit(r, true);
    const bool robust = r["kernel"] == "robust";
    const std::string what = robust ? "Robust policy evaluation (nature maximises cost over the uncertainty set)"
                                    : "Policy evaluation under the nominal kernel";
    print_table(what + ": " + header_line(m, r) +
                    "\nV(s) = expected discounted cost from s; Q(s,a) = cost of a at s, then the policy",
                m, r, robust ? "V_r" : "V", robust ? "Q_r" : "Q", o.digits);
    return 0;
}

struct SolveOptions {
    MdpInputOptions input;
    std::string mdp, arith = "exact", method = "pi", epsilon = "auto";
    bool as_json = false;
    int digits = 12;
};

int run_solve(const SolveOptions& o) {
    const Arith arith = parse_arith(o.arith);
    const MdpData m = load_mdp(o.mdp, o.input);
    rational eps = 0;  // 0: automatic (twice the arithmetic's rounding floor)
    if (o.epsilon != "auto") {
        try {
            eps = parse_rational(o.epsilon);
        } catch (const std::invalid_argument& e) {
            throw input_error("", "--epsilon", e.what());
        }
        if (eps <= 0) throw input_error("", "--epsilon", "must be positive (or 'auto')");
    }
    const json r = solve_report(m, arith, o.method, eps);
    if (o.as_json) return emit(r, true);
    std::string acts;
    for (const auto& row : r["policy"]) {
        std::string act;
        for (std::size_t a = 0; a < row.size(); ++a)
            if (parse_rational(row[a].get<std::string>()) == 1) act = std::to_string(a);
        if (act.empty())  // a stochastic row (s-rectangular sets): pi(.|s) in full
            for (std::size_t a = 0; a < row.size(); ++a) act += (a ? "," : "(") + row[a].get<std::string>() + (a + 1 == row.size() ? ")" : "");
        acts += (acts.empty() ? "" : " ") + act;
    }
    print_table("Optimal robust policy (" + o.method + "), " + header_line(m, r) + "\npi*(s) = " + acts +
                    "   (action per state)" +
                    (r.contains("certificate") ? "\ncertificate: " + r["certificate"].get<std::string>() : "") +
                    (r.contains("bounds") ? "\nNOT exact: " + r["bounds"]["why"].get<std::string>() + " (bounds: --json)" : ""),
                m, r, "V*", "Q_r", o.digits);
    return 0;
}

struct CrosscheckOptions {
    MdpInputOptions input;
    std::string mdp, values, q, policy, claimed_optimal, tolerance;
    bool as_json = false;
};

// Values file: {"V": [numbers]} (optionally with "Q": S x A) or a bare array. A JSON float is its
// exact binary value (what the user's program computed); strings are exact decimals/rationals.
std::string given_text(const json& x) { return x.is_string() ? x.get<std::string>() : x.dump(); }

int run_crosscheck(const CrosscheckOptions& o) {
    const MdpData m = load_mdp(o.mdp, o.input);
    CrosscheckRequest req;
    req.values_source = o.values;
    req.mdp_source = o.mdp;
    if (!o.tolerance.empty()) req.tolerance = parse_tolerance(o.tolerance);
    const json vj = read_json_file(o.values);
    const json* arr = &vj;
    if (vj.is_object()) {
        for (auto it = vj.begin(); it != vj.end(); ++it)
            if (it.key() != "V" && it.key() != "Q" && it.key() != "comment") throw input_error(o.values, it.key(), "unknown field");
        if (!vj.contains("V")) throw input_error(o.values, "V", "missing (expected {\"V\": [numbers]})");
        arr = &vj.at("V");
    }
    if (!arr->is_array() || arr->size() != m.S)
        throw input_error(o.values, "V", "expected an array of " + std::to_string(m.S) + " numbers (one per state)");
    for (std::size_t s = 0; s < m.S; ++s) {
        req.V.push_back(parse_number((*arr)[s], o.values, "V[" + std::to_string(s) + "]"));
        req.V_given.push_back(given_text((*arr)[s]));
    }
    auto read_q = [&](const json& q, const std::string& file, const std::string& field) {
        if (!q.is_array() || q.size() != m.S) throw input_error(file, field, "expected " + std::to_string(m.S) + " rows of " + std::to_string(m.A) + " numbers");
        Matrix<rational> Q(m.S, m.A);
        for (std::size_t s = 0; s < m.S; ++s) {
            const std::string row = field + "[" + std::to_string(s) + "]";
            if (!q[s].is_array() || q[s].size() != m.A) throw input_error(file, row, "expected " + std::to_string(m.A) + " numbers");
            for (std::size_t a = 0; a < m.A; ++a) Q(s, a) = parse_number(q[s][a], file, row + "[" + std::to_string(a) + "]");
        }
        req.Q = Q;
    };
    if (vj.is_object() && vj.contains("Q")) read_q(vj.at("Q"), o.values, "Q");
    if (!o.q.empty()) {
        if (req.Q) throw input_error(o.q, "Q", "given twice (in --values and in --q)");
        const json qj = read_json_file(o.q);
        read_q(qj.is_object() && qj.contains("Q") ? qj.at("Q") : qj, o.q, "Q");
    }
    if (!o.policy.empty()) req.policy = read_policy(o.policy, m);
    if (!o.claimed_optimal.empty()) req.claimed_optimal = read_policy(o.claimed_optimal, m);
    const json r = crosscheck_report(m, req);
    const bool exceeded = r.contains("tolerance") && !r["tolerance"]["met"].get<bool>();
    if (o.as_json) {
        emit(r, true);
        return exceeded ? exit_tolerance_exceeded : 0;
    }
    const std::string target = req.policy ? "the exact robust value V_r^pi of " + o.policy : std::string("the exact optimal robust value V*");
    std::cout << "Cross-check of " << o.values << " against " << target << " of " << o.mdp << "\n(" << m.S << " states, "
              << m.A << " actions, gamma = " << m.gamma.str() << ", uncertainty " << m.uncertainty.kind()
              << "; computed exactly and certified by the operators)\n\n";
    std::cout << pad("state", 7) << pad("given", 26) << pad("exact", 26) << pad("abs error", 12) << pad("rel error", 12)
              << "ulps" << (req.tolerance ? "        within " + req.tolerance->text : "") << "\n";
    auto row = [&](const json& e, const std::string& label) {
        std::cout << pad(label, 7) << pad(e["given"].get<std::string>(), 26) << pad(e["exact_decimal"].get<std::string>(), 26)
                  << pad(e["abs_error_decimal"].get<std::string>(), 12)
                  << pad(e["rel_error_decimal"].is_null() ? "-" : e["rel_error_decimal"].get<std::string>(), 12)
                  << pad(e["ulps_decimal"].get<std::string>(), 12)
                  << (e.contains("within_tolerance") ? (e["within_tolerance"].get<bool>() ? "yes" : "NO") : "") << "\n";
    };
    for (const auto& e : r["per_state"]) row(e, std::to_string(e["state"].get<std::size_t>()));
    std::cout << "\nV: max abs error " << r["max_abs_error_decimal"].get<std::string>() << ", max rel error "
              << r["max_rel_error_decimal"].get<std::string>() << ", max " << r["max_ulps_decimal"].get<std::string>()
              << " ulps\n";
    if (r.contains("Q_per_entry")) {
        std::cout << "\n" << pad("(s,a)", 7) << "\n";
        for (const auto& e : r["Q_per_entry"])
            row(e, std::to_string(e["state"].get<std::size_t>()) + "," + std::to_string(e["action"].get<std::size_t>()));
        std::cout << "\nQ: max abs error " << r["Q_max_abs_error_decimal"].get<std::string>() << ", max rel error "
                  << r["Q_max_rel_error_decimal"].get<std::string>() << ", max " << r["Q_max_ulps_decimal"].get<std::string>()
                  << " ulps\n";
    }
    std::cout << "ulps: |given - exact| / spacing of doubles at max(|given|, |exact|) (numpy.spacing); 0 when both are 0\n"
              << "the given values' exact Bellman residual proves ||given - exact|| <= "
              << r["bellman_residual_bound"].get<std::string>() << " (= ||T V - V|| / (1 - gamma))\n"
              << "exact values shown rounded to 17 digits; exact rationals with --json\n";
    if (r.contains("tolerance"))
        std::cout << "\ntolerance " << req.tolerance->text << ": "
                  << (exceeded ? "EXCEEDED (exit status 4)" : "met by every entry") << "\n";
    if (r.contains("claimed_optimal")) {
        const json& pj = r["claimed_optimal"];
        if (pj["optimal"].get<bool>())
            std::cout << "\nThe claimed-optimal policy is exactly optimal: V_r^pi = V* at every state.\n";
        else
            std::cout << "\nThe claimed-optimal policy is NOT optimal: max_s (V_r^pi(s) - V*(s)) = " << pj["max_gap"].get<std::string>()
                      << " (= " << pj["max_gap_decimal"].get<std::string>() << ")\n";
    }
    return exceeded ? exit_tolerance_exceeded : 0;
}

}  // namespace

std::vector<Command> add_value_commands(CLI::App& app) {
    const char* arith_help = "exact | mpfr:BITS | interval:BITS | double | long-double";
    auto e = std::make_shared<EvaluateOptions>();
    auto* ev = app.add_subcommand("evaluate", "V and Q of a policy (robust when the MDP has an uncertainty set)");
    ev->add_option("mdp", e->mdp, "MDP file (JSON, or craam2 CSV)")->required();
    add_mdp_input_options(ev, e->input);
    ev->add_option("--policy", e->policy, "policy JSON file")->required();
    ev->add_option("--arith", e->arith, arith_help);
    ev->add_option("--digits", e->digits, "significant digits of exact values in the text output (default 12)")->check(CLI::Range(1, 1000));
    ev->add_flag("--json", e->as_json, "machine-readable output (exact values as rationals)");
    ev->add_flag("--nominal", e->nominal, "ignore the uncertainty set: evaluate the nominal kernel");

    auto so = std::make_shared<SolveOptions>();
    auto* sv = app.add_subcommand("solve", "optimal robust policy, V* and Q_r at V*");
    sv->add_option("mdp", so->mdp, "MDP file (JSON, or craam2 CSV)")->required();
    add_mdp_input_options(sv, so->input);
    sv->add_option("--arith", so->arith, arith_help);
    sv->add_option("--method", so->method, "pi: robust policy iteration (default); vi: robust value iteration (floats)");
    sv->add_option("--epsilon", so->epsilon,
                   "vi: stop when gamma/(1-gamma)||V_{k+1}-V_k|| <= epsilon (default auto: twice the rounding floor)");
    sv->add_option("--digits", so->digits, "significant digits of exact values in the text output (default 12)")->check(CLI::Range(1, 1000));
    sv->add_flag("--json", so->as_json, "machine-readable output (exact values as rationals)");

    auto c = std::make_shared<CrosscheckOptions>();
    auto* cc = app.add_subcommand("crosscheck",
                                  "compare values computed elsewhere with the exact V_r^pi (--policy) or V*; exit 4 when a --tolerance is exceeded");
    cc->add_option("mdp", c->mdp, "MDP file (JSON, or craam2 CSV)")->required();
    add_mdp_input_options(cc, c->input);
    cc->add_option("--values", c->values, "values JSON: {\"V\": [numbers], \"Q\": optional S x A} or [numbers]")->required();
    cc->add_option("--policy", c->policy, "the values are the robust value V_r^pi of this policy (default: V*)");
    cc->add_option("--q", c->q, "Q JSON ({\"Q\": S x A} or S x A): crosscheck Q_r^pi (with --policy) or Q* too");
    cc->add_option("--claimed-optimal", c->claimed_optimal, "a policy to test for exact optimality (and by how much it is not)");
    cc->add_option("--tolerance", c->tolerance, "abs:X | rel:X | ulps:N; exit status 4 when an entry exceeds it");
    cc->add_flag("--json", c->as_json, "machine-readable output (exact errors as rationals beside decimals)");

    return {{ev, [e] { return run_evaluate(*e); }}, {sv, [so] { return run_solve(*so); }}, {cc, [c] { return run_crosscheck(*c); }}};
}

}  // namespace rmdp::cli
