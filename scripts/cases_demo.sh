#!/usr/bin/env bash
# Cases, four-eyes decisions and reports to the FIU, end to end and offline:
#   bash scripts/cases_demo.sh [SHARED_DATA]        (default ../shared/data)
# Needs the environment of 'bash scripts/setup.sh dev,monitoring,service'. Works in a fresh
# temporary workspace (removed at the end; CASES_DEMO_KEEP=1 keeps it) and prints each step:
# UN list update → customers → rescreen alert → case → proposal by one analyst → the same
# analyst's approval refused → approval by another → freeze → goAML reports valid against each
# FIU schema in SHARED_DATA/standards/goaml → a monitoring alert's case → transaction STRs →
# auth.002 answers to the official auth.001 samples → 'audit verify' intact, then catching an
# edited event on a copy of the workspace.
set -euo pipefail
cd "$(dirname "$0")/.."
data="${1:-../shared/data}"
repo="$PWD"
interdict="$repo/.venv/bin/interdict"
python="$repo/.venv/bin/python"
if [ ! -x "$interdict" ]; then
  echo "no $interdict: run 'bash scripts/setup.sh dev,monitoring,service' first" >&2
  exit 2
fi
un_snapshots=("$data"/lists/un/un_consolidated_*.xml)
if [ ! -d "$data/standards/goaml" ] || [ "${#un_snapshots[@]}" -lt 2 ] || [ ! -f "${un_snapshots[0]}" ]; then
  echo "$data lacks lists/un (two snapshots) or standards/goaml: pass the shared data folder" >&2
  exit 2
fi
data="$(cd "$data" && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/interdict-cases-demo.XXXXXX")"
if [ -z "${CASES_DEMO_KEEP:-}" ]; then trap 'rm -rf "$work"' EXIT; fi
unset INTERDICT_ANALYST INTERDICT_AUDIT_LOG INTERDICT_KEYS_FILE INTERDICT_MATCHER
export INTERDICT_HOME="$work/home" COLUMNS="${COLUMNS:-120}"
A=a.nurlanova # analyst: proposes
B=b.karimov   # supervisor: the second pair of eyes

step() { printf '\n== %s\n' "$*"; }
run() {
  printf '$ interdict'
  printf ' %q' "$@"
  printf '\n'
  "$interdict" "$@"
}
first_alert() { # first alert id of 'alerts ls --json' on stdin
  "$python" -c 'import json, sys; print(json.loads(sys.stdin.read().splitlines()[0])["alert_id"])'
}

step "Workspace: $INTERDICT_HOME (temporary)"
older="${un_snapshots[0]}" newer="${un_snapshots[${#un_snapshots[@]}-1]}"
mkdir -p "$work/un-older" "$work/un-newer"
cp "$older" "$work/un-older/" && cp "$newer" "$work/un-newer/"

step "UN list, older snapshot ($(basename "$older")); customers; rescreen: nothing yet"
run lists update --from "$work/un-older"
run customers import examples/cases-customers.csv
run rescreen --out "$work/rescreen-1.jsonl"

step "UN list, newer snapshot ($(basename "$newer")): rescreen raises an alert, kept in the alert store"
run lists update --from "$work/un-newer"
run rescreen --out "$work/rescreen-2.jsonl"
run alerts ls --source rescreen
alert="$("$interdict" alerts ls --source rescreen --status open --json | first_alert)"

step "Registered analysts: $A (analyst) proposes, $B (supervisor) approves"
run analysts add "$A" --role analyst
run analysts add "$B" --role supervisor

step "A case from the alert, a true-match proposal by $A: the customer is frozen at once (FATF R.6)"
printf '$ interdict cases open %s --analyst %s\n' "$alert" "$A"
case_id="$("$interdict" cases open "$alert" --analyst "$A" | tail -n 1)"
echo "$case_id"
run cases propose "$case_id" --verdict true_match \
  --reason "name, year of birth and nationality match the UN listing" --analyst "$A"

step "$A approves their own proposal: refused (four eyes)"
printf '$ interdict cases approve %s --analyst %s\n' "$case_id" "$A"
if refusal="$("$interdict" cases approve "$case_id" --analyst "$A" 2>&1)"; then
  echo "the author's approval was accepted: four eyes are broken" >&2
  exit 1
fi
echo "$refusal  [exit status non-zero, as it must be]"

step "$B approves: the true match is decided, the freeze stands"
run cases approve "$case_id" --analyst "$B"
run decisions freezes

goaml="$data/standards/goaml"
fius=( # schema | REPORTER.yaml | report code | indicator (none: picked from the case)
  "uae-5.0.2/goAMLSchema.original.xsd|reporter-uae.yaml|STR|"
  "generic-5.0.1/goAMLSchema.xsd|reporter-generic.yaml|STR|-"
  "ppatk-4.0.2/goAMLSchemaPPATK_4.0.2.xsd|reporter-ppatk.yaml|LTKM|"
  "srilanka-2.0/goAMLSchema-Version_2.0.xsd|reporter-srilanka.yaml|STR|A1"
)
reports() { # CASE PREFIX: one goAML report per FIU schema, each validated before it is written
  local case="$1" prefix="$2" entry xsd reporter code indicator
  for entry in "${fius[@]}"; do
    IFS='|' read -r xsd reporter code indicator <<<"$entry"
    run report goaml "$case" --xsd "$goaml/$xsd" --reporter "examples/goaml/$reporter" \
      --report-code "$code" ${indicator:+--indicator "$indicator"} \
      --out "$work/$prefix-${xsd%%/*}.xml" --analyst "$A"
  done
}

