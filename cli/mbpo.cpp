// rmdp mbpo INSTANCE.json [--json] [--horizon N]: returns, eps's, the bounds of Theorems 4.1-4.3
// under every reading, their verdicts and tightness, for one MBPO instance, in exact arithmetic
// (docs/mbpo.md).
#include "commands.hpp"

#include "mbpo_report.hpp"

#include <iomanip>
#include <iostream>
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

int run_campaign(std::size_t trials, std::uint64_t seed, bool as_json, std::size_t budget) {
    const json table = checks::mbpo_tightness_table(trials, seed, budget);
    if (as_json) {
        std::cout << table.dump(2) << "\n";
        return 0;
    }
    const json& out = table["table"];
    std::cout << "Tightness (reference - eta) / C over " << trials << " random instances (seed " << seed
              << "; upper end of each enclosure, +inf when C(lo) = 0 < C(hi) and gap > 0; C = 0 instances not in the ratio)\n\n";
    std::cout << "| claim | min | median | max | C = 0 | +inf | refuted | undecided |\n|---|---|---|---|---|---|---|---|\n";
    for (const auto& row : out) {
        auto num = [&](const char* key) {
            if (!row.contains(key)) return std::string("-");
            if (row[key].is_string()) return row[key].get<std::string>();
            std::ostringstream o;
            o << std::setprecision(3) << row[key].get<double>();
            return o.str();
        };
        std::cout << "| " << row["claim"].get<std::string>() << " | " << num("min") << " | " << num("median") << " | "
                  << num("max") << " | " << row["C_zero"] << " | " << row["unbounded"] << " | " << row["refuted"] << " | "
                  << row["undecided"] << " |\n";
    }
    return 0;
}

int run(const std::string& path, bool as_json, std::size_t budget) {
    const MbpoData data = parse_mbpo(read_json_file(path), path);
    json out = checks::mbpo_report(data, budget);
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
