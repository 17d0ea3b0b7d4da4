#!/usr/bin/env bash
# Sets up the peers the benchmarks compare kgwb against, in a virtual environment at .peers/
# (or $KGWB_PEERS_VENV): PyKEEN with the PyTorch it pulls from PyPI (a few GB). Benchmarks
# only, never CI or the product; bench_train finds .peers/bin/python by itself (or takes
# --pykeen PYTHON). With an existing PyTorch install, KGWB_PEERS_BASE=/path/to/its/python
# makes the venv see that install's packages (a .pth line) instead of downloading another.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${KGWB_PEERS_VENV:-.peers}
if [[ -n "${KGWB_PEERS_BASE:-}" ]]; then
  "$KGWB_PEERS_BASE" -m venv "$VENV"
  BASE_SITE=$("$KGWB_PEERS_BASE" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
  OWN_SITE=$("$VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
  echo "$BASE_SITE" > "$OWN_SITE/kgwb-peers-base.pth"
else
  python3 -m venv "$VENV"
fi
"$VENV/bin/pip" install -q pykeen
"$VENV/bin/python" -c 'import pykeen.version, torch; print("PyKEEN", pykeen.version.get_version(), "with torch", torch.__version__)'
