#!/usr/bin/env bash
# Installs the Debian 12 packages ferc builds against. Safe to run again; installs only what is
# missing. Needs root (or sudo).
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  libboost-dev libboost-program-options-dev   # Spirit X3 (header-only) and Program_options
  libprotobuf-dev protobuf-compiler           # checkpoints
  libopencv-dev opencv-data                   # images, video, Haar cascades
  libdnnl-dev                                 # oneDNN: convolution, pooling, batch norm, GEMM
  libzip-dev zlib1g-dev libjpeg-dev           # reading the FER2013 archive; checksums; JPEG
  nlohmann-json3-dev
  doctest-dev
  unzip clang-format graphviz
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if ((${#missing[@]})); then
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  echo "Installing: ${missing[*]}"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
