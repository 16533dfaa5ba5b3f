#!/usr/bin/env bash
# The SCIM handler as Lambda runs it: the real binary under cargo-lambda's
# runtime emulator, fed an API Gateway REST proxy event, calling the
# simulator through AWS_ENDPOINT_URL_CONNECT (the standard SDK setting).
set -euo pipefail
venv=${VENV:-.venv}
export PATH="$PWD/$venv/bin:$PATH"
instance=00000000-0000-4000-8000-00000000c0de
sim_port=18771 invoke_port=19071
CONNECT_SIM_PORT=$sim_port CONNECT_SIM_RATE=0 target/debug/connect-sim >/dev/null 2>&1 &
sim=$!
cargo lambda watch --quiet --invoke-port $invoke_port --ignore-changes \
  --env-var CONNECT_INSTANCE_ID=$instance \
  --env-var AWS_ENDPOINT_URL_CONNECT=http://127.0.0.1:$sim_port \
  --env-var AWS_REGION=us-east-1 --env-var AWS_ACCESS_KEY_ID=local --env-var AWS_SECRET_ACCESS_KEY=local \
  --env-var AWS_LAMBDA_HTTP_IGNORE_STAGE_IN_PATH=true >/tmp/lambda-watch.$$ 2>&1 &
watch=$!
cleanup() { pkill -P $watch 2>/dev/null; kill $sim $watch 2>/dev/null; rm -f /tmp/lambda-watch.$$; true; }
trap cleanup EXIT
out=""
for _ in $(seq 60); do
  if out=$(cargo lambda invoke scim-handler --invoke-port $invoke_port \
      --data-file tests/fixtures/lambda/apigw-rest-create-user.json 2>/dev/null); then break; fi
  sleep 2
done
"$venv/bin/python" - "$out" "$sim_port" "$instance" <<'PY'
import json, sys, urllib.request
answer = json.loads(sys.argv[1])
body = json.loads(answer["body"])
location = answer["multiValueHeaders"]["location"][0]
assert answer["statusCode"] == 201, answer
assert location == f"https://abc123.execute-api.us-east-1.amazonaws.com/prod/scim/v2/Users/{body['id']}", location
assert body["meta"]["location"] == location
stats = json.load(urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[2]}/_sim/stats"))["operations"]
assert stats["CreateUser"]["calls"] == 1, stats
print("ok   scim-handler under the Lambda runtime emulator: API Gateway event -> 201, stage-aware Location, CreateUser in Connect")
PY
