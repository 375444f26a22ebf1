// rmdp: the command line. Exit status: 0 success (any verdict computed), 1 `verify` found the
// file's instance does NOT violate its claim, 2 bad input or usage, 3 internal error.
#include "../proofs_checks/registry.hpp"
#include "commands.hpp"

#include "rmdp/error.hpp"
#include "rmdp/error_bound.hpp"
#include "rmdp/evaluation.hpp"
#include "rmdp/io.hpp"
#include "rmdp/solvers.hpp"

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

std::string pad(const std::string& s, std::size_t w) { return s.size() >= w ? s : s + std::string(w - s.size(), ' '); }

int cmd_claims(bool as_json) {
    json out = json::array();
    for (const auto& c : checks::registry())
        out.push_back({{"id", c.id}, {"statement", c.statement}, {"source", c.source}, {"reading", c.reading}});
    if (as_json) {
        std::cout << out.dump(2) << "\n";
        return exit_ok;
    }
    for (const auto& c : checks::registry()) {
        std::cout << c.id << "\n  claim:   " << c.statement << "\n  source:  " << c.source << "\n  reading: " << c.reading
                  << "\n\n";
    }
    return exit_ok;
}

std::string file_name_for(const std::string& id, std::uint64_t seed) {
    std::string f;
    for (char c : id) f += (c == ':' ? '_' : c);
    return f + "-seed" + std::to_string(seed) + ".json";
}

int cmd_check(std::vector<std::string> ids, bool all, checks::CampaignOptions opt, const std::string& arith_text,
              bool as_json, const std::string& cx_dir) {
    opt.arith = parse_arith(arith_text);
    if (ids.empty() || all) {
        ids.clear();
        for (const auto& c : checks::registry()) ids.push_back(c.id);
    }
    std::vector<const checks::Claim*> claims;
    for (const auto& id : ids) {
        const checks::Claim* c = checks::find_claim(id);
        if (!c) throw input_error("", "--claim", "unknown claim id '" + id + "' (see `rmdp claims`)");
        claims.push_back(c);
    }
    json out = json::array();
    std::vector<checks::Report> reports;
    for (const auto* c : claims) {
        checks::Report r = checks::run_campaign(*c, opt);
        json j{{"claim", r.claim},       {"verdict", r.verdict}, {"instances", r.instances}, {"decided", r.decided},
               {"undecided", r.undecided}, {"vacuous", r.vacuous}, {"arith", r.arith},   {"seed", r.seed},           {"detail", r.detail}};
        if (r.counterexample) {
            std::filesystem::create_directories(cx_dir);
            const std::string path = (std::filesystem::path(cx_dir) / file_name_for(r.claim, r.seed)).string();
            std::ofstream f(path);
            f << r.counterexample->dump(2) << "\n";
            if (!f) throw input_error(path, "", "cannot write counterexample file");
            j["counterexample"] = *r.counterexample;
            j["counterexample_file"] = path;
        }
        out.push_back(j);
        reports.push_back(r);
    }
    if (as_json) {
        std::cout << out.dump(2) << "\n";
        return exit_ok;
    }
    std::cout << "rmdp proof-check campaign: " << opt.trials << " random instances per claim, seed " << opt.seed
              << ", arithmetic " << opt.arith.name() << "\n";
    std::cout << "(holds: no instance violates the claim; refuted: an exact counterexample was found and saved;\n"
                 " tight: no violation, and the undecided instances are equalities the enclosure cannot certify;\n"
                 " inconclusive: no violation found, but some instance could not be decided)\n\n";
    std::size_t w = 8;
    for (const auto& r : reports) w = std::max(w, r.claim.size() + 2);
    std::cout << pad("claim", w) << pad("verdict", 14) << pad("instances", 11) << "detail\n";
    std::cout << std::string(w + 25 + 40, '-') << "\n";
    for (const auto& r : reports) {
        std::string detail = r.detail.substr(0, r.detail.find("; saved to "));
        std::cout << pad(r.claim, w) << pad(r.verdict, 14) << pad(std::to_string(r.instances), 11) << detail << "\n";
    }
    bool any = false;
    for (const auto& j : out)
        if (j.contains("counterexample_file")) {
            if (!any) std::cout << "\nCounterexamples (exact instances; re-check each with the command shown):\n";
            any = true;
            std::cout << "  " << pad(j["claim"].get<std::string>(), w) << "rmdp verify "
                      << j["counterexample_file"].get<std::string>() << "\n";
        }
    return exit_ok;
}

