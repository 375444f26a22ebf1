#!/usr/bin/env bash
# The main job: build, then run every registered proof check on the default seeded random
# instances and print the verdict table. Extra arguments go to `rmdp check`
# (e.g. --trials 1000 --seed 7 --arith interval:128 --json).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh -DRMDP_BUILD_TESTS=OFF
./build/rmdp check --all "$@"
