#!/usr/bin/env bash
# Set up, bring the official lists up to date, and screen the example customer file.
#   bash scripts/demo.sh [LISTS_DIR] [CUSTOMERS]
# With a folder of downloaded list files (default ../shared/data/lists, searched with its
# immediate subfolders) the lists are read from there, offline; without one they are fetched
# from the publishers. Either way a list is imported only when its content changed, so
# re-running the demo adds no versions.
set -euo pipefail
cd "$(dirname "$0")/.."
lists="${1:-../shared/data/lists}"
customers="${2:-examples/customers.csv}"
export INTERDICT_HOME="${INTERDICT_HOME:-$PWD/.interdict-demo}"
bash scripts/setup.sh dev,monitoring,service
interdict=.venv/bin/interdict
if [ -d "$lists" ]; then
  for folder in "$lists" "$lists"/*/; do
    $interdict lists update --from "$folder"
  done
else
  echo "no list folder at $lists: fetching the lists from their publishers" >&2
  $interdict lists update
fi
$interdict lists ls
$interdict screen "$customers" --out results/screening.jsonl
echo "results: results/screening.jsonl (one JSON object per customer, matches with their reasons)"
