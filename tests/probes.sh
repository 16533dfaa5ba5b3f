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
"$venv/bin/scim-sanity" probe "$SCIM_URL" --token "$SCIM_TOKEN" --i-accept-side-effects --json-output >"$out" 2>&1
sanity_rc=$?
"$venv/bin/python" - "$out" <<'PY'
import json, sys
# Checks that assume behaviour this service refuses on purpose (README,
# "Conformance"): Amazon Connect cannot rename a security profile; a member
# must be an existing user; a group PATCH answers 204 as Entra ID expects.
REFUSED = {
    "PUT /Groups/{id}": "renames the group: displayName is immutable (400 mutability)",
    "GET /Groups/{id} after PUT": "expects the refused rename",
    "PATCH /Groups/{id}": "renames the group: displayName is immutable (400 mutability)",
    "PATCH /Groups/{id} add member": "adds the member id fake-member-id, which is no user (400 invalidValue)",
    "PATCH /Groups/{id} remove members": "expects 200; a group PATCH answers 204 No Content (Entra ID)",
}
text = open(sys.argv[1]).read()
report = json.loads(text[text.index("{"):])
s = report["summary"]
unexpected = []
refused = set()
for r in report["results"]:
    status, name = str(r.get("status", "")).upper(), r.get("name")
    if status in ("PASS", "SKIP"):
        continue
    detail = r.get("message") or r.get("detail") or ""
    if status == "FAIL" and name in REFUSED:
        refused.add(name)
        print(f"  refused on purpose: {name}: {REFUSED[name]}")
    else:
        unexpected.append(name)
        print(f"  {status} {name}: {detail}")
for name in sorted(set(REFUSED) - refused):
    print(f"  note: {name} now passes; take it off the refused list")
print(f"scim-sanity: {s['passed']} passed, {s['failed']} failed ({len(refused)} refused on purpose), "
      f"{s['errors']} errors, {s['warnings']} warnings, {s['skipped']} skipped")
sys.exit(1 if unexpected else 0)
PY
sanity_ok=$?
rm -f "$out"
echo "Connect calls during the probes: $(curl -s "$CONNECT_ENDPOINT/_sim/stats")"
[ "$scim2_rc" -eq 0 ] && [ "$failed" -eq 0 ] && [ "$sanity_ok" -eq 0 ] && [ "$sanity_rc" -le 1 ]
