// rmdp claims | check | verify | merge: the proof-check commands (docs/claims.md, docs/format.md).
//
//   claims [--schema ID] [--json]          the registered claims; what instance a claim needs
//   check [--claim ID ...|--all] ...        seeded campaigns, streamed row by row; -j N forked
//                                           workers; --shard I/N one slice of the trial stream
//   check --claim ID --instance FILE        decide one claim on the user's instance
//   verify FILE [--json]                    re-check a saved counterexample (exit 1: not confirmed)
//   merge SHARD.json... [--json]            combine shards into the single-run report
#include "../proofs_checks/campaign.hpp"
#include "commands.hpp"
#include "rmdp_version.hpp"

#include "rmdp/deadline.hpp"
#include "rmdp/error.hpp"

#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <memory>
#include <set>
#include <sstream>
#include <thread>

namespace rmdp::cli {

namespace {

using checks::CampaignOptions;
using checks::Claim;
using checks::Report;
using checks::TrialOutcome;

constexpr int check_format_version = 1;

std::string pad(const std::string& s, std::size_t w) { return s.size() >= w ? s : s + std::string(w - s.size(), ' '); }

const Claim& claim_or_throw(const std::string& id, const std::string& field) {
    const Claim* c = checks::find_claim(id);
    if (!c) throw std::invalid_argument(field + ": unknown claim id '" + id + "' (see `rmdp claims`)");
    return *c;
}

// ---- claims

struct ClaimsOptions {
    std::string schema;
    bool as_json = false;
};

int run_claims(const ClaimsOptions& o) {
    if (!o.schema.empty()) {
        const Claim& c = claim_or_throw(o.schema, "--schema");
        const json s = checks::instance_schema(c);
        if (o.as_json) {
            std::cout << json{{"format", "rmdp-schema"}, {"format_version", 1}, {"schema", s}}.dump(2) << "\n";
            return 0;
        }
        std::cout << "Instance for claim '" << c.id << "' (rmdp check --claim " << c.id << " --instance FILE)\n"
                  << "  claim:  " << c.statement << "\n\n"
                  << "  FILE: {\"mdp\": ..., \"policies\": {...}, \"extra\": {...}} (docs/format.md), or a whole counterexample file\n"
                  << "  mdp:          " << s.at("mdp").get<std::string>();
        if (s.at("mdp") != "absent") {
            std::string kinds;
            for (const auto& k : s.at("uncertainty")) kinds += (kinds.empty() ? "" : ", ") + k.get<std::string>();
            std::cout << " (the generator draws uncertainty: " << kinds << ")";
        }
        std::cout << "\n  policies:     ";
        if (s.at("policies").empty()) std::cout << "none";
        for (auto it = s.at("policies").begin(); it != s.at("policies").end(); ++it)
            std::cout << (it == s.at("policies").begin() ? "" : ", ") << it.key() << " (" << it.value().get<std::string>() << ")";
        std::cout << "\n  extra fields: ";
        if (s.at("extra").empty()) std::cout << "none";
        for (auto it = s.at("extra").begin(); it != s.at("extra").end(); ++it)
            std::cout << (it == s.at("extra").begin() ? "" : ", ") << it.key() << " (" << it.value().at("type").get<std::string>()
                      << ", " << it.value().at("need").get<std::string>()
                      << (it.value().contains("default") ? ", default " + it.value().at("default").get<std::string>() : "") << ")";
        std::cout << "\n  notes:        " << s.at("notes").get<std::string>()
                  << "\n\nAn example instance (trial 0 of seed 1) is in `rmdp claims --schema " << c.id << " --json` (\"example\").\n";
        return 0;
    }
    json out = json::array();
    for (const auto& c : checks::registry())
        out.push_back({{"id", c.id}, {"statement", c.statement}, {"source", c.source}, {"reading", c.reading}});
    if (o.as_json) {
        std::cout << out.dump(2) << "\n";
        return 0;
    }
    for (const auto& c : checks::registry())
        std::cout << c.id << "\n  claim:   " << c.statement << "\n  source:  " << c.source << "\n  reading: " << c.reading
                  << "\n\n";
    std::cout << "What instance a claim needs: rmdp claims --schema ID\n";
    return 0;
}

// ---- check

struct CheckOptions {
    std::vector<std::string> ids;
    bool all = false, as_json = false;
    std::size_t trials = 200;
    std::string seed = "1", arith = "exact", cx_dir = "rmdp-counterexamples", instance, shard;
    unsigned jobs = 0;  // 0: every core
    int digits = 12;
    GeneratorOptions generator;
    std::vector<std::string> campaign_only;  // campaign options given on the command line
};

std::uint64_t parse_seed(const std::string& text) {
    std::uint64_t v = 0;
    const char* end = text.data() + text.size();
    const auto [p, ec] = std::from_chars(text.data(), end, v);
    if (text.empty() || ec != std::errc() || p != end)
        throw std::invalid_argument("--seed: expected an integer in 0..18446744073709551615, got '" + text + "'");
    return v;
}

std::pair<std::size_t, std::size_t> parse_shard(const std::string& text) {
    const auto slash = text.find('/');
    auto num = [&](const std::string& s) {
        std::size_t v = 0;
        const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
        if (s.empty() || ec != std::errc() || p != s.data() + s.size()) return std::size_t(0);
        return v;
    };
    const std::size_t i = slash == std::string::npos ? 0 : num(text.substr(0, slash));
    const std::size_t n = slash == std::string::npos ? 0 : num(text.substr(slash + 1));
    if (i < 1 || n < 1 || i > n || n > 1000000)
        throw std::invalid_argument("--shard: expected I/N with 1 <= I <= N (e.g. 2/8), got '" + text + "'");
    return {i, n};
}

json settings_json(const CampaignOptions& opt) {
    json j{{"format", "rmdp-check"},
           {"format_version", check_format_version},
           {"rmdp_version", RMDP_VERSION},
           {"git_revision", RMDP_GIT_REVISION},
           {"seed", opt.seed},
           {"trials", opt.trials},
           {"arith", opt.arith.name()},
           {"generator", checks::generator_json(opt.generator)}};
    // The precision actually used: Boost 1.74 sets MPFR/MPFI precision in whole decimal digits, so
    // mpfr:B computes at the smallest such precision >= B bits (docs/arithmetic.md).
    if (opt.arith.type == Arith::kind::mpfr || opt.arith.type == Arith::kind::interval)
        j["precision_bits"] = scoped_precision(opt.arith.bits).bits();
    return j;
}

// Written to a temporary name and renamed, so an interrupted run never leaves half a file.
std::string write_counterexample(const std::string& dir, const std::string& name, const json& cx) {
    std::filesystem::create_directories(dir);
    const std::string path = (std::filesystem::path(dir) / name).string();
    const std::string tmp = path + ".tmp" + std::to_string(::getpid());
    {
        std::ofstream f(tmp);
        f << cx.dump(2) << "\n";
        if (!f) throw input_error(path, "", "cannot write counterexample file");
    }
    std::filesystem::rename(tmp, path);
    return path;
}

// ": ordering 60, claim inequality 83" (why instances went to the exact fallback), or "".
std::string reasons(const json& row) {
    if (!row.contains("exact_rerun_reasons")) return "";
    std::string out;
    for (auto it = row.at("exact_rerun_reasons").begin(); it != row.at("exact_rerun_reasons").end(); ++it)
        out += (out.empty() ? ": " : ", ") + it.key() + " " + std::to_string(it.value().get<std::size_t>());
    return out;
}

// The streamed text table.
struct Table {
    static constexpr std::size_t verdict_width = 30;  // "not supported in long-double" and a gap
    std::size_t w = 8;
    int digits = 12;
    explicit Table(const std::vector<const Claim*>& claims, int d) : digits(d) {
        for (const auto* c : claims) w = std::max(w, c->id.size() + 2);
    }
    void header(const CampaignOptions& opt, const std::string& how) const {
        std::cout << "rmdp proof-check campaign: " << opt.trials << " random instances per claim, seed " << opt.seed
                  << ", arithmetic " << opt.arith.name() << how << "\n"
                  << "(holds: no instance violates the claim; refuted: an exact counterexample was found and saved;\n"
                     " tight: no violation, and the undecided instances are equalities the enclosure cannot certify;\n"
                     " inconclusive: no violation found, but some instance could not be decided;\n"
                     " not supported in ARITH: the check has no version in that arithmetic, nothing was decided)\n"
                  << "(numbers are rounded to " << digits << " digits, ~ marks a rounded value; exact values: --json and the files)\n\n"
                  << pad("claim", w) << pad("verdict", verdict_width) << pad("instances", 11) << "detail\n"
                  << std::string(w + verdict_width + 11 + 40, '-') << std::endl;
    }
    void row(const json& r) const {
        std::cout << pad(r.at("claim").get<std::string>(), w) << pad(r.at("verdict").get<std::string>(), verdict_width)
                  << pad(std::to_string(r.at("instances").get<std::size_t>()), 11) << r.at("detail").get<std::string>() << "\n";
        if (r.contains("enclosure_decisions") &&  // interval rows: how the filtered decisions were made
            r.at("enclosure_decisions").get<std::size_t>() + r.at("exact_fallbacks").get<std::size_t>() > 0)
            std::cout << pad("", w) << "decisions: " << r.at("enclosure_decisions").get<std::size_t>()
                      << " by the enclosures, " << r.at("exact_fallbacks").get<std::size_t>()
                      << " needed the exact fallback (" << r.at("exact_reruns").get<std::size_t>()
                      << " instances rerun in exact arithmetic" << reasons(r) << ")\n";
        if (r.contains("counterexample_file"))
            std::cout << pad("", w) << "re-check: rmdp verify " << r.at("counterexample_file").get<std::string>() << "\n";
        std::cout << std::flush;
    }
};

// A progress line on stderr, only when stderr is a terminal; redrawn at most 10 times a second.
struct Progress {
    bool on = ::isatty(STDERR_FILENO) == 1;
    std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now(), last{};
    void show(const std::string& claim, std::size_t k, std::size_t K, std::size_t done, std::size_t total) {
        if (!on) return;
        const auto now = std::chrono::steady_clock::now();
        if (done < total && now - last < std::chrono::milliseconds(100)) return;
        last = now;
        const double s = std::chrono::duration<double>(now - start).count();
        std::fprintf(stderr, "\r\033[K[%zu/%zu] %s: %zu/%zu instances, %.1f s", k, K, claim.c_str(), done, total, s);
        std::fflush(stderr);
    }
    void clear() const {
        if (!on) return;
        std::fputs("\r\033[K", stderr);
        std::fflush(stderr);
    }
};

json row_with_file(const Report& r, const CampaignOptions& opt, const std::string& cx_dir) {
    json row = checks::to_json(r);
    if (r.counterexample)
        row["counterexample_file"] =
            write_counterexample(cx_dir, checks::counterexample_file_name(r.claim, opt, r.counterexample_trial), *r.counterexample);
    return row;
}

int run_instance(const CheckOptions& o, const CampaignOptions& opt) {
    if (o.all) throw std::invalid_argument("--all cannot be combined with --instance (an instance is checked against one --claim)");
    if (o.ids.size() != 1) throw std::invalid_argument("--instance needs exactly one --claim ID");
    if (!o.campaign_only.empty())
        throw std::invalid_argument(o.campaign_only.front() + " does not apply to --instance (it sets up random instances; "
                                    "--instance decides the claim on the one instance given)");
    const Claim& claim = claim_or_throw(o.ids[0], "--claim");
    const json file = read_json_file(o.instance);
    const json* ij = &file;
    std::string prefix;
    if (file.is_object() && (file.contains("format") || file.contains("instance"))) {
        if (file.value("format", "") != "rmdp-counterexample" || !file.contains("instance"))
            throw input_error(o.instance, "instance",
                              "missing (expected an instance object {\"mdp\": ..., \"policies\": ..., \"extra\": ...} or a "
                              "counterexample file with \"format\": \"rmdp-counterexample\")");
        ij = &file.at("instance");
    }
    if (ij->is_object())
        for (auto it = ij->begin(); it != ij->end(); ++it)
            if (it.key() != "mdp" && it.key() != "policies" && it.key() != "extra" && it.key() != "comment")
                throw input_error(o.instance, "instance." + it.key(), "unknown field (an instance has mdp, policies, extra, comment)");
    json row;
    try {
        const checks::Instance inst = checks::instance_from_json(*ij, o.instance);
        row = checks::check_instance(claim, inst, opt.arith);
    } catch (const input_error& e) {
        if (!e.file().empty()) throw;
        throw input_error(o.instance, e.field(), e.problem());
    }
    if (o.as_json) {
        json out{{"format", "rmdp-check-instance"}, {"format_version", check_format_version}, {"rmdp_version", RMDP_VERSION},
                 {"git_revision", RMDP_GIT_REVISION}, {"instance_file", o.instance}};
        out.update(row);
        std::cout << out.dump(2) << "\n";
        return 0;
    }
    auto num = [&](const char* k) { return checks::short_number(row.at(k).get<std::string>(), o.digits); };
    std::cout << "claim '" << claim.id << "' on " << o.instance << " (arithmetic " << opt.arith.name()
              << "): " << row.at("verdict").get<std::string>() << "\n  " << claim.statement << "\n  " << row.at("detail").get<std::string>()
              << "\n";
    if (row.contains("where")) {
        const std::string which = row.at("comparison").get<std::string>();
        std::cout << "  " << (which == "violation"     ? "violation"
                              : which == "least slack" ? "comparison with the least slack"
                              : which == "undecided"   ? "first undecided comparison"
                                                       : "the comparison the check decided")
                  << " at " << row.at("where").get<std::string>() << ":\n    lhs = " << num("lhs") << "\n    "
                  << row.at("relation").get<std::string>() << "\n    rhs = " << num("rhs") << "\n";
        if (row.contains("slack")) std::cout << "    slack " << num("slack") << "\n";
        std::cout << "  (values rounded to " << o.digits << " digits; exact values with --json)\n";
    }
    return 0;
}

int run_check(CheckOptions o) {
    CampaignOptions opt;
    opt.arith = parse_arith(o.arith);
    opt.generator = checks::generator_for(o.generator, opt.arith);  // as the campaign draws (settings JSON)
    if (!o.instance.empty()) return run_instance(o, opt);
    if (o.all && !o.ids.empty()) throw std::invalid_argument("--all cannot be combined with --claim (--all runs every claim)");
    opt.seed = parse_seed(o.seed);
    opt.trials = o.trials;
    const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    const unsigned jobs = o.jobs == 0 ? cores : o.jobs;
    std::optional<std::pair<std::size_t, std::size_t>> shard;
    if (!o.shard.empty()) shard = parse_shard(o.shard);
    std::vector<const Claim*> claims;
    if (o.ids.empty())
        for (const auto& c : checks::registry()) claims.push_back(&c);
    for (const auto& id : o.ids) claims.push_back(&claim_or_throw(id, "--claim"));
    const checks::TrialSlice trials =
        shard ? checks::shard_trials(opt.trials, shard->first, shard->second) : checks::TrialSlice{0, 1, opt.trials};

    const bool as_json = o.as_json || shard.has_value();  // a shard is for `rmdp merge`: always JSON
    const auto start = std::chrono::steady_clock::now();
    json out = settings_json(opt);
    const Table table(claims, o.digits);
    if (!as_json)
        table.header(opt, ", " + std::to_string(jobs) + (jobs == 1 ? " process" : " worker processes"));
    Progress progress;
    if (progress.on) set_progress_reporter({});  // the campaign's own progress line replaces the generic one
    json rows = json::array();
    for (std::size_t k = 0; k < claims.size(); ++k) {
        const Claim& c = *claims[k];
        const auto claim_start = std::chrono::steady_clock::now();
        const auto outcomes = checks::run_trials(c, opt, trials, jobs, [&](std::size_t done, std::size_t total) {
            progress.show(c.id, k + 1, claims.size(), done, total);
        });
        progress.clear();
        json row = row_with_file(checks::summarize(c, opt, outcomes), opt, o.cx_dir);
        // Timing (wall seconds of this claim's trials): instances / elapsed_seconds is the claim's rate.
        row["elapsed_seconds"] = std::chrono::duration<double>(std::chrono::steady_clock::now() - claim_start).count();
        if (shard) {
            json t = json::array();
            for (const auto& oc : outcomes) t.push_back(checks::to_json(oc));
            row["trial_outcomes"] = t;
        }
        if (!as_json) table.row(row);
        rows.push_back(std::move(row));
    }
    out["elapsed_seconds"] = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (shard) out["shard"] = {{"index", shard->first}, {"count", shard->second}};
    out["rows"] = rows;
    if (as_json) std::cout << out.dump(2) << "\n";
    return 0;
}

// ---- merge

struct MergeOptions {
    std::vector<std::string> files;
    std::string cx_dir = "rmdp-counterexamples";
    bool as_json = false;
    int digits = 12;
};

int run_merge(const MergeOptions& o) {
    std::vector<json> shards;
    for (const auto& f : o.files) {
        json j = read_json_file(f);
        if (!j.is_object() || j.value("format", "") != "rmdp-check")
            throw input_error(f, "format", "not an `rmdp check --shard` output (expected \"format\": \"rmdp-check\")");
        if (!j.contains("format_version") || j.at("format_version") != check_format_version)
            throw input_error(f, "format_version", "expected " + std::to_string(check_format_version));
        if (!j.contains("shard") || !j.at("shard").is_object())
            throw input_error(f, "shard", "missing (merge reads the outputs of `rmdp check --shard I/N`)");
        for (const char* k : {"rows", "seed", "trials", "arith", "generator"})
            if (!j.contains(k)) throw input_error(f, k, "missing");
        shards.push_back(std::move(j));
    }
    const json& first = shards.front();
    const std::size_t N = first.at("shard").at("count").get<std::size_t>();
    std::vector<std::string> seen(N + 1);
    for (std::size_t i = 0; i < shards.size(); ++i) {
        const json& s = shards[i];
        for (const char* k : {"seed", "trials", "arith", "generator", "format_version"})
            if (s.at(k) != first.at(k))
                throw input_error(o.files[i], k, "differs from " + o.files[0] + " (shards of one campaign share every setting)");
        if (s.at("shard").at("count") != N) throw input_error(o.files[i], "shard.count", "differs from " + o.files[0]);
        const std::size_t I = s.at("shard").at("index").get<std::size_t>();
        if (I < 1 || I > N) throw input_error(o.files[i], "shard.index", "out of range 1.." + std::to_string(N));
        if (!seen[I].empty()) throw input_error(o.files[i], "shard.index", "shard " + std::to_string(I) + " given twice (also " + seen[I] + ")");
        seen[I] = o.files[i];
        if (s.at("rows").size() != first.at("rows").size())
            throw input_error(o.files[i], "rows", "a different list of claims than " + o.files[0]);
    }
    for (std::size_t I = 1; I <= N; ++I)
        if (seen[I].empty()) throw std::invalid_argument("merge: shard " + std::to_string(I) + "/" + std::to_string(N) + " is missing");

    CampaignOptions opt;
    opt.seed = first.at("seed").get<std::uint64_t>();
    opt.trials = first.at("trials").get<std::size_t>();
    opt.arith = parse_arith(first.at("arith").get<std::string>());
    opt.generator = checks::generator_from_json(first.at("generator"));

    json out = settings_json(opt);
    std::vector<const Claim*> claims;
    for (const auto& r : first.at("rows")) claims.push_back(&claim_or_throw(r.at("claim").get<std::string>(), "rows.claim"));
    const Table table(claims, o.digits);
    if (!o.as_json) table.header(opt, ", merged from " + std::to_string(N) + " shards");
    json rows = json::array();
    for (std::size_t k = 0; k < claims.size(); ++k) {
        std::vector<TrialOutcome> all;
        double claim_seconds = 0;  // summed over the shards (they may have run in parallel)
        for (std::size_t i = 0; i < shards.size(); ++i) {
            const json& row = shards[i].at("rows")[k];
            if (row.contains("elapsed_seconds") && row.at("elapsed_seconds").is_number()) claim_seconds += row.at("elapsed_seconds").get<double>();
            if (row.at("claim") != claims[k]->id) throw input_error(o.files[i], "rows[" + std::to_string(k) + "].claim", "differs from " + o.files[0]);
            if (!row.contains("trial_outcomes")) throw input_error(o.files[i], "rows[" + std::to_string(k) + "].trial_outcomes", "missing");
            const json& t = row.at("trial_outcomes");
            for (std::size_t n = 0; n < t.size(); ++n)
                all.push_back(checks::outcome_from_json(t[n], o.files[i], "rows[" + std::to_string(k) + "].trial_outcomes[" + std::to_string(n) + "]"));
        }
        std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.trial < b.trial; });
        // The fold needs trials 0, 1, ... up to the first refuted one (or all of them), each once.
        std::vector<TrialOutcome> prefix;
        for (std::size_t n = 0; n < all.size() && all[n].trial == prefix.size(); ++n) {
            prefix.push_back(all[n]);
            if (all[n].result == TrialOutcome::kind::refuted) break;
        }
        const bool complete = prefix.size() == opt.trials ||
                              (!prefix.empty() && prefix.back().result == TrialOutcome::kind::refuted);
        if (!complete)
            throw std::invalid_argument("merge: claim '" + claims[k]->id + "': trial " + std::to_string(prefix.size()) +
                                        " is in no shard (or twice), so the merged campaign is incomplete");
        json row = row_with_file(checks::summarize(*claims[k], opt, prefix), opt, o.cx_dir);
        row["elapsed_seconds"] = claim_seconds;
        if (!o.as_json) table.row(row);
        rows.push_back(std::move(row));
    }
    double elapsed = 0;
    for (const auto& s : shards) elapsed += s.value("elapsed_seconds", 0.0);
    out["elapsed_seconds"] = elapsed;
    out["merged_shards"] = N;
    out["rows"] = rows;
    if (o.as_json) std::cout << out.dump(2) << "\n";
    return 0;
}

