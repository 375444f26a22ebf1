// Claims of claims.md "Gradients" and "Variational inequality" (docs/gradients.md):
// pg-fixed-u, occupancy-lipschitz:a/:b, frechet-subgradient, differentiable-everywhere,
// vi-nonrobust-identity (+ :corrected), vi-robust-identity (+ :corrected, :inequality).
//
// Limit claims are checked through quantitative remainder bounds proved in docs/gradients.md
// (their truth implies the limit); differentiability is decided exactly through Danskin's
// directional derivatives, whose certificates (derivative_bellman W = W) are verified here.
#include "certified.hpp"
#include "compare.hpp"
#include "registry.hpp"

#include "rmdp/error.hpp"
#include "rmdp/gradient.hpp"
#include "rmdp/norms.hpp"
#include "rmdp/solvers.hpp"

#include <stdexcept>

namespace rmdp::checks {

namespace {

// ------------------------------------------------------------------ instances

// A non-zero feasible direction at pi: random_direction (rows zero with chance 1/3, so delta = 0 on
// about a third of small instances) redrawn from the same stream until some entry is non-zero (at
// most 64 draws; |A| >= 2 makes a non-zero draw likely at every try).
std::vector<rational> nonzero_direction(Rng& rng, const PolicyData& pi, const GeneratorOptions& opt) {
    std::vector<rational> delta;
    for (int attempt = 0; attempt < 64; ++attempt) {
        delta = random_direction(rng, pi, opt);
        for (const auto& x : delta)
            if (x != 0) return delta;
    }
    return delta;
}

// pi' = pi + t delta with delta = pi'' - pi != 0 (some rows zero) and t in {1, 1/2, 1/8, 1/64, 1/1024}:
// far and near pairs; pi has vertex rows with chance 1/4 (boundary policies).
Instance with_nearby_pair(Instance inst, Rng& rng, const GeneratorOptions& opt) {
    const PolicyData pi = random_policy(rng, inst.mdp, opt);
    const std::vector<rational> delta = nonzero_direction(rng, pi, opt);
    static const long inverse_steps[] = {1, 2, 8, 64, 1024};
    const rational t(1, inverse_steps[rng.below(5)]);
    PolicyData near = pi;
    for (std::size_t i = 0; i < near.pi.size(); ++i) near.pi[i] += t * delta[i];
    inst.policies["pi"] = pi;
    inst.policies["pi_prime"] = near;
    return inst;
}

// Sizes for the remainder and Lipschitz claims: with |S| = 1, |A| = 1 or gamma = 0 the value is affine
// in pi (R = 0 identically) or there is no direction at all, so those draws test nothing: |S|, |A| >= 2
// and the MDP is redrawn from the same stream while gamma = 0.
GeneratorOptions at_least_two(GeneratorOptions opt) {
    opt.min_states = std::min<std::size_t>(2, opt.max_states);
    opt.min_actions = std::min<std::size_t>(2, opt.max_actions);
    return opt;
}

template <class Draw>
MdpData discounted(Draw&& draw) {
    MdpData m;
    do m = draw();
    while (m.gamma == 0);
    return m;
}

Instance draw_fixed_pair(Rng& rng, const GeneratorOptions& opt, std::size_t trial) {
    const GeneratorOptions o = at_least_two(opt);
    Instance inst;
    inst.mdp = discounted([&] { return random_mdp(rng, o, trial); });
    return with_nearby_pair(std::move(inst), rng, o);
}

Instance draw_robust_pair(Rng& rng, const GeneratorOptions& opt, std::size_t trial) {
    const GeneratorOptions o = at_least_two(opt);
    Instance inst;
    inst.mdp = discounted([&] { return random_robust_mdp(rng, o, trial); });
    return with_nearby_pair(std::move(inst), rng, o);
}

json direction_json(const std::vector<rational>& delta, std::size_t A) {
    json rows = json::array();
    for (std::size_t i = 0; i < delta.size(); i += A) {
        json row = json::array();
        for (std::size_t a = 0; a < A; ++a) row.push_back(delta[i + a].str());
        rows.push_back(row);
    }
    return rows;
}

// State `to` becomes an exact copy of state `from` (costs, kernel rows, uncertainty rows), so
// V_r(to) = V_r(from) and Q_r(to,.) = Q_r(from,.): nature is indifferent between them, and every
// worst case that moves mass into (or out of) them has a face of splits between the two.
void copy_state(MdpData& m, std::size_t from, std::size_t to) {
    for (std::size_t a = 0; a < m.A; ++a) {
        m.cost[to * m.A + a] = m.cost[from * m.A + a];
        for (std::size_t t = 0; t < m.S; ++t) m.P(to, a, t) = m.P(from, a, t);
    }
    copy_state_rows(m.uncertainty, m.S, m.A, from, to);
}

// An interior policy (both +delta and -delta feasible) and a direction stored in extra.direction.
// Ties on purpose beyond random_robust_mdp's: with chance 3/4 (S >= 2) a random state becomes a
// copy of another, so that nature's worst cases have non-singleton faces (the only places where
// f_rho can fail to be differentiable, docs/gradients.md).
Instance draw_interior(Rng& rng, const GeneratorOptions& opt0, std::size_t trial) {
    GeneratorOptions opt = opt0;  // |A| >= 2: with one action there is no direction to differentiate along
    opt.min_actions = std::min<std::size_t>(2, opt.max_actions);
    Instance inst;
    inst.mdp = random_robust_mdp(rng, opt, trial);
    if (inst.mdp.S >= 2 && rng.chance(3, 4)) {
        const std::size_t from = rng.below(inst.mdp.S), to = (from + 1 + rng.below(inst.mdp.S - 1)) % inst.mdp.S;
        copy_state(inst.mdp, from, to);
    }
    inst.policies["pi"] = random_interior_policy(rng, inst.mdp, opt);
    inst.extra["direction"] = direction_json(nonzero_direction(rng, inst.policies["pi"], opt), inst.mdp.A);
    return inst;
}

Instance draw_nominal_one(Rng& rng, const GeneratorOptions& opt, std::size_t trial) {
    Instance inst;
    inst.mdp = random_mdp(rng, opt, trial);
    inst.policies["pi"] = random_policy(rng, inst.mdp, opt);
    return inst;
}

Instance draw_robust_one(Rng& rng, const GeneratorOptions& opt, std::size_t trial) {
    Instance inst;
    inst.mdp = random_robust_mdp(rng, opt, trial);
    inst.policies["pi"] = random_policy(rng, inst.mdp, opt);
    return inst;
}

// ------------------------------------------------------------------ constants (norms: rmdp/norms.hpp)

template <class T>
Matrix<T> difference(const Matrix<T>& x, const Matrix<T>& y) {
    Matrix<T> d(x.rows, x.cols);
    for (std::size_t i = 0; i < d.data.size(); ++i) d.data[i] = x.data[i] - y.data[i];
    return d;
}

// C = gamma c_max / (1 - gamma)^3, the remainder constant of docs/gradients.md:
// |R(delta)| <= C ||delta||_{1,inf}^2 <= C |A| ||delta||_2^2.
template <class T>
T remainder_constant(const MdpData& m) {
    const rational one_minus = 1 - m.gamma;
    return from_rational<T>(m.gamma * c_max(m) / (one_minus * one_minus * one_minus));
}

template <class T>
bool is_zero(const Matrix<T>& M) {
    for (const auto& x : M.data)
        if (!rmdp::is_zero(x)) return false;  // filtered for intervals (the direction is exact data)
    return true;
}

// ------------------------------------------------------------------ certified solver output

// nu with nu P = nu and sum nu = 1, verified by the definition.
template <class T>
Vector<T> certified_stationary(const Matrix<T>& P, const Judge<T>& judge) {
    const Vector<T> nu = stationary_distribution(P);
    T total(0);
    for (const auto& x : nu) total += x;
    // Intervals: interval elimination encloses the exact solution by construction; the definition
    // must not be certainly violated (certified.hpp).
    auto fails_eq = [&](const T& a, const T& b) { return certificate_fails(judge, a, b); };
    auto fails_le = [&](const T& a, const T& b) {
        if constexpr (is_interval_v<T>)
            return scalar_traits<T>::le(a, b) == truth::no;
        else
            return judge.le(a, b) != truth::yes;
    };
    bool ok = !fails_eq(total, T(1));
    for (std::size_t j = 0; j < P.cols && ok; ++j) {
        T next(0);
        for (std::size_t i = 0; i < P.rows; ++i) next += nu[i] * P(i, j);
        ok = !fails_eq(next, nu[j]) && !fails_le(T(0), nu[j]);
    }
    if (!ok) throw std::logic_error("stationary_distribution returned nu with nu P != nu or sum nu != 1");
    return nu;
}

// (W, h) certified: h = sum_a delta Q_r^pi and W = derivative_bellman(W), the unique fixed point of a
// gamma-contraction; then f_rho'(pi; delta) = rho . W (Danskin, docs/gradients.md).
template <class T>
T certified_directional_derivative(const Mdp<T>& m, const UncertaintySet<T>& U, const Policy<T>& pi, const Vector<T>& V,
                                   const Matrix<T>& delta) {
    const DirectionalDerivative<T> d = directional_derivative(m, U, pi, V, delta);
    const Vector<T> h = derivative_cost(robust_q(m, U, V), delta);
    const Vector<T> TW = derivative_bellman(m, U, pi, V, h, d.W);
    if (h != d.h || TW != d.W) throw std::logic_error("directional_derivative returned W with T_F W != W");
    return dot(m.rho, d.W);
}

// ------------------------------------------------------------------ checks

template <class T>
Matrix<T> direction_between(const Instance& inst) {
    return difference(convert<T>(inst.policy("pi_prime")), convert<T>(inst.policy("pi")));
}

// pg-fixed-u, quantitative: R(delta) = V_u^{pi+delta}(s) - V_u^pi(s) - <g_s, delta> satisfies
// |R| <= C ||delta||_{1,inf}^2 and |R| <= C |A| ||delta||_2^2 at every s and for rho.
template <class T>
Finding check_pg_fixed_u(const Instance& inst) {
    const Mdp<T> m = convert<T>(inst.mdp);
    const Policy<T> pi = convert<T>(inst.policy("pi")), pi2 = convert<T>(inst.policy("pi_prime"));
    const Matrix<T> delta = difference(pi2, pi);
    if (is_zero(delta)) return Tally().f;  // pi' = pi: R = 0 <= 0, nothing compared (vacuous)
    const Vector<T> V = value(m, m.P, pi), V2 = value(m, m.P, pi2);
    const T C = remainder_constant<T>(inst.mdp);
    const T n1 = sum_norm(delta, true);
    const T bound_1inf = C * n1 * n1, bound_2 = C * T(static_cast<long>(m.A)) * squared_norm(delta.data);
    const Judge<T> judge{float_tolerance<T>(inst.mdp)};
    Tally tally;
    auto test = [&](const T& R, const std::string& where) {
        tally.add(judge.le(R, bound_1inf), where + " (R <= C ||delta||_{1,inf}^2)", R, bound_1inf, "<=");
        tally.add(judge.le(T(-R), bound_1inf), where + " (-R <= C ||delta||_{1,inf}^2)", T(-R), bound_1inf, "<=");
        tally.add(judge.le(R, bound_2), where + " (R <= C |A| ||delta||_2^2)", R, bound_2, "<=");
        tally.add(judge.le(T(-R), bound_2), where + " (-R <= C |A| ||delta||_2^2)", T(-R), bound_2, "<=");
    };
    for (std::size_t s = 0; s < m.S; ++s) {
        Vector<T> e(m.S, T(0));
        e[s] = T(1);
        test(T(V2[s] - V[s] - dot(policy_gradient(m, m.P, pi, e).data, delta.data)), at(s));
    }
    test(T(dot(m.rho, V2) - dot(m.rho, V) - dot(policy_gradient(m, m.P, pi, m.rho).data, delta.data)), "rho");
    return tally.f;
}

// occupancy-lipschitz: ||d_s^{pi'} - d_s^pi||_1 <= gamma/(1-gamma) ||P^{pi'} - P^pi|| with the row-sum
// norm (:a) or the column-sum norm (:b), and step (a): ||P^{pi'} - P^pi|| <= K ||pi' - pi||_inf with
// K = |A| (:a, through ||delta||_{1,inf}) and K = |S||A|/2 (:b, through |S| ||delta||_{1,inf}/2).
template <class T, bool rows>
Finding check_occupancy_lipschitz(const Instance& inst) {
    const Mdp<T> m = convert<T>(inst.mdp);
    const Policy<T> pi = convert<T>(inst.policy("pi")), pi2 = convert<T>(inst.policy("pi_prime"));
    const Matrix<T> delta = difference(pi2, pi);
    if (is_zero(delta)) return Tally().f;  // pi' = pi: every side is 0 (vacuous)
    const Matrix<T> dD = difference(occupancy(m, m.P, pi2), occupancy(m, m.P, pi));
    const Matrix<T> dP = difference(policy_kernel(m.P, pi2), policy_kernel(m.P, pi));
    const T normP = sum_norm(dP, rows);
    const T factor = m.gamma / (T(1) - m.gamma);
    const Judge<T> judge{float_tolerance<T>(inst.mdp)};
    Tally tally;
    for (std::size_t s = 0; s < m.S; ++s) {
        using std::abs;  // |x| needs no decision: the sum encloses the exact one in MPFI
        T lhs(0);
        for (std::size_t t = 0; t < m.S; ++t) lhs += T(abs(dD(s, t)));
        T rhs = factor * normP;
        tally.add(judge.le(lhs, rhs), at(s) + " (||d'_s - d_s||_1 <= gamma/(1-gamma) ||P' - P||)", lhs, rhs, "<=");
    }
    const T n1 = sum_norm(delta, true), ninf = sup_norm(delta.data);
    const T S(static_cast<long>(m.S)), A(static_cast<long>(m.A));
    const T via = rows ? n1 : T(S * n1 / 2), K = rows ? A : T(S * A / 2);
    tally.add(judge.le(normP, via), rows ? "step (a): ||P' - P||_row <= ||delta||_{1,inf}" : "step (a): ||P' - P||_col <= |S| ||delta||_{1,inf} / 2",
              normP, via, "<=");
    tally.add(judge.le(via, T(K * ninf)), rows ? "step (a): ||delta||_{1,inf} <= |A| ||delta||_inf" : "step (a): |S| ||delta||_{1,inf} / 2 <= |S||A|/2 ||delta||_inf",
              via, T(K * ninf), "<=");
    return tally.f;
}

// frechet-subgradient, quantitative: f(pi') - f(pi) - <grad f(pi), pi' - pi> >= -C ||delta||_{1,inf}^2
// (>= -C |A| ||delta||_2^2), for the gradient of two worst-case kernels of V_r^pi: the lowest-index
// maximisers (u_pi of the library) and the face maximisers towards high state indices.
template <class T>
Finding check_frechet_subgradient(const Instance& inst) {
    const Mdp<T> m = convert<T>(inst.mdp);
    const UncertaintySet<T> U = convert<T>(inst.mdp.uncertainty);
    const Judge<T> judge{float_tolerance<T>(inst.mdp)};
    const Policy<T> pi = convert<T>(inst.policy("pi")), pi2 = convert<T>(inst.policy("pi_prime"));
    const Matrix<T> delta = difference(pi2, pi);
    if (is_zero(delta)) return Tally().f;  // pi' = pi: 0 >= 0 (vacuous)
    const Vector<T> V = certified_robust_value(m, U, pi, judge), V2 = certified_robust_value(m, U, pi2, judge);
    const T gap = dot(m.rho, V2) - dot(m.rho, V);
    const T C = remainder_constant<T>(inst.mdp);
    const T n1 = sum_norm(delta, true);
    const T bound_1inf = -(C * n1 * n1), bound_2 = -(C * T(static_cast<long>(m.A)) * squared_norm(delta.data));
    Vector<T> index(m.S);
    for (std::size_t s = 0; s < m.S; ++s) index[s] = T(static_cast<long>(s));
    Tally tally;
    const std::pair<const char*, Kernel<T>> kernels[] = {{"u_pi lowest-index", worst_case_kernel(U, m.P, V)},
                                                         {"u_pi highest-index", worst_case_kernel_on_face(U, m.P, V, index)}};
    for (const auto& [name, u] : kernels) {
        const RobustGradient<T> g = robust_gradient_at(m, pi, u);
        for (std::size_t s = 0; s < m.S; ++s)
            if (certificate_fails(judge, g.V[s], V[s])) throw std::logic_error("a worst-case kernel does not attain V_r^pi");
        const T lhs = gap - dot(g.gradient.data, delta.data);
        tally.add(judge.le(bound_1inf, lhs), std::string(name) + " (>= -C ||delta||_{1,inf}^2)", lhs, bound_1inf, ">=");
        tally.add(judge.le(bound_2, lhs), std::string(name) + " (>= -C |A| ||delta||_2^2)", lhs, bound_2, ">=");
    }
    return tally.f;
}

std::string direction_text(const Matrix<rational>& d) {
    std::string out = "[";
    for (std::size_t s = 0; s < d.rows; ++s) {
        out += s ? ", [" : "[";
        for (std::size_t a = 0; a < d.cols; ++a) out += (a ? ", " : "") + d(s, a).str();
        out += "]";
    }
    return out + "]";
}

// The two-sided directions of differentiable-everywhere at pi: extra.direction when both +d and -d
// are feasible, and the basis e_(s,a) - e_(s,first) of such directions at every state; `interior`
// says whether pi > 0 everywhere (then they span every feasible direction).
struct TwoSided {
    std::vector<std::pair<std::string, Matrix<rational>>> directions;
    bool interior = true;
};

TwoSided two_sided_directions(const Instance& inst) {
    const PolicyData& pd = inst.policy("pi");
    const Policy<rational> pi = convert<rational>(pd);
    const std::size_t S = pi.rows, A = pi.cols;
    TwoSided out;
    if (inst.extra.contains("direction")) {
        Matrix<rational> d(S, A);
        d.data = parse_direction(inst.extra.at("direction"), pd, "", "instance.extra.direction");
        bool both = true;  // -d feasible too
        for (std::size_t i = 0; i < d.data.size(); ++i) both = both && (d.data[i] == 0 || pi.data[i] > 0);
        if (both && !is_zero(d)) out.directions.emplace_back("extra.direction", d);  // d = 0: 0 + 0 = 0 says nothing
    }
    for (std::size_t s = 0; s < S; ++s) {
        std::size_t first = A;
        for (std::size_t a = 0; a < A; ++a) {
            if (pi(s, a) == 0) {
                out.interior = false;
                continue;
            }
            if (first == A) {
                first = a;
                continue;
            }
            Matrix<rational> d(S, A);
            d(s, a) = 1;
            d(s, first) = -1;
            out.directions.emplace_back("basis e_(" + std::to_string(s) + "," + std::to_string(a) + ") - e_(" +
                                            std::to_string(s) + "," + std::to_string(first) + ")",
                                        d);
        }
    }
    return out;
}

Matrix<rational> negated(Matrix<rational> d) {
    for (auto& x : d.data) x = -x;
    return d;
}

// Linear on the two-sided directions but pi on the boundary of Pi: the one-sided ones are not decided.
void boundary_note(Tally& tally, bool interior) {
    if (tally.f.result == truth::yes && !interior) {
        tally.f.result = truth::unknown;
        tally.f.note = "pi is on the boundary of Pi: linear on the two-sided directions, one-sided ones not decided";
    }
}

// differentiable-everywhere, decided exactly at pi. f' = f_rho'(pi; .) is sublinear; on the subspace
// L of directions with both +delta and -delta feasible it is linear iff f'(d) + f'(-d) = 0 for a
// basis d of L (then f'(x) <= sum x_i f'(e_i) and f'(-x) <= -sum x_i f'(e_i) force equality). So:
// a basis direction (or extra.direction) with f'(d) + f'(-d) > 0 refutes differentiability at pi;
// zero on the whole basis proves it when pi is interior (L is then every feasible direction, and a
// linear Hadamard directional derivative of the Lipschitz f is a gradient in the notes' sense).
Finding differentiable_exact(const Instance& inst) {
    const Mdp<rational> m = convert<rational>(inst.mdp);
    const UncertaintySet<rational> U = convert<rational>(inst.mdp.uncertainty);
    const Policy<rational> pi = convert<rational>(inst.policy("pi"));
    const Judge<rational> judge{0};
    const Vector<rational> V = certified_robust_value(m, U, pi, judge);
    const TwoSided two = two_sided_directions(inst);
    Tally tally;
    for (const auto& [name, d] : two.directions) {
        const rational up = certified_directional_derivative(m, U, pi, V, d);
        const rational down = certified_directional_derivative(m, U, pi, V, negated(d));
        tally.add(truth(up + down == 0 ? truth::yes : truth::no),
                  "delta = " + name + " = " + direction_text(d) + ": f'(pi;delta) = " + up.str() + ", f'(pi;-delta) = " +
                      down.str() + " (a gradient needs f'(pi;delta) + f'(pi;-delta) = 0)",
                  rational(up + down), rational(0), "==");
    }
    boundary_note(tally, two.interior);
    return tally.f;
}

// differentiable-everywhere in MPFI (docs/arithmetic.md, "differentiable-everywhere in intervals").
// f' is linear at pi when every face F_{s,a}(V_r^pi) is a single point (then x F = {u} and
// f'(pi; d) = <g_u, d>). The face maximiser is run once with W = [-1, 1]^S, a box holding a multiple
// of every direction: its filtered comparisons either decide without W (then, for a polyhedral kind,
// whose maximiser is a vertex computed from the set's data along the path its decisions fix, it
// returns the same point for every W, and a maximiser of <., W> over F for every W is F's only point:
// were p' != p in F, W = p' - p would prefer p'), or throw undecided_comparison where a tie in V (or
// in <p, V>) lets W matter, and the instance is decided exactly. So a `holds` made here is certified;
// a refutation needs a non-singleton face, i.e. an exact tie, and always comes from the exact rerun.
template <class T>
Finding differentiable_by_enclosures(const Instance& inst) {
    const SetTraits traits = inst.mdp.uncertainty.traits();
    if (!traits.polyhedral || !traits.exact || traits.s_rectangular)
        rmdp::detail::undecided("face test");  // no vertex argument: the exact rerun decides (kl: it cannot)
    const Mdp<T> m = convert<T>(inst.mdp);
    const UncertaintySet<T> U = convert<T>(inst.mdp.uncertainty);
    const Policy<T> pi = convert<T>(inst.policy("pi"));
    const Judge<T> judge{T(0)};
    const Vector<T> V = certified_robust_value(m, U, pi, judge);
    T box;
    mpfi_interv_si(box.backend().data(), -1, 1);
    worst_case_kernel_on_face(U, m.P, V, Vector<T>(m.S, box));  // throws where some face may be more than a point
    const Matrix<T> g = robust_gradient_at(m, pi, worst_case_kernel(U, m.P, V)).gradient;
    const TwoSided two = two_sided_directions(inst);
    Tally tally;
    for (const auto& [name, d] : two.directions) {
        const auto to_T = [](const rational& x) { return from_rational<T>(x); };
        const T up = dot(g.data, map_matrix<T>(d, to_T).data), down = dot(g.data, map_matrix<T>(negated(d), to_T).data);
        tally.add(truth::yes,
                  "delta = " + name + " = " + direction_text(d) + ": every face of nature's worst cases is a point " +
                      "(certified by the enclosures), so f'(pi;.) = <grad f(pi), .> is linear: f'(pi;delta) = " +
                      to_string(up) + ", f'(pi;-delta) = " + to_string(down),
                  T(up + down), T(0), "==");
    }
    boundary_note(tally, two.interior);
    return tally.f;
}

Finding check_differentiable(const Instance& inst, const Arith& arith) {
    if (arith.type == Arith::kind::exact) return differentiable_exact(inst);
    if (arith.type != Arith::kind::interval)
        return not_supported("differentiability is decided through the faces of nature's worst cases, i.e. by exact ties, "
                             "and an equality f'(pi;d) + f'(pi;-d) = 0: exact arithmetic, or intervals with the exact fallback");
    return dispatch(arith, [&]<class T>() -> Finding {
        if constexpr (is_interval_v<T>)
            return differentiable_by_enclosures<T>(inst);
        else
            throw std::logic_error("interval arithmetic dispatched to a non-interval type");
    });
}

// vi-nonrobust-identity (literal: G^N built from d_s^pi) and :corrected (built from d_s^{pi*}):
// <E_{s~nu*} G_s, pi - pi*> = f_{nu*}(pi) - f_{nu*}(pi*), nu* = nu* P^{pi*} stationary.
template <class T, bool corrected>
Finding check_vi_nonrobust(const Instance& inst) {
    MdpData nominal = inst.mdp;
    nominal.uncertainty = Uncertainty{};
    const Mdp<T> m = convert<T>(nominal);
    const UncertaintySet<T> U = convert<T>(nominal.uncertainty);
    const Judge<T> judge{float_tolerance<T>(nominal)};
    const RobustSolution<T> opt = certified_optimum(m, U, judge);
    const Vector<T> nu = certified_stationary(policy_kernel(m.P, opt.policy), judge);
    const Policy<T> pi = convert<T>(inst.policy("pi"));
    const Vector<T> V = value(m, m.P, pi);
    const Matrix<T> Q = q_value(m, m.P, V);
    // E_{s~nu} d_s^x = d_nu^x, so E_nu G_s = d_nu^x(s') Q^pi(s',a)/(1-gamma) with x = pi or pi*.
    const Vector<T> d = occupancy(m, m.P, corrected ? opt.policy : pi, nu);
    const Matrix<T> step = difference(pi, opt.policy);
    T lhs(0);
    for (std::size_t s = 0; s < m.S; ++s) lhs += d[s] * inner_at(Q, step, s);
    lhs /= T(1) - m.gamma;
    const T rhs = dot(nu, V) - dot(nu, opt.V);
    Tally tally;
    tally.add(judge.eq(lhs, rhs), "<E_nu* G, pi - pi*> vs f_nu*(pi) - f_nu*(pi*)", lhs, rhs, "==");
    return tally.f;
}

enum class robust_vi { literal, corrected, inequality };

// vi-robust-identity, three readings (docs/gradients.md):
//   literal     <E_{s~nu*} G_s(pi), pi - pi*> = f_{nu*}(pi) - f_{nu*}(pi*), G_s(pi) from d_s^{pi,u_pi},
//               nu* stationary for P_{u_{pi*}}^{pi*};
//   corrected   1/(1-gamma) E_{nu*} <Q_r^pi, pi - pi*> = E_{nu*}[V_r^pi - V_r^{pi*}], same nu*;
//   inequality  E_nu[V_r^pi - V_r^{pi*}] <= 1/(1-gamma) E_nu <Q_r^pi, pi - pi*>, nu stationary for P_{u_pi}^{pi*}.
template <class T, robust_vi reading>
Finding check_vi_robust(const Instance& inst) {
    Mdp<T> m = convert<T>(inst.mdp);
    const UncertaintySet<T> U = convert<T>(inst.mdp.uncertainty);
    const Judge<T> judge{float_tolerance<T>(inst.mdp)};
    const RobustSolution<T> opt = certified_optimum(m, U, judge);
    const Policy<T> pi = convert<T>(inst.policy("pi"));
    const Vector<T> V = certified_robust_value(m, U, pi, judge);
    const Kernel<T> u_pi = worst_case_kernel(U, m.P, V);
    const Kernel<T> u_star = worst_case_kernel(U, m.P, opt.V);
    const Matrix<T> Q = robust_q(m, U, V);
    const Matrix<T> step = difference(pi, opt.policy);
    const Vector<T> nu =
        certified_stationary(policy_kernel(reading == robust_vi::inequality ? u_pi : u_star, opt.policy), judge);
    const T gap = dot(nu, V) - dot(nu, opt.V);
    T advantage(0);
    if constexpr (reading == robust_vi::literal) {
        m.rho = nu;  // E_{s~nu} G_s(pi) is the gradient of rho . V at rho = nu
        advantage = dot(robust_gradient_at(m, pi, u_pi).gradient.data, step.data);
    } else {
        for (std::size_t s = 0; s < m.S; ++s) advantage += nu[s] * inner_at(Q, step, s);
        advantage /= T(1) - m.gamma;
    }
    Tally tally;
    if constexpr (reading == robust_vi::inequality)
        tally.add(judge.le(gap, advantage), "E_nu[V_r^pi - V_r^pi*] <= 1/(1-gamma) E_nu <Q_r^pi, pi - pi*>", gap,
                  advantage, "<=");
    else
        tally.add(judge.eq(advantage, gap), reading == robust_vi::literal
                                                ? "<E_nu* G(pi), pi - pi*> vs f_nu*(pi) - f_nu*(pi*)"
                                                : "1/(1-gamma) E_nu* <Q_r^pi, pi - pi*> vs E_nu*[V_r^pi - V_r^pi*]",
                  advantage, gap, "==");
    return tally.f;
}

// Every check here but differentiable-everywhere is generic in T; in MPFI its norms need no
// decision and its orderings and inequalities are filtered (compare.hpp).
#define RMDP_CHECK(...) \
    [](const Instance& inst, const Arith& a) { return dispatch(a, [&]<class T>() { return __VA_ARGS__(inst); }); }

}  // namespace

void register_gradient_claims(std::vector<Claim>& out) {
    const std::string grad = "robust-pg-notes, 'ロバストMDPと微分可能性'";
    const std::string vi = "robust-pg-notes, '変分不等式を使った定式化'";
    out.push_back({"pg-fixed-u",
                   "for fixed u, g[s',a] = 1/(1-gamma) d_s^{pi,u}(s') Q_u^pi(s',a) is the policy gradient of V_u^pi(s): "
                   "|V(pi+delta) - V(pi) - <g,delta>| / ||delta||_2 -> 0 as delta -> 0, pi+delta in Pi",
                   grad + ", lemma 'policy gradient'",
                   "quantitative form implying the limit (docs/gradients.md): |R(delta)| <= C ||delta||_{1,inf}^2 <= C |A| "
                   "||delta||_2^2 with C = gamma c_max/(1-gamma)^3, at every s and for rho; pi' = pi + t delta near and far",
                   draw_fixed_pair, RMDP_CHECK(check_pg_fixed_u<T>)});
    out.push_back({"occupancy-lipschitz:a",
                   "||d_s^{pi',u} - d_s^{pi,u}||_1 <= gamma/(1-gamma) ||P_u^{pi'} - P_u^pi||, and step (a): "
                   "||P_u^{pi'} - P_u^pi|| <= |A| ||pi' - pi||_inf",
                   grad + ", proof of the policy-gradient lemma, occupancy bound and step (a)",
                   "matrix norm = maximum row sum (x -> xM on row vectors); step (a) through ||pi' - pi||_{1,inf}",
                   draw_fixed_pair, RMDP_CHECK(check_occupancy_lipschitz<T, true>)});
    out.push_back({"occupancy-lipschitz:b",
                   "||d_s^{pi',u} - d_s^{pi,u}||_1 <= gamma/(1-gamma) ||P_u^{pi'} - P_u^pi||_1, and step (a): "
                   "||P_u^{pi'} - P_u^pi||_1 <= |S||A|/2 ||pi' - pi||_inf",
                   grad + ", proof of the policy-gradient lemma, occupancy bound and step (a)",
                   "matrix norm = standard induced 1-norm (maximum column sum); step (a) constant |S||A|/2 (docs)",
                   draw_fixed_pair, RMDP_CHECK(check_occupancy_lipschitz<T, false>)});
    out.push_back({"frechet-subgradient",
                   "grad f_rho(pi)[s,a] = 1/(1-gamma) d_rho^{pi,u_pi}(s) Q_{u_pi}^pi(s,a) is a Frechet subgradient: "
                   "liminf (f(pi') - f(pi) - <grad f(pi), pi' - pi>)/||pi' - pi||_2 >= 0",
                   grad + ", Frechet subgradient proposition",
                   "quantitative form implying the liminf: f(pi') - f(pi) - <grad, delta> >= -C ||delta||_{1,inf}^2 >= "
                   "-C |A| ||delta||_2^2, C = gamma c_max/(1-gamma)^3, for two tied worst-case kernels u_pi",
                   draw_robust_pair, RMDP_CHECK(check_frechet_subgradient<T>)});
    out.push_back({"differentiable-everywhere",
                   "f_rho is differentiable (in the notes' sense) at every pi in Pi",
                   grad + ", closing TODO",
                   "decided exactly at an interior pi: f_rho'(pi;.) (Danskin, over the faces of nature's worst cases) "
                   "is linear iff f'(pi;d) + f'(pi;-d) = 0 on a basis d of the feasible directions",
                   draw_interior, check_differentiable});
    out.push_back({"vi-nonrobust-identity",
                   "non-robust MDP: <E_{s~nu*} G^N_s(pi), pi - pi*> = f_{nu*}(pi) - f_{nu*}(pi*), "
                   "G^N_s(pi)[s',a] = 1/(1-gamma) d_s^pi(s') Q^pi(s',a)",
                   vi + ", closing identity for non-robust MDPs",
                   "as written: d_s^pi of the evaluated pi; nu* the stationary distribution of P^{pi*} (lowest recurrent class)",
                   draw_nominal_one, RMDP_CHECK(check_vi_nonrobust<T, false>)});
    out.push_back({"vi-nonrobust-identity:corrected",
                   "(not in the notes) <E_{s~nu*} G~_s, pi - pi*> = f_{nu*}(pi) - f_{nu*}(pi*) with "
                   "G~_s[s',a] = 1/(1-gamma) d_s^{pi*}(s') Q^pi(s',a), i.e. 1/(1-gamma) E_{nu*} <Q^pi, pi - pi*>",
                   vi + ": the identity the performance difference lemma gives",
                   "companion of vi-nonrobust-identity: occupancy of pi* (then E_{nu*} d_s^{pi*} = nu* by stationarity)",
                   draw_nominal_one, RMDP_CHECK(check_vi_nonrobust<T, true>)});
    out.push_back({"vi-robust-identity",
                   "<E_{s~nu*} G_s(pi), pi - pi*> = f_{nu*}(pi) - f_{nu*}(pi*) with the robust "
                   "G_s(pi)[s',a] = 1/(1-gamma) d_s^{pi,u_pi}(s') Q_r^pi(s',a)",
                   vi + ", 'this fails for robust MDPs (Proposition 2.3)'",
                   "literal robust analogue: nu* stationary for P_{u_{pi*}}^{pi*}, f robust, u_pi lowest-index worst case",
                   draw_robust_one, RMDP_CHECK(check_vi_robust<T, robust_vi::literal>)});
    out.push_back({"vi-robust-identity:corrected",
                   "(not in the notes) 1/(1-gamma) E_{s~nu*} <Q_r^pi(s,.), pi - pi*> = E_{nu*}[V_r^pi - V_r^{pi*}]",
                   vi + ": the corrected non-robust identity with robust objects",
                   "nu* stationary for P_{u_{pi*}}^{pi*}; an equality", draw_robust_one,
                   RMDP_CHECK(check_vi_robust<T, robust_vi::corrected>)});
    out.push_back({"vi-robust-identity:inequality",
                   "(not in the notes) E_nu[V_r^pi - V_r^{pi*}] <= 1/(1-gamma) E_nu <Q_r^pi, pi - pi*>, "
                   "nu stationary for P_{u_pi}^{pi*}",
                   vi + ": where the identity survives (as an inequality; equality when u_pi is a worst case for pi*)",
                   "u_pi the lowest-index worst case of V_r^pi; nu of its kernel under pi*", draw_robust_one,
                   RMDP_CHECK(check_vi_robust<T, robust_vi::inequality>)});
}

}  // namespace rmdp::checks