int cmd_verify(const std::string& path, bool as_json) {
    const json cx = read_json_file(path);
    const checks::Claim* claim = nullptr;
    const checks::Finding f = checks::verify(cx, path, &claim);
    const bool confirmed = f.result == truth::no;
    if (as_json) {
        std::cout << json{{"claim", claim->id},
                          {"confirmed", confirmed},
                          {"arith", "exact"},
                          {"where", f.where},
                          {"lhs", f.lhs},
                          {"relation", f.relation},
                          {"rhs", f.rhs},
                          {"note", f.note}}
                         .dump(2)
                  << "\n";
    } else if (confirmed) {
        std::cout << "confirmed: the instance in " << path << " violates claim '" << claim->id << "'\n  at " << f.where
                  << ": " << f.lhs << " " << f.relation << " " << f.rhs << " is false (exact arithmetic)\n";
    } else if (f.result == truth::unknown && !f.note.empty()) {
        std::cout << "NOT confirmed: " << path << ": " << f.note << "\n";
    } else {
        std::cout << "NOT confirmed: claim '" << claim->id << "' holds on the instance in " << path << "\n";
    }
    return confirmed ? exit_ok : exit_not_confirmed;
}

}  // namespace

int run_main(int argc, char** argv) {
    CLI::App app{"rmdp: exact robust MDP computations and proof checks"};
    app.require_subcommand(1);

    std::string arith_text = "exact", cx_path, cx_dir = "rmdp-counterexamples";
    bool as_json = false, all = false;
    std::vector<std::string> ids;
    checks::CampaignOptions opt;

    auto* cl = app.add_subcommand("claims", "list the registered claims");
    cl->add_flag("--json", as_json, "machine-readable output");

    auto* ck = app.add_subcommand("check", "run proof checks on seeded random instances");
    ck->add_option("--claim", ids, "claim id (repeatable); default: all");
    ck->add_flag("--all", all, "all registered claims");
    ck->add_option("--trials", opt.trials, "random instances per claim")->check(CLI::Range(1, 100000000));
    ck->add_option("--seed", opt.seed, "campaign seed (names the same instances on every machine)");
    ck->add_option("--arith", arith_text, "exact | mpfr:BITS | interval:BITS | double | long-double");
    ck->add_option("--max-states", opt.generator.max_states, "largest |S| drawn")->check(CLI::Range(1, 200));
    ck->add_option("--max-actions", opt.generator.max_actions, "largest |A| drawn")->check(CLI::Range(1, 50));
    ck->add_option("--denominator", opt.generator.denominator, "probability weights drawn in 0..D")
        ->check(CLI::Range(1, 1000000));
    ck->add_option("--counterexample-dir", cx_dir, "where counterexample files are written");
    ck->add_flag("--json", as_json, "machine-readable output");

    auto* vf = app.add_subcommand("verify", "re-check a saved counterexample in exact arithmetic");
    vf->add_option("file", cx_path, "counterexample JSON file")->required();
    vf->add_flag("--json", as_json, "machine-readable output");

    // Commands defined in their own files (cli/commands.hpp).
    std::vector<cli::Command> more = cli::add_value_commands(app);
    for (auto c : {cli::add_gradient_command(app), cli::add_rpmd_command(app), cli::add_mbpo_command(app)}) more.push_back(c);
    cli::add_global_options(app);

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        std::cerr << "rmdp: error: " << e.what() << "\n(run 'rmdp --help' or 'rmdp COMMAND --help' for usage)\n";
        return exit_bad_input;
    }

    try {
        if (cl->parsed()) return cmd_claims(as_json);
        if (ck->parsed()) return cmd_check(ids, all, opt, arith_text, as_json, cx_dir);
        if (vf->parsed()) return cmd_verify(cx_path, as_json);
        for (const auto& c : more)
            if (c.app->parsed()) return c.run();
    } catch (const input_error& e) {
        std::cerr << "rmdp: error: " << e.what() << "\n";
        return exit_bad_input;
    } catch (const std::invalid_argument& e) {
        std::cerr << "rmdp: error: " << e.what() << "\n";
        return exit_bad_input;
    } catch (const std::filesystem::filesystem_error& e) {  // a path the user gave cannot be used
        std::cerr << "rmdp: error: " << (e.path1().empty() ? std::string("path") : e.path1().string()) << ": "
                  << e.code().message() << "\n";
        return exit_bad_input;
    } catch (const json::exception& e) {  // a JSON value of the wrong type or range in an input file
        std::cerr << "rmdp: error: input JSON: " << e.what() << "\n";
        return exit_bad_input;
    } catch (const std::exception& e) {
        std::cerr << "rmdp: internal error: " << e.what() << "\n";
        return exit_internal;
    }
    return exit_internal;
}

int main(int argc, char** argv) { return rmdp::cli::guarded_main(argc, argv, run_main); }
