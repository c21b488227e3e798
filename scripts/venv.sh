# Shared by ./run and ./test: make .venv and install the project once per change of pyproject.toml.
# Usage: . scripts/venv.sh EXTRAS   (EXTRAS like "semantic" or "dev,semantic")
set -euo pipefail
PYTHON=${PYTHON:-python3}
if ! "$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
  echo "Maillage needs Python 3.11 or newer (found: $("$PYTHON" --version 2>&1))." >&2
  echo "Maillage a besoin de Python 3.11 ou plus récent." >&2
  exit 1
fi
if [ ! -x .venv/bin/python ]; then
  echo "→ Creating the virtual environment (.venv)…"
  "$PYTHON" -m venv .venv
fi
stamp=".venv/.installed-$1"
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  echo "→ Installing Maillage and its dependencies ($1)…"
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -e ".[$1]"
  touch "$stamp"
fi
