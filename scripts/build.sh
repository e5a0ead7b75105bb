#!/usr/bin/env bash
# Installs what is missing, then configures and builds ferc (Release) into ./build.
# Extra arguments go to CMake's configure step, e.g. -DFERC_CUDA=OFF.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release "$@"
cmake --build build --parallel "$(nproc)"
