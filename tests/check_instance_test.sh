#!/usr/bin/env bash
# `make check-instance` against the simulator binary: a good configuration
# passes (exit 0), a wrong instance id, a missing profile, an unassignable
# one and a wrong CONNECT_IDENTITY_TYPE each fail with the row and the fix
# named (the script exits 1, so make exits 2). Run through make, so the
# settings travel as `make deploy` passes them (JSON and spaces included).
#   tests/check_instance_test.sh PORT
set -uo pipefail
set -f  # the cases hold JSON: no globbing
port=$1
instance=00000000-0000-4000-8000-00000000c0de
CONNECT_SIM_PORT=$port CONNECT_INSTANCE_ID=$instance target/debug/connect-sim >/dev/null &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null' EXIT
"$(dirname "$0")/wait-for.sh" --pid "$pid" --port "$port" || exit 1
export AWS_ENDPOINT_URL_CONNECT=http://127.0.0.1:$port AWS_ACCESS_KEY_ID=AKIDSIM AWS_SECRET_ACCESS_KEY=secret
# A profile made in the console, and one a department names in another case.
.venv/bin/python - "$port" "$instance" <<'EOF'
import sys, boto3
c = boto3.client("connect", region_name="us-east-1", endpoint_url=f"http://127.0.0.1:{sys.argv[1]}")
c.create_security_profile(InstanceId=sys.argv[2], SecurityProfileName="Billing Agent")
EOF
fail=0
# Each case: make's expected exit code | text the output must hold | make arguments.
while IFS='|' read -r rc_wanted expected args; do
  out=$(eval "${MAKE:-make} -s --no-print-directory check-instance REGION=us-east-1 $args" 2>&1)
  rc=$?
  if [ "$rc" -ne "$rc_wanted" ] || ! grep -qF -- "$expected" <<<"$out"; then
    echo "FAIL make check-instance $args -> rc=$rc (wanted $rc_wanted and \"$expected\"):"
    sed 's/^/     /' <<<"$out"
    fail=1
  else
    echo "ok   make check-instance $args -> rc=$rc: $expected"
  fi
done <<CASES
0|is ready for make deploy|INSTANCE_ID=$instance
0|exists as 'Billing Agent' (DEPARTMENT_MAP[Billing])|INSTANCE_ID=$instance DEPARTMENT_MAP='{"Sales": "Agent", "Billing": {"securityProfiles": ["billing agent"], "routingProfile": "basic routing profile"}}' DEFAULT_SECURITY_PROFILE="Agent, QualityAnalyst"
0|SAML: users sign in through your IdP|INSTANCE_ID=$instance
0|missing: the stack creates it|INSTANCE_ID=$instance DEPROVISION_MODE=disable
0|on: a group no security profile is named like|INSTANCE_ID=$instance GROUPS_CREATE_SECURITY_PROFILES=true
2|no instance 00000000-0000-4000-8000-00000000beef in us-east-1|INSTANCE_ID=00000000-0000-4000-8000-00000000beef
2|check INSTANCE_ID|INSTANCE_ID=00000000-0000-4000-8000-00000000beef
2|FAIL    not in the instance (named by DEPARTMENT_MAP[Billing])|INSTANCE_ID=$instance DEPARTMENT_MAP='{"Billing": ["Billing Agnet"]}'
2|create the security profile 'Billing Agnet' in Connect, or change DEPARTMENT_MAP[Billing]|INSTANCE_ID=$instance DEPARTMENT_MAP='{"Billing": ["Billing Agnet"]}'
2|create the routing profile 'Billing Queue' in Connect, or change DEPARTMENT_MAP[Billing]|INSTANCE_ID=$instance DEPARTMENT_MAP='{"Billing": {"securityProfiles": ["Agent"], "routingProfile": "Billing Queue"}}'
2|create the routing profile 'Basic' in Connect, or change DEFAULT_ROUTING_PROFILE|INSTANCE_ID=$instance DEFAULT_ROUTING_PROFILE=Basic
2|exists, but ASSIGNABLE_SECURITY_PROFILES does not allow it|INSTANCE_ID=$instance DEFAULT_SECURITY_PROFILE="Agent,QualityAnalyst" ASSIGNABLE_SECURITY_PROFILES=Agent
2|SAML, but CONNECT_IDENTITY_TYPE=CONNECT_MANAGED|INSTANCE_ID=$instance CONNECT_IDENTITY_TYPE=CONNECT_MANAGED
2|usage: make check-instance|
CASES
exit $fail
