#!/usr/bin/env bash
# One clang ASan + UBSan build (build-sanitize/) of the library, the CLI and the libFuzzer
# targets; runs the fast command-line tests under it, then FUZZ_SECONDS (default 10) of fuzzing
# per target from the seed corpus (examples/, tests/malformed/). docs/reliability.md.
# Under CI=true a missing clang is a failure, not a skip.
set -euo pipefail
cd "$(dirname "$0")/.."
RMDP_WITH_FUZZ=1 bash scripts/setup.sh
CXX=${RMDP_FUZZ_CXX:-clang++-14}
if ! command -v "$CXX" >/dev/null; then
  if [ "${CI:-}" = true ]; then echo "sanitize.sh: $CXX not found (CI installs clang-14 libfuzzer-14-dev)" >&2; exit 1; fi
  echo "sanitize.sh: $CXX not found: skipped (RMDP_WITH_FUZZ=1 bash scripts/setup.sh installs it)"; exit 0
fi
start=$(date +%s)
flags="-g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined -fsanitize=fuzzer-no-link"
cmake -S . -B build-sanitize -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_COMPILER="$CXX" -DCMAKE_CXX_FLAGS="$flags" \
      -DRMDP_BUILD_TESTS=ON -DRMDP_FUZZ=ON -DPython3_EXECUTABLE=/usr/bin/python3 >/dev/null
targets="rmdp"
for t in fuzz/fuzz_*.cpp; do targets="$targets $(basename "$t" .cpp)"; done
# shellcheck disable=SC2086
cmake --build build-sanitize -j"$(nproc)" --target $targets
built=$(date +%s)
echo "sanitize.sh: build $((built - start)) s"

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
# The fast command-line tests (malformed input, reliability, CLI smoke); the unit-test binary and
# the differential drivers stay in the plain build (scripts/test.sh).
(cd build-sanitize && ctest --output-on-failure -j"$(nproc)" -R 'malformed_input|^reliability|^cli_|mbpo_cli_verify|rpmd_(tiny|huge)')
tested=$(date +%s)
echo "sanitize.sh: tests $((tested - built)) s"

seconds=${FUZZ_SECONDS:-10}
corpus=$(mktemp -d)
trap 'rm -rf "$corpus"' EXIT
for t in fuzz/fuzz_*.cpp; do
  name=$(basename "$t" .cpp)
  mkdir -p "$corpus/$name"
  cp examples/*.json tests/malformed/*.json "$corpus/$name/"
  echo "sanitize.sh: $name for $seconds s"
  status=0
  build-sanitize/fuzz/"$name" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 -print_final_stats=1 \
      -artifact_prefix="build-sanitize/$name-" "$corpus/$name" >"$corpus/$name.log" 2>&1 || status=$?
  grep -E '^(stat::number_of_executed_units|==[0-9]+==|SUMMARY|ERROR)' "$corpus/$name.log" || true
  if [ "$status" -ne 0 ]; then
    tail -n 60 "$corpus/$name.log"
    echo "sanitize.sh: $name found a problem (reproducer in build-sanitize/$name-*)"; exit 1
  fi
done
echo "sanitize.sh: done in $(( $(date +%s) - start )) s"
