#!/usr/bin/env python3
"""Interval campaigns through the robust layer (docs/arithmetic.md, "Intervals through the robust
layer"). Usage: interval.py RMDP_BINARY CASE.

  agree        the robust, gradient and Euclidean-RPMD claims under interval:128 give the exact
               verdicts on the same seeded trials (identities: `tight`, or `holds` where every
               instance went to the exact fallback); interval rows carry the decision counters,
               exact rows do not
  fallback     on an instance with an exact tie in V the enclosures cannot order V: the counters say
               so (exact_fallbacks >= 1, one exact rerun) and the verdict is the exact one; on an
               instance without ties the enclosures decide everything (no fallback)
  differentiable
               differentiable-everywhere in intervals: on an instance without ties every face is
               a point, certified by the enclosures alone (holds, no fallback); with a tie in V
               the exact fallback decides (the exact verdict); a campaign gives the exact verdict
               and counterexample trial
  unsupported  a check without a version in the arithmetic says `not supported in ARITH`, not
               `inconclusive`, in the text table and in --json (differentiable-everywhere in
               double)
"""

import json
import os
import sys
import tempfile

from cli_support import main, run

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "interval")

# Claims whose relation is an identity (==): an enclosure cannot certify them, so interval gives
# `tight` (or `holds` when every instance was decided by the exact fallback).
IDENTITIES = {"robust-bellman-v", "robust-bellman-q", "worst-case-kernel", "vi-nonrobust-identity",
              "vi-nonrobust-identity:corrected", "vi-robust-identity", "vi-robust-identity:corrected"}
CLAIMS = ["robust-bellman-v", "robust-bellman-q", "worst-case-kernel", "robust-pdl-upper", "lemma-2-7", "vi-upper",
          "vi-optimality", "pg-fixed-u", "occupancy-lipschitz:a", "frechet-subgradient", "differentiable-everywhere",
          "vi-robust-identity",
          "vi-robust-identity:inequality", "three-point:euclid", "rpmd-monotone", "euclid-bregman-gap",
          "rpmd-recursion"]


def campaign(binary, arith, trials, tmp):
    args = ["check", "--trials", trials, "--seed", 7, "--arith", arith, "--jobs", 1, "--json",
            "--counterexample-dir", tmp]
    for c in CLAIMS:
        args += ["--claim", c]
    return {r["claim"]: r for r in json.loads(run(binary, *args).stdout)["rows"]}


def agree(binary):
    with tempfile.TemporaryDirectory() as tmp:
        exact = campaign(binary, "exact", 24, tmp)
        interval = campaign(binary, "interval:128", 24, tmp)
    for c in CLAIMS:
        e, i = exact[c], interval[c]
        assert "enclosure_decisions" not in e, c
        for k in ("enclosure_decisions", "exact_fallbacks", "exact_reruns"):
            assert isinstance(i[k], int), (c, k, i)
        assert i["exact_fallbacks"] == i["exact_reruns"], i
        assert i["instances"] == e["instances"], (c, e, i)
        if c in IDENTITIES and e["verdict"] == "holds":
            assert i["verdict"] in ("tight", "holds"), (c, i)
            if i["verdict"] == "holds":  # every instance certified: by the exact fallback, or by point enclosures
                assert i["undecided"] == 0 and i["decided"] == i["instances"], i
        else:
            assert i["verdict"] == e["verdict"], (c, e["verdict"], i["verdict"], i["detail"])
        if e["verdict"] == "refuted":
            assert i["counterexample_trial"] == e["counterexample_trial"], c
    total = sum(interval[c]["enclosure_decisions"] for c in CLAIMS)
    assert total > 0, "the enclosures decided nothing"


def check_instance(binary, claim, name, arith):
    return json.loads(run(binary, "check", "--claim", claim, "--instance", os.path.join(DATA, name), "--arith", arith,
                          "--json").stdout)


