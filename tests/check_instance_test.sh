#!/usr/bin/env bash
# `make check-instance` against the simulator binary: a good configuration
# passes (exit 0), a wrong instance id, a missing profile, an unassignable
# one, a wrong CONNECT_IDENTITY_TYPE, a PROFICIENCY_MAP attribute or value the
# instance lacks and a malformed PROFICIENCY_MAP each fail with the row and
# the fix named (the script exits 1, so make exits 2; a setting the CDK app's
# config.ts refuses stops before Connect is asked, also make's 2). Run through
# make, so the settings travel as `make deploy` passes them (JSON and spaces
# included) through check-config.ts --json to the script.
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
# Predefined attributes for PROFICIENCY_MAP, after a full page (100) of
# others, so the check must read past the first page; made with the
# simulator's quota off (CreatePredefinedAttribute is paced like Connect's),
# then put back for the cases.
.venv/bin/python - "$port" "$instance" <<'EOF'
import json, sys, urllib.request, boto3
base = f"http://127.0.0.1:{sys.argv[1]}"
def sim_settings(body=None):
    request = urllib.request.Request(f"{base}/_sim/settings", method="PUT" if body else "GET",
                                     data=json.dumps(body).encode() if body else None)
    with urllib.request.urlopen(request) as answer:
        return json.load(answer)
c = boto3.client("connect", region_name="us-east-1", endpoint_url=base)
c.create_security_profile(InstanceId=sys.argv[2], SecurityProfileName="Billing Agent")
quota = sim_settings()
sim_settings({"rate": 0})
for i in range(100):
    c.create_predefined_attribute(InstanceId=sys.argv[2], Name=f"Filler {i:03}", Values={"StringList": ["x"]})
c.create_predefined_attribute(InstanceId=sys.argv[2], Name="Language", Values={"StringList": ["English", "Spanish"]})
c.create_predefined_attribute(InstanceId=sys.argv[2], Name="Skill", Values={"StringList": ["Billing", "Sales"]})
sim_settings({"rate": quota["rate"], "burst": quota["burst"]})
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
2|add "QualityAnalyst" to ASSIGNABLE_SECURITY_PROFILES|INSTANCE_ID=$instance DEFAULT_SECURITY_PROFILE="Agent,QualityAnalyst" ASSIGNABLE_SECURITY_PROFILES=Agent
2|SAML, but CONNECT_IDENTITY_TYPE=CONNECT_MANAGED|INSTANCE_ID=$instance CONNECT_IDENTITY_TYPE=CONNECT_MANAGED
0|exists as Language=Spanish (PROFICIENCY_MAP[Spanish Support] at 4)|INSTANCE_ID=$instance PROFICIENCY_MAP='{"Spanish Support": "language=spanish:4; Skill=Billing:2", "Sales": [{"attributeName": "Language", "attributeValue": "English", "level": 3}], "Interns": []}'
0|exists as Skill=Billing (PROFICIENCY_MAP[Spanish Support] at 2)|INSTANCE_ID=$instance PROFICIENCY_MAP='{"Spanish Support": "language=spanish:4; Skill=Billing:2"}'
2|FAIL    Language has no value 'Klingon' (named by PROFICIENCY_MAP[Support] at 2); its values: English, Spanish|INSTANCE_ID=$instance PROFICIENCY_MAP='{"Sales": "Language=English:3", "Support": "Language=Klingon:2"}'
2|add the value 'Klingon' to the predefined attribute 'Language' in Connect (Routing, Predefined attributes), or change PROFICIENCY_MAP[Support]|INSTANCE_ID=$instance PROFICIENCY_MAP='{"Support": ["Language=Klingon:2"]}'
2|create the predefined attribute 'Languge' with the values 'Spanish', 'French' in Connect (Routing, Predefined attributes), or change PROFICIENCY_MAP[Support], PROFICIENCY_MAP[Sales]|INSTANCE_ID=$instance PROFICIENCY_MAP='{"Support": [{"attributeName": "Languge", "attributeValue": "Spanish", "level": 1}], "Sales": "languge=French:2; Skill=Sales:3"}'
2|level 7 of Language=Spanish is not valid (Amazon Connect levels are whole numbers 1 to 5)|INSTANCE_ID=$instance PROFICIENCY_MAP='{"Support": "Language=Spanish:7"}'
2|usage: make check-instance|
CASES
exit $fail
