// Scalars: exact parsing, printing that round-trips, correctly rounded conversions, three-valued
// interval comparisons, and the run-time choice of arithmetic.
#include "rmdp/arith.hpp"
#include "rmdp/scalar.hpp"

#include <catch2/catch.hpp>
#include <rapidcheck/catch.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

using namespace rmdp;

namespace {

rational q(long p, long d = 1) { return rational(p, d); }

rational pow2(long e) {  // 2^e exactly
    integer one = 1;
    return e >= 0 ? rational(one << static_cast<unsigned>(e)) : rational(1) / rational(one << static_cast<unsigned>(-e));
}

rational dist(const rational& a, const rational& b) { return a < b ? rational(b - a) : rational(a - b); }

mpfi_float interval(long lo, long hi) {
    mpfi_float x;
    mpfi_interv_si(x.backend().data(), lo, hi);
    return x;
}

// Splits "[lo,hi]" into its two ends, parsed exactly.
std::pair<rational, rational> parse_interval(const std::string& s) {
    REQUIRE(s.size() >= 5);
    REQUIRE(s.front() == '[');
    REQUIRE(s.back() == ']');
    const auto comma = s.find(',');
    REQUIRE(comma != std::string::npos);
    return {parse_rational(s.substr(1, comma - 1)), parse_rational(s.substr(comma + 1, s.size() - comma - 2))};
}

// x is a nearest T to q: neither neighbour of x is strictly closer (ties are checked separately).
template <class F>
bool is_nearest(F x, const rational& target) {
    const rational d = dist(exact_value(x), target);
    const F up = std::nextafter(x, std::numeric_limits<F>::infinity());
    const F down = std::nextafter(x, -std::numeric_limits<F>::infinity());
    return (!std::isfinite(up) || dist(exact_value(up), target) >= d) &&
           (!std::isfinite(down) || dist(exact_value(down), target) >= d);
}

}  // namespace

TEST_CASE("parse_rational reads exact values", "[scalar][parse]") {
    CHECK(parse_rational("3/4") == q(3, 4));
    CHECK(parse_rational("-2") == q(-2));
    CHECK(parse_rational("0.125") == q(1, 8));
    CHECK(parse_rational("1e-3") == q(1, 1000));
    CHECK(parse_rational("+5") == q(5));
    CHECK(parse_rational(".5") == q(1, 2));
    CHECK(parse_rational("1.") == q(1));
    CHECK(parse_rational("-1.5e2") == q(-150));
    CHECK(parse_rational("6/8") == q(3, 4));  // canonical form
    CHECK(parse_rational("-3/4") == q(-3, 4));
    CHECK(parse_rational("0") == q(0));
    CHECK(parse_rational("-0") == q(0));
    CHECK(parse_rational("1E3") == q(1000));
    CHECK(parse_rational("2.5e+1") == q(25));
    CHECK(parse_rational("007") == q(7));
    CHECK(parse_rational("0.1") == q(1, 10));  // the decimal, not the double
    // Leading zeros are decimal, never octal (Boost's mpz_int string constructor would read "010" as 8
    // and reject "09").
    CHECK(parse_rational("010") == q(10));
    CHECK(parse_rational("0.09") == q(9, 100));
    CHECK(parse_rational("0.0125") == q(1, 80));
    CHECK(parse_rational("08/09") == q(8, 9));
    CHECK(parse_rational("1/010") == q(1, 10));
    CHECK(parse_rational("-0.5e01") == q(-5));
    CHECK(parse_rational("123456789012345678901234567890") ==
          rational(integer("123456789012345678901234567890")));
    CHECK(parse_rational("1e-40") == rational(1) / rational(pow(integer(10), 40u)));
}

TEST_CASE("parse_rational: machine-integer spellings agree with the general path", "[scalar][parse]") {
    // p/q and d.d with up to 18 digits take a fast path (machine integers); 19 digits and more take
    // the general one. Both must give the value built independently from GMP integers.
    rc::prop("p/q, -p/q and a.b read exactly, on both sides of 18 digits", [] {
        const auto digits = [](int n) {
            std::string s = std::to_string(*rc::gen::inRange(1, 10));
            for (int i = 1; i < n; ++i) s += std::to_string(*rc::gen::inRange(0, 10));
            return s;
        };
        const std::string p = digits(*rc::gen::inRange(1, 21)), qd = digits(*rc::gen::inRange(1, 21));
        const std::string f = std::string(*rc::gen::inRange(0, 3), '0') + digits(*rc::gen::inRange(1, 20));
        RC_ASSERT(parse_rational(p + "/" + qd) == rational(integer(p), integer(qd)));
        RC_ASSERT(parse_rational("-" + p + "/" + qd) == rational(-integer(p), integer(qd)));
        RC_ASSERT(parse_rational("+" + p) == rational(integer(p)));
        RC_ASSERT(parse_rational(p + "." + f) ==
                  rational(integer(p + f), integer(pow(integer(10), static_cast<unsigned>(f.size())))));
    });
    CHECK(parse_rational("999999999999999999.999999999999999999") ==
          rational(integer("999999999999999999999999999999999999"), integer("1000000000000000000")));
    CHECK_THROWS_AS(parse_rational("000000000000000000000/0"), std::invalid_argument);
}

