# Shared by ./run and ./test, after scripts/venv.sh: the report's PDF (WeasyPrint) needs Pango
# and fonts from the system, which pip cannot install. On Debian/Ubuntu they are installed with
# apt-get when we are root or sudo is at hand; otherwise this says what to install and goes on
# (everything but the PDF works without them, and the PDF link then says it is unavailable).
# MAILLAGE_SYSTEM_PACKAGES=0 skips the check.
set -euo pipefail
here=${BASH_SOURCE[0]%/*}
[ "$here" != "${BASH_SOURCE[0]}" ] || here=.
. "$here/apt.sh"

pdf_packages=(libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core)
# Font subsetting (smaller PDFs; WeasyPrint will require it): where the release has it.
if apt_available && apt-cache show libharfbuzz-subset0 >/dev/null 2>&1; then
  pdf_packages+=(libharfbuzz-subset0)
fi

pdf_ready() {
  .venv/bin/python -c "import weasyprint" >/dev/null 2>&1
}

pdf_explain() {
  cat >&2 <<'MSG'
   ! The report's PDF needs Pango and fonts from the system; everything else works without them.
     Le PDF du rapport a besoin de Pango et de polices du système ; tout le reste fonctionne sans.
     Debian/Ubuntu:  sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core
     Fedora:         sudo dnf install pango dejavu-sans-fonts
     macOS:          brew install pango
MSG
}

if [ "${MAILLAGE_SYSTEM_PACKAGES:-1}" != 0 ]; then
  if apt_available; then
    mapfile -t missing < <(apt_missing "${pdf_packages[@]}")
    if [ ${#missing[@]} -gt 0 ]; then
      echo "→ Installing the PDF's system libraries (${missing[*]})…"
      apt_install "${missing[@]}" || pdf_explain
    fi
  elif ! pdf_ready; then
    pdf_explain
  fi
fi
