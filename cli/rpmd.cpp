// rmdp rpmd: a robust policy mirror descent run (docs/rpmd.md): the trajectory f_rho(pi_k), the gap
// to the certified optimum f_rho(pi*), the worst-case kernels u_k, and the right sides of the
// notes' bounds (rpmd-recursion, rpmd-sublinear), as a table, JSON, CSV and a gnuplot picture.
#include "commands.hpp"
#include "input.hpp"

#include "rmdp/arith.hpp"
#include "rmdp/error.hpp"
#include "rmdp/io.hpp"
#include "rmdp/rpmd.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <limits>
#include <optional>
#include <sstream>

#include <unistd.h>

namespace rmdp::cli {

namespace {

struct Settings {
    std::string mdp_path, pol_path, arith_text = "exact", bregman_text = "euclid", schedule_text = "constant";
    std::string eta_text = "1", tol_text, csv_path, plot_path;
    std::size_t steps = 20;
    bool as_json = false;
    MdpInputOptions input;
};

// One row of the trajectory, printed in the run's arithmetic (exact: p/q) with a decimal for people
// and pictures.
struct Row {
    std::size_t k = 0;
    std::string eta, f, gap, recursion, step_error;
    double eta_d = NAN, gap_d = 0, recursion_d = NAN, sublinear_d = NAN, step_error_d = NAN;
    json u, pi, V, Q;
};

struct Summary {
    std::vector<Row> rows;
    std::string stop;
};

// For people and pictures only, so it never throws: beyond double's range it is 0 or +-inf
// (an exact --eta 1e-4000 is a valid input whose decimal does not fit a double).
double to_double(const rational& q) {
    mpfr_t v;
    mpfr_init2(v, 53);
    mpfr_set_q(v, q.backend().data(), MPFR_RNDN);
    const double d = mpfr_get_d(v, MPFR_RNDN);
    mpfr_clear(v);
    return d;
}
double to_double(const mpfi_float& x) { return to_double(upper_rational(x)); }
template <class T>
double to_double(const T& x) {
    return to_double(exact_value(x));
}

std::string digits17(double x) {
    std::ostringstream o;
    o << std::setprecision(17) << x;
    return o.str();
}

std::string decimal(double x) {
    if (std::isnan(x)) return "-";
    std::ostringstream o;
    o << std::setprecision(6) << x;
    return o.str();
}

// Exact rationals can be long (bit sizes grow along a run): the table shows a decimal then.
std::string for_table(const std::string& exact, double approx) {
    return exact.size() <= 22 ? exact : "~" + decimal(approx);
}

// Rows from a run in T; bounds in B (T itself, or MPFI for the certified KL run).
template <class T, class B>
Summary summarise(const MdpData& md, const RpmdRun<T>& run, const Policy<rational>& pi_star, const rational& f_star,
                  const std::optional<rational>& M, const RpmdOptions& opt) {
    const Mdp<B> mb = convert<B>(md);
    const Policy<B> star_b = convert<B>(PolicyData{md.S, md.A, pi_star.data});
    auto to_b = [](const auto& x) -> B {
        if constexpr (std::is_same_v<T, B>) return x;
        else return from_rational<B>(exact_value(x));
    };
    auto policy_b = [&](const Policy<T>& p) {
        Policy<B> out(p.rows, p.cols);
        for (std::size_t i = 0; i < p.data.size(); ++i) out.data[i] = to_b(p.data[i]);
        return out;
    };
    const T fstar_t = from_rational<T>(f_star);
    std::vector<T> gaps;
    Summary sum;
    sum.stop = run.stop;
    for (std::size_t k = 0; k < run.iterates.size(); ++k) {
        const RpmdIterate<T>& it = run.iterates[k];
        Row r;
        r.k = k;
        r.eta = k + 1 < run.iterates.size() ? to_string(it.eta) : "";
        r.eta_d = to_double(it.eta);
        r.f = to_string(it.f);
        gaps.push_back(T(it.f - fstar_t));
        r.gap = to_string(gaps.back());
        r.gap_d = to_double(gaps.back());
        r.u = to_json(exact_kernel(it.u));
        r.pi = to_json_matrix(it.pi);
        r.V = to_json_vector(it.V);
        r.Q = to_json_matrix(it.Q);
        if (k >= 1 && M) {
            const RpmdIterate<T>& prev = run.iterates[k - 1];
            const Kernel<B> u = map_kernel<B>(prev.u, to_b);
            try {
                const B rhs = recursion_rhs(mb, u, policy_b(prev.pi), policy_b(it.pi), star_b, to_b(gaps[k - 1]),
                                            from_rational<B>(*M), to_b(prev.eta), opt.D);
                r.recursion = to_string(rhs);
                r.recursion_d = to_double(rhs);
            } catch (const std::domain_error&) {
                r.recursion = "inf";  // KL from a policy without full support: D_{pi_k}^{pi*} = +infinity
                r.recursion_d = std::numeric_limits<double>::infinity();
            }
        }
        sum.rows.push_back(std::move(r));
    }
    // rpmd-sublinear is stated for Euclidean steps with a constant step size.
    if (M && opt.D != bregman::kl && opt.schedule == step_schedule::constant)
        for (std::size_t k = 1; k < gaps.size(); ++k) {
            const SublinearSides<T> sides =
                sublinear_sides(gaps, k, md.S, from_rational<T>(md.gamma), from_rational<T>(*M), from_rational<T>(opt.eta));
            // A bound on gap_k alone: base + coef sqrt(arg) - (lhs - gap_k).
            sum.rows[k].sublinear_d = to_double(sides.base) + to_double(sides.coef) * std::sqrt(to_double(sides.arg)) -
                                      (to_double(sides.lhs) - to_double(gaps[k]));
        }
    return sum;
}

// Float runs carry no error bound (docs/rpmd.md): they are labelled uncertified, and refused
// where the arithmetic cannot carry gamma. The robust values of the run are solves of
// (I - gamma P) v = c, whose rounding error grows like (S + A + 2) u / (1 - gamma) relative to
// ||V|| (the same first-order estimate as the solvers' switch margin); above 2^-10 not even three
// digits of f_rho would be meaningful, so the run is refused with an arithmetic that can do it.
template <class T>
void require_conditioning(const MdpData& m, const std::string& file) {
    const rational u = exact_value(scalar_traits<T>::unit_roundoff());
    const rational amplification = rational(static_cast<long>(4 * (m.S + m.A + 2))) * u / (1 - m.gamma);
    if (amplification <= rational(1, 1024)) return;
    const rational gap = 1 - m.gamma;
    const long e = static_cast<long>(msb(denominator(gap))) - static_cast<long>(msb(numerator(gap))) + 1;
    throw input_error(file, "gamma",
                      "gamma is too close to 1 for " + std::string(scalar_traits<T>::name()) +
                          " arithmetic: the rounding error of the robust values, about 4 (S+A+2) u / (1 - gamma) = " +
                          decimal(to_double(amplification)) + " of their size, leaves no meaningful digit; use --arith mpfr:" +
                          std::to_string(e + 64) + " (or exact for Euclidean steps, interval:" + std::to_string(e + 64) + " for KL)");
}

// What a float run prints must be numbers and policies: finite gaps and bounds, policies in
// [0,1], and gaps not below minus the rounding estimate of the previous comment times the scale
// of f (at most max|c| / (1 - gamma)), since f_rho(pi) >= f_rho(pi*) for every policy. A row
// breaking this means the arithmetic failed: the run stops with an error instead of printing it.
template <class T>
void validate_float_rows(const Summary& sum, const MdpData& m, const std::string& arith) {
    const double cmax = to_double(c_max(m));
    const double one_minus_gamma = to_double(rational(1 - m.gamma));
    const double u = to_double(exact_value(scalar_traits<T>::unit_roundoff()));
    const double tol = 8.0 * static_cast<double>(m.S + m.A + 2) * u / one_minus_gamma * (cmax / one_minus_gamma);
    auto fail = [&](const Row& r, const std::string& what) {
        throw input_error("", "--arith",
                          "the " + arith + " run went wrong at k = " + std::to_string(r.k) + ": " + what +
                              "; use --arith exact (Euclidean steps) or interval:BITS (KL), or a smaller eta");
    };
    for (const Row& r : sum.rows) {
        if (!std::isfinite(r.gap_d)) fail(r, "f_rho(pi_k) is not finite");
        if (r.gap_d < -tol) fail(r, "f_rho(pi_k) - f_rho(pi*) = " + decimal(r.gap_d) + " < 0 beyond rounding");
        if (!r.recursion.empty() && r.recursion != "inf" && !std::isfinite(r.recursion_d))
            fail(r, "the rpmd-recursion bound is not finite");
        for (const auto& row : r.pi)
            for (const auto& x : row) {
                const double p = std::strtod(x.get<std::string>().c_str(), nullptr);
                if (!(p >= 0 && p <= 1)) fail(r, "pi_k is not a policy (entry " + x.get<std::string>() + ")");
            }
    }
}

void write_csv(const std::string& path, const Summary& s) {
    std::ofstream f(path);
    f << "k,eta_k,f_rho,gap,recursion_bound,sublinear_bound,step_error\n";
    for (const Row& r : s.rows) {
        auto num = [](double x) { return std::isnan(x) ? std::string() : digits17(x); };
        f << r.k << "," << r.eta << "," << r.f << "," << num(r.gap_d) << "," << num(r.recursion_d) << ","
          << num(r.sublinear_d) << "," << num(r.step_error_d) << "\n";
    }
    f.flush();  // a full disk shows only when the buffer is written
    if (!f) throw input_error(path, "--csv", "cannot write the file");
    f.close();
    if (f.fail()) throw input_error(path, "--csv", "cannot write the file");
}

std::string gp_quote(const std::string& s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}

// f_rho(pi_k) - f_rho(pi*) against k on a log scale, next to each bound. Values that are 0 (or
// not positive) have no place on a log axis: they are left out and the key says so.
void write_plot(const std::string& path, const Summary& s, const std::string& title, bool exact_gaps) {
    const std::string ext = std::filesystem::path(path).extension().string();
    std::string terminal;
    if (ext == ".png") terminal = "pngcairo size 1000,640 enhanced font 'DejaVu Sans,11'";
    else if (ext == ".svg") terminal = "svg size 1000,640 enhanced font 'DejaVu Sans,11' background rgb 'white'";
    else throw input_error("", "--plot", "expected a file name ending in .png or .svg, got '" + path + "'");
    const std::filesystem::path dir = std::filesystem::temp_directory_path() / ("rmdp-plot-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const std::string data = (dir / "data.tsv").string(), script = (dir / "plot.gp").string();
    std::size_t zeros = 0;
    bool any_rec = false, any_sub = false;
    {
        std::ofstream d(data);
        auto col = [](double x) { return (std::isnan(x) || !(x > 0) || std::isinf(x)) ? std::string("NaN") : digits17(x); };
        for (const Row& r : s.rows) {
            if (!(r.gap_d > 0)) ++zeros;
            any_rec = any_rec || (r.recursion_d > 0 && !std::isinf(r.recursion_d));
            any_sub = any_sub || r.sublinear_d > 0;
            d << r.k << "\t" << col(r.gap_d) << "\t" << col(r.recursion_d) << "\t" << col(r.sublinear_d) << "\n";
        }
    }
    std::string gap_title = "f_ρ(π_k) − f_ρ(π*)";
    if (zeros > 0)
        gap_title += " (" + std::to_string(zeros) + (exact_gaps ? " iterate(s) with gap exactly 0" : " iterate(s) with computed gap <= 0") +
                     " not drawn: no place on a log axis)";
    {
        std::ofstream g(script);
        g << "set terminal " << terminal << "\n"
          << "set output " << gp_quote(path) << "\n"
          << "set title " << gp_quote(title) << " noenhanced\n"
          << "set xlabel 'iteration k'\nset ylabel 'optimality gap (log scale)'\n"
          << "set logscale y\nset format y '10^{%L}'\nset grid xtics ytics mytics lc rgb '#dddddd'\n"
          << "set key outside top center vertical Left reverse maxrows 3 box noenhanced spacing 1.1\n"
          << "set datafile missing 'NaN'\nset xrange [-0.5:*]\nset offsets 0, 0.5, 0, 0\n"
          << "plot " << gp_quote(data) << " using 1:2 with linespoints lw 2 pt 7 ps 0.8 lc rgb '#1f77b4' title "
          << gp_quote(gap_title);
        if (any_rec)
            g << ", '' using 1:3 with points pt 6 ps 1.1 lc rgb '#d62728' title "
              << gp_quote("rpmd-recursion bound on gap_k (from iterate k−1)");
        if (any_sub)
            g << ", '' using 1:4 with lines lw 2 dt 2 lc rgb '#2ca02c' title "
              << gp_quote("rpmd-sublinear bound on gap_k");
        g << "\n";
    }
    const std::string cmd = "gnuplot " + script + " 2>&1";
    FILE* p = ::popen(cmd.c_str(), "r");
    if (!p) throw input_error("", "--plot", "cannot run gnuplot");
    std::string messages;
    char buf[256];
    while (std::fgets(buf, sizeof buf, p)) messages += buf;
    const int status = ::pclose(p);
    std::filesystem::remove_all(dir);
    if (status != 0)
        throw input_error("", "--plot", "gnuplot failed (is gnuplot installed? scripts/setup.sh installs it): " + messages);
}

int run(const Settings& st) {
    const Arith arith = parse_arith(st.arith_text);
    RpmdOptions opt;
    if (st.bregman_text == "euclid") opt.D = bregman::euclid;
    else if (st.bregman_text == "euclid-w") opt.D = bregman::euclid_w;
    else if (st.bregman_text == "kl") opt.D = bregman::kl;
    else throw input_error("", "--bregman", "expected 'euclid', 'euclid-w' or 'kl', got '" + st.bregman_text + "'");
    if (st.schedule_text == "constant") opt.schedule = step_schedule::constant;
    else if (st.schedule_text == "linear") opt.schedule = step_schedule::linear;
    else throw input_error("", "--schedule", "expected 'constant' or 'linear', got '" + st.schedule_text + "'");
    try {
        opt.eta = parse_rational(st.eta_text);
        if (!st.tol_text.empty()) opt.tolerance = parse_rational(st.tol_text);
    } catch (const std::invalid_argument& e) {
        throw input_error("", st.tol_text.empty() ? "--eta" : "--eta/--tolerance", e.what());
    }
    if (opt.eta <= 0) throw input_error("", "--eta", "the step size must be positive, got " + opt.eta.str());
    if (opt.tolerance && *opt.tolerance < 0) throw input_error("", "--tolerance", "must be >= 0");
    opt.steps = st.steps;
    if (opt.D == bregman::kl && arith.type == Arith::kind::exact)
        throw input_error("", "--arith",
                          "the KL step pi e^{-eta Q}/Z needs exp, which exact rationals do not have: use --arith "
                          "interval:BITS (exact iterates, certified enclosure of every step), mpfr:BITS or double");
    if (opt.D != bregman::kl && arith.type == Arith::kind::interval)
        throw input_error("", "--arith", "Euclidean steps are exact: use --arith exact (intervals are for the KL step)");

    const MdpData m = load_mdp(st.mdp_path, st.input);
    Policy<rational> pi0(m.S, m.A);
    if (!st.pol_path.empty()) {
        pi0 = convert<rational>(read_policy(st.pol_path, m));
    } else {
        for (auto& x : pi0.data) x = rational(1, static_cast<long>(m.A));  // uniform: full support for KL
    }
    // pi*, f_rho(pi*) and M exactly, whatever the run's arithmetic; pi* carries its certificate.
    const Mdp<rational> mq = convert<rational>(m);
    const UncertaintySet<rational> Uq = convert<rational>(m.uncertainty);
    const RobustSolution<rational> sol = robust_solve(mq, Uq);
    if (!is_robust_optimal(mq, Uq, sol.policy, sol.V)) throw std::logic_error("robust_solve returned an uncertified answer");
    rational f_star = 0;
    for (std::size_t s = 0; s < m.S; ++s) f_star += m.rho[s] * sol.V[s];
    const RpmdConstant Mc = rpmd_constant(m, sol.policy);

    // A long exact run is allowed; rpmd_run warns (through the CLI's warning reporter) first.
    Summary sum;
    dispatch(arith, [&]<class T>() {
        if constexpr (is_interval_v<T>) {
            CertifiedKlRun c;
            try {
                c = rpmd_run_certified_kl(mq, Uq, pi0, opt, &f_star);
            } catch (const std::invalid_argument& e) {  // a step size beyond what exact iterates can carry
                throw input_error("", "--eta", e.what());
            }
            sum = summarise<rational, mpfi_float>(m, c.run, sol.policy, f_star, Mc.M, opt);
            for (std::size_t k = 0; k < c.step_error.size() && k + 1 < sum.rows.size(); ++k) {
                sum.rows[k + 1].step_error = c.step_error[k].str();
                sum.rows[k + 1].step_error_d = to_double(c.step_error[k]);
            }
        } else {
            const Mdp<T> mt = convert<T>(m);  // refuses a gamma that rounds to 1 in T
            if constexpr (!is_exact_v<T>) require_conditioning<T>(m, st.mdp_path);
            const T fs = from_rational<T>(f_star);
            RpmdRun<T> r;
            try {
                r = rpmd_run(mt, convert<T>(m.uncertainty), convert<T>(PolicyData{m.S, m.A, pi0.data}), opt, &fs);
            } catch (const std::invalid_argument& e) {  // an iterate left the simplex
                throw input_error("", "--eta", e.what());
            }
            sum = summarise<T, T>(m, r, sol.policy, f_star, Mc.M, opt);
            if constexpr (!is_exact_v<T>) validate_float_rows<T>(sum, m, arith.name());
        }
    });

    json out{{"arith", arith.name()},
             {"bregman", to_string(opt.D)},
             {"schedule", to_string(opt.schedule)},
             {"eta", opt.eta.str()},
             {"steps", opt.steps},
             {"stop", sum.stop},
             {"pi_star", to_json_matrix(sol.policy)},
             {"f_star", f_star.str()},
             {"M", Mc.M ? json(Mc.M->str()) : json("inf")},
             {"M_state", Mc.argmax},
             {"sup_visits", to_json_vector(Mc.sup_visits)},
             {"certified", arith.type == Arith::kind::exact || arith.type == Arith::kind::interval}};
    json rows = json::array();
    for (const Row& r : sum.rows) {
        json j{{"k", r.k}, {"f", r.f}, {"gap", r.gap}, {"pi", r.pi}, {"V", r.V}, {"Q", r.Q}, {"u", r.u}};
        if (!r.eta.empty()) j["eta"] = r.eta;
        if (!r.recursion.empty()) j["recursion_bound"] = r.recursion;
        if (!std::isnan(r.sublinear_d)) j["sublinear_bound"] = r.sublinear_d;
        if (!r.step_error.empty()) j["step_error"] = r.step_error;
        rows.push_back(j);
    }
    out["trajectory"] = rows;
    const std::string title = "RPMD on " + std::filesystem::path(st.mdp_path).filename().string() + " (|S|=" +
                              std::to_string(m.S) + ", |A|=" + std::to_string(m.A) + ", γ=" + m.gamma.str() + ", " +
                              std::string(m.uncertainty.kind()) + "): " + to_string(opt.D) + " steps, η" +
                              (opt.schedule == step_schedule::constant ? " = " : "_k = (k+1)·") + for_table(opt.eta.str(), to_double(opt.eta)) +
                              ", " + arith.name();
    if (!st.csv_path.empty()) write_csv(st.csv_path, sum);
    if (!st.plot_path.empty())
        write_plot(st.plot_path, sum,
                   title + "\nf_ρ(π*) = " + decimal(to_double(f_star)) +
                       ", M = " + (Mc.M ? decimal(to_double(*Mc.M)) : std::string("inf")) + ", stopped: " + sum.stop,
                   arith.type == Arith::kind::exact || arith.type == Arith::kind::interval);
    if (st.as_json) {
        std::cout << out.dump(2) << "\n";
        return 0;
    }
    std::cout << title << "\n"
              << "pi* (certified optimal): f_rho(pi*) = " << for_table(f_star.str(), to_double(f_star))
              << "; M = sup_u ||d_rho^{pi*,u}/rho||_inf = "
              << (Mc.M ? for_table(Mc.M->str(), to_double(*Mc.M)) : std::string("inf (rho has zeros)"))
              << " (state " << Mc.argmax << ")\nstopped: " << sum.stop << "\n\n";
    std::cout << std::left << std::setw(5) << "k" << std::setw(12) << "eta_k" << std::setw(24) << "f_rho(pi_k)"
              << std::setw(24) << "gap" << std::setw(24) << "recursion bound" << std::setw(16) << "sublinear bound";
    const bool certified = arith.type == Arith::kind::interval;
    if (certified) std::cout << "step error";
    std::cout << "\n";
    for (const Row& r : sum.rows) {
        std::cout << std::setw(5) << r.k << std::setw(12) << (r.eta.empty() ? std::string() : for_table(r.eta, r.eta_d)) << std::setw(24)
                  << for_table(r.f, r.gap_d + to_double(f_star)) << std::setw(24) << for_table(r.gap, r.gap_d)
                  << std::setw(24) << (r.recursion.empty() ? "-" : for_table(r.recursion, r.recursion_d)) << std::setw(16)
                  << decimal(r.sublinear_d);
        if (certified) std::cout << (r.step_error.empty() ? "-" : "<= " + decimal(r.step_error_d));
        std::cout << "\n";
    }
    std::cout << "\ngap = f_rho(pi_k) - f_rho(pi*); recursion bound = right side of rpmd-recursion from iterate k-1; "
                 "sublinear bound = rpmd-sublinear solved for gap_k (Euclidean, constant eta)\n";
    if (certified)
        std::cout << "interval: iterates are exact rationals; step error = certified bound on the distance to the exact KL "
                     "step from the previous iterate\n";
    if (arith.type == Arith::kind::exact) std::cout << "exact rationals in --json; long ones shown as ~decimal\n";
    if (arith.type != Arith::kind::exact && !certified)
        std::cout << "UNCERTIFIED: a " << arith.name() << " run carries no error bound on its numbers (checked only: "
                  << "policies on the simplex, finite values, gaps not below -rounding); --arith exact (Euclidean) "
                     "or interval:BITS (KL) certify\n";
    return 0;
}

}  // namespace

Command add_rpmd_command(CLI::App& app) {
    auto st = std::make_shared<Settings>();
    auto* sub = app.add_subcommand("rpmd", "robust policy mirror descent: trajectory, gap to pi*, bounds, plot");
    sub->add_option("mdp", st->mdp_path, "MDP file with an uncertainty set (JSON, or craam2 CSV with --gamma and --uncertainty)")->required();
    sub->add_option("--bregman", st->bregman_text, "euclid (1/2||.||^2, default) | euclid-w (||.||^2) | kl");
    sub->add_option("--eta", st->eta_text, "step size eta > 0 (exact rational, e.g. 1/2; default 1)");
    sub->add_option("--schedule", st->schedule_text, "constant (eta_k = eta, default) | linear (eta_k = (k+1) eta)");
    sub->add_option("--steps", st->steps, "at most K steps (default 20)")->check(CLI::Range(0, 100000));
    sub->add_option("--policy", st->pol_path, "initial policy pi_0 (default uniform)");
    sub->add_option("--tolerance", st->tol_text, "also stop once f_rho(pi_k) - f_rho(pi*) <= TOL");
    sub->add_option("--arith", st->arith_text, "exact (Euclidean) | interval:BITS (KL, certified) | mpfr:BITS | double | long-double");
    sub->add_option("--csv", st->csv_path, "write the trajectory as CSV");
    sub->add_option("--plot", st->plot_path, "draw gap and bounds with gnuplot (FILE.png or FILE.svg)");
    sub->add_flag("--json", st->as_json, "machine-readable output");
    add_mdp_input_options(sub, st->input);
    return {sub, [st]() -> int { return run(*st); }};
}

}  // namespace rmdp::cli
