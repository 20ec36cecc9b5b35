#!/usr/bin/env bash
# Set up, import the official lists from a folder, and screen the example customer file.
#   bash scripts/demo.sh [LISTS_DIR] [CUSTOMERS]
set -euo pipefail
cd "$(dirname "$0")/.."
lists="${1:-../shared/data/lists}"
customers="${2:-examples/customers.csv}"
export INTERDICT_HOME="${INTERDICT_HOME:-$PWD/.interdict-demo}"
bash scripts/setup.sh dev,monitoring,service
interdict=.venv/bin/interdict
if [ ! -d "$lists" ]; then
  echo "error: list folder $lists not found — pass the folder of official list files as the first argument" >&2
  exit 2
fi
[ -f "$lists"/un/un_consolidated_2026-02-27.xml ] && $interdict lists import "$lists"/un/un_consolidated_2026-02-27.xml --format un --name un
[ -d "$lists"/ofac ] && $interdict lists import "$lists"/ofac --format ofac --name ofac
[ -f "$lists"/uk/hmt_sanctionsconlist_2018-04-13.csv ] && $interdict lists import "$lists"/uk/hmt_sanctionsconlist_2018-04-13.csv --format uk --name uk
$interdict lists ls
$interdict screen "$customers" --out results/screening.jsonl
echo "results: results/screening.jsonl (one JSON object per customer, matches with their reasons)"
