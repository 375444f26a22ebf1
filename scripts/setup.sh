#!/usr/bin/env bash
# Installs what rmdp needs on Debian 12, idempotently: packages already present are not
# reinstalled, and apt-get update runs only when something is missing. Needs root (or sudo).
set -euo pipefail

packages=(g++ cmake make pkg-config python3
          libboost-dev libgmp-dev libmpfr-dev libmpfi-dev libflint-dev
          nlohmann-json3-dev libcli11-dev catch2 librapidcheck-dev
          gnuplot-nox   # gnuplot: `rmdp rpmd --plot` draws its picture with it
          pybind11-dev python3-dev python3-numpy python3-pytest python3-hypothesis  # the Python module
          coq libcoq-mathcomp-ssreflect libcoq-mathcomp-algebra)  # formal/: certificates checked by Coq
if [ "${RMDP_WITH_BENCH:-0}" = 1 ]; then packages+=(libbenchmark-dev); fi
# scripts/sanitize.sh: clang's ASan/UBSan and libFuzzer
if [ "${RMDP_WITH_FUZZ:-0}" = 1 ]; then packages+=(clang-14 libfuzzer-14-dev); fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "rmdp setup: installing ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
