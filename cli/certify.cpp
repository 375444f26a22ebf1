// rmdp certify: certificates of exact robust results (docs/formal.md), and their translation into
// a Coq file whose theorem formal/Checker.v's check_sound proves by computation.
//
//   rmdp certify MDP.json [--policy POL.json] --out CERT.json [--coq FILE.v]
//   rmdp certify --counterexample CX.json --out CERT.json [--coq FILE.v]
//   rmdp certify --coq-from CERT.json FILE.v
//
// The translation checks nothing: it reads shapes and numbers, so a tampered certificate reaches
// Coq unchanged and Coq decides.
#include "commands.hpp"

#include "rmdp/certificate.hpp"
#include "rmdp/error.hpp"
#include "rmdp/evaluation.hpp"
#include "rmdp/io.hpp"

#include <fstream>
#include <iostream>
#include <sstream>

namespace rmdp::cli {

namespace {

struct Settings {
    std::vector<std::string> args;  // MDP.json, or FILE.v with --coq-from
    std::string pol_path, out_path, coq_path, coq_from, counterexample;
};

// ---------- refutations (formal/Refute.v) ----------

// The claims whose refutation Coq checks, with the name of the statement in formal/Refute.v.
struct Refutable {
    const char* id;
    const char* coq_claim;   // constructor of refuted_claim
    const char* coq_prop;    // the claim as a Prop
    bool two_policies;
};
constexpr Refutable refutable[] = {
    {"resolvent-norm:b", "ResolventNormB", "resolvent_norm_b", false},
    {"occupancy-difference", "OccupancyDifference", "occupancy_difference", true},
    {"occupancy-lipschitz:b", "OccupancyLipschitzB", "occupancy_lipschitz_b", true},
};

// j[key] if it is a string, else "" (json::value would throw on another type: an internal error).
std::string string_field(const json& j, const char* key) {
    return j.is_object() && j.contains(key) && j.at(key).is_string() ? j.at(key).get<std::string>() : std::string();
}

const Refutable& find_refutable(const std::string& id, const std::string& file) {
    for (const auto& r : refutable)
        if (id == r.id) return r;
    throw input_error(file, "claim",
                      "'" + id + "': no Coq refutation for this claim (supported: resolvent-norm:b, "
                                 "occupancy-difference, occupancy-lipschitz:b)");
}

// A counterexample with the resolvents (I - gamma P^pi)^{-1} its claim uses. Exact; not checked
// here: Coq multiplies them out.
struct Refutation {
    std::string claim;
    MdpData mdp;
    PolicyData pi, pi_prime;  // pi_prime = pi for one-policy claims
    Matrix<rational> R, R_prime;
};

Refutation refutation_from_counterexample(const std::string& path) {
    const json j = read_json_file(path);
    if (string_field(j, "format") != "rmdp-counterexample")
        throw input_error(path, "format", "not an rmdp counterexample (expected \"rmdp-counterexample\")");
    if (!j.contains("claim") || !j["claim"].is_string()) throw input_error(path, "claim", "missing");
    Refutation r;
    r.claim = j["claim"].get<std::string>();
    const Refutable& k = find_refutable(r.claim, path);
    if (!j.contains("instance") || !j["instance"].contains("mdp")) throw input_error(path, "instance.mdp", "missing");
    const json& inst = j["instance"];
    r.mdp = parse_mdp(inst["mdp"], path);
    if (!inst.contains("policies") || !inst["policies"].contains("pi"))
        throw input_error(path, "instance.policies.pi", "missing");
    r.pi = parse_policy(json{{"policy", inst["policies"]["pi"]}}, r.mdp, path + " (instance.policies.pi)");
    if (k.two_policies) {
        if (!inst["policies"].contains("pi_prime")) throw input_error(path, "instance.policies.pi_prime", "missing");
        r.pi_prime = parse_policy(json{{"policy", inst["policies"]["pi_prime"]}}, r.mdp,
                                  path + " (instance.policies.pi_prime)");
    } else {
        r.pi_prime = r.pi;
    }
    const Mdp<rational> m = convert<rational>(r.mdp);
    r.R = resolvent(m.gamma, policy_kernel(m.P, convert<rational>(r.pi)));
    r.R_prime = resolvent(m.gamma, policy_kernel(m.P, convert<rational>(r.pi_prime)));
    return r;
}

json refutation_json(const Refutation& r) {
    json j;
    j["format"] = "rmdp-certificate";
    j["version"] = 1;
    j["statement"] = "refutation";
    j["claim"] = r.claim;
    j["meaning"] = "the claim, stated for every finite MDP and policies in formal/Refute.v, is false";
    j["mdp"] = to_json(r.mdp);
    j["policies"] = {{"pi", to_json(r.pi)["policy"]}, {"pi_prime", to_json(r.pi_prime)["policy"]}};
    j["resolvent"] = {{"pi", to_json_matrix(r.R)}, {"pi_prime", to_json_matrix(r.R_prime)}};
    return j;
}

// ---------- certificate <-> JSON ----------

json row_dual_json(const RowDual& d) {
    json j = json::object();
    if (d.type == "l1") {
        j["mu"] = d.mu.str();
        j["lambda"] = d.lambda.str();
    } else if (d.type == "interval") {
        j["mu"] = d.mu.str();
    } else if (d.type == "finite") {
        j["index"] = d.index;
        json v = json::array();
        for (const auto& x : d.values) v.push_back(x.str());
        j["values"] = v;
    }
    return j;
}

json certificate_json(const MdpData& m, const RobustCertificate& c) {
    json j;
    j["format"] = "rmdp-certificate";
    j["version"] = 1;
    j["statement"] = c.optimal ? "optimal" : "evaluation";
    j["meaning"] = c.optimal ? "V = T_r V (V is the optimal robust value V*) and T_r^pi V = V (pi is greedy for V*)"
                             : "V = T_r^pi V (V is the robust value of pi)";
    j["mdp"] = to_json(m);
    j["policy"] = to_json_matrix(c.policy);
    j["V"] = to_json_vector(c.V);
    j["worst_case"] = to_json(c.worst_case);
    json dual = json::array();
    for (std::size_t s = 0; s < m.S; ++s) {
        json row = json::array();
        for (std::size_t a = 0; a < m.A; ++a) row.push_back(row_dual_json(c.dual[s * m.A + a]));
        dual.push_back(row);
    }
    j["dual"] = dual;
    if (c.optimal) j["Q"] = to_json_matrix(c.Q);
    return j;
}

// Reading a certificate: shapes and numbers only (no mathematical validation beyond the MDP's own).
class Reader {
public:
    explicit Reader(std::string file) : file_(std::move(file)) {}

