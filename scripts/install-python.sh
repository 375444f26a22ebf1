#!/usr/bin/env bash
# Makes `import rmdp` work from any directory, with no environment variables: writes rmdp.pth into
# the interpreter's system site directory (for Debian's /usr/bin/python3 3.11:
# /usr/local/lib/python3.11/dist-packages), naming build/python/ (the extension _rmdp) and python/
# (the package). Run it after the build (scripts/test.sh or scripts/build.sh); it builds nothing.
# The .pth file points into this checkout: rebuilding updates the module, moving the checkout needs
# a re-run, `rm` of the printed file undoes it. Extra arguments: other interpreters of the same
# Python version to install for (default /usr/bin/python3, the one that sees Debian's numpy).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
ext=$(ls "$root"/build/python/_rmdp*.so 2>/dev/null | head -1 || true)
if [ -z "$ext" ]; then
  echo "rmdp install-python: no build/python/_rmdp*.so; build first (bash scripts/test.sh)" >&2
  exit 1
fi
interpreters=("$@")
[ ${#interpreters[@]} -gt 0 ] || interpreters=(/usr/bin/python3)
for py in "${interpreters[@]}"; do
  site=$("$py" -c 'import site; print(site.getsitepackages()[0])')
  sudo=""
  [ -w "$(dirname "$site")" ] || [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo mkdir -p "$site"
  printf '%s\n%s\n' "$root/build/python" "$root/python" | $sudo tee "$site/rmdp.pth" >/dev/null
  (cd / && "$py" -c 'import rmdp, sys; print("rmdp: importable by", sys.executable, "from", rmdp.__file__)')
  echo "rmdp: wrote $site/rmdp.pth"
done
