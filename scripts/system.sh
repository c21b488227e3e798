# Shared by ./run and ./test, after scripts/venv.sh: the report's PDF (WeasyPrint) needs Pango
# and fonts from the system, which pip cannot install. On Debian/Ubuntu they are installed with
# apt-get when we are root or sudo is at hand; otherwise this says what to install and goes on
# (everything but the PDF works without them, and the PDF link then says it is unavailable).
# MAILLAGE_SYSTEM_PACKAGES=0 skips the check.
set -euo pipefail

pdf_packages=(libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core)

pdf_ready() {
  .venv/bin/python -c "import weasyprint" >/dev/null 2>&1
}

pdf_missing_debian() {
  local package
  for package in "${pdf_packages[@]}"; do
    dpkg -s "$package" >/dev/null 2>&1 || echo "$package"
  done
}

pdf_install_debian() {
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || return 1
    # A password prompt only where someone can answer it.
    if ! sudo -n true 2>/dev/null; then
      [ -t 0 ] || return 1
      echo "   (sudo may ask for your password / sudo peut demander votre mot de passe)"
    fi
    sudo=(sudo)
  fi
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
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
  if command -v dpkg >/dev/null && command -v apt-get >/dev/null; then
    mapfile -t missing < <(pdf_missing_debian)
    if [ ${#missing[@]} -gt 0 ]; then
      echo "→ Installing the PDF's system libraries (${missing[*]})…"
      pdf_install_debian "${missing[@]}" || pdf_explain
    fi
  elif ! pdf_ready; then
    pdf_explain
  fi
fi
