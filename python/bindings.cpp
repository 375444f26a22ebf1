// _rmdp: the C++ side of `import rmdp` (docs/python.md). A thin shell: documents in, documents out.
// Every input arrives as the JSON text of docs/format.md (the Python package builds it from numpy
// arrays, lists and Fractions); the library parses and validates it exactly as the CLI does, and
// every result is the report layer's JSON document, with the CLI's `--json` field names.
//
// Exceptions never cross into the interpreter as C++ exceptions: bad input (rmdp::input_error,
// std::invalid_argument from parse_arith / parse_rational, JSON type errors) becomes ValueError with
// the CLI's message (its exit 2); a passed time limit TimeoutError (exit 5); Ctrl-C
// KeyboardInterrupt; anything else is a bug in rmdp and becomes RuntimeError saying so (exit 3).
#include "registry.hpp"

#include "rmdp/arith.hpp"
#include "rmdp/deadline.hpp"
#include "rmdp/error.hpp"
#include "rmdp/gradient.hpp"
#include "rmdp/io.hpp"
#include "rmdp/report.hpp"

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace py = pybind11;
using namespace rmdp;

namespace {

// Runs f with the GIL released (a long exact solve does not block other Python threads) and
// translates every C++ exception at this boundary. Library calls are serialised: the MPFR/MPFI
// working precision and the deadline are process-wide state (arith.hpp, deadline.hpp), so two
// threads computing at once could silently get each other's precision.
std::mutex library_mutex;
double time_limit_seconds = 0;         // rmdp.set_time_limit: per call, 0 = none
std::vector<std::string> warnings;     // warn_predicted_work, issued as RuntimeWarning afterwards

// Ctrl-C: the library's long loops call poll(), which calls the progress reporter about once a
// second; the reporter takes the GIL to run Python's signal handlers. A KeyboardInterrupt (or any
// exception a handler raises) stops the computation through this type, which, like
// time_limit_exceeded, does not derive from std::exception, so no fallback in the library swallows it.
struct interrupted {};

void install_hooks() {
    set_progress_reporter([](const char*, std::size_t, double) {
        py::gil_scoped_acquire gil;
        if (PyErr_CheckSignals() != 0) throw interrupted{};
    });
    set_warning_reporter([](const std::string& w) { warnings.push_back(w); });
}

template <class F>
std::string guarded(F&& f) {
    std::string out, bad_input, bug, timeout;
    bool stopped = false;
    std::vector<std::string> warned;
    {
        py::gil_scoped_release release;
        std::lock_guard<std::mutex> lock(library_mutex);
        set_time_limit(time_limit_seconds);
        try {
            out = f();
        } catch (const input_error& e) {
            bad_input = e.what();
        } catch (const std::invalid_argument& e) {
            bad_input = e.what();
        } catch (const json::exception& e) {  // a JSON value of the wrong type or range (the CLI: exit 2)
            bad_input = std::string("input JSON: ") + e.what();
        } catch (const time_limit_exceeded& e) {
            std::ostringstream m;
            m << "rmdp: time limit: stopped after " << e.seconds << " s of wall time, in " << e.stage << " (step "
              << e.step << "); no result was computed (rmdp.set_time_limit)";
            timeout = m.str();
        } catch (const interrupted&) {
            stopped = true;
        } catch (const std::exception& e) {
            bug = e.what();
        } catch (...) {
            bug = "unknown exception";
        }
        set_time_limit(0);
        warned.swap(warnings);
    }
    for (const auto& w : warned)
        if (PyErr_WarnEx(PyExc_RuntimeWarning, ("rmdp: " + w).c_str(), 1) != 0) throw py::error_already_set();
    if (stopped) throw py::error_already_set();  // the handler's exception (KeyboardInterrupt) is set
    if (!bad_input.empty()) throw py::value_error(bad_input);
    if (!timeout.empty()) {
        PyErr_SetString(PyExc_TimeoutError, timeout.c_str());
        throw py::error_already_set();
    }
    if (!bug.empty())
        throw std::runtime_error("rmdp internal error (a bug in rmdp, please report it with the input): " + bug);
    return out;
}

// Documents built by the Python package; a parse failure here is a bug of the package, but a
// user can reach it through rmdp.Mdp.from_json on a malformed file: say where.
json parse_doc(const std::string& text, const std::string& source) {
    try {
        return json::parse(text);
    } catch (const json::parse_error& e) {
        throw input_error(source, "", std::string("malformed JSON: ") + e.what());
    }
}

MdpData mdp_of(const std::string& text, const std::string& source) { return parse_mdp(parse_doc(text, source), source); }

PolicyData policy_of(const std::string& text, const MdpData& m, const std::string& source) {
    return parse_policy(parse_doc(text, source), m, source);
}

std::vector<rational> vector_of(const std::string& text, std::size_t n, const std::string& source,
                                const std::string& field) {
    const json j = parse_doc(text, source);
    if (!j.is_array() || j.size() != n)
        throw input_error(source, field, "expected " + std::to_string(n) + " numbers (one per state)");
    std::vector<rational> v;
    for (std::size_t s = 0; s < n; ++s) v.push_back(parse_number(j[s], source, field + "[" + std::to_string(s) + "]"));
    return v;
}

const checks::Claim& claim_named(const std::string& id) {
    const checks::Claim* c = checks::find_claim(id);
    if (!c) throw input_error("", "claim", "unknown claim id '" + id + "' (see rmdp.claims())");
    return *c;
}

}  // namespace

