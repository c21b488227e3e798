#!/usr/bin/env bash
# Refresh the translation catalogues from the source strings (French), then compile them.
# Needs GNU gettext (Debian: gettext). The compiled .mo files are committed, so running
# Maillage never needs gettext.
set -euo pipefail
cd "$(dirname "$0")/.."
cd maillage
export MAILLAGE_DEBUG=1  # a developer's tool: no secret key needed
../.venv/bin/python ../manage.py makemessages -l fr -l en --no-obsolete --add-location file \
  --ignore "*/tests/*" --ignore "conftest.py"
../.venv/bin/python ../scripts/fill_french_catalogue.py
../.venv/bin/python ../manage.py compilemessages -l fr -l en
