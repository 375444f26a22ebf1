#include "campaign.hpp"

#include "rmdp/deadline.hpp"
#include "rmdp/error.hpp"

#include <mpfr.h>

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <regex>
#include <map>
#include <sstream>
#include <stdexcept>

namespace rmdp::checks {

json generator_json(const GeneratorOptions& g) {
    json j{{"max_states", g.max_states}, {"max_actions", g.max_actions}, {"denominator", g.denominator}, {"version", g.version}};
    if (g.transcendental_sets) j["transcendental_sets"] = true;  // kl sets drawn (non-exact campaigns)
    if (g.exact_sets_only) j["exact_sets_only"] = true;          // --exact-sets-only
    return j;
}

GeneratorOptions generator_from_json(const json& j) {
    GeneratorOptions g;
    g.max_states = j.at("max_states").get<std::size_t>();
    g.max_actions = j.at("max_actions").get<std::size_t>();
    g.denominator = j.at("denominator").get<std::int64_t>();
    g.version = j.contains("version") ? j.at("version").get<unsigned>() : 1;
    g.transcendental_sets = j.contains("transcendental_sets") && j.at("transcendental_sets").get<bool>();
    g.exact_sets_only = j.contains("exact_sets_only") && j.at("exact_sets_only").get<bool>();
    return g;
}

namespace {

json counterexample_json(const Claim& claim, const CampaignOptions& opt, std::size_t trial, const Instance& inst,
                         const Finding& f, const Arith& confirmed_in) {
    const json gen = generator_json(generator_for(opt.generator, opt.arith));
    return json{{"format", "rmdp-counterexample"},
                {"version", 1},
                {"claim", claim.id},
                {"statement", claim.statement},
                {"reading", claim.reading},
                {"found_with", {{"arith", opt.arith.name()}, {"seed", opt.seed}, {"trial", trial}, {"generator", gen}}},
                {"instance", to_json(inst)},
                {"violation",
                 {{"arith", confirmed_in.name()}, {"where", f.where}, {"lhs", f.lhs}, {"relation", f.relation}, {"rhs", f.rhs}}}};
}

const char* kind_name(TrialOutcome::kind k) {
    switch (k) {
        case TrialOutcome::kind::holds: return "holds";
        case TrialOutcome::kind::vacuous: return "vacuous";
        case TrialOutcome::kind::undecided: return "undecided";
        case TrialOutcome::kind::false_alarm: return "false_alarm";
        case TrialOutcome::kind::refuted: return "refuted";
        case TrialOutcome::kind::unsupported: return "unsupported";
    }
    return "?";
}

std::string rounded(const rational& q, int digits, mpfr_rnd_t rnd) {
    mpfr_t t;
    mpfr_init2(t, 64);
    mpfr_set_q(t, q.backend().data(), rnd);
    char buf[64];
    const char* fmt = rnd == MPFR_RNDD ? "%.*RDg" : rnd == MPFR_RNDU ? "%.*RUg" : "%.*RNg";
    mpfr_snprintf(buf, sizeof buf, fmt, digits, t);
    mpfr_clear(t);
    return buf;
}

}  // namespace

const char* outcome_word(TrialOutcome::kind k) { return kind_name(k); }

std::string short_number(const std::string& text, int digits) {
    if (text.size() <= static_cast<std::size_t>(digits) + 6) return text;
    try {
        if (text.size() > 2 && text.front() == '[' && text.back() == ']') {
            const std::size_t comma = text.find(',');
            if (comma == std::string::npos) return text;
            const rational lo = parse_rational(text.substr(1, comma - 1));
            const rational hi = parse_rational(text.substr(comma + 1, text.size() - comma - 2));
            return "[" + rounded(lo, digits, MPFR_RNDD) + "," + rounded(hi, digits, MPFR_RNDU) + "]";
        }
        return "~" + rounded(parse_rational(text), digits, MPFR_RNDN);
    } catch (const std::exception&) {
        return text;
    }
}

std::string short_numbers_in(const std::string& text, int digits) {
    static const std::regex number(R"(-?[0-9]+(/[0-9]+|\.[0-9]+([eE][-+]?[0-9]+)?)?)");
    std::string out;
    std::size_t last = 0;
    for (auto it = std::sregex_iterator(text.begin(), text.end(), number); it != std::sregex_iterator(); ++it) {
        out += text.substr(last, static_cast<std::size_t>(it->position()) - last);
        out += short_number(it->str(), digits);
        last = static_cast<std::size_t>(it->position() + it->length());
    }
    return out + text.substr(last);
}

std::string counterexample_file_name(const std::string& claim, const CampaignOptions& opt, std::size_t trial) {
    std::string f;
    for (char c : claim) f += (c == ':' || c == '/') ? '_' : c;
    std::string a;
    for (char c : opt.arith.name()) if (c != ':') a += c;
    return f + "." + a + ".g" + std::to_string(opt.generator.max_states) + "-" + std::to_string(opt.generator.max_actions) +
           "-" + std::to_string(opt.generator.denominator) + ".seed" + std::to_string(opt.seed) + ".trial" +
           std::to_string(trial) + ".json";
}

GeneratorOptions generator_for(GeneratorOptions g, const Arith& arith) {
    // Every arithmetic that computes with exp/log: interval campaigns certify kl worst cases and
    // their maximisers (sets/kl.hpp). kl sets come from a fork of their own (random.cpp), so every
    // trial without one is the exact campaign's instance: the two compare trial by trial there.
    g.transcendental_sets = arith.type != Arith::kind::exact && !g.exact_sets_only;
    return g;
}

Arith confirmation_arith(const Instance& inst) {
    if (inst.mdp.uncertainty.traits().exact) return Arith{};
    return Arith{Arith::kind::interval, 256};
}

namespace {
Finding decide_instance_unguarded(const Claim& claim, const Instance& inst, const Arith& arith, FilterCounts& counts,
                                  bool& exact, std::string* reason);
}  // namespace

Finding decide_instance(const Claim& claim, const Instance& inst, const Arith& arith, FilterCounts& counts, bool& exact,
                        std::string* reason) {
    // No guard for kl sets: in MPFI their worst cases enclose the value AND the maximiser (the unique
    // one, the canonical q_M at a certified exact tie, or the box [0,1] on supp q), so the worst-case
    // kernels, and every quantity computed through them, enclose the exact ones, and a violation
    // the enclosures prove is certified (docs/robust.md, "KL balls"). Float "no"s are confirmed in
    // interval:256 by the callers (confirmation_arith).
    return decide_instance_unguarded(claim, inst, arith, counts, exact, reason);
}

namespace {
Finding decide_instance_unguarded(const Claim& claim, const Instance& inst, const Arith& arith, FilterCounts& counts,
                                  bool& exact, std::string* reason) {
    exact = arith.type == Arith::kind::exact;
    counts = {};
    if (arith.type != Arith::kind::interval) return claim.check(inst, arith);
    const FilterCounts before = filter_counts();
    auto record = [&] {
        counts.enclosure = filter_counts().enclosure - before.enclosure;
        counts.fallback = filter_counts().fallback - before.fallback;
    };
    try {
        Finding f = claim.check(inst, arith);
        record();
        return f;
    } catch (const undecided_comparison& e) {
        // The enclosures could not decide an ordering or an inequality: the data are exact, so the
        // instance is decided in exact rationals instead (CGAL's filtered predicates).
        record();
        if (reason) *reason = e.what;
        if (!inst.mdp.uncertainty.traits().exact) {
            // No exact worst case to fall back on (kl): the instance stays undecided.
            Finding f;
            f.result = truth::unknown;
            f.note = std::string("the enclosures cannot decide (") + e.what + ") and " + inst.mdp.uncertainty.kind() +
                     " sets have no exact worst case to fall back on";
            return f;
        }
    }
    exact = true;
    return claim.check(inst, Arith{});
}
}  // namespace

TrialOutcome run_trial(const Claim& claim, const CampaignOptions& opt, std::size_t trial) {
    TrialOutcome o;
    o.trial = trial;
    Rng rng(trial_seed(opt.seed, trial));
    const Instance inst = claim.draw(rng, generator_for(opt.generator, opt.arith), trial);
    FilterCounts counts;
    bool exact = false;
    const Finding f = decide_instance(claim, inst, opt.arith, counts, exact, &o.rerun_reason);
    o.enclosure_decisions = counts.enclosure;
    o.exact_fallbacks = counts.fallback;
    o.exact_rerun = exact && opt.arith.type != Arith::kind::exact;
    if (f.unsupported) {
        o.result = TrialOutcome::kind::unsupported;
        o.note = f.note;
    } else if (f.result == truth::no) {
        // A refutation is always a certified statement about an exact instance: re-checked in exact
        // arithmetic, or, for sets with transcendental worst cases (kl), in certified intervals.
        const Arith confirm = confirmation_arith(inst);
        const Finding fe = exact ? f : confirm.type == Arith::kind::exact ? claim.check(inst, confirm)
                                                                          : decide_instance(claim, inst, confirm, counts, exact, nullptr);
        if (fe.result == truth::no) {
            o.result = TrialOutcome::kind::refuted;
            o.counterexample = counterexample_json(claim, opt, trial, inst, fe, confirm);
        } else if (fe.result == truth::unknown) {
            o.result = TrialOutcome::kind::undecided;
            o.tight = fe.tight;
            o.note = "violated in " + opt.arith.name() + ", not decided by the certified re-check in " + confirm.name() +
                     (fe.note.empty() ? std::string() : ": " + fe.note);
            o.width = fe.width;
        } else {
            o.result = TrialOutcome::kind::false_alarm;
        }
    } else if (f.result == truth::unknown) {
        o.result = TrialOutcome::kind::undecided;
        o.tight = f.tight;
        o.note = f.note;
        o.width = f.width;
    } else {
        o.result = f.comparisons == 0 ? TrialOutcome::kind::vacuous : TrialOutcome::kind::holds;
    }
    return o;
}

Report summarize(const Claim& claim, const CampaignOptions& opt, const std::vector<TrialOutcome>& outcomes) {
    Report r;
    r.claim = claim.id;
    r.arith = opt.arith.name();
    r.seed = opt.seed;
    std::size_t false_alarms = 0, tight = 0, unsupported = 0;
    std::string note, width, unsupported_note;
    for (const TrialOutcome& o : outcomes) {
        ++r.instances;
        r.enclosure_decisions += o.enclosure_decisions;
        r.exact_fallbacks += o.exact_fallbacks;
        r.exact_reruns += o.exact_rerun ? 1 : 0;
        if (o.exact_rerun) ++r.rerun_reasons[o.rerun_reason.empty() ? "unrecorded" : o.rerun_reason];
        switch (o.result) {
            case TrialOutcome::kind::unsupported:
                ++unsupported;
                ++r.undecided;
                if (unsupported_note.empty()) unsupported_note = o.note;
                break;
            case TrialOutcome::kind::refuted: {
                r.verdict = "refuted";
                ++r.decided;
                r.counterexample = o.counterexample;
                r.counterexample_trial = o.trial;
                const json& v = o.counterexample->at("violation");
                std::ostringstream d;
                d << "violated at " << short_numbers_in(v.at("where").get<std::string>()) << ": "
                  << short_number(v.at("lhs").get<std::string>()) << " " << v.at("relation").get<std::string>() << " "
                  << short_number(v.at("rhs").get<std::string>()) << " is false ("
                  << (v.at("arith") == "exact" ? std::string("exact") : "certified in " + v.at("arith").get<std::string>())
                  << "), trial " << o.trial;
                r.detail = d.str();
                return r;
            }
            case TrialOutcome::kind::false_alarm: ++false_alarms; ++r.undecided; break;
            case TrialOutcome::kind::undecided:
                ++r.undecided;
                if (o.tight) {
                    ++tight;
                    if (width.empty()) width = o.width;
                }
                if (note.empty()) note = o.note;
                break;
            case TrialOutcome::kind::vacuous: ++r.vacuous; ++r.decided; break;
            case TrialOutcome::kind::holds: ++r.decided; break;
        }
    }
    if (unsupported > 0) {
        std::string family = r.arith.substr(0, r.arith.find(':'));
        r.verdict = "not supported in " + family;
        r.detail = "this check has no " + family + " version (" + unsupported_note + "); nothing was decided";
    } else if (r.undecided == 0 && r.vacuous == r.instances) {
        r.verdict = "inconclusive";
        r.detail = "every one of the " + std::to_string(r.instances) + " instances was vacuous (nothing to compare)";
    } else if (r.undecided == 0) {
        r.verdict = "holds";
        r.detail = "held on all " + std::to_string(r.instances) + " instances";
        if (r.vacuous > 0) r.detail += " (" + std::to_string(r.vacuous) + " of them vacuous: nothing to compare)";
    } else if (tight == r.undecided && false_alarms == 0) {
        r.verdict = "tight";
        std::ostringstream d;
        d << "equality within the enclosure on " << tight << " of " << r.instances << " instances (first width " << width
          << "), no violation";
        if (!note.empty()) d << " (" << note << ")";
        r.detail = d.str();
    } else {
        r.verdict = "inconclusive";
        std::ostringstream d;
        d << r.undecided << " of " << r.instances << " instances undecided in " << r.arith;
        if (false_alarms > 0)
            d << " (" << false_alarms << " flagged in " << r.arith << " but satisfied in exact arithmetic)";
        else if (!note.empty())
            d << " (" << note << ")";
        else if (opt.arith.type == Arith::kind::interval)
            d << " (an interval cannot certify an equality or a tight inequality; no violation was found)";
        r.detail = d.str();
    }
    return r;
}

Report run_campaign(const Claim& claim, const CampaignOptions& opt) {
    return summarize(claim, opt, run_trials(claim, opt, TrialSlice{0, 1, opt.trials}, 1, {}));
}

json to_json(const TrialOutcome& o) {
    json j{{"trial", o.trial}, {"result", kind_name(o.result)}};
    if (o.result == TrialOutcome::kind::undecided) j["tight"] = o.tight;
    if (!o.note.empty()) j["note"] = o.note;
    if (!o.width.empty()) j["width"] = o.width;
    if (o.counterexample) j["counterexample"] = *o.counterexample;
    if (o.enclosure_decisions || o.exact_fallbacks || o.exact_rerun) {
        j["enclosure_decisions"] = o.enclosure_decisions;
        j["exact_fallbacks"] = o.exact_fallbacks;
        j["exact_rerun"] = o.exact_rerun;
        if (!o.rerun_reason.empty()) j["rerun_reason"] = o.rerun_reason;
    }
    return j;
}

TrialOutcome outcome_from_json(const json& j, const std::string& file, const std::string& field) {
    if (!j.is_object()) throw input_error(file, field, "expected a trial outcome object");
    if (!j.contains("trial") || !j.at("trial").is_number_unsigned()) throw input_error(file, field + ".trial", "expected a trial index");
    if (!j.contains("result") || !j.at("result").is_string()) throw input_error(file, field + ".result", "missing");
    TrialOutcome o;
    o.trial = j.at("trial").get<std::size_t>();
    const std::string k = j.at("result").get<std::string>();
    bool known = false;
    for (auto kind : {TrialOutcome::kind::holds, TrialOutcome::kind::vacuous, TrialOutcome::kind::undecided,
                      TrialOutcome::kind::false_alarm, TrialOutcome::kind::refuted, TrialOutcome::kind::unsupported})
        if (k == kind_name(kind)) o.result = kind, known = true;
    if (!known) throw input_error(file, field + ".result", "unknown outcome '" + k + "'");
    auto text = [&](const char* key) -> std::string {
        if (!j.contains(key)) return "";
        if (!j.at(key).is_string()) throw input_error(file, field + "." + key, "expected a string");
        return j.at(key).get<std::string>();
    };
    o.note = text("note");
    o.width = text("width");
    if (j.contains("tight")) {
        if (!j.at("tight").is_boolean()) throw input_error(file, field + ".tight", "expected true or false");
        o.tight = j.at("tight").get<bool>();
    }
    for (auto [key, target] : {std::pair{"enclosure_decisions", &o.enclosure_decisions}, std::pair{"exact_fallbacks", &o.exact_fallbacks}})
        if (j.contains(key)) {
            if (!j.at(key).is_number_unsigned()) throw input_error(file, field + "." + key, "expected a count");
            *target = j.at(key).get<std::size_t>();
        }
    if (j.contains("exact_rerun")) {
        if (!j.at("exact_rerun").is_boolean()) throw input_error(file, field + ".exact_rerun", "expected true or false");
        o.exact_rerun = j.at("exact_rerun").get<bool>();
    }
    o.rerun_reason = text("rerun_reason");
    if (o.result == TrialOutcome::kind::refuted) {
        if (!j.contains("counterexample") || !j.at("counterexample").is_object() ||
            !j.at("counterexample").contains("violation"))
            throw input_error(file, field + ".counterexample", "missing (a refuted trial carries its counterexample)");
        o.counterexample = j.at("counterexample");
    }
    return o;
}

TrialSlice shard_trials(std::size_t trials, std::size_t index, std::size_t count) {
    const std::size_t first = index - 1;
    return {first, count, first < trials ? (trials - first + count - 1) / count : 0};
}

// Parallel trials: forked worker processes, not threads. The working precision of MPFR and MPFI is
// process-wide in Boost 1.74 (docs/arithmetic.md; set by dispatch() and by the KL checks' scopes),
// and so is GMP/MPFR's other global state (exponent range, caches); threads would race on it or
// need every check rewritten to carry its precision. A forked worker shares nothing writable with
// its siblings, computes exactly what the same trial computes in one process, and streams one JSON
// line per trial back through a pipe, so the parent can fold the outcomes in trial order and stop
// at the first refutation. Worker w of J runs positions w, w + J, w + 2J, ... in increasing order,
// so once the parent has every position up to the first refuted one it kills the rest.
namespace {

struct Worker {
    pid_t pid = -1;
    int fd = -1;
    std::string buffer;
    std::size_t next = 0;  // next position this worker will report
    bool open = false;
    bool stopped = false;  // its last line was a refutation or an error: it has nothing more to say
};

void write_all(int fd, const std::string& s) {
    const char* p = s.data();
    std::size_t left = s.size();
    while (left > 0) {
        const ssize_t n = ::write(fd, p, left);
        if (n < 0) {
            if (errno == EINTR) continue;
            _exit(4);  // the parent is gone
        }
        p += n;
        left -= static_cast<std::size_t>(n);
    }
}

[[noreturn]] void worker_main(const Claim& claim, const CampaignOptions& opt, const TrialSlice& trials,
                              std::size_t first, std::size_t stride, int fd) {
    // The parent draws the progress line and says the warnings; the deadline is inherited.
    set_progress_reporter({});
    set_warning_reporter({});
    for (std::size_t i = first; i < trials.count; i += stride) {
        json line{{"position", i}};
        bool stop = false;
        try {
            const TrialOutcome o = run_trial(claim, opt, trials.at(i));
            line["outcome"] = to_json(o);
            stop = o.result == TrialOutcome::kind::refuted;
        } catch (const input_error& e) {
            line["error"] = {{"input", true}, {"file", e.file()}, {"field", e.field()}, {"problem", e.problem()}};
            stop = true;
        } catch (const std::invalid_argument& e) {
            line["error"] = {{"input", true}, {"file", ""}, {"field", ""}, {"problem", e.what()}};
            stop = true;
        } catch (const std::exception& e) {
            line["error"] = {{"input", false}, {"problem", e.what()}};
            stop = true;
        } catch (const time_limit_exceeded& e) {  // --time-limit (not a std::exception)
            line["time_limit"] = {{"seconds", e.seconds}, {"stage", e.stage}, {"step", e.step}};
            stop = true;
        }
        write_all(fd, line.dump() + "\n");
        if (stop) break;
    }
    ::close(fd);
    _exit(0);  // no atexit handlers, no flushing of stdio buffers inherited from the parent
}

struct WorkerPool {
    std::vector<Worker> workers;
    ~WorkerPool() {
        for (Worker& w : workers) {
            if (w.fd >= 0) ::close(w.fd);
            if (w.pid > 0) {
                ::kill(w.pid, SIGKILL);
                int status = 0;
                while (::waitpid(w.pid, &status, 0) < 0 && errno == EINTR) {
                }
            }
        }
    }
};

}  // namespace

std::vector<TrialOutcome> run_trials(const Claim& claim, const CampaignOptions& opt, const TrialSlice& trials,
                                     unsigned jobs, const std::function<void(std::size_t, std::size_t)>& progress) {
    const std::size_t n = trials.count;
    std::vector<TrialOutcome> out;
    if (jobs <= 1 || n <= 1) {
        for (std::size_t i = 0; i < n; ++i) {
            out.push_back(run_trial(claim, opt, trials.at(i)));
            if (progress) progress(i + 1, n);
            if (out.back().result == TrialOutcome::kind::refuted) break;
        }
        return out;
    }
    const std::size_t J = std::min<std::size_t>(jobs, n);
    std::cout.flush();
    std::cerr.flush();
    std::fflush(nullptr);
    WorkerPool pool;
    pool.workers.resize(J);
    for (std::size_t w = 0; w < J; ++w) {
        int p[2];
        if (::pipe(p) != 0) throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
        const pid_t pid = ::fork();
        if (pid < 0) {
            ::close(p[0]);
            ::close(p[1]);
            throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
        }
        if (pid == 0) {
            ::close(p[0]);
            for (std::size_t v = 0; v < w; ++v) ::close(pool.workers[v].fd);
            worker_main(claim, opt, trials, w, J, p[1]);
        }
        ::close(p[1]);
        pool.workers[w] = Worker{pid, p[0], {}, w, true, false};
    }

    // Outcomes that arrived ahead of the fold (at most about J per worker lag), and positions a dead
    // worker never reported: maps, so memory does not grow with the number of trials.
    std::map<std::size_t, json> got;
    std::map<std::size_t, int> lost;
    std::size_t prefix = 0, received = 0;
    auto finished = [&]() -> bool {
        for (;;) {
            if (prefix == n) return true;
            auto it = got.find(prefix);
            if (it == got.end()) {
                if (lost.count(prefix))
                    throw std::runtime_error("campaign worker died before reporting trial " +
                                             std::to_string(trials.at(prefix)) +
                                             (lost[prefix] != 0 ? " (killed or crashed)" : ""));
                return false;
            }
            const json line = std::move(it->second);
            got.erase(it);
            if (line.contains("time_limit")) {
                static std::string stage;  // time_limit_exceeded holds a const char*
                const json& t = line.at("time_limit");
                stage = t.at("stage").get<std::string>();
                throw time_limit_exceeded{t.at("seconds").get<double>(), stage.c_str(), t.at("step").get<std::size_t>()};
            }
            if (line.contains("error")) {
                const json& e = line.at("error");
                const std::string problem = e.at("problem").get<std::string>();
                if (e.at("input").get<bool>())
                    throw input_error(e.at("file").get<std::string>(), e.at("field").get<std::string>(), problem);
                throw std::runtime_error(problem);
            }
            out.push_back(outcome_from_json(line.at("outcome"), "", "outcome"));
            ++prefix;
            if (out.back().result == TrialOutcome::kind::refuted) return true;
        }
    };
    while (!finished()) {
        std::vector<pollfd> fds;
        std::vector<std::size_t> which;
        for (std::size_t w = 0; w < J; ++w)
            if (pool.workers[w].open) {
                fds.push_back({pool.workers[w].fd, POLLIN, 0});
                which.push_back(w);
            }
        if (fds.empty())
            throw std::runtime_error("campaign workers ended before reporting trial " + std::to_string(trials.at(prefix)));
        if (::poll(fds.data(), fds.size(), -1) < 0) {
            if (errno == EINTR) continue;
            throw std::runtime_error(std::string("poll: ") + std::strerror(errno));
        }
        for (std::size_t k = 0; k < fds.size(); ++k) {
            if (!(fds[k].revents & (POLLIN | POLLHUP | POLLERR))) continue;
            Worker& w = pool.workers[which[k]];
            char buf[65536];
            const ssize_t r = ::read(w.fd, buf, sizeof buf);
            if (r < 0) {
                if (errno == EINTR) continue;
                throw std::runtime_error(std::string("read: ") + std::strerror(errno));
            }
            if (r == 0) {  // end of the worker's stream
                w.open = false;
                ::close(w.fd);
                w.fd = -1;
                int status = 0;
                while (::waitpid(w.pid, &status, 0) < 0 && errno == EINTR) {
                }
                w.pid = -1;
                // A worker that ended without its stopping line lost its next position; that is an
                // error only if the fold needs the position (no earlier refutation).
                if (!w.stopped && w.next < n) lost[w.next] = status;
                continue;
            }
            w.buffer.append(buf, static_cast<std::size_t>(r));
            std::size_t nl;
            while ((nl = w.buffer.find('\n')) != std::string::npos) {
                json line = json::parse(w.buffer.substr(0, nl));
                w.buffer.erase(0, nl + 1);
                const std::size_t pos = line.at("position").get<std::size_t>();
                w.next = pos + J;
                w.stopped = line.contains("error") || line.contains("time_limit") ||
                            line.at("outcome").at("result") == "refuted";
                got[pos] = std::move(line);
                ++received;
                if (progress) progress(received, n);
            }
        }
    }
    return out;
}

}  // namespace rmdp::checks
