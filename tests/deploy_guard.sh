#!/usr/bin/env bash
# `make deploy` must stop, before touching AWS, without INSTANCE_ID, with a
# malformed one, or with any setting the app's config check refuses.
set -uo pipefail
set -f  # the cases hold JSON: no globbing
fail=0
ok_id=INSTANCE_ID=0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d
# Each case: the make variable the refusal must name, then the arguments.
while IFS='|' read -r names args; do
  # An empty PATH beyond make itself proves nothing AWS-related could have run.
  out=$(env -i PATH=/usr/bin:/bin HOME="$HOME" make -s deploy $args 2>&1)
  rc=$?
  if [ "$rc" -ne 2 ] || ! grep -q "$names" <<<"$out"; then
    echo "FAIL make deploy $args -> rc=$rc: $out"
    fail=1
  else
    echo "ok   make deploy $args stops: $(head -1 <<<"$out")"
  fi
done <<CASES
INSTANCE_ID|
INSTANCE_ID|INSTANCE_ID=not-a-uuid
INSTANCE_ID|INSTANCE_ID=0A1B2C3D-4E5F-4A6B-8C7D-9E0F1A2B3C4D
INSTANCE_ID|INSTANCE_ID=arn:aws:connect:us-east-1:1:instance/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d
DEPARTMENT_MAP|$ok_id DEPARTMENT_MAP={"Sales":[]}
ALARM_TOPIC_ARN|$ok_id ALARM_TOPIC_ARN=ops-topic
DEFAULT_SECURITY_PROFILE|$ok_id DEFAULT_SECURITY_PROFILE=Admin
DEPARTMENT_MAP|$ok_id ASSIGNABLE_SECURITY_PROFILES=Agent DEPARTMENT_MAP={"IT":"Admin"}
ALLOWED_CIDRS|$ok_id ALLOWED_CIDRS=10.0.0.0/33
WEB_ACL_ARN|$ok_id WEB_ACL_ARN=my-acl
PROFICIENCY_MAP|$ok_id PROFICIENCY_MAP={"Support":"Language=Spanish:9"}
PROFICIENCY_MAP|$ok_id PROFICIENCY_MAP=["Language=Spanish:4"]
CASES
exit $fail
