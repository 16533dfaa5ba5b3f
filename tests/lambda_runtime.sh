#!/usr/bin/env bash
# The SCIM handler as Lambda runs it: the real binary under cargo-lambda's
# runtime emulator, fed an API Gateway REST proxy event, calling the
# simulator through AWS_ENDPOINT_URL_CONNECT (the standard SDK setting).
set -euo pipefail
venv=${VENV:-.venv}
export PATH="$PWD/$venv/bin:$PATH"
instance=00000000-0000-4000-8000-00000000c0de
sim_port=18771 invoke_port=19071
wait_for=$(dirname "$0")/wait-for.sh
CONNECT_SIM_PORT=$sim_port CONNECT_SIM_RATE=0 target/debug/connect-sim >/dev/null 2>&1 &
sim=$!
cargo lambda watch --quiet --invoke-port $invoke_port --ignore-changes \
  --env-var CONNECT_INSTANCE_ID=$instance \
  --env-var AWS_ENDPOINT_URL_CONNECT=http://127.0.0.1:$sim_port \
  --env-var AWS_REGION=us-east-1 --env-var AWS_ACCESS_KEY_ID=local --env-var AWS_SECRET_ACCESS_KEY=local \
  --env-var AWS_LAMBDA_HTTP_IGNORE_STAGE_IN_PATH=true --env-var RUST_LOG=debug >/tmp/lambda-watch.$$ 2>&1 &
watch=$!
cleanup() { pkill -P $watch 2>/dev/null; kill $sim $watch 2>/dev/null; rm -f /tmp/lambda-watch.$$; true; }
trap cleanup EXIT
"$wait_for" --pid $sim --port $sim_port
# The emulator builds the function on its first invocations: retried until one
# answers (the budget covers a cold build).
if ! out=$("$wait_for" --pid $watch --timeout 120 --every 2 -- cargo lambda invoke scim-handler --invoke-port $invoke_port \
    --data-file tests/fixtures/lambda/apigw-rest-create-user.json); then
  tail -n 40 /tmp/lambda-watch.$$
  exit 1
fi
# Let the emulator relay the function's last log lines (the EMF line); the
# assertions below say what is missing if it never comes.
"$wait_for" --pid $watch --timeout 5 -- grep -q '"_aws"' /tmp/lambda-watch.$$ || true
"$venv/bin/python" - "$out" "$sim_port" "$instance" /tmp/lambda-watch.$$ <<'PY'
import json, sys, urllib.request
answer = json.loads(sys.argv[1])
body = json.loads(answer["body"])
location = answer["multiValueHeaders"]["location"][0]
assert answer["statusCode"] == 201, answer
assert location == f"https://abc123.execute-api.us-east-1.amazonaws.com/prod/scim/v2/Users/{body['id']}", location
assert body["meta"]["location"] == location
stats = json.load(urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[2]}/_sim/stats"))["operations"]
assert stats["CreateUser"]["calls"] == 1, stats
# API Gateway forwards the Authorization header to the handler: it must not log it.
log = open(sys.argv[4], errors="replace").read()
assert "lambda-fixture-token-4f1c9a7e2b" not in log, "the bearer token appeared in the handler's log"
assert log.count("\n") > 20, "expected the handler's debug log"
# CloudWatch metrics: the function printed one EMF document for the operation.
emf = [json.loads(line[line.index("{"):]) for line in open(sys.argv[4], errors="replace") if '"_aws"' in line]
assert len(emf) == 1, emf
assert emf[0]["Operation"] == "CreateUser" and emf[0]["Requests"] == 1 and emf[0]["ConnectCalls"] >= 1, emf
assert emf[0]["_aws"]["CloudWatchMetrics"][0]["Namespace"] == "ScimConnect", emf
print("ok   scim-handler under the Lambda runtime emulator: API Gateway event -> 201, stage-aware Location, CreateUser in Connect, one EMF metrics line, token absent from the debug log")
PY
