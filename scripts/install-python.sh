#!/usr/bin/env bash
# Makes `import rmdp` work from any directory, with no environment variables: writes rmdp.pth into
# the interpreter's system site directory (for Debian's /usr/bin/python3 3.11:
# /usr/local/lib/python3.11/dist-packages), naming build/python/ (the extension _rmdp) and python/
# (the package). Run it after the build (scripts/test.sh or scripts/build.sh); it builds nothing.
# The .pth file points into this checkout: rebuilding updates the module, moving the checkout needs
# a re-run, `rm` of the printed files undoes it. Arguments: the interpreters to install for; default
# /usr/bin/python3 (the one that sees Debian's numpy, pytest, Hypothesis) and, when `python3` on PATH
# is another interpreter of the same Python version (the extension is built for that version), it
# too -- it can then import rmdp, but without Debian's numpy (to_numpy) and Hypothesis (rmdp.testing).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
ext=$(ls "$root"/build/python/_rmdp*.so 2>/dev/null | head -1 || true)
if [ -z "$ext" ]; then
  echo "rmdp install-python: no build/python/_rmdp*.so; build first (bash scripts/test.sh)" >&2
  exit 1
fi
interpreters=("$@")
if [ ${#interpreters[@]} -eq 0 ]; then
  interpreters=(/usr/bin/python3)
  other=$(command -v python3 || true)
  version() { "$1" -c 'import sys; print(sys.version_info[:2])'; }
  if [ -n "$other" ] && [ "$(readlink -f "$other")" != "$(readlink -f /usr/bin/python3)" ] &&
     [ "$(version "$other")" = "$(version /usr/bin/python3)" ]; then
    interpreters+=("$other")
  fi
fi
for py in "${interpreters[@]}"; do
  site=$("$py" -c 'import site; print(site.getsitepackages()[0])')
  sudo=""
  [ -w "$(dirname "$site")" ] || [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo mkdir -p "$site"
  printf '%s\n%s\n' "$root/build/python" "$root/python" | $sudo tee "$site/rmdp.pth" >/dev/null
  (cd / && "$py" -c 'import rmdp, sys; print("rmdp: importable by", sys.executable, "from", rmdp.__file__)')
  echo "rmdp: wrote $site/rmdp.pth"
done
