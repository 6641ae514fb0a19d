#!/usr/bin/env bash
#===- bootstrap.sh - Install butterfly's build and test dependencies ------===#
#
# Idempotent: when every package is present it only checks and returns (under
# a second). Otherwise it installs the missing ones with apt-get, which needs
# root on a Debian 12 machine whose apt sources carry LLVM/MLIR 22.
#
#===----------------------------------------------------------------------===#
set -euo pipefail

packages=(
  cmake ninja-build g++ ccache lld
  llvm-22-dev llvm-22-tools libmlir-22-dev mlir-22-tools
  libgtest-dev libgmock-dev libbenchmark-dev
  python3 python3-numpy python3-pytest
)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null |
      grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "bootstrap: installing ${missing[*]}"
if ! command -v apt-get >/dev/null 2>&1; then
  echo "bootstrap: error: apt-get not found; butterfly expects Debian 12." >&2
  echo "bootstrap: install these packages by hand: ${missing[*]}" >&2
  exit 1
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    sudo="sudo"
  else
    echo "bootstrap: error: need root to install: ${missing[*]}" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
if ! $sudo apt-get update -q || ! $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"; then
  echo "bootstrap: error: apt-get could not install: ${missing[*]}" >&2
  echo "bootstrap: LLVM/MLIR 22 must be available from the configured apt sources" \
    "(apt-cache policy libmlir-22-dev)." >&2
  exit 1
fi
