#!/usr/bin/env bash
# Compiles and links the engine and kgwb against a CUDA LibTorch, with or without a GPU on this
# machine (only running it needs one). The LibTorch is $KGWB_TORCH_DIR if set, else the one in
# a PyTorch install: $KGWB_TORCH_PYTHON, else a venv at $KGWB_TORCH_VENV (default
# ~/.cache/kgwb-torch-cuda) made with `pip install torch` on first use (about 3 GB, from PyPI).
# Not part of CI or the default build. Usage: installer/build-cuda.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${1:-build-cuda}
# On a host without Debian's mirrors (a GPU machine), set KGWB_SKIP_DEPS=1 and provide the
# engine's libraries (SQLite, Serd, Graphviz, sentencepiece, nlohmann-json, zlib) yourself.
[[ "${KGWB_SKIP_DEPS:-0}" == 1 ]] || bash installer/install-deps.sh
if [[ -z "${KGWB_TORCH_DIR:-}" ]]; then
  PY=${KGWB_TORCH_PYTHON:-}
  if [[ -z "$PY" ]]; then
    VENV=${KGWB_TORCH_VENV:-$HOME/.cache/kgwb-torch-cuda}
    if [[ ! -x "$VENV/bin/python" ]] || ! "$VENV/bin/python" -c 'import torch' 2>/dev/null; then
      echo "build-cuda: installing PyTorch (with CUDA) into $VENV"
      python3 -m venv "$VENV"
      "$VENV/bin/pip" install -q torch
    fi
    PY="$VENV/bin/python"
  fi
  KGWB_TORCH_DIR=$("$PY" -c 'import torch; print(torch.utils.cmake_prefix_path)' 2>/dev/null)
  # PyTorch's wheels bring their own CUDA, cuDNN and NCCL under site-packages/nvidia: link and
  # run against those, not against whatever older copies the system has.
  NVLIBS=$("$PY" -c 'import glob, os, torch; print(":".join(sorted(glob.glob(os.path.join(os.path.dirname(os.path.dirname(torch.__file__)), "nvidia", "*", "lib")))))' 2>/dev/null)
  if [[ -n "$NVLIBS" ]]; then
    KGWB_CMAKE_ARGS="${KGWB_CMAKE_ARGS:-} -DCMAKE_EXE_LINKER_FLAGS=-Wl,-rpath-link,$NVLIBS,-rpath,$NVLIBS"
  fi
  echo "build-cuda: LibTorch $("$PY" -c 'import torch; print(torch.__version__, "CUDA", torch.version.cuda)' 2>/dev/null)"
fi
CUDA_ROOT=${CUDA_HOME:-/usr/local/cuda}
# Without a GPU to probe, name the architectures (9.0: H100/H200; add 8.0 for A100).
export TORCH_CUDA_ARCH_LIST=${TORCH_CUDA_ARCH_LIST:-9.0}
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release -DKGWB_BUILD_GUI=OFF \
  -DKGWB_TORCH_DIR="$KGWB_TORCH_DIR" -DCUDAToolkit_ROOT="$CUDA_ROOT" \
  -DCMAKE_CUDA_COMPILER="$CUDA_ROOT/bin/nvcc" -DKGWB_CUDA=ON ${KGWB_CMAKE_ARGS:-}
cmake --build "$BUILD_DIR" -j"$(nproc)" --target kgwb kgwb-ml kgwb_spm
echo "build-cuda: $BUILD_DIR/bin/kgwb-ml (the model commands of kgwb) links:"
ldd "$BUILD_DIR/bin/kgwb-ml" | grep -E 'torch_cuda|c10_cuda|cudart' || { echo "build-cuda: kgwb-ml does not link LibTorch's CUDA libraries" >&2; exit 1; }
