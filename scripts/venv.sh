# Shared by ./run and ./test: make .venv and install the project from its lock file, once per
# change of the lock (requirements/LOCK.txt, pinned with hashes: scripts/lock.sh refreshes them).
# Usage: . scripts/venv.sh LOCK   (LOCK: "run" for ./run, "test" for ./test and CI)
set -euo pipefail
PYTHON=${PYTHON:-python3}
if ! "$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
  echo "Maillage needs Python 3.11 or newer (found: $("$PYTHON" --version 2>&1))." >&2
  echo "Maillage a besoin de Python 3.11 ou plus récent." >&2
  exit 1
fi
here=${BASH_SOURCE[0]%/*}
[ "$here" != "${BASH_SOURCE[0]}" ] || here=.
. "$here/apt.sh"
if [ ! -x .venv/bin/python ] || [ ! -x .venv/bin/pip ]; then
  # Debian and Ubuntu ship Python without venv's pip (ensurepip): python3-venv brings it.
  if ! "$PYTHON" -c "import ensurepip" >/dev/null 2>&1; then
    venv_package="python3-venv"
    version=$("$PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
    if apt_available && apt-cache show "python$version-venv" >/dev/null 2>&1; then
      venv_package="python$version-venv"
    fi
    echo "→ Installing $venv_package (Python's virtual environments)…"
    if ! apt_install "$venv_package"; then
      echo "Python cannot make a virtual environment here: install $venv_package (Debian," >&2
      echo "Ubuntu: sudo apt-get install $venv_package), then run this again." >&2
      echo "Python ne peut pas créer d’environnement virtuel : installez $venv_package." >&2
      exit 1
    fi
  fi
  echo "→ Creating the virtual environment (.venv)…"
  rm -rf .venv  # a half-made one (venv without pip) would stop every later run
  "$PYTHON" -m venv .venv
fi
lock="requirements/$1.txt"
if [ ! -f "$lock" ]; then
  echo "No lock file $lock (scripts/venv.sh run|test)." >&2
  exit 2
fi
stamp=".venv/.installed-$1"
if [ ! -f "$stamp" ] || [ "$lock" -nt "$stamp" ] || [ requirements/build.txt -nt "$stamp" ] ||
  [ pyproject.toml -nt "$stamp" ]; then
  echo "→ Installing Maillage and its dependencies ($lock)…"
  # Exactly the files of the lock, checked against their sha256 (--require-hashes): a package
  # changed on the index, or a dependency missing from the lock, stops here rather than later.
  # pip and setuptools first, from their own lock, so that building Maillage itself
  # (--no-build-isolation) fetches nothing unpinned.
  .venv/bin/python -m pip install --quiet --require-hashes -r requirements/build.txt
  .venv/bin/python -m pip install --quiet --require-hashes -r "$lock"
  # (setuptools warns about any editable install: nothing to act on.)
  PYTHONWARNINGS=ignore .venv/bin/python -m pip install --quiet --no-deps --no-build-isolation -e .
  touch "$stamp"
fi