TEST_CASE("parse_rational rejects everything else", "[scalar][parse]") {
    const std::vector<std::string> bad = {"",    "abc",  "1/0",   "nan", "inf",   "1e99999999", "1/2/3", "0x10",
                                          " 1",  "1 ",   "-",     "+",   ".",     "e5",         "1e",    "1/-2",
                                          "--1", "1.2.3", "NaN",  "-inf", "Infinity", "1,5",    "/2",    "1/",
                                          "1e1.5", "½",  "1e-99999999", "0/0", "+-1", "1_000"};
    for (const auto& s : bad) {
        CAPTURE(s);
        CHECK_THROWS_AS(parse_rational(s), std::invalid_argument);
    }
    // The error names the offending text.
    try {
        parse_rational("abc");
        FAIL("no exception");
    } catch (const std::invalid_argument& e) {
        CHECK(std::string(e.what()).find("abc") != std::string::npos);
    }
}

TEST_CASE("exact values print as p/q and p", "[scalar][print]") {
    CHECK(to_string(q(3, 4)) == "3/4");
    CHECK(to_string(q(-2)) == "-2");
    CHECK(to_string(q(6, 8)) == "3/4");
    CHECK(to_string(q(0)) == "0");
    CHECK(to_string(q(-1, 3)) == "-1/3");
    rc::prop("to_string then parse_rational is the identity", [] {
        const long p = *rc::gen::arbitrary<int>();
        const long d = *rc::gen::inRange<long>(1, 1000000);
        const rational x(p, d);
        RC_ASSERT(parse_rational(to_string(x)) == x);
    });
}

TEST_CASE("doubles print shortest round-trip digits", "[scalar][print]") {
    CHECK(to_string(0.1) == "0.1");
    CHECK(to_string(-2.5) == "-2.5");
    CHECK(to_string(1.0 / 3.0) == "0.3333333333333333");
    CHECK(to_string(1e-300) == "1e-300");
    for (double x : {0.1, 1.0 / 3.0, 1e-300, -2.5, 5e-324, 1.7976931348623157e308, 123456789.0, 2.0 / 3.0e10}) {
        const std::string s = to_string(x);
        CAPTURE(s);
        CHECK(std::strtod(s.c_str(), nullptr) == x);
        CHECK(from_rational<double>(parse_rational(s)) == x);
    }
    rc::prop("every finite double round-trips through its printed form", [] {
        const double x = std::bit_cast<double>(*rc::gen::arbitrary<std::uint64_t>());
        RC_PRE(std::isfinite(x));
        const std::string s = to_string(x);
        RC_ASSERT(std::strtod(s.c_str(), nullptr) == x);
        RC_ASSERT(from_rational<double>(parse_rational(s)) == x);
        RC_ASSERT(s.size() <= 24u);  // shortest: at most 17 significant digits plus sign, point, exponent
    });
    rc::prop("long doubles round-trip through their printed form", [] {
        const long double x = static_cast<long double>(*rc::gen::arbitrary<double>()) / 3;
        RC_PRE(std::isfinite(x));
        RC_ASSERT(from_rational<long double>(parse_rational(to_string(x))) == x);
    });
}

