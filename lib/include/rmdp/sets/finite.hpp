// "finite": U_{s,a} = the convex hull of the listed distributions. A linear function is maximised
// at a vertex, so the worst case is the best listed point (the first of several equal ones).
#pragma once

#include "rmdp/sets/set.hpp"

namespace rmdp {

template <class T>
struct FiniteSet {
    using scalar = T;
    static constexpr const char* name = "finite";
    static constexpr unsigned since = 1;
    static constexpr SetTraits traits{.polyhedral = true, .exact = true, .needs_exp_log = false, .order_driven = false};

    std::vector<std::vector<Vector<T>>> points;  // [s*A + a][k][s']

    WorstCase<T> worst_case(const SetRow<T>& row) const {
        const auto& pts = points[row.index()];
        std::size_t best = 0;
        T best_value = row.dot(pts[0].data());
        for (std::size_t k = 1; k < pts.size(); ++k) {
            const T v = row.dot(pts[k].data());
            if (less(best_value, v)) {
                best = k;
                best_value = v;
            }
        }
        return {pts[best], best_value};
    }
    // Among the listed points maximising <p, V>, the first maximising <p, W>.
    WorstCase<T> on_face(const SetRow<T>& byV, const SetRow<T>& byVW) const {
        const auto& pts = points[byV.index()];
        std::size_t best = 0;
        T bestV = byV.dot(pts[0].data()), bestW = byVW.dot(pts[0].data());
        for (std::size_t k = 1; k < pts.size(); ++k) {
            const T v = byV.dot(pts[k].data());
            if (less(v, bestV)) continue;
            const T w = byVW.dot(pts[k].data());
            if (less(bestV, v) || less(bestW, w)) {
                best = k;
                bestV = v;
                bestW = w;
            }
        }
        return {pts[best], bestW};
    }

    template <class U, class F>
    FiniteSet<U> map(F&& f) const {
        FiniteSet<U> out;
        for (const auto& list : points) {
            std::vector<Vector<U>> pts;
            for (const auto& p : list) pts.push_back(map_vector<U>(p, f));
            out.points.push_back(std::move(pts));
        }
        return out;
    }
    std::vector<SetField> fields() { return {{"distributions", SetField::shape::distributions, true, nullptr, &points}}; }
    void validate(const Kernel<rational>& P, const std::string& file) const {
        for (std::size_t sa = 0; sa < points.size(); ++sa) {
            if (points[sa].empty())
                throw input_error(file, set_field("distributions", sa / P.A, sa % P.A), "lists no distribution");
            for (std::size_t k = 0; k < points[sa].size(); ++k)
                check_simplex(points[sa][k].data(), P.S, file, set_field("distributions", sa / P.A, sa % P.A, k));
        }
    }
    // P_N and up to three more distributions per (s,a), exact duplicates included (ties).
    static FiniteSet draw(Rng& rng, const Kernel<rational>& P, const GeneratorOptions& opt) {
        FiniteSet u;
        for (std::size_t i = 0; i < P.S * P.A; ++i) {
            std::vector<Vector<rational>> pts;
            pts.emplace_back();
            P.dense_row(i / P.A, i % P.A, pts.back());
            const auto extra = rng.below(4);
            for (std::uint64_t k = 0; k < extra; ++k) {
                if (rng.chance(1, 5))
                    pts.push_back(pts[rng.below(pts.size())]);
                else
                    pts.push_back(random_distribution(rng, P.S, opt.denominator));
            }
            u.points.push_back(std::move(pts));
        }
        return u;
    }
};

}  // namespace rmdp
