#!/usr/bin/env bash
# The analyst workbench on a demo workspace, offline:
#   bash scripts/workbench_demo.sh [SHARED_DATA] [--no-serve]     (default ../shared/data)
# Needs the environment of 'bash scripts/setup.sh dev,monitoring,service'. Builds the workspace of
# scripts/cases_demo.sh (UN list update → rescreen alert → true-match case approved by a second
# analyst → goAML reports; AMLSim transactions → typology alerts → a suspicious case), then adds
# what an analyst's morning looks like: open screening alerts of the example customers, a
# monitoring case awaiting a second analyst, goAML reporter files, and one API key per analyst.
# Prints the URL and the keys, then runs 'interdict serve' (Ctrl-C stops it; --no-serve only
# prints). The workspace is kept in WORKBENCH_DEMO_DIR (default: a new folder under /tmp).
set -euo pipefail
cd "$(dirname "$0")/.."
data="${1:-../shared/data}"
serve=1
if [ "${2:-}" = "--no-serve" ] || [ "${1:-}" = "--no-serve" ]; then serve=0; fi
if [ "${1:-}" = "--no-serve" ]; then data="../shared/data"; fi
repo="$PWD"
interdict="$repo/.venv/bin/interdict"
python="$repo/.venv/bin/python"
if [ ! -x "$interdict" ]; then
  echo "no $interdict: run 'bash scripts/setup.sh dev,monitoring,service' first" >&2
  exit 2
fi
root="${WORKBENCH_DEMO_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/interdict-workbench-demo.XXXXXX")}"
mkdir -p "$root"
root="$(cd "$root" && pwd)"
A=a.nurlanova # analyst: proposes
B=b.karimov   # supervisor: the second pair of eyes

echo "== The cases demo's workspace (log: $root/cases-demo.log)"
CASES_DEMO_KEEP=1 TMPDIR="$root" bash scripts/cases_demo.sh "$data" >"$root/cases-demo.log" 2>&1 || {
  tail -n 30 "$root/cases-demo.log" >&2
  exit 1
}
work="$(ls -d "$root"/interdict-cases-demo.* | tail -n 1)"
export INTERDICT_HOME="$work/home"
unset INTERDICT_ANALYST INTERDICT_AUDIT_LOG INTERDICT_KEYS_FILE INTERDICT_MATCHER

echo "== Open alerts: the example customers screened against the UN list, hits kept"
"$interdict" screen examples/customers.csv --out "$work/screen.jsonl" --keep-alerts
"$interdict" alerts ls --status open --source screening

echo "== A monitoring case awaiting approval: $A proposes, $B has not approved yet"
monitoring="$("$interdict" alerts ls --source monitoring --status open --json | "$python" -c '
import json, sys
alerts = [json.loads(line) for line in sys.stdin]
alerts = [a for a in alerts if not a["case_id"]]
print(max(alerts, key=lambda a: (len(a["data"].get("transactions", [])), a["alert_id"]))["alert_id"])')"
case_id="$("$interdict" cases open "$monitoring" --analyst "$A" | tail -n 1)"
"$interdict" cases propose "$case_id" --verdict suspicious --analyst "$A" \
  --reason "many senders within days, passed on at once; unlike the account's profile"
account="$("$interdict" cases show "$case_id" --json | "$python" -c '
import json, sys
print(json.load(sys.stdin)["alerts"][0]["customer_id"])')"

echo "== goAML reporter files for the workbench's report form; one API key per analyst"
mkdir -p "$INTERDICT_HOME/service/reporters"
cp examples/goaml/reporter-*.yaml "$INTERDICT_HOME/service/reporters/"
key() { "$interdict" keys create --analyst "$1" --label "workbench demo" | grep -o 'idk_[A-Za-z0-9_-]*' | head -n 1; }
key_a="$(key "$A")"
key_b="$(key "$B")"
umask 077
printf '%s %s\n%s %s\n' "$A" "$key_a" "$B" "$key_b" >"$work/keys.txt"

port="${WORKBENCH_PORT:-8765}"
url="http://127.0.0.1:$port/ui/login"
cat <<EOF

== Ready: workspace $INTERDICT_HOME
   alerts in the queue, case $case_id awaiting approval, the network of account $account
   Open $url
   Sign in as $A (proposes):  $key_a
   Sign in as $B (approves):  $key_b
   (the keys are also in $work/keys.txt)
   Then: $url -> alert queue, http://127.0.0.1:$port/ui/cases/$case_id, http://127.0.0.1:$port/ui/network/$account
EOF
if [ "$serve" = 1 ]; then
  echo "== interdict serve on 127.0.0.1:$port (Ctrl-C stops it)"
  INTERDICT_GOAML_DIR="$(cd "$data" && pwd)/standards/goaml" exec "$interdict" serve --host 127.0.0.1 --port "$port"
fi
echo "serve it with: INTERDICT_HOME=$INTERDICT_HOME INTERDICT_GOAML_DIR=$(cd "$data" && pwd)/standards/goaml $interdict serve --port $port"