// ---- verify

struct VerifyOptions {
    std::string file;
    bool as_json = false;
};

int run_verify(const VerifyOptions& o) {
    const json cx = read_json_file(o.file);
    const Claim* claim = nullptr;
    const checks::Finding f = checks::verify(cx, o.file, &claim);
    const bool confirmed = f.result == truth::no;
    const Arith in = checks::confirmation_arith(checks::instance_from_json(cx.at("instance"), o.file));
    const std::string verdict = confirmed ? "refuted" : f.result == truth::yes ? (f.comparisons == 0 ? "vacuous" : "holds") : "undecided";
    if (o.as_json) {
        std::cout << json{{"format", "rmdp-verify"},
                          {"format_version", 1},
                          {"claim", claim->id},
                          {"confirmed", confirmed},
                          {"verdict", verdict},
                          {"arith", in.name()},
                          {"where", f.where},
                          {"lhs", f.lhs},
                          {"relation", f.relation},
                          {"rhs", f.rhs},
                          {"note", f.note}}
                         .dump(2)
                  << "\n";
    } else if (confirmed) {
        std::cout << "confirmed: the instance in " << o.file << " violates claim '" << claim->id << "'\n  at " << f.where
                  << ": " << checks::short_number(f.lhs) << " " << f.relation << " " << checks::short_number(f.rhs)
                  << " is false ("
                  << (in.type == Arith::kind::exact ? std::string("exact arithmetic; exact values with --json")
                                                    : "certified in " + in.name() + "; the enclosures' ends with --json")
                  << ")\n";
    } else if (verdict == "holds") {
        std::cout << "NOT confirmed: claim '" << claim->id << "' HOLDS on the instance in " << o.file
                  << " (decided in " << (in.type == Arith::kind::exact ? std::string("exact arithmetic") : "certified " + in.name()) << ", " << f.comparisons << " comparison" << (f.comparisons == 1 ? "" : "s")
                  << "): the file is not a counterexample\n";
    } else if (verdict == "vacuous") {
        std::cout << "NOT confirmed: the instance in " << o.file << " is vacuous for claim '" << claim->id
                  << "' (nothing to compare): the file is not a counterexample\n";
    } else if (!f.note.empty()) {
        std::cout << "NOT confirmed: " << o.file << ": " << f.note << "\n";
    } else {
        std::cout << "NOT confirmed: claim '" << claim->id << "' could not be decided on the instance in " << o.file << "\n";
    }
    return confirmed ? 0 : 1;
}

}  // namespace

