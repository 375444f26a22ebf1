// rmdp mbpo INSTANCE.json [--json] [--horizon N]: returns, eps's, the bounds of Theorems 4.1-4.3
// under every reading, their verdicts and tightness, for one MBPO instance, in exact arithmetic
// (docs/mbpo.md).
#include "commands.hpp"

#include "rmdp/mbpo.hpp"

#include <algorithm>
#include <iomanip>
#include <iostream>
#include <map>
#include <sstream>
#include <stdexcept>

namespace rmdp::cli {

namespace {

// p/q when short, else a decimal marked as rounded (the exact value is in --json).
std::string show(const rational& q) {
    const std::string s = q.str();
    if (s.size() <= 24) return s;
    std::ostringstream o;
    o << "~" << std::setprecision(12) << q.convert_to<double>();
    return o.str();
}

json bracket_json(const ModelErrorBracket<rational>& b) {
    return {{"lower", b.lower().str()},
            {"upper", b.upper().str()},
            {"status", b.closed() ? "exact" : "bracketed"},
            {"horizon", b.horizon()}};
}

// gap / C for the true C in [c_lo, c_hi] (gap = reference - eta, the actual shortfall the bound allows
// for): an enclosure [lower, upper]. An end is null where it is unbounded: C(lo) = 0 < C(hi) makes the
// upper end +inf when gap > 0 and the lower end -inf when gap < 0. With C(hi) = 0 there is no ratio
// at all (both null; the verdict says whether gap <= 0) and "C_zero" is true.
json tightness(const rational& gap, const rational& c_lo, const rational& c_hi) {
    auto ratio = [&](const rational& c) { return c == 0 ? json(nullptr) : json(rational(gap / c).str()); };
    if (c_hi == 0) return {{"lower", nullptr}, {"upper", nullptr}, {"C_zero", true}};
    json t{{"lower", "0"}, {"upper", "0"}, {"C_zero", false}};  // gap = 0: 0 for every C > 0
    if (gap > 0) t["lower"] = ratio(c_hi), t["upper"] = ratio(c_lo);
    if (gap < 0) t["lower"] = ratio(c_lo), t["upper"] = ratio(c_hi);
    return t;
}

// Everything `rmdp mbpo` reports for one instance, exactly (docs/mbpo.md, "rmdp mbpo").
json analyse(const MbpoData& data, std::size_t budget) {
    const MbpoModel<rational> m = convert<rational>(data);
    const rational eta = discounted_return(m.mdp, m.mdp.P, m.pi);
    const rational eta_hat = discounted_return(m.mdp, m.P_model, m.pi);
    const rational eps_pi = policy_divergence(m.pi, m.pi_data);
    auto eps_m = model_error_bracket(data, m, error_policy::data);
    auto eps_mp = model_error_bracket(data, m, error_policy::updated);
    auto eps_notes = model_error_bracket(data, m, error_policy::mixed);
    for (auto* b : {&eps_m, &eps_mp, &eps_notes})
        while (b->horizon() < budget && !b->closed()) b->advance();

    json out{{"arith", "exact"},
             {"states", data.S},
             {"actions", data.A},
             {"gamma", data.gamma.str()},
             {"r_max", data.r_max.str()},
             {"k", data.k},
             {"eta", eta.str()},
             {"eta_hat", eta_hat.str()},
             {"eps_pi", eps_pi.str()},
             {"eps_m", bracket_json(eps_m)},
             {"eps_m_prime", bracket_json(eps_mp)},
             {"eps_m_prime_notes", bracket_json(eps_notes)}};
    json branch = json::object();
    json bounds = json::array();
    auto add = [&](const std::string& id, const rational& reference, const rational& c_lo, const rational& c_hi) {
        const truth t = decide_bound(eta, reference, c_lo, c_hi, rational(0));
        bounds.push_back({{"claim", id},
                          {"reference", reference.str()},
                          {"C", {{"lower", c_lo.str()}, {"upper", c_hi.str()}}},
                          {"rhs", {{"with_lower_eps", rational(reference - c_lo).str()}, {"with_upper_eps", rational(reference - c_hi).str()}}},
                          {"gap", rational(reference - eta).str()},
                          {"verdict", t == truth::yes ? "holds" : t == truth::no ? "fails" : "undecided"},
                          {"tightness", tightness(rational(reference - eta), c_lo, c_hi)}});
    };
    add("mbpo-4.1", eta_hat, bound_41(m, eps_m.lower(), eps_pi), bound_41(m, eps_m.upper(), eps_pi));
    for (auto r : {branch_reading::a, branch_reading::a2, branch_reading::a3, branch_reading::b}) {
        const rational eb = branched_return(m, r);
        branch[to_string(r)] = eb.str();
        const std::string suffix = std::string(":") + to_string(r);
        add("mbpo-4.2" + suffix, eb, bound_42(m, eps_m.lower(), eps_pi), bound_42(m, eps_m.upper(), eps_pi));
        add("mbpo-4.3" + suffix, eb, bound_43(m, eps_mp.lower(), eps_pi), bound_43(m, eps_mp.upper(), eps_pi));
    }
    // The notes' own eps_m' (s ~ d_t^{pi_D}, a ~ pi) with the :b branched return: claim mbpo-4.3:b-notes.
    add("mbpo-4.3:b-notes", parse_rational(branch["b"].get<std::string>()), bound_43(m, eps_notes.lower(), eps_pi),
        bound_43(m, eps_notes.upper(), eps_pi));
    out["eta_branch"] = branch;
    out["bounds"] = bounds;
    return out;
}

// The tightness table over random instances (docs/mbpo.md): per claim, min / median / max of the
// upper end of the tightness enclosure over the instances with C(hi) > 0, an unbounded upper end
// (C(lo) = 0 < C(hi), gap > 0) counted as +inf; instances with C = 0 (C(hi) = 0) counted apart.
struct TightnessColumn {
    std::vector<rational> finite;  // upper ends that are finite
    std::size_t unbounded = 0, zero_c = 0, fails = 0, undecided = 0;
    // The i-th smallest upper end, the unbounded ones last; "inf" for those.
    json at(std::size_t i) const {
        return i < finite.size() ? json(finite[i].convert_to<double>()) : json("inf");
    }
};

int run_campaign(std::size_t trials, std::uint64_t seed, bool as_json, std::size_t budget) {
    std::map<std::string, TightnessColumn> columns;
    std::vector<std::string> order;
    for (std::size_t trial = 0; trial < trials; ++trial) {
        Rng rng(trial_seed(seed, trial));
        const json r = analyse(random_mbpo(rng, GeneratorOptions{}, trial), budget);
        for (const auto& b : r["bounds"]) {
            const std::string id = b["claim"].get<std::string>();
            if (!columns.count(id)) order.push_back(id);
            auto& col = columns[id];
            if (b["verdict"] == "fails") ++col.fails;
            if (b["verdict"] == "undecided") ++col.undecided;
            const json& t = b["tightness"];
            if (t["C_zero"].get<bool>())
                ++col.zero_c;
            else if (t["upper"].is_null())
                ++col.unbounded;
            else
                col.finite.push_back(parse_rational(t["upper"].get<std::string>()));
        }
    }
    json out = json::array();
    for (const auto& id : order) {
        auto col = columns[id];
        std::sort(col.finite.begin(), col.finite.end());
        const std::size_t n = col.finite.size() + col.unbounded;
        json row{{"claim", id}, {"instances", trials}, {"C_zero", col.zero_c}, {"unbounded", col.unbounded},
                 {"fails", col.fails}, {"undecided", col.undecided}};
        if (n > 0) {
            row["min"] = col.at(0);
            row["median"] = col.at(n / 2);
            row["max"] = col.at(n - 1);
        }
        out.push_back(row);
    }
    if (as_json) {
        std::cout << json{{"seed", seed}, {"trials", trials}, {"table", out}}.dump(2) << "\n";
        return 0;
    }
    std::cout << "Tightness (reference - eta) / C over " << trials << " random instances (seed " << seed
              << "; upper end of each enclosure, +inf when C(lo) = 0 < C(hi) and gap > 0; C = 0 instances not in the ratio)\n\n";
    std::cout << "| claim | min | median | max | C = 0 | +inf | fails | undecided |\n|---|---|---|---|---|---|---|---|\n";
    for (const auto& row : out) {
        auto num = [&](const char* key) {
            if (!row.contains(key)) return std::string("-");
            if (row[key].is_string()) return row[key].get<std::string>();
            std::ostringstream o;
            o << std::setprecision(3) << row[key].get<double>();
            return o.str();
        };
        std::cout << "| " << row["claim"].get<std::string>() << " | " << num("min") << " | " << num("median") << " | "
                  << num("max") << " | " << row["C_zero"] << " | " << row["unbounded"] << " | " << row["fails"] << " | "
                  << row["undecided"] << " |\n";
    }
    return 0;
}

int run(const std::string& path, bool as_json, std::size_t budget) {
    const MbpoData data = parse_mbpo(read_json_file(path), path);
    json out = analyse(data, budget);
    out["instance"] = path;
    if (as_json) {
        std::cout << out.dump(2) << "\n";
        return 0;
    }

    const json& bounds = out["bounds"];
    const json& branch = out["eta_branch"];
    const rational eta = parse_rational(out["eta"].get<std::string>());
    auto q = [&](const json& x) { return parse_rational(x.get<std::string>()); };
    auto pad = [](const std::string& s, std::size_t w) { return s.size() >= w ? s + " " : s + std::string(w - s.size(), ' '); };
    auto eps_line = [&](const char* name, const json& b) {
        const bool exact = b["status"] == "exact";
        std::cout << pad(name, 10)
                  << (exact ? show(q(b["lower"])) + "  (exact, horizon " : "[" + show(q(b["lower"])) + ", " + show(q(b["upper"])) + "]  (bracketed, horizon ")
                  << b["horizon"] << ")\n";
    };
    std::cout << "MBPO instance " << path << ": " << data.S << " states, " << data.A << " actions, gamma = "
              << data.gamma.str() << ", r_max = " << data.r_max.str() << ", k = " << data.k << " (exact arithmetic)\n\n"
              << pad("eta", 10) << show(eta) << "   (true return of pi: sum_t gamma^t E r, not normalised)\n"
              << pad("eta_hat", 10) << show(q(out["eta_hat"])) << "   (return of pi on the model)\n";
    for (auto r : {branch_reading::a, branch_reading::a2, branch_reading::a3, branch_reading::b})
        std::cout << pad(std::string("eta^br:") + to_string(r), 10) << show(parse_rational(branch[to_string(r)].get<std::string>()))
                  << "\n";
    std::cout << pad("eps_pi", 10) << show(q(out["eps_pi"])) << "\n";
    eps_line("eps_m", out["eps_m"]);
    eps_line("eps_m'", out["eps_m_prime"]);
    eps_line("eps_m'(n)", out["eps_m_prime_notes"]);
    std::cout << "\n" << pad("claim", 17) << pad("eta", 16) << pad(">= reference - C", 22) << pad("C", 30) << pad("verdict", 10)
              << "tightness (reference - eta) / C\n";
    for (const auto& b : bounds) {
        const rational c_lo = parse_rational(b["C"]["lower"].get<std::string>()), c_hi = parse_rational(b["C"]["upper"].get<std::string>());
        const rational rhs = parse_rational(b["rhs"]["with_lower_eps"].get<std::string>());
        const std::string C = c_lo == c_hi ? show(c_lo) : "[" + show(c_lo) + ", " + show(c_hi) + "]";
        const json& t = b["tightness"];
        auto end = [](const json& x, const char* unbounded) {
            return x.is_null() ? std::string(unbounded) : show(parse_rational(x.get<std::string>()));
        };
        const std::string ratio = t["C_zero"].get<bool>() ? std::string("- (C = 0)")
                                  : t["lower"] == t["upper"] ? end(t["lower"], "-inf")
                                                             : "[" + end(t["lower"], "-inf") + ", " + end(t["upper"], "inf") + "]";
        std::cout << pad(b["claim"].get<std::string>(), 17) << pad(show(eta), 16) << pad(show(rhs), 22) << pad(C, 30)
                  << pad(b["verdict"].get<std::string>(), 10) << ratio << "\n";
    }
    std::cout << "\neps_m'(n): the notes' Theorem 4.3 wording, s ~ d_t^{pi_D}, a ~ pi (claim mbpo-4.3:b-notes; the other 4.3 claims use eps_m').\n"
                 "A bound holds when it holds with the lower end of the eps bracket, fails when it fails with the upper\n"
                 "end (C grows with eps). Tightness <= 1 iff the bound holds; values marked ~ are rounded, exact with --json.\n";
    return 0;
}

}  // namespace

Command add_mbpo_command(CLI::App& app) {
    static std::string path;
    static bool as_json = false;
    static std::size_t budget = 256, campaign = 0;
    static std::uint64_t seed = 1;
    auto* sub = app.add_subcommand("mbpo", "MBPO returns, model errors, Theorem 4.1-4.3 bounds and their tightness (exact)");
    sub->add_option("instance", path, "MBPO instance JSON file (docs/mbpo.md)");
    sub->add_option("--campaign", campaign, "instead of one instance: the tightness table over N random instances")
        ->check(CLI::Range(1, 1000000));
    sub->add_option("--seed", seed, "campaign seed (with --campaign)");
    sub->add_option("--horizon", budget, "largest T for the eps_m / eps_m' brackets (default 256)")->check(CLI::Range(0, 100000));
    sub->add_flag("--json", as_json, "machine-readable output (exact rationals)");
    return {sub, [] {
                if (campaign > 0) return run_campaign(campaign, seed, as_json, budget);
                if (path.empty()) throw std::invalid_argument("mbpo: give an INSTANCE.json file or --campaign N");
                return run(path, as_json, budget);
            }};
}

}  // namespace rmdp::cli
