#!/usr/bin/env bash
# Set up (if needed) and run every check: ruff, mypy --strict, pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh dev,monitoring,service,spark,exchange
.venv/bin/ruff check interdict tests benchmarks
.venv/bin/ruff format --check interdict tests benchmarks
.venv/bin/mypy --strict interdict
# Two test processes (pytest-xdist), each test file kept in one of them (its module fixtures
# are built once); INTERDICT_TEST_WORKERS=0 runs everything in this process.
.venv/bin/python -m pytest -n "${INTERDICT_TEST_WORKERS:-2}" --dist loadfile "$@"
