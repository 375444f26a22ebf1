// rmdp gradient MDP.json --policy POL.json [--direction DIR.json] [--json]
//
// f_rho(pi) = rho . V_r^pi, the notes' (sub)gradient grad f_rho(pi)[s,a] = d_rho^{pi,u_pi}(s) Q_{u_pi}^pi(s,a)/(1-gamma)
// and the occupancy d_rho^{pi,u_pi}, exactly; with --direction, the exact one-sided directional
// derivative f_rho'(pi; delta) (Danskin over the faces of nature's worst cases, certified) and the
// remainder sequence (f(pi + t delta) - f(pi))/t - f'(pi; delta) at t = tau 2^{-k} as evidence.
#include "commands.hpp"
#include "input.hpp"

#include "rmdp/error.hpp"
#include "rmdp/gradient.hpp"
#include "rmdp/io.hpp"
#include "rmdp/report.hpp"

#include <iostream>
#include <memory>
#include <stdexcept>
#include <string>

namespace rmdp::cli {

namespace {

struct GradientOptions {
    std::string mdp, policy, direction;
    bool as_json = false;
    int digits = 12;
    MdpInputOptions input;
};

std::vector<rational> read_direction(const std::string& path, const PolicyData& pi) {
    const json j = read_json_file(path);
    if (!j.is_object()) throw input_error(path, "", "expected a JSON object {\"direction\": [[...], ...]}");
    for (auto it = j.begin(); it != j.end(); ++it)
        if (it.key() != "direction" && it.key() != "comment") throw input_error(path, it.key(), "unknown field");
    if (!j.contains("direction")) throw input_error(path, "direction", "missing");
    return parse_direction(j.at("direction"), pi, path, "direction");
}

std::string pad(const std::string& s, std::size_t w) { return s.size() >= w ? s : s + std::string(w - s.size(), ' '); }

int run(const GradientOptions& o) {
    const MdpData md = load_mdp(o.mdp, o.input);
    const PolicyData pd = read_policy(o.policy, md);
    std::vector<rational> delta_data;
    if (!o.direction.empty()) delta_data = read_direction(o.direction, pd);

    const json out = gradient_report(md, pd, o.direction.empty() ? nullptr : &delta_data);
    if (o.as_json) {
        std::cout << out.dump(2) << "\n";
        return 0;
    }
    const int digits = o.digits;
    auto dec = [&](const json& v) { return decimal(parse_rational(v.get<std::string>()), digits); };
    std::cout << "Policy gradient of f_rho(pi) = rho . V_r^pi (" << out["kernel"].get<std::string>() << "), " << md.S
              << " states x " << md.A << " actions, gamma = " << md.gamma.str() << ", exact\n"
              << "f_rho(pi) = " << dec(out["f"]) << "\n"
              << "grad f(pi)[s,a] = d_rho^{pi,u_pi}(s) Q_{u_pi}^pi(s,a) / (1 - gamma)   (u_pi: lowest-index worst case)\n\n";
    const std::size_t w = static_cast<std::size_t>(digits) + 10;
    std::cout << pad("state", 7) << pad("d_rho(s)", w);
    for (std::size_t a = 0; a < md.A; ++a) std::cout << pad("grad(s," + std::to_string(a) + ")", w);
    std::cout << "\n";
    for (std::size_t s = 0; s < md.S; ++s) {
        std::cout << pad(std::to_string(s), 7) << pad(dec(out["occupancy"][s]), w);
        for (std::size_t a = 0; a < md.A; ++a) std::cout << pad(dec(out["gradient"][s][a]), w);
        std::cout << "\n";
    }
    std::cout << "\nexact rationals shown as " << digits << "-digit decimals; the exact values are in --json\n";
    if (out.contains("directional_derivative")) {
        const bool equal = out["directional_derivative"] == out["gradient_times_direction"];
        std::cout << "\nf'(pi; delta) = " << dec(out["directional_derivative"])
                  << "   (exact, Danskin over the faces; certificate T_F W = W checked)\n"
                  << "<grad f(pi), delta> = " << dec(out["gradient_times_direction"])
                  << (equal ? "   (equal)" : "   (differs: the gradient does not predict this direction)")
                  << "\n\nremainder (f(pi + t delta) - f(pi))/t - f'(pi; delta), exact (evidence, not a proof):\n";
        for (const auto& e : out["remainder_sequence"])
            std::cout << "  k=" << pad(std::to_string(e["k"].get<std::size_t>()), 3) << " t=" << pad(e["t"].get<std::string>(), 12)
                      << dec(e["remainder"]) << "\n";
    }
    return 0;
}

}  // namespace

Command add_gradient_command(CLI::App& app) {
    auto o = std::make_shared<GradientOptions>();
    auto* sub = app.add_subcommand("gradient", "f_rho(pi), the notes' policy gradient and occupancy; exact directional derivatives");
    sub->add_option("mdp", o->mdp, "MDP file (JSON, or craam2 CSV with --gamma)")->required();
    sub->add_option("--policy", o->policy, "policy JSON file")->required();
    sub->add_option("--direction", o->direction, "direction JSON {\"direction\": S x A, rows summing to 0}");
    sub->add_option("--digits", o->digits, "significant digits of exact values in the text output (default 12)")->check(CLI::Range(1, 1000));
    sub->add_flag("--json", o->as_json, "machine-readable output (exact values as rationals)");
    add_mdp_input_options(sub, o->input);
    return {sub, [o] { return run(*o); }};
}

}  // namespace rmdp::cli
