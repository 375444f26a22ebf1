#!/usr/bin/env bash
# Whole-process comparison of `rmdp solve --arith double` with craam2's robust PPI (craam2_solve) on
# the 200 x 3 L1 instance of bench_craam2.cpp (docs/benchmarks.md, "craam2 comparison").
#   bash bench/craam2_compare.sh BUILD_DIR [RUNS] [MAXRESIDUAL] [RMDP_BINARY...]
# BUILD_DIR was configured with -DRMDP_BUILD_BENCH=ON -DRMDP_CRAAM2_DIR=... and has the targets
# rmdp, rmdp_bench_craam2 and craam2_solve. Each command runs RUNS times (default 5); the table has
# the fastest user+system CPU time (/usr/bin/time), peak RSS, and each answer's max |V - V*| against
# rmdp's exact, certified V* (craam2 maximises rewards: its V is negated first). MAXRESIDUAL is
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

# time_cmd NAME OUTPUT COMMAND...: fastest user+sys over the runs, and the RSS of that run
time_cmd() {
    local name=$1 out=$2 best="" rss=""
    shift 2
    for _ in $(seq "$runs"); do
        /usr/bin/time -f "%U %S %M" -o "$dir/time" "$@" >"$out" 2>/dev/null
        read -r u s m <"$dir/time"
        local t
        t=$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.2f", u + s }')
        if [[ -z $best ]] || awk -v t="$t" -v b="$best" 'BEGIN { exit !(t < b) }'; then best=$t; rss=$m; fi
    done
    echo "$name $best $rss $out"
}

{
    time_cmd rmdp_json "$dir/rmdp_json.out" "$build/rmdp" solve "$dir/l1.json" --arith double --json
    time_cmd rmdp_csv "$dir/rmdp_csv.out" "$build/rmdp" solve "$dir/l1.csv" --gamma 9/10 --uncertainty "$dir/u.json" \
        --arith double --json
    time_cmd craam2_csv "$dir/craam2.out" "$build/craam2_solve" "$dir/l1.csv" 0.9 0.25 "$maxres"
    i=0
    for b in "${extra[@]}"; do
        i=$((i + 1))
        time_cmd "other$i:$b" "$dir/other$i.out" "$b" solve "$dir/l1.json" --arith double --json
    done
} >"$dir/rows"

/usr/bin/python3 - "$dir/exact.json" "$dir/rows" <<'EOF'
import json, sys
from fractions import Fraction as F
exact = [F(v) for v in json.load(open(sys.argv[1]))["V"]]
rows = [l.split() for l in open(sys.argv[2])]
def error(name, path):
    if name.startswith("craam2"):
        V = [-F(float(x)) for x in open(path).read().split()]
    else:
        V = [F(v) for v in json.load(open(path))["V"]]
    assert len(V) == len(exact), (name, len(V))
    return max(abs(v - e) for v, e in zip(V, exact))
craam = next(float(r[1]) for r in rows if r[0].startswith("craam2"))
print(f"{'command':<40} {'CPU s':>7} {'/craam2':>8} {'RSS MB':>7} {'max|V-V*|':>10}")
for name, t, rss, path in rows:
    print(f"{name:<40} {float(t):7.3f} {float(t) / craam:8.2f} {int(rss) / 1024:7.1f} {float(error(name, path)):10.3g}")
EOF