    const json& field(const json& j, const std::string& key, const std::string& where) const {
        if (!j.is_object() || !j.contains(key)) throw input_error(file_, where.empty() ? key : where + "." + key, "missing");
        return j.at(key);
    }
    const json& array(const json& j, std::size_t n, const std::string& where) const {
        if (!j.is_array()) throw input_error(file_, where, "expected an array");
        if (j.size() != n)
            throw input_error(file_, where, "expected " + std::to_string(n) + " entries, found " + std::to_string(j.size()));
        return j;
    }
    std::vector<rational> vector(const json& j, std::size_t n, const std::string& where) const {
        array(j, n, where);
        std::vector<rational> v;
        for (std::size_t i = 0; i < n; ++i) v.push_back(parse_number(j[i], file_, where + "[" + std::to_string(i) + "]"));
        return v;
    }
    rational number(const json& j, const std::string& where) const { return parse_number(j, file_, where); }
    std::size_t index(const json& j, const std::string& where) const {
        if (!j.is_number_unsigned()) throw input_error(file_, where, "expected a non-negative integer");
        return j.get<std::size_t>();
    }

private:
    std::string file_;
};

struct ReadCertificate {
    MdpData mdp;
    RobustCertificate cert;
    bool is_refutation = false;
    Refutation refutation;
};

Matrix<rational> read_square(const Reader& rd, const json& j, std::size_t n, const std::string& where) {
    rd.array(j, n, where);
    Matrix<rational> M(n, n);
    for (std::size_t i = 0; i < n; ++i) {
        const auto row = rd.vector(j[i], n, where + "[" + std::to_string(i) + "]");
        for (std::size_t k = 0; k < n; ++k) M(i, k) = row[k];
    }
    return M;
}

ReadCertificate read_refutation(const json& j, const Reader& rd, const std::string& path) {
    ReadCertificate out;
    out.is_refutation = true;
    Refutation& r = out.refutation;
    if (!rd.field(j, "claim", "").is_string()) throw input_error(path, "claim", "expected a string");
    r.claim = j["claim"].get<std::string>();
    find_refutable(r.claim, path);
    r.mdp = parse_mdp(rd.field(j, "mdp", ""), path + " (mdp)");
    const json& pj = rd.field(j, "policies", "");
    r.pi = parse_policy(json{{"policy", rd.field(pj, "pi", "policies")}}, r.mdp, path + " (policies.pi)");
    r.pi_prime = parse_policy(json{{"policy", rd.field(pj, "pi_prime", "policies")}}, r.mdp, path + " (policies.pi_prime)");
    const json& rj = rd.field(j, "resolvent", "");
    r.R = read_square(rd, rd.field(rj, "pi", "resolvent"), r.mdp.S, "resolvent.pi");
    r.R_prime = read_square(rd, rd.field(rj, "pi_prime", "resolvent"), r.mdp.S, "resolvent.pi_prime");
    out.mdp = r.mdp;
    return out;
}

ReadCertificate read_certificate(const std::string& path) {
    const json j = read_json_file(path);
    const Reader rd(path);
    if (string_field(j, "format") != "rmdp-certificate")
        throw input_error(path, "format", "not an rmdp certificate (expected \"rmdp-certificate\")");
    ReadCertificate out;
    const std::string st = string_field(j, "statement");
    if (st == "refutation") return read_refutation(j, rd, path);
    if (st != "evaluation" && st != "optimal")
        throw input_error(path, "statement", "expected \"evaluation\", \"optimal\" or \"refutation\"");
    out.mdp = parse_mdp(rd.field(j, "mdp", ""), path + " (mdp)");
    const MdpData& m = out.mdp;
    RobustCertificate& c = out.cert;
    c.optimal = st == "optimal";
    c.policy = Policy<rational>(m.S, m.A);
    const json& pj = rd.array(rd.field(j, "policy", ""), m.S, "policy");
    for (std::size_t s = 0; s < m.S; ++s) {
        const auto row = rd.vector(pj[s], m.A, "policy[" + std::to_string(s) + "]");
        for (std::size_t a = 0; a < m.A; ++a) c.policy(s, a) = row[a];
    }
    c.V = rd.vector(rd.field(j, "V", ""), m.S, "V");
    c.worst_case = Kernel<rational>(m.S, m.A);
    const json& wj = rd.array(rd.field(j, "worst_case", ""), m.S, "worst_case");
    const json& dj = rd.array(rd.field(j, "dual", ""), m.S, "dual");
    for (std::size_t s = 0; s < m.S; ++s) {
        const std::string ws = "worst_case[" + std::to_string(s) + "]", ds = "dual[" + std::to_string(s) + "]";
        rd.array(wj[s], m.A, ws);
        rd.array(dj[s], m.A, ds);
        for (std::size_t a = 0; a < m.A; ++a) {
            const std::string wsa = ws + "[" + std::to_string(a) + "]", dsa = ds + "[" + std::to_string(a) + "]";
            const auto row = rd.vector(wj[s][a], m.S, wsa);
            c.worst_case.set_row(s, a, row.data());
            RowDual d;
            d.type = m.uncertainty.kind();
            const json& e = dj[s][a];
            if (d.type == "l1") {
                d.mu = rd.number(rd.field(e, "mu", dsa), dsa + ".mu");
                d.lambda = rd.number(rd.field(e, "lambda", dsa), dsa + ".lambda");
            } else if (d.type == "interval") {
                d.mu = rd.number(rd.field(e, "mu", dsa), dsa + ".mu");
            } else if (const auto* fin = m.uncertainty.get<FiniteSet<rational>>()) {
                // Shape, not mathematics: the index must name a listed point (a huge one would be a
                // huge unary nat in Coq).
                d.index = rd.index(rd.field(e, "index", dsa), dsa + ".index");
                const std::size_t k = fin->points[s * m.A + a].size();
                if (d.index >= k)
                    throw input_error(path, dsa + ".index",
                                      std::to_string(d.index) + " is not the index of one of the " + std::to_string(k) +
                                          " listed distributions");
            }
            c.dual.push_back(d);
        }
    }
    if (c.optimal) {
        c.Q = Matrix<rational>(m.S, m.A);
        const json& qj = rd.array(rd.field(j, "Q", ""), m.S, "Q");
        for (std::size_t s = 0; s < m.S; ++s) {
            const auto row = rd.vector(qj[s], m.A, "Q[" + std::to_string(s) + "]");
            for (std::size_t a = 0; a < m.A; ++a) c.Q(s, a) = row[a];
        }
    }
    return out;
}

// ---------- certificate -> Coq ----------

// A rational as a Coq Q literal (num # den), den > 0 (rational keeps it so).
std::string coq_q(const rational& x) {
    return "(" + numerator(x).str() + " # " + denominator(x).str() + ")";
}

// The same over a multiple L of its denominator, (num L/den # L): Coq's Q does not normalise,
// and formal/Checker.v adds fractions of equal denominator by adding numerators, so vectors
// written over one common denominator are summed without any gcd (docs/formal.md, timings).
std::string coq_q_over(const rational& x, const integer& L) {
    return "(" + (numerator(x) * (L / denominator(x))).str() + " # " + L.str() + ")";
}

integer common_denominator(const std::vector<rational>& v, std::size_t off, std::size_t n) {
    integer L = 1;
    for (std::size_t i = off; i < off + n; ++i) L = lcm(L, denominator(v[i]));
    return L;
}

template <class F>
std::string coq_list(std::size_t n, F item) {
    std::string out = "[";
    for (std::size_t i = 0; i < n; ++i) {
        if (i) out += "; ";
        out += item(i);
    }
    return out + "]";
}

std::string coq_vector_over(const std::vector<rational>& v, std::size_t off, std::size_t n, const integer& L) {
    return coq_list(n, [&](std::size_t i) { return coq_q_over(v[off + i], L); });
}

// A vector over its own common denominator.
std::string coq_vector(const std::vector<rational>& v, std::size_t off, std::size_t n) {
    return coq_vector_over(v, off, n, common_denominator(v, off, n));
}

// Row P(.|s,a) of a kernel, dense (the Coq model's kernels are lists of length S).
std::string coq_row(const Kernel<rational>& P, std::size_t s, std::size_t a) {
    std::vector<rational> row;
    P.dense_row(s, a, row);
    return coq_vector(row, 0, P.S);
}

std::string coq_uset(const MdpData& m, std::size_t s, std::size_t a) {
    const Uncertainty& u = m.uncertainty;
    const std::size_t sa = s * m.A + a;
    if (const auto* l1 = u.get<L1Ball<rational>>()) return "(UL1 " + coq_q(l1->radius[sa]) + ")";
    if (const auto* box = u.get<IntervalSet<rational>>()) {
        const integer L = lcm(common_denominator(box->lower, sa * m.S, m.S), common_denominator(box->upper, sa * m.S, m.S));
        return "(UInterval " + coq_vector_over(box->lower, sa * m.S, m.S, L) + " " +
               coq_vector_over(box->upper, sa * m.S, m.S, L) + ")";
    }
    if (const auto* fin = u.get<FiniteSet<rational>>()) {
        const auto& pts = fin->points[sa];
        return "(UFinite " + coq_list(pts.size(), [&](std::size_t k) { return coq_vector(pts[k], 0, m.S); }) + ")";
    }
    return "UNone";  // certify_* refused every other kind (certificate_unsupported)
}

std::string coq_dual(const RowDual& d, const integer& D) {
    if (d.type == "l1") return "(DL1 " + coq_q_over(d.mu, D) + " " + coq_q_over(d.lambda, D) + ")";
    if (d.type == "interval") return "(DInterval " + coq_q_over(d.mu, D) + ")";
    if (d.type == "finite") return "(DFinite " + std::to_string(d.index) + ")";
    return "DNone";
}

std::string coq_file(const MdpData& m, const RobustCertificate& c, const std::string& source) {
    const std::size_t S = m.S, A = m.A;
    auto sa_table = [&](auto item) {
        return coq_list(S, [&](std::size_t s) { return coq_list(A, [&](std::size_t a) { return item(s, a); }); });
    };
    // V, the duals' mu and lambda, and Q share one denominator D (V_i - mu is then a difference
    // of numerators in the checker).
    integer D = common_denominator(c.V, 0, S);
    for (const auto& d : c.dual) D = lcm(lcm(D, denominator(d.mu)), denominator(d.lambda));
    if (c.optimal) D = lcm(D, common_denominator(c.Q.data, 0, c.Q.data.size()));
    std::ostringstream o;
    o << "(* Generated by `rmdp certify --coq-from " << source << "`; checked by\n"
      << "   `bash scripts/coq-check.sh FILE.v` against formal/ (docs/formal.md).\n"
      << "   The statement is the theorem `certified` below; the data M and pi are the instance. *)\n"
      << "From Coq Require Import QArith List.\n"
      << "From RMDP Require Import Robust Checker.\n"
      << "Import ListNotations.\nOpen Scope Q_scope.\n\n";
    o << "Definition M : mdp := {|\n  nS := " << S << "; nA := " << A << "; gamma := " << coq_q(m.gamma) << ";\n"
      << "  cost := " << sa_table([&](std::size_t s, std::size_t a) { return coq_q(m.cost[s * A + a]); }) << ";\n"
      << "  kernel := "
      << sa_table([&](std::size_t s, std::size_t a) { return coq_row(m.P, s, a); }) << ";\n"
      << "  unc := " << sa_table([&](std::size_t s, std::size_t a) { return coq_uset(m, s, a); }) << " |}.\n\n";
    o << "Definition pi : policy := "
      << coq_list(S, [&](std::size_t s) { return coq_vector(c.policy.data, s * A, A); }) << ".\n\n";
    o << "Definition V : list Q := " << coq_vector_over(c.V, 0, S, D) << ".\n\n";
    o << "Definition C : certificate := {|\n  cert_V := V;\n"
      << "  cert_p := "
      << sa_table([&](std::size_t s, std::size_t a) { return coq_row(c.worst_case, s, a); })
      << ";\n  cert_dual := " << sa_table([&](std::size_t s, std::size_t a) { return coq_dual(c.dual[s * A + a], D); })
      << ";\n  cert_Q := "
      << (c.optimal ? sa_table([&](std::size_t s, std::size_t a) { return coq_q_over(c.Q(s, a), D); })
                    : std::string("[]"))
      << " |}.\n\n";
    const std::string kind = c.optimal ? "Optimal" : "Evaluation";
    const std::string prop = c.optimal ? "is_robust_optimal" : "is_robust_value";
    o << "Theorem certified : " << prop << " M pi V.\n"
      << "Proof.\n  change (holds M (" << kind << " pi) (cert_V C)).\n"
      << "  apply check_sound. vm_compute. reflexivity.\nQed.\n";
    return o.str();
}

std::string coq_refutation_file(const Refutation& r, const std::string& source) {
    const MdpData& m = r.mdp;
    const std::size_t S = m.S, A = m.A;
    const Refutable& k = find_refutable(r.claim, source);
    auto table = [&](std::size_t rows, std::size_t cols, auto item) {
        return coq_list(rows, [&](std::size_t i) { return coq_list(cols, [&](std::size_t j) { return item(i, j); }); });
    };
    std::ostringstream o;
    o << "(* Generated by `rmdp certify` from " << source << "; checked by\n"
      << "   `bash scripts/coq-check.sh FILE.v` against formal/ (docs/formal.md).\n"
      << "   The theorem `certified` says that the claim " << r.claim << ", stated in formal/Refute.v\n"
      << "   for every finite MDP and policies, is false; M, pi, pi' below are the counterexample. *)\n"
      << "From Coq Require Import QArith List.\n"
      << "From RMDP Require Import Robust Checker Refute.\n"
      << "Import ListNotations.\nOpen Scope Q_scope.\n\n";
    o << "Definition M : mdp := {|\n  nS := " << S << "; nA := " << A << "; gamma := " << coq_q(m.gamma) << ";\n"
      << "  cost := " << table(S, A, [&](std::size_t s, std::size_t a) { return coq_q(m.cost[s * A + a]); }) << ";\n"
      << "  kernel := "
      << table(S, A, [&](std::size_t s, std::size_t a) { return coq_row(m.P, s, a); }) << ";\n"
      << "  unc := " << table(S, A, [&](std::size_t s, std::size_t a) { return coq_uset(m, s, a); }) << " |}.\n\n";
    o << "Definition pi : policy := " << table(S, A, [&](std::size_t s, std::size_t a) { return coq_q(r.pi.pi[s * A + a]); })
      << ".\n";
    o << "Definition pi' : policy := "
      << table(S, A, [&](std::size_t s, std::size_t a) { return coq_q(r.pi_prime.pi[s * A + a]); }) << ".\n\n";
    o << "Definition C : refutation := {|\n  rf_M := M; rf_pi := pi; rf_pi' := pi';\n"
      << "  rf_R := " << table(S, S, [&](std::size_t i, std::size_t j) { return coq_q(r.R(i, j)); }) << ";\n"
      << "  rf_R' := " << table(S, S, [&](std::size_t i, std::size_t j) { return coq_q(r.R_prime(i, j)); }) << " |}.\n\n";
    o << "Theorem certified : ~ " << k.coq_prop << ".\n"
      << "Proof.\n  change (~ claim_of " << k.coq_claim << ").\n"
      << "  apply (check_refutation_sound " << k.coq_claim << " C). vm_compute. reflexivity.\nQed.\n";
    return o.str();
}

void write_text(const std::string& path, const std::string& text) {
    std::ofstream f(path);
    if (!f) throw input_error(path, "", "cannot write");
    f << text;
    f.flush();  // a full disk shows here, not only at close
    if (!f) throw input_error(path, "", "write failed");
}

int run(const Settings& st) {
    if (!st.coq_from.empty()) {
        if (st.args.size() != 1 || !st.pol_path.empty() || !st.out_path.empty() || !st.coq_path.empty())
            throw std::invalid_argument("certify --coq-from CERT.json FILE.v takes exactly one output file and no other options");
        const ReadCertificate rc = read_certificate(st.coq_from);
        write_text(st.args[0], rc.is_refutation ? coq_refutation_file(rc.refutation, st.coq_from)
                                                : coq_file(rc.mdp, rc.cert, st.coq_from));
        const std::string what = rc.is_refutation ? "refutation" : rc.cert.optimal ? "optimal" : "evaluation";
        std::cout << "wrote " << st.args[0] << " (" << what
                  << " certificate, nothing checked; run: bash scripts/coq-check.sh " << st.args[0] << ")\n";
        return 0;
    }
    if (!st.counterexample.empty()) {
        if (!st.args.empty() || !st.pol_path.empty())
            throw std::invalid_argument("certify --counterexample CX.json takes no MDP file and no --policy");
        if (st.out_path.empty()) throw std::invalid_argument("certify: --out CERT.json is required");
        const Refutation r = refutation_from_counterexample(st.counterexample);
        write_text(st.out_path, refutation_json(r).dump(1) + "\n");
        std::cout << "wrote " << st.out_path << " (refutation of " << r.claim << ")\n";
        if (!st.coq_path.empty()) {
            write_text(st.coq_path, coq_refutation_file(r, st.out_path));
            std::cout << "wrote " << st.coq_path << " (run: bash scripts/coq-check.sh " << st.coq_path << ")\n";
        }
        return 0;
    }
    if (st.args.size() != 1) throw std::invalid_argument("certify: expected one MDP file (or --coq-from CERT.json FILE.v)");
    if (st.out_path.empty()) throw std::invalid_argument("certify: --out CERT.json is required");
    const MdpData m = read_mdp(st.args[0]);
    const RobustCertificate c = st.pol_path.empty() ? certify_optimal(m) : certify_evaluation(m, read_policy(st.pol_path, m));
    write_text(st.out_path, certificate_json(m, c).dump(1) + "\n");
    std::cout << "wrote " << st.out_path << " (" << (c.optimal ? "optimal robust policy" : "robust evaluation") << ")\n";
    if (!st.coq_path.empty()) {
        write_text(st.coq_path, coq_file(m, c, st.out_path));
        std::cout << "wrote " << st.coq_path << " (run: bash scripts/coq-check.sh " << st.coq_path << ")\n";
    }
    return 0;
}

}  // namespace

Command add_certify_command(CLI::App& app) {
    auto st = std::make_shared<Settings>();
    auto* c = app.add_subcommand("certify", "write a certificate of an exact robust result, or translate one to Coq");
    c->add_option("args", st->args, "MDP.json (or FILE.v with --coq-from)");
    c->add_option("--policy", st->pol_path, "certify the robust value of this policy (default: the optimal robust policy)");
    c->add_option("--out", st->out_path, "certificate JSON to write");
    c->add_option("--coq", st->coq_path, "also write the Coq file of the certificate");
    c->add_option("--coq-from", st->coq_from, "translate this certificate JSON to Coq (checks nothing)");
    c->add_option("--counterexample", st->counterexample,
                  "certify the refutation in this counterexample file (resolvent-norm:b, occupancy-difference, "
                  "occupancy-lipschitz:b)");
    return {c, [st] { return run(*st); }};
}

}  // namespace rmdp::cli
