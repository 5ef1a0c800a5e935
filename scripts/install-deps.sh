#!/bin/sh
# Installs every Debian package juesuan needs to build, test, fuzz and
# benchmark. Safe to run again. Run as root (or through sudo).
set -eu

PACKAGES="
  build-essential
  pkg-config
  make
  clang
  libclang-rt-14-dev
  libjansson-dev
  valgrind
  cppcheck
  perl
  python3
  ca-certificates
"

SUDO=
if [ "$(id -u)" -ne 0 ]; then
    SUDO=sudo
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
# shellcheck disable=SC2086
$SUDO apt-get install -y -q --no-install-recommends $PACKAGES
