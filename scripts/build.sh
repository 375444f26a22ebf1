#!/usr/bin/env bash
# Configure and build rmdp into build/ (Release). Extra arguments go to cmake's configure step.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release "$@" >/dev/null
cmake --build build -j"$(nproc)"
# The README's set-up ends with `import rmdp` working from any directory (docs/python.md): when the
# Python module was built, point Debian's python3 at it (a .pth file; scripts/install-python.sh).
if ls build/python/_rmdp*.so >/dev/null 2>&1; then bash scripts/install-python.sh >/dev/null; fi
