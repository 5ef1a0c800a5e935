#!/bin/sh
# Installs every Debian package juesuan needs to build, test, fuzz and
# benchmark. Safe to run again. Run as root (or through sudo).
set -eu

# ledger, hledger, sqlite3, mawk, time: the side-by-side benchmark
# (bench/compare.sh); linux-perf: its profiles (bench/README.md);
# cairo-perf-utils: cairo-trace, recording report.pdf's cairo calls for
# cairo's floor (bench/pdf_floor.sh).
# libsqlite3-dev, libpq-dev, libsodium-dev: the portal's store; postgresql:
# the server its tests start (tests/store.t); libmicrohttpd-dev: the portal's
# HTTP server; wrk: its load benchmark.
# libfreexl-dev: reading .xls; python3-xlwt: the .xls files of tests/spreadsheets.t and tests/batch_xls.t;
# python3-pil: the image comparison of tests/visual.t.
# python3-jsonschema: the Fiscal Data Package validated in tests/open_data.t.
# python3-fonttools: report.pdf's fonts without CFF subroutines, derived at
# build time from fonts-noto-cjk (scripts/derive-font.py).
# chromium, nodejs, npm: the browser test (tests/browser.t). npm only where
# there is none yet: NodeSource's nodejs package carries its own npm and
# conflicts with Debian's.
PACKAGES="
  build-essential
  pkg-config
  make
  clang
  libclang-rt-14-dev
  libjansson-dev
  libglpk-dev
  python3-scipy
  libexpat1-dev
  libfreexl-dev
  python3-xlwt
  python3-pil
  python3-jsonschema
  zlib1g-dev
  libdeflate-dev
  libcairo2-dev
  libpango1.0-dev
  poppler-utils
  libutf8proc-dev
  ledger
  hledger
  sqlite3
  mawk
  linux-perf
  cairo-perf-utils
  time
  python3-openpyxl
  valgrind
  strace
  util-linux
  cppcheck
  perl
  python3
  ca-certificates
  libsqlite3-dev
  libpq-dev
  postgresql
  libsodium-dev
  libmicrohttpd-dev
  wrk
  chromium
  fonts-noto-cjk
  python3-fonttools
  nodejs
  $(command -v npm >/dev/null 2>&1 || echo npm)
"

SUDO=
if [ "$(id -u)" -ne 0 ]; then
    SUDO=sudo
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
# shellcheck disable=SC2086
$SUDO apt-get install -y -q --no-install-recommends $PACKAGES
