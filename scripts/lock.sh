#!/usr/bin/env bash
# Refresh the lock files that ./run, ./test, CI and deploy/ install from (requirements/*.txt):
#   scripts/lock.sh                 after a change of pyproject.toml: new pins only where needed
#   scripts/lock.sh --upgrade       every dependency to its newest allowed release
#   scripts/lock.sh --upgrade-package django    one of them
# Pins are for CPython 3.11 on Linux x86_64 (Debian's and the Docker image's), with every file's
# sha256, so that pip installs exactly these files (--require-hashes) or nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
UV_VERSION=0.13.9
if ! command -v uv >/dev/null; then
  # uv resolves for a target platform and writes every file's hash; a throwaway venv keeps it
  # out of the project's own.
  tools=${TMPDIR:-/tmp}/maillage-lock-tools
  [ -x "$tools/bin/uv" ] || { python3 -m venv "$tools" && "$tools/bin/pip" install -q "uv==$UV_VERSION"; }
  PATH="$tools/bin:$PATH"
fi
compile() {
  local out=$1; shift
  uv pip compile --quiet --generate-hashes --python-version 3.11 \
    --python-platform x86_64-manylinux_2_28 --index-url https://pypi.org/simple \
    --custom-compile-command "scripts/lock.sh" "$@" -o "$out"
}
# test.txt first: the widest set; the others are cut from it (-c), so that the same package has
# the same version everywhere and ./test checks what ./run and production run.
compile requirements/test.txt pyproject.toml --extra dev --extra semantic --extra server "$@"
compile requirements/run.txt pyproject.toml --extra semantic -c requirements/test.txt
compile requirements/server.txt pyproject.toml --extra semantic --extra server -c requirements/test.txt
compile requirements/build.txt requirements/build.in "$@"
echo "requirements/*.txt refreshed: commit them with pyproject.toml"