TEST_CASE("mpfr values round-trip at several precisions", "[scalar][print][mpfr]") {
    for (unsigned bits : {16u, 24u, 53u, 64u, 113u, 200u, 1000u}) {
        const unsigned got = set_working_precision(bits);
        CAPTURE(bits, got);
        CHECK(got >= bits);
        CHECK(working_precision() == got);
        const rational big = rational(pow(integer(10), 30u), 7);
        for (const rational& x : {q(1, 3), q(-2, 7), big, rational(1) / rational(pow(integer(10), 30u)), q(0), q(5),
                                  q(-1, 1024)}) {
            const mpfr_float v = from_rational<mpfr_float>(x);
            CHECK(mpfr_get_prec(v.backend().data()) == static_cast<mpfr_prec_t>(got));
            const std::string s = to_string(v);
            CAPTURE(x.str(), s);
            mpfr_t back;
            mpfr_init2(back, got);
            CHECK(mpfr_set_str(back, s.c_str(), 10, MPFR_RNDN) == 0);  // the whole string is a number
            CHECK(mpfr_equal_p(back, v.backend().data()) != 0);
            mpfr_clear(back);
            CHECK(from_rational<mpfr_float>(parse_rational(s)) == v);
            CHECK(from_rational<mpfr_float>(exact_value(v)) == v);
        }
    }
    set_working_precision(128);
}

TEST_CASE("intervals print [lo,hi] enclosing the exact value", "[scalar][print][interval]") {
    for (unsigned bits : {24u, 64u, 200u}) {
        set_working_precision(bits);
        for (const rational& x : {q(1, 3), q(-2, 3), q(1, 4), q(0), q(7), q(-1, 10), rational(1, 3) * pow2(-200)}) {
            const mpfi_float v = from_rational<mpfi_float>(x);
            const std::string s = to_string(v);
            CAPTURE(bits, x.str(), s);
            const auto [lo, hi] = parse_interval(s);
            CHECK(lo <= x);
            CHECK(x <= hi);
            // Printed ends are rounded outward from the stored ends.
            CHECK(lo <= lower_rational(v));
            CHECK(upper_rational(v) <= hi);
            CHECK(lower_rational(v) <= x);
            CHECK(x <= upper_rational(v));
            // Representable values are points.
            if (x == q(1, 4) || x == q(0) || x == q(7)) {
                CHECK(lo == x);
                CHECK(hi == x);
            } else {
                CHECK(lower_rational(v) < upper_rational(v));
            }
        }
    }
    set_working_precision(128);
}

TEST_CASE("interval comparisons are three-valued", "[scalar][interval]") {
    set_working_precision(64);
    using tr = scalar_traits<mpfi_float>;
    const mpfi_float a = interval(1, 2), b = interval(3, 4), c = interval(1, 3), d = interval(2, 4), e = interval(2, 3);
    const mpfi_float two = interval(2, 2);
    // certain yes
    CHECK(tr::le(a, b) == truth::yes);
    CHECK(tr::le(a, e) == truth::yes);  // sup a = 2 = inf e
    CHECK(tr::le(two, two) == truth::yes);
    CHECK(tr::eq(two, interval(2, 2)) == truth::yes);
    // certain no
    CHECK(tr::le(b, a) == truth::no);
    CHECK(tr::eq(a, b) == truth::no);
    CHECK(tr::eq(b, a) == truth::no);
    // unknown: overlapping enclosures
    CHECK(tr::le(c, d) == truth::unknown);
    CHECK(tr::le(d, c) == truth::unknown);
    CHECK(tr::eq(c, d) == truth::unknown);
    CHECK(tr::eq(a, e) == truth::unknown);  // they share the point 2
    CHECK(tr::eq(a, a) == truth::unknown);  // a wide interval is not known to equal itself pointwise
    const mpfi_float third = from_rational<mpfi_float>(q(1, 3));
    CHECK(tr::eq(third, third) == truth::unknown);
    CHECK(tr::le(third, third) == truth::unknown);
    CHECK(tr::le(third, from_rational<mpfi_float>(q(1, 2))) == truth::yes);
    // NaN decides nothing
    mpfi_float nan;
    mpfr_t n;
    mpfr_init2(n, 64);
    mpfr_set_nan(n);
    mpfi_set_fr(nan.backend().data(), n);
    mpfr_clear(n);
    CHECK(tr::le(nan, a) == truth::unknown);
    CHECK(tr::eq(nan, nan) == truth::unknown);

    CHECK(scalar_traits<rational>::le(q(1, 3), q(1, 2)) == truth::yes);
    CHECK(scalar_traits<rational>::le(q(1, 2), q(1, 3)) == truth::no);
    CHECK(scalar_traits<rational>::eq(q(2, 4), q(1, 2)) == truth::yes);
    CHECK(scalar_traits<double>::le(2.0, 1.0) == truth::no);
    set_working_precision(128);
}