step "goAML reports of the designated person's case (activity report), one per FIU schema"
reports "$case_id" sanctions

step "Transaction monitoring: typology rules over AMLSim transactions, alerts kept in the store"
transactions="$data/transactions/amlsim/interdict_1K/transactions.csv.gz"
if [ -f "$transactions" ]; then
  "$python" -c 'import gzip, sys
with gzip.open(sys.argv[1], "rt") as source, open(sys.argv[2], "w") as out:
    for number, line in enumerate(source):
        if number > 20000:
            break
        out.write(line)' "$transactions" "$work/transactions.csv"
  echo "(the first 20,000 transactions of $(basename "$(dirname "$transactions")"))"
  run monitor run "$work/transactions.csv" --format amlsim --out "$work/typologies.jsonl" --keep-alerts
  # The smallest alert whose account numbers have at least 3 characters (Sri Lanka's minimum).
  monitoring="$("$interdict" alerts ls --source monitoring --status open --json | "$python" -c '
import json, sys
fits = []
for line in sys.stdin:
    alert = json.loads(line)
    rows = alert["data"].get("transactions", [])
    if rows and all(min(len(r["from_account"]), len(r["to_account"])) >= 3 for r in rows):
        fits.append((len(rows), alert["alert_id"]))
print(min(fits)[1])')"
  printf '$ interdict cases open %s --analyst %s\n' "$monitoring" "$A"
  suspicious="$("$interdict" cases open "$monitoring" --analyst "$A" | tail -n 1)"
  echo "$suspicious"
  run cases propose "$suspicious" --verdict suspicious \
    --reason "funds received and passed on within days, unlike the account's profile" --analyst "$A"
  run cases approve "$suspicious" --analyst "$B"
  step "Transaction STRs (bi-party transactions) of the suspicious case, one per FIU schema"
  reports "$suspicious" monitoring
else
  echo "no $transactions: monitoring step skipped"
fi

step "FIU information requests: the official auth.001 samples get auth.002 answers ($A proposes, $B approves)"
iso="$data/standards/iso20022"
for request in "$iso"/samples/auth-finnish-customs/queries/*.xml; do
  run requests answer "$request" --out "$work/$(basename "$request" .xml).auth002.xml" \
    --xsd-dir "$iso/xsd" --analyst "$A" --approve-as "$B"
done

step "The audit trail: every case event hash-chained, anchored in the workspace"
run audit verify

step "On a copy of the workspace, edit one chained event (who approved the first case): caught"
cp -r "$INTERDICT_HOME" "$work/copy"
"$python" - "$work/copy/service/audit.jsonl" "$B" "$A" <<'EOF'
import json, sys
path, approver, other = sys.argv[1:]
lines = open(path, encoding="utf-8").read().splitlines(keepends=True)
for number, line in enumerate(lines):
    entry = json.loads(line)
    if entry.get("event") == "case.approve" and entry.get("who") == approver:
        lines[number] = line.replace(f'"who":"{approver}"', f'"who":"{other}"')
        print(f"edited line {number + 1}: who {approver} -> {other}")
        break
open(path, "w", encoding="utf-8").writelines(lines)
EOF
verify_copy() { # a tampered copy must fail verification
  printf '$ interdict audit verify   (INTERDICT_HOME=%s)\n' "$1"
  if broken="$(INTERDICT_HOME="$1" "$interdict" audit verify 2>&1)"; then
    echo "the edited copy verified: tampering went unnoticed" >&2
    exit 1
  fi
  echo "$broken  [exit status non-zero, as it must be]"
}
verify_copy "$work/copy"

step "On another copy, edit the case event itself in the workspace (the approver's name): caught"
cp -r "$INTERDICT_HOME" "$work/copy2"
"$python" - "$work/copy2/interdict.duckdb" "$case_id" "$A" <<'EOF'
import sys
import duckdb
path, case_id, other = sys.argv[1:]
with duckdb.connect(path) as db:
    db.execute(
        "UPDATE case_events SET actor = ? WHERE case_id = ? AND action = 'approve'",
        [other, case_id],
    )
print(f"edited the approve event of {case_id}: actor -> {other}")
EOF
verify_copy "$work/copy2"
run audit verify

kept="removed on exit; CASES_DEMO_KEEP=1 keeps it"
if [ -n "${CASES_DEMO_KEEP:-}" ]; then kept="kept"; fi
step "Done: case $case_id (true match, frozen, reported)${suspicious:+, case $suspicious (suspicious, STRs)}; files in $work ($kept)"
