#!/usr/bin/env bash
# Create .venv and install Interdict with the extras named in $1 (default: dev,monitoring,service).
# Idempotent: reruns only reinstall when pyproject.toml changed.
set -euo pipefail
cd "$(dirname "$0")/.."
extras="${1:-dev,monitoring,service}"
python3 -c 'import sys; assert sys.version_info >= (3, 11), "Interdict needs Python 3.11 or newer"'
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
stamp=".venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)-${extras//,/_}"
if [ ! -f "$stamp" ]; then
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -e ".[${extras}]"
  rm -f .venv/.installed-*
  touch "$stamp"
fi
