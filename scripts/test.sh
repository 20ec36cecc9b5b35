#!/usr/bin/env bash
# Set up (if needed) and run every check: ruff, mypy --strict, pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh dev,monitoring,service,spark
.venv/bin/ruff check interdict tests benchmarks
.venv/bin/ruff format --check interdict tests benchmarks
.venv/bin/mypy --strict interdict
.venv/bin/python -m pytest "$@"
