#!/usr/bin/env bash
# Installs the Debian 12 packages KG Workbench needs to build, test and run.
# Idempotent: packages already present are skipped, so a second run does nothing but check.
# Usage: installer/install-deps.sh [--with-fuzz]   (run as root, or with sudo available)
set -euo pipefail

PKGS=(
  g++ cmake ninja-build pkg-config ccache git
  qt6-base-dev libqt6opengl6-dev libqt6sql6-sqlite qt6-charts-dev qt6-svg-dev
  qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools qt6-qpa-plugins libxkbcommon-dev
  libtorch-dev python3-torch
  libopenblas0-pthread   # else libblas.so.3 is the reference BLAS: eval was 6x slower
  libgraphviz-dev graphviz
  libsqlite3-dev sqlite3
  libsentencepiece-dev sentencepiece protobuf-compiler
  libserd-dev zlib1g-dev nlohmann-json3-dev
  libgloo-dev libssl-dev   # federation: c10d Gloo headers, HMAC-SHA256 of entity keys
  libcpp-httplib-dev       # kgwb serve (HTTP/JSON)
  xvfb xauth fonts-dejavu-core fonts-wqy-microhei
  dpkg-dev file bc
)
if [[ "${1:-}" == "--with-fuzz" ]]; then
  PKGS+=(clang libclang-rt-14-dev)
fi

missing=()
for p in "${PKGS[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#PKGS[@]} packages already installed"
  exit 0
fi

SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
echo "install-deps: installing ${#missing[@]} missing packages: ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
# Graphviz plugins are found through config6a; regenerate it in case the package hook did not run.
$SUDO dot -c 2>/dev/null || true
echo "install-deps: done"