PYBIND11_MODULE(_rmdp, mod) {
    mod.doc() = "rmdp's C++ library; use the `rmdp` package, which adapts Python input to these calls.";
    install_hooks();

    mod.def(
        "set_time_limit", [](double seconds) { time_limit_seconds = seconds > 0 ? seconds : 0; },
        "Limit each later call to `seconds` of wall time (TimeoutError); 0 or less: no limit.");

    mod.def("arith_name", [](const std::string& text) { return guarded([&] { return parse_arith(text).name(); }); },
            "The canonical name of an arithmetic ('exact', 'double', 'mpfr:256', ...); ValueError when unknown.");

    mod.def(
        "parse_mdp",
        [](const std::string& doc, const std::string& source) {
            return guarded([&] { return to_json(mdp_of(doc, source)).dump(); });
        },
        "Parse and validate an MDP document (docs/format.md); returns its canonical JSON text.");

    mod.def(
        "read_mdp", [](const std::string& path) { return guarded([&] { return to_json(read_mdp(path)).dump(); }); },
        "Read and validate an MDP file; returns its canonical JSON text.");

    mod.def(
        "parse_policy",
        [](const std::string& mdp, const std::string& policy, const std::string& source) {
            return guarded([&] { return to_json(policy_of(policy, mdp_of(mdp, "mdp"), source)).dump(); });
        },
        "Validate a policy document {\"policy\": [[...]]} against an MDP; returns its canonical JSON text.");

    mod.def(
        "evaluate",
        [](const std::string& mdp, const std::string& policy, const std::string& arith, bool nominal) {
            return guarded([&] {
                const MdpData m = mdp_of(mdp, "mdp");
                const PolicyData p = policy_of(policy, m, "policy");
                return evaluate_report(m, p, parse_arith(arith), nominal).dump();
            });
        },
        py::arg("mdp"), py::arg("policy"), py::arg("arith"), py::arg("nominal"));

    mod.def(
        "solve",
        [](const std::string& mdp, const std::string& arith, const std::string& method, const std::string& epsilon) {
            return guarded([&] {
                const MdpData m = mdp_of(mdp, "mdp");
                rational eps = 0;
                if (epsilon != "auto") {
                    eps = parse_number(parse_doc(epsilon, "epsilon"), "", "epsilon");
                    if (eps <= 0) throw input_error("", "epsilon", "must be positive (or 'auto')");
                }
                return solve_report(m, parse_arith(arith), method, eps).dump();
            });
        },
        py::arg("mdp"), py::arg("arith"), py::arg("method"), py::arg("epsilon"));

    mod.def(
        "gradient",
        [](const std::string& mdp, const std::string& policy, std::optional<std::string> direction) {
            return guarded([&] {
                const MdpData m = mdp_of(mdp, "mdp");
                const PolicyData p = policy_of(policy, m, "policy");
                std::vector<rational> d;
                if (direction) d = parse_direction(parse_doc(*direction, "direction"), p, "", "direction");
                return gradient_report(m, p, direction ? &d : nullptr).dump();
            });
        },
        py::arg("mdp"), py::arg("policy"), py::arg("direction"));

    // The operators at a given V (worst_case, robust_bellman): the same arguments, one report each.
    auto at_V = [](auto report) {
        return [report](const std::string& mdp, const std::string& V, std::optional<std::string> policy,
                        const std::string& arith) {
            return guarded([&] {
                const MdpData m = mdp_of(mdp, "mdp");
                const std::vector<rational> v = vector_of(V, m.S, "", "V");
                std::optional<PolicyData> p;
                if (policy) p = policy_of(*policy, m, "policy");
                return report(m, v, p ? &*p : nullptr, parse_arith(arith)).dump();
            });
        };
    };
    mod.def("worst_case", at_V([](auto&&... a) { return worst_case_report(a...); }), py::arg("mdp"), py::arg("V"),
            py::arg("policy"), py::arg("arith"));
    mod.def("robust_bellman", at_V([](auto&&... a) { return robust_bellman_report(a...); }), py::arg("mdp"), py::arg("V"),
            py::arg("policy"), py::arg("arith"));

    // request: {"V": [numbers], "Q": [[numbers]] | null, "policy": {"policy": ...} | null,
    //           "claimed_optimal": {"policy": ...} | null, "tolerance": "rel:1e-9" | null}
    mod.def(
        "crosscheck",
        [](const std::string& mdp, const std::string& request) {
            return guarded([&] {
                const MdpData m = mdp_of(mdp, "mdp");
                const json r = parse_doc(request, "crosscheck");
                const json& V = r.at("V");
                if (!V.is_array() || V.size() != m.S)
                    throw input_error("", "values", "expected " + std::to_string(m.S) + " numbers (one per state)");
                CrosscheckRequest req;
                req.values_source = "values";
                req.mdp_source = "mdp";
                for (std::size_t s = 0; s < m.S; ++s) {
                    req.V.push_back(parse_number(V[s], "", "values[" + std::to_string(s) + "]"));
                    req.V_given.push_back(V[s].is_string() ? V[s].get<std::string>() : V[s].dump());
                }
                if (r.contains("Q") && !r.at("Q").is_null()) {
                    const json& Q = r.at("Q");
                    if (!Q.is_array() || Q.size() != m.S)
                        throw input_error("", "q", "expected " + std::to_string(m.S) + " rows of " +
                                                       std::to_string(m.A) + " numbers");
                    Matrix<rational> q(m.S, m.A);
                    for (std::size_t s = 0; s < m.S; ++s) {
                        if (!Q[s].is_array() || Q[s].size() != m.A)
                            throw input_error("", "q[" + std::to_string(s) + "]",
                                              "expected " + std::to_string(m.A) + " numbers (one per action)");
                        for (std::size_t a = 0; a < m.A; ++a)
                            q(s, a) = parse_number(Q[s][a], "", "q[" + std::to_string(s) + "][" + std::to_string(a) + "]");
                    }
                    req.Q = q;
                }
                if (r.contains("policy") && !r.at("policy").is_null()) req.policy = parse_policy(r.at("policy"), m, "policy");
                if (r.contains("claimed_optimal") && !r.at("claimed_optimal").is_null())
                    req.claimed_optimal = parse_policy(r.at("claimed_optimal"), m, "claimed_optimal");
                if (r.contains("tolerance") && !r.at("tolerance").is_null())
                    req.tolerance = parse_tolerance(r.at("tolerance").get<std::string>());
                return crosscheck_report(m, req).dump();
            });
        },
        py::arg("mdp"), py::arg("request"));

    mod.def("claims", [] {
        return guarded([] {
            json out = json::array();
            for (const auto& c : checks::registry())
                out.push_back({{"id", c.id}, {"statement", c.statement}, {"source", c.source}, {"reading", c.reading}});
            return out.dump();
        });
    });

    mod.def(
        "claim_schema", [](const std::string& id) { return guarded([&] { return checks::instance_schema(claim_named(id)).dump(); }); },
        py::arg("claim"));

    mod.def(
        "check",
        [](const std::string& id, std::size_t trials, std::uint64_t seed, const std::string& arith) {
            return guarded([&] {
                const checks::Claim& c = claim_named(id);
                if (trials < 1) throw input_error("", "trials", "must be at least 1");
                checks::CampaignOptions opt;
                opt.trials = trials;
                opt.seed = seed;
                opt.arith = parse_arith(arith);
                return checks::to_json(checks::run_campaign(c, opt)).dump();
            });
        },
        py::arg("claim"), py::arg("trials"), py::arg("seed"), py::arg("arith"));

    mod.def(
        "check_instance",
        [](const std::string& id, const std::string& instance, const std::string& arith) {
            return guarded([&] {
                const checks::Claim& c = claim_named(id);
                const Arith a = parse_arith(arith);
                const checks::Instance inst = checks::instance_from_json(parse_doc(instance, "instance"), "instance");
                return checks::check_instance(c, inst, a).dump();
            });
        },
        py::arg("claim"), py::arg("instance"), py::arg("arith"));
}