def fallback(binary):
    for claim in ("robust-pdl-upper", "vi-upper", "worst-case-kernel"):
        e = check_instance(binary, claim, "tie-instance.json", "exact")
        i = check_instance(binary, claim, "tie-instance.json", "interval:128")
        assert i["exact_fallbacks"] >= 1 and i["exact_reruns"] == 1, (claim, i)
        assert i["verdict"] == e["verdict"], (claim, e, i)
    # Without ties the enclosures order V and decide every worst case; the identities are `tight`.
    for claim in ("worst-case-kernel", "robust-bellman-q"):
        s = check_instance(binary, claim, "separated-instance.json", "interval:128")
        assert s["exact_fallbacks"] == 0 and s["exact_reruns"] == 0 and s["enclosure_decisions"] > 0, (claim, s)
        assert s["verdict"] == "tight" and "width" in s["detail"], (claim, s)
    # An inequality that holds with equality (here the robust PDL bound, whose two worst-case
    # kernels coincide) is decided by the exact fallback, as the counters say.
    s = check_instance(binary, "robust-pdl-upper", "separated-instance.json", "interval:128")
    assert s["verdict"] == "holds" and s["exact_fallbacks"] == 1 and s["enclosure_decisions"] > 0, s
    # The text table of a tie-heavy campaign prints both counters under the row.
    with tempfile.TemporaryDirectory() as tmp:
        out = run(binary, "check", "--claim", "frechet-subgradient", "--trials", 12, "--arith", "interval:128",
                  "--jobs", 1, "--counterexample-dir", tmp).stdout
    line = next(l for l in out.splitlines() if "decisions:" in l)
    words = line.split()
    assert int(words[words.index("decisions:") + 1]) > 0, line
    assert int(words[words.index("needed") - 1]) > 0, line  # "N needed the exact fallback"


def differentiable(binary):
    claim = "differentiable-everywhere"
    s = check_instance(binary, claim, "differentiable-separated.json", "interval:128")
    assert s["verdict"] == "holds" and s["exact_fallbacks"] == 0 and s["exact_reruns"] == 0, s
    assert s["enclosure_decisions"] > 0 and s["decided"] == 1, s
    e = check_instance(binary, claim, "differentiable-tie.json", "exact")
    i = check_instance(binary, claim, "differentiable-tie.json", "interval:128")
    assert i["exact_fallbacks"] >= 1 and i["exact_reruns"] == 1 and i["verdict"] == e["verdict"], (e, i)
    with tempfile.TemporaryDirectory() as tmp:
        rows = {}
        for arith in ("exact", "interval:128"):
            rows[arith] = json.loads(run(binary, "check", "--claim", claim, "--trials", 40, "--seed", 1, "--arith", arith,
                                         "--jobs", 1, "--json", "--counterexample-dir", tmp).stdout)["rows"][0]
    e, i = rows["exact"], rows["interval:128"]
    assert e["verdict"] == "refuted" and i["verdict"] == "refuted", (e, i)
    assert i["counterexample_trial"] == e["counterexample_trial"] and i["instances"] == e["instances"], (e, i)


def unsupported(binary):
    with tempfile.TemporaryDirectory() as tmp:
        text = run(binary, "check", "--claim", "differentiable-everywhere", "--trials", 3, "--arith", "double",
                   "--jobs", 1, "--counterexample-dir", tmp).stdout
        row = json.loads(run(binary, "check", "--claim", "differentiable-everywhere", "--trials", 3, "--arith",
                             "double", "--jobs", 1, "--json", "--counterexample-dir", tmp).stdout)["rows"][0]
    assert "not supported in double" in text and "inconclusive" not in text.split("---")[-1], text
    assert row["verdict"] == "not supported in double", row
    assert row["decided"] == 0, row


if __name__ == "__main__":
    sys.exit(main([agree, fallback, differentiable, unsupported], __doc__))