TEST_CASE("conversions from rationals are correctly rounded", "[scalar][rounding]") {
    CHECK(from_rational<double>(q(1, 3)) == 1.0 / 3.0);  // IEEE division is correctly rounded
    CHECK(from_rational<double>(q(1, 10)) == 0.1);
    CHECK(from_rational<double>(q(-2, 7)) == -2.0 / 7.0);
    CHECK(from_rational<long double>(q(1, 3)) == 1.0L / 3.0L);
    CHECK(from_rational<long double>(q(1, 10)) == 0.1L);
    // Ties go to even; anything past the tie goes up.
    CHECK(from_rational<double>(1 + pow2(-53)) == 1.0);
    CHECK(from_rational<double>(1 + pow2(-53) + pow2(-100)) == 1.0 + 0x1p-52);
    CHECK(from_rational<double>(1 + 3 * pow2(-53)) == 1.0 + 0x1p-51);
    // Subnormal range: just above half the smallest subnormal must round up to it, not to zero
    // (a conversion through a 53-bit intermediate rounds twice and gets this wrong).
    // (Compared as bit patterns: denorm_min is 1, and Catch prints both as 0.0.)
    CHECK(std::bit_cast<std::uint64_t>(from_rational<double>(pow2(-1075) + pow2(-1135))) == 1u);
    CHECK(std::bit_cast<std::uint64_t>(from_rational<double>(pow2(-1075))) == 0u);  // the tie goes to even (zero)
    CHECK(std::bit_cast<std::uint64_t>(from_rational<double>(3 * pow2(-1076) + pow2(-1140))) == 1u);
    CHECK(std::bit_cast<std::uint64_t>(from_rational<double>(5 * pow2(-1076))) == 1u);  // 1.25 ulp: down to 1
    CHECK(from_rational<long double>(pow2(-16446) + pow2(-16510)) == std::numeric_limits<long double>::denorm_min());

    rc::prop("from_rational<double> returns a nearest double", [] {
        const rational x(*rc::gen::arbitrary<long>(), *rc::gen::inRange<long>(1, 1L << 40));
        RC_ASSERT(is_nearest(from_rational<double>(x), x));
        RC_ASSERT(is_nearest(from_rational<long double>(x), x));
    });
    for (unsigned bits : {16u, 53u, 100u}) {
        set_working_precision(bits);
        rc::prop("from_rational<mpfr_float> returns a nearest value at " + std::to_string(bits) + " bits", [] {
        const rational x(*rc::gen::arbitrary<long>(), *rc::gen::inRange<long>(1, 1L << 40));
        const mpfr_float v = from_rational<mpfr_float>(x);
        if (x == 0) {  // (the neighbours of 0 are 2^(emin-1): rationals of 2^30 bits)
            RC_ASSERT(mpfr_zero_p(v.backend().data()) != 0);
            return;
        }
        const rational d = dist(exact_value(v), x);
        mpfr_float up = v, down = v;
        mpfr_nextabove(up.backend().data());
        mpfr_nextbelow(down.backend().data());
        RC_ASSERT(dist(exact_value(up), x) >= d);
        RC_ASSERT(dist(exact_value(down), x) >= d);
        });
    }
    set_working_precision(128);
}

TEST_CASE("exact_value is the exact binary value and round-trips", "[scalar][rounding]") {
    CHECK(exact_value(0.1) == rational(3602879701896397, 36028797018963968));  // 0.1 = 3602879701896397 / 2^55
    CHECK(exact_value(0.5) == q(1, 2));
    CHECK(exact_value(-3.0) == q(-3));
    CHECK(exact_value(std::numeric_limits<double>::denorm_min()) == pow2(-1074));
    CHECK(exact_value(0.5L) == q(1, 2));
    CHECK(exact_value(std::numeric_limits<long double>::denorm_min()) == pow2(-16445));
    CHECK_THROWS_AS(exact_value(std::numeric_limits<double>::infinity()), std::invalid_argument);
    CHECK_THROWS_AS(exact_value(std::numeric_limits<double>::quiet_NaN()), std::invalid_argument);
    rc::prop("double -> rational -> double is the identity", [] {
        const double x = std::bit_cast<double>(*rc::gen::arbitrary<std::uint64_t>());
        RC_PRE(std::isfinite(x));
        RC_ASSERT(from_rational<double>(exact_value(x)) == x);
        const long double y = static_cast<long double>(x) / 7;
        RC_PRE(std::isfinite(y));
        RC_ASSERT(from_rational<long double>(exact_value(y)) == y);
    });
    set_working_precision(200);
    const mpfr_float third = from_rational<mpfr_float>(q(1, 3));
    CHECK(from_rational<mpfr_float>(exact_value(third)) == third);
    CHECK(exact_value(third) != q(1, 3));
    CHECK(dist(exact_value(third), q(1, 3)) <= pow2(-201));
    set_working_precision(128);
}

