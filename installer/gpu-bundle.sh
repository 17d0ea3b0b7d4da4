#!/usr/bin/env bash
# Prepares, on any Debian 12 development machine (no GPU needed), what installer/gpu-check.sh
# needs on a GPU host that has PyTorch but neither the engine's libraries, a package registry
# nor the datasets: a lent device machine, to which only the working tree travels.
# Builds kgwb and kgwb-ml with the CUDA kernel against the LibTorch of the PyTorch version the
# GPU host runs (from PyPI: the same build), then fills BUNDLE_DIR with
#   bin/           kgwb, kgwb-ml and the sentencepiece shim
#   lib/           the libraries they load beyond glibc, the C++ runtime, LibTorch and CUDA
#                  (SQLite, Serd, Graphviz, sentencepiece, cpp-httplib and what those load)
#   lib-fallback/  this machine's libstdc++ and libgcc_s, for a host whose own are older
#   graphviz/      Graphviz's core and layout plugins with their config (for GVBINDIR)
#   data/fb15k-237/ the dataset's splits and label files, gzipped (the importer reads gzip)
#   MANIFEST       the PyTorch version it was built for, the commit and the date
# gpu-check.sh refuses a bundle whose PyTorch version differs from the host's.
# Usage: installer/gpu-bundle.sh [TORCH_VERSION (2.11.0)] [BUNDLE_DIR (.gpu-bundle)]
# KGWB_DATASETS: the datasets folder (default ../shared/datasets).
set -euo pipefail
cd "$(dirname "$0")/.."
VER=${1:-2.11.0}
B=${2:-.gpu-bundle}
DATA=${KGWB_DATASETS:-../shared/datasets}/fb15k-237
[[ -f "$DATA/train.tsv" ]] || { echo "gpu-bundle: no $DATA/train.tsv (set KGWB_DATASETS)" >&2; exit 1; }
VENV=${KGWB_TORCH_VENV:-$HOME/.cache/kgwb-torch-$VER}
if ! "$VENV/bin/python" -c "import sys, torch; sys.exit(torch.__version__.split('+')[0] != '$VER')" 2>/dev/null; then
  echo "gpu-bundle: installing PyTorch $VER into $VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q "torch==$VER"
fi
BUILD=${KGWB_BUNDLE_BUILD:-build-gpu-bundle}
KGWB_TORCH_PYTHON="$VENV/bin/python" KGWB_SKIP_DEPS=${KGWB_SKIP_DEPS:-0} bash installer/build-cuda.sh "$BUILD"

rm -rf "$B"
mkdir -p "$B"/{bin,lib,lib-fallback,graphviz,data/fb15k-237}
cp "$BUILD"/bin/{kgwb,kgwb-ml,libkgwb_spm.so} "$B/bin/"
GV=$(dirname "$(readlink -f "$(ldconfig -p | awk '/libgvc\.so\.6 .*x86-64/ {print $NF; exit}')")")/graphviz
cp "$GV"/libgvplugin_{core,dot_layout,neato_layout}.so.6 "$B/graphviz/"
GVBINDIR="$PWD/$B/graphviz" dot -c # writes config6a there: the plugins by name, found through GVBINDIR
for f in "$B"/bin/* "$B"/graphviz/*.so.6; do ldd "$f"; done | awk '$2 == "=>" && $3 ~ /^\// {print $1, $3}' | sort -u |
  while read -r name path; do
    case $name in
      libc.so.* | libm.so.* | libpthread.so.* | librt.so.* | libdl.so.* | libutil.so.* | ld-linux* | libresolv.so.*) ;;
      libstdc++.so.* | libgcc_s.so.*) cp -L "$path" "$B/lib-fallback/$name" ;;
      *) case $path in
           */site-packages/* | /usr/local/cuda*) ;; # LibTorch and CUDA: the host's own
           *) cp -L "$path" "$B/lib/$name" ;;
         esac ;;
    esac
  done
for f in train valid test entities relations; do gzip -9c "$DATA/$f.tsv" >"$B/data/fb15k-237/$f.tsv.gz"; done
{
  echo "torch=$("$VENV/bin/python" -c 'import torch; print(torch.__version__)' 2>/dev/null)"
  echo "commit=$(git rev-parse HEAD)$(git diff --quiet HEAD || echo '+changes')"
  echo "built=$(date -u +%FT%TZ) on $(uname -n)"
  echo "cuda_arch=$(sed -n "s/^KGWB_CUDA_ARCHITECTURES:STRING=//p" "$BUILD/CMakeCache.txt")"
} >"$B/MANIFEST"
cat "$B/MANIFEST"
du -sh "$B"
SIZE=$(du -sm "$B" | cut -f1)
((SIZE < 56)) || { echo "gpu-bundle: $SIZE MiB; the device takes 64 MiB with the working tree" >&2; exit 1; }
