#!/usr/bin/env bash
# Build everything and run the whole test suite with ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh -DRMDP_BUILD_TESTS=ON
cd build && ctest --output-on-failure -j"$(nproc)"