TEST_CASE("set_working_precision sets bits for both MPFR and MPFI", "[scalar][mpfr]") {
    for (unsigned bits : {2u, 17u, 64u, 257u}) {
        const unsigned got = set_working_precision(bits);
        CAPTURE(bits, got);
        CHECK(got >= bits);
        CHECK(got < bits + 8);  // the smallest digit count giving >= bits: at most ~3.3 bits too many
        mpfr_float x(1);
        mpfi_float y(1);
        CHECK(mpfr_get_prec(x.backend().data()) == static_cast<mpfr_prec_t>(got));
        CHECK(mpfi_get_prec(y.backend().data()) == static_cast<mpfr_prec_t>(got));
        CHECK(exact_value(scalar_traits<mpfr_float>::unit_roundoff()) == pow2(-static_cast<long>(got)));
    }
    CHECK_THROWS_AS(set_working_precision(1), std::invalid_argument);
    set_working_precision(128);
}

TEST_CASE("arithmetic names parse and dispatch to the right type", "[scalar][arith]") {
    CHECK(parse_arith("exact").type == Arith::kind::exact);
    CHECK(parse_arith("double").type == Arith::kind::float64);
    CHECK(parse_arith("long-double").type == Arith::kind::float80);
    const Arith m = parse_arith("mpfr:100");
    CHECK(m.type == Arith::kind::mpfr);
    CHECK(m.bits == 100);
    CHECK(m.name() == "mpfr:100");
    CHECK(parse_arith("interval:64").name() == "interval:64");
    for (const char* bad : {"quad", "mpfr:abc", "mpfr:", "mpfr", "mpfr:8", "mpfr:1000000", "interval:-5", "", "EXACT",
                            "mpfr:64x", "float"}) {
        CAPTURE(bad);
        CHECK_THROWS_AS(parse_arith(bad), std::invalid_argument);
    }
    auto name_of = [](const Arith& a) { return dispatch(a, [&]<class T>() { return std::string(scalar_traits<T>::name()); }); };
    CHECK(name_of(parse_arith("exact")) == "exact");
    CHECK(name_of(parse_arith("double")) == "double");
    CHECK(name_of(parse_arith("long-double")) == "long-double");
    CHECK(name_of(parse_arith("interval:80")) == "interval");
    CHECK(name_of(parse_arith("mpfr:300")) == "mpfr");
    set_working_precision(128);
}

TEST_CASE("every scalar of the one list has an arithmetic name that parses back to it", "[scalar][arith]") {
    for (Arith::kind k : {Arith::kind::exact, Arith::kind::mpfr, Arith::kind::float64, Arith::kind::float80, Arith::kind::interval}) {
        Arith a;
        a.type = k;
        a.bits = 100;
        const Arith back = parse_arith(a.name());
        CAPTURE(a.name());
        CHECK(back.type == k);
        CHECK(back.name() == a.name());
        CHECK(dispatch(a, [&]<class T>() { return std::string(scalar_traits<T>::name()); }) ==
              a.name().substr(0, a.name().find(':')));
    }
}

TEST_CASE("the working precision is scoped: dispatch and scoped_precision restore it", "[scalar][arith]") {
    set_working_precision(128);
    const unsigned outer = working_precision();
    const unsigned inside = dispatch(parse_arith("mpfr:300"), [&]<class T>() {
        const mpfr_float x(1);  // values made inside the call carry the call's precision
        CHECK(mpfr_get_prec(x.backend().data()) == static_cast<mpfr_prec_t>(working_precision()));
        return working_precision();
    });
    CHECK(inside >= 300);
    CHECK(working_precision() == outer);
    CHECK(dispatch(parse_arith("interval:64"), [&]<class T>() { return working_precision(); }) >= 64);
    CHECK(working_precision() == outer);
    {
        const scoped_precision p(500);
        CHECK(p.bits() >= 500);
        CHECK(working_precision() == p.bits());
        {
            const scoped_precision q(40);
            CHECK(working_precision() == q.bits());
        }
        CHECK(working_precision() == p.bits());
    }
    CHECK(working_precision() == outer);
    // A check that throws still restores the precision.
    CHECK_THROWS_AS(dispatch(parse_arith("mpfr:700"), [&]<class T>() -> int { throw std::runtime_error("check failed"); }),
                    std::runtime_error);
    CHECK(working_precision() == outer);
}
