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
#include "rmdp/solvers.hpp"

#include <iostream>
#include <memory>
#include <stdexcept>
#include <string>

namespace rmdp::cli {

namespace {

struct GradientOptions {
    std::string mdp, policy, direction;
    bool as_json = false;
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

    const Mdp<rational> m = convert<rational>(md);
    const UncertaintySet<rational> U = convert<rational>(md.uncertainty);
    const Policy<rational> pi = convert<rational>(pd);
    // Certificates through the operators alone: T_r^pi V = V (so V = V_r^pi), and u_pi attains it.
    const RobustGradient<rational> g = robust_gradient(m, U, pi);
    if (robust_bellman(m, U, pi, g.V) != g.V) throw std::logic_error("robust value failed its certificate T_r^pi V = V");
    json out{{"arith", "exact"},
             {"kernel", md.uncertainty.type == Uncertainty::kind::none ? "nominal" : "robust"},
             {"f", g.f.str()},
             {"V", to_json_vector(g.V)},
             {"Q", to_json_matrix(g.Q)},
             {"worst_case", to_json(g.kernel)},
             {"occupancy", to_json_vector(g.occupancy)},
             {"gradient", to_json_matrix(g.gradient)},
             {"certificate", "T_r^pi V = V and V_{u_pi}^pi = V, checked exactly"}};
    std::unique_ptr<DirectionalDerivative<rational>> dd;
    rational linear;
    if (!o.direction.empty()) {
        Matrix<rational> delta(m.S, m.A);
        delta.data = delta_data;
        dd = std::make_unique<DirectionalDerivative<rational>>(directional_derivative(m, U, pi, g.V, delta));
        if (derivative_bellman(m, U, pi, g.V, dd->h, dd->W) != dd->W)
            throw std::logic_error("directional derivative failed its certificate T_F W = W");
        for (std::size_t i = 0; i < delta.data.size(); ++i) linear += g.gradient.data[i] * delta.data[i];
        out["direction"] = to_json_matrix(delta);
        out["directional_derivative"] = dd->value.str();
        out["gradient_times_direction"] = linear.str();
        out["h"] = to_json_vector(dd->h);
        out["W"] = to_json_vector(dd->W);
        out["face_kernel"] = to_json(dd->kernel);
        out["derivative_certificate"] =
            "W = h + gamma sum_a pi(a|s) max_{p in F_{s,a}} <p, W> checked exactly; f'(pi;delta) = rho . W";
        const rational tau = max_feasible_step(pi, delta);
        json seq = json::array();
        if (tau > 0) {
            std::size_t k = 0;
            for (const auto& [t, r] : directional_remainders(m, U, pi, delta, g.f, dd->value, 10))
                seq.push_back({{"k", ++k}, {"t", t.str()}, {"remainder", r.str()}});
        }
        out["max_step"] = tau.str();
        out["remainder_sequence"] = seq;
    }
    if (o.as_json) {
        std::cout << out.dump(2) << "\n";
        return 0;
    }
    std::cout << "Policy gradient of f_rho(pi) = rho . V_r^pi (" << (md.uncertainty.type == Uncertainty::kind::none ? "nominal" : "robust")
              << "), " << m.S << " states x " << m.A << " actions, gamma = " << md.gamma.str() << ", exact\n"
              << "f_rho(pi) = " << g.f.str() << "\n"
              << "grad f(pi)[s,a] = d_rho^{pi,u_pi}(s) Q_{u_pi}^pi(s,a) / (1 - gamma)   (u_pi: lowest-index worst case)\n\n";
    std::size_t w = 14;
    for (const auto& x : g.gradient.data) w = std::max(w, x.str().size() + 2);
    for (const auto& x : g.occupancy) w = std::max(w, x.str().size() + 2);
    std::cout << pad("state", 7) << pad("d_rho(s)", w);
    for (std::size_t a = 0; a < m.A; ++a) std::cout << pad("grad(s," + std::to_string(a) + ")", w);
    std::cout << "\n";
    for (std::size_t s = 0; s < m.S; ++s) {
        std::cout << pad(std::to_string(s), 7) << pad(g.occupancy[s].str(), w);
        for (std::size_t a = 0; a < m.A; ++a) std::cout << pad(g.gradient(s, a).str(), w);
        std::cout << "\n";
    }
    if (dd) {
        std::cout << "\nf'(pi; delta) = " << dd->value.str() << "   (exact, Danskin over the faces; certificate T_F W = W checked)\n"
                  << "<grad f(pi), delta> = " << linear.str() << (linear == dd->value ? "   (equal)" : "   (differs: the gradient does not predict this direction)")
                  << "\n\nremainder (f(pi + t delta) - f(pi))/t - f'(pi; delta), exact (evidence, not a proof):\n";
        for (const auto& e : out["remainder_sequence"])
            std::cout << "  k=" << pad(std::to_string(e["k"].get<std::size_t>()), 3) << " t=" << pad(e["t"].get<std::string>(), 12)
                      << e["remainder"].get<std::string>() << "\n";
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
    sub->add_flag("--json", o->as_json, "machine-readable output");
    add_mdp_input_options(sub, o->input);
    return {sub, [o] { return run(*o); }};
}

}  // namespace rmdp::cli
