# Shared by scripts/venv.sh and scripts/system.sh: install Debian/Ubuntu packages with apt-get
# when we are root or sudo is at hand. `apt_install PACKAGE…` returns 1 when it cannot.
apt_available() {
  command -v dpkg >/dev/null && command -v apt-get >/dev/null
}

apt_missing() {
  local package
  for package in "$@"; do
    dpkg -s "$package" >/dev/null 2>&1 || echo "$package"
  done
}

apt_install() {
  apt_available || return 1
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