std::vector<Command> add_check_commands(CLI::App& app) {
    std::vector<Command> out;

    auto co = std::make_shared<ClaimsOptions>();
    auto* cl = app.add_subcommand("claims", "list the registered claims; --schema ID: what instance a claim needs");
    cl->add_option("--schema", co->schema, "claim id: the instance format `check --instance` needs for it");
    cl->add_flag("--json", co->as_json, "machine-readable output");
    out.push_back({cl, [co] { return run_claims(*co); }});

    auto ko = std::make_shared<CheckOptions>();
    auto* ck = app.add_subcommand("check", "run proof checks on seeded random instances, or on your own (--instance)");
    ck->add_option("--claim", ko->ids, "claim id (repeatable); default: all");
    ck->add_flag("--all", ko->all, "all registered claims (not with --claim)");
    ck->add_option("--instance", ko->instance, "decide --claim on this instance (an instance object or a counterexample file)");
    ck->add_option("--trials", ko->trials, "random instances per claim")->check(CLI::Range(1, 100000000));
    ck->add_option("--seed", ko->seed, "campaign seed, 0..2^64-1 (names the same instances on every machine)");
    ck->add_option("--arith", ko->arith, "exact | mpfr:BITS | interval:BITS | double | long-double");
    ck->add_option("-j,--jobs", ko->jobs, "worker processes (default: every core); results identical for every N")
        ->check(CLI::Range(1, 1024));
    ck->add_option("--shard", ko->shard, "I/N: run the I-th of N disjoint slices of the trials (JSON for `rmdp merge`)");
    ck->add_option("--max-states", ko->generator.max_states, "largest |S| drawn")->check(CLI::Range(1, 200));
    ck->add_option("--max-actions", ko->generator.max_actions, "largest |A| drawn")->check(CLI::Range(1, 50));
    ck->add_option("--denominator", ko->generator.denominator, "probability weights drawn in 0..D")->check(CLI::Range(1, 1000000));
    ck->add_option("--generator-version", ko->generator.version,
                   "generator version (1: the uncertainty sets of rmdp 0.1; 2: adds the newer set kinds; default " +
                       std::to_string(current_generator_version) + ")")
        ->check(CLI::Range(1u, current_generator_version));
    ck->add_flag("--exact-sets-only", ko->generator.exact_sets_only,
                 "draw no kl sets in a non-exact campaign (then interval campaigns draw the exact campaign's instances)");
    ck->add_option("--counterexample-dir", ko->cx_dir, "where counterexample files are written");
    ck->add_option("--digits", ko->digits, "significant digits of numbers in text output (default 12)")->check(CLI::Range(3, 60));
    ck->add_flag("--json", ko->as_json, "machine-readable output (one object when the run ends)");
    out.push_back({ck, [ko, ck] {
                       for (const char* name : {"--shard", "--trials", "--seed", "--jobs", "--max-states", "--max-actions",
                                                "--denominator", "--generator-version", "--exact-sets-only", "--counterexample-dir"})
                           if (ck->count(name) > 0) ko->campaign_only.push_back(name);
                       return run_check(*ko);
                   }});

    auto vo = std::make_shared<VerifyOptions>();
    auto* vf = app.add_subcommand("verify", "re-check a saved counterexample in exact arithmetic, or certified intervals for kl sets (exit 1: not confirmed)");
    vf->add_option("file", vo->file, "counterexample JSON file")->required();
    vf->add_flag("--json", vo->as_json, "machine-readable output");
    out.push_back({vf, [vo] { return run_verify(*vo); }});

    auto mo = std::make_shared<MergeOptions>();
    auto* mg = app.add_subcommand("merge", "combine `rmdp check --shard I/N` outputs into the report of a single run");
    mg->add_option("files", mo->files, "the N shard JSON files")->required();
    mg->add_option("--counterexample-dir", mo->cx_dir, "where the first counterexample of each claim is written");
    mg->add_option("--digits", mo->digits, "significant digits of numbers in text output (default 12)")->check(CLI::Range(3, 60));
    mg->add_flag("--json", mo->as_json, "machine-readable output");
    out.push_back({mg, [mo] { return run_merge(*mo); }});
    return out;
}

}  // namespace rmdp::cli
