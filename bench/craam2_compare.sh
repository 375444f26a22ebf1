#!/usr/bin/env bash
# Whole-process comparison of `rmdp solve --arith double` with craam2's robust PPI (craam2_solve) on
# the 200 x 3 L1 instance of bench_craam2.cpp (docs/benchmarks.md, "craam2 comparison").
#   bash bench/craam2_compare.sh BUILD_DIR [RUNS] [MAXRESIDUAL] [RMDP_BINARY...]
# BUILD_DIR was configured with -DRMDP_BUILD_BENCH=ON -DRMDP_CRAAM2_DIR=... and has the targets
# rmdp, rmdp_bench_craam2 and craam2_solve. Each command runs RUNS times (default 5). MAXRESIDUAL is
# craam2's stopping threshold (default 1e-8: the loosest at which its error is no larger than
# rmdp's, see `craam2_ppi/matched` of rmdp_bench_craam2). Further rmdp binaries (e.g. an older
# build) are timed on the JSON input too.
set -euo pipefail
build=$(cd "$1" && pwd)
runs=${2:-5}
maxres=${3:-1e-8}
shift $(( $# < 3 ? $# : 3 ))
extra=("$@")
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

"$build/rmdp_bench_craam2" --write-instance="$dir/l1.json"
"$build/rmdp" convert "$dir/l1.json" "$dir/l1.csv" --all-successors --write-uncertainty "$dir/u.json" 2>/dev/null
"$build/rmdp" solve "$dir/l1.json" --json >"$dir/exact.json"

# Each command runs RUNS times; os.wait4 gives each child's own user+system CPU time (microseconds)
# and peak RSS. The table has the fastest run of each, its ratio to craam2_solve, and the answer's
# max |V - V*| against rmdp's exact, certified V* (craam2's V negated: it maximises rewards).
/usr/bin/python3 - "$dir" "$runs" "$build" "$maxres" "${extra[@]}" <<'EOF'
import json, os, subprocess, sys
from fractions import Fraction as F
d, runs, build, maxres, others = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5:]
cmds = [("rmdp solve JSON --arith double", [f"{build}/rmdp", "solve", f"{d}/l1.json", "--arith", "double", "--json"]),
        ("rmdp solve CSV --arith double", [f"{build}/rmdp", "solve", f"{d}/l1.csv", "--gamma", "9/10", "--uncertainty",
                                           f"{d}/u.json", "--arith", "double", "--json"]),
        (f"craam2_solve CSV (maxresidual {maxres})", [f"{build}/craam2_solve", f"{d}/l1.csv", "0.9", "0.25", maxres])]
cmds += [(f"{b} solve JSON --arith double", [b, "solve", f"{d}/l1.json", "--arith", "double", "--json"]) for b in others]
exact = [F(v) for v in json.load(open(f"{d}/exact.json"))["V"]]
rows = []
for name, argv in cmds:
    best = None
    for _ in range(runs):
        with open(f"{d}/out", "w") as out:
            p = subprocess.Popen(argv, stdout=out, stderr=subprocess.DEVNULL)
            _, status, ru = os.wait4(p.pid, 0)
        if status != 0:
            sys.exit(f"{name}: exit status {status}")
        t = ru.ru_utime + ru.ru_stime
        if best is None or t < best[0]:
            best = (t, ru.ru_maxrss)
    text = open(f"{d}/out").read()
    V = [-F(float(x)) for x in text.split()] if name.startswith("craam2") else [F(v) for v in json.loads(text)["V"]]
    assert len(V) == len(exact), name
    rows.append((name, best[0], best[1], max(abs(v - e) for v, e in zip(V, exact))))
craam = next(r[1] for r in rows if r[0].startswith("craam2"))
print(f"| command | CPU s (fastest of {runs}) | / craam2 | peak RSS MB | max abs(V - V*) |")
print("|---|---:|---:|---:|---:|")
for name, t, rss, err in rows:
    print(f"| {name} | {t:.3f} | {t / craam:.2f} | {rss / 1024:.1f} | {float(err):.3g} |")
EOF
