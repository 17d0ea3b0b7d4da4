#!/usr/bin/env bash
# Installs what is missing (Debian 12), builds the GUI and CLI, and opens the GUI on the
# bundled demo knowledge graph. Without a display it runs headless and saves a screenshot.
set -euo pipefail
cd "$(dirname "$0")/.."
bash installer/install-deps.sh
BUILD_DIR=${BUILD_DIR:-build}
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release
cmake --build "$BUILD_DIR" -j"$(nproc)" --target kg-workbench kgwb
exec "$BUILD_DIR/bin/kg-workbench" --demo "$@"
