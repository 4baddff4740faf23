#!/usr/bin/env bash
# Installs the load generator, wrk (Debian package), unless it is on PATH already.
set -euo pipefail
command -v wrk >/dev/null 2>&1 && exit 0
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo apt-get update -qq
$sudo apt-get install -y -qq wrk
command -v wrk >/dev/null
