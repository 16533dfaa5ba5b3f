#!/usr/bin/env bash
# The public SCIM conformance probes against a running local server
# (run through tests/with-local.sh). Prints their counts; fails on any failure.
set -uo pipefail
venv=${VENV:-.venv}
out=$(mktemp)
"$venv/bin/scim2" -u "$SCIM_URL" -h "Authorization: Bearer $SCIM_TOKEN" test >"$out" 2>&1
scim2_rc=$?
passed=$(grep -cE '^SUCCESS ' "$out")
failed=$(grep -cE '^(ERROR|CRITICAL|SKIPPED) ' "$out")
echo "scim2-tester: $passed passed, $failed failed (exit $scim2_rc)"
grep -E '^(ERROR|CRITICAL|SKIPPED) ' -A1 "$out"
"$venv/bin/scim-sanity" probe "$SCIM_URL" --token "$SCIM_TOKEN" --i-accept-side-effects --resource User --json-output >"$out" 2>&1
sanity_rc=$?
"$venv/bin/python" - "$out" <<'PY'
import json, sys
text = open(sys.argv[1]).read()
report = json.loads(text[text.index("{"):])
s = report["summary"]
print(f"scim-sanity: {s['passed']} passed, {s['failed']} failed, {s['errors']} errors, {s['warnings']} warnings, {s['skipped']} skipped")
for r in report["results"]:
    if str(r.get("status", "")).upper() not in ("PASS", "SKIP"):
        print(f"  {r.get('status')} {r.get('name')}: {r.get('message') or r.get('detail') or ''}")
PY
rm -f "$out"
echo "Connect calls during the probes: $(curl -s "$CONNECT_ENDPOINT/_sim/stats")"
[ "$scim2_rc" -eq 0 ] && [ "$failed" -eq 0 ] && [ "$sanity_rc" -eq 0 ]
