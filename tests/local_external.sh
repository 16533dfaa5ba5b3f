#!/usr/bin/env bash
# `make local` against a Connect outside it: scim-local with
# AWS_ENDPOINT_URL_CONNECT pointing at a standalone simulator starts no
# simulator of its own, says which Connect and identity type it uses, and
# serves SCIM over it (tests/local_external.py reads the result with boto3
# from the standalone simulator). Then it must refuse, before any call, a
# Connect that is not on this machine unless I_UNDERSTAND_THIS_WRITES=1.
#   tests/local_external.sh PORT SIM_PORT
set -uo pipefail
port=$1 sim_port=$2
venv=${VENV:-.venv}
instance=00000000-0000-4000-8000-00000000c0de
here=$(dirname "$0")
log=$(mktemp) sim_pid="" pid=""
cleanup() {
  for p in $pid $sim_pid; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
  rm -f "$log"
}
trap cleanup EXIT
fail=0
ok() { echo "ok   $1"; }
bad() { echo "FAIL $1"; sed 's/^/     /' "$log"; fail=1; }

CONNECT_SIM_PORT=$sim_port CONNECT_INSTANCE_ID=$instance CONNECT_SIM_SEARCH_LAG_MS=1000 target/debug/connect-sim >/dev/null &
sim_pid=$!
"$here/wait-for.sh" --pid "$sim_pid" --port "$sim_port" || exit 1

# Fake credentials and a region, as any SDK needs; the simulator accepts any.
export AWS_ACCESS_KEY_ID=AKIDSIM AWS_SECRET_ACCESS_KEY=secret AWS_REGION=us-east-1
export SCIM_TOKEN
SCIM_TOKEN=$(python3 -c 'import secrets; print(secrets.token_hex(32))')
AWS_ENDPOINT_URL_CONNECT=http://127.0.0.1:$sim_port CONNECT_INSTANCE_ID=$instance DEPROVISION_MODE=disable \
  PORT=$port CONNECT_SIM_PORT=$sim_port RUST_LOG=debug target/debug/scim-local >"$log" 2>&1 &
pid=$!
# CONNECT_SIM_PORT is the standalone simulator's: an embedded one could not bind it.
if ! "$here/wait-for.sh" --pid "$pid" --port "$port"; then bad "scim-local started against the standalone simulator"; exit 1; fi
for line in "Connect            http://127.0.0.1:$sim_port (AWS_ENDPOINT_URL_CONNECT)" \
  "instance $instance (alias" "Identity type      SAML (DescribeInstance)" \
  'warning: DEPROVISION_MODE=disable needs it'; do
  if grep -qF -- "$line" "$log"; then ok "banner: $line"; else bad "banner: $line"; fi
done
if grep -q "Connect simulator" "$log"; then bad "no embedded simulator"; else ok "no embedded simulator"; fi
SCIM_URL=http://127.0.0.1:$port/scim/v2 CONNECT_ENDPOINT=http://127.0.0.1:$sim_port CONNECT_INSTANCE_ID=$instance \
  "$venv/bin/python" "$here/local_external.py" || fail=1
if grep -qF "$SCIM_TOKEN" "$log"; then bad "token absent from the server log"; else ok "token absent from the server log"; fi
kill "$pid"; wait "$pid" 2>/dev/null; pid=""

# Not on this machine: refused at once, before any call (10.255.255.1 would never answer).
refused() {  # description, then environment assignments
  local what=$1; shift
  env "$@" CONNECT_INSTANCE_ID=$instance PORT=$port timeout 20 target/debug/scim-local >"$log" 2>&1
  local rc=$?
  if [ "$rc" -ne 0 ] && [ "$rc" -ne 124 ] && grep -q "refusing to start: Connect is .*I_UNDERSTAND_THIS_WRITES=1" "$log"; then
    ok "$what: refused, exit $rc: $(grep -o 'refusing to start: Connect is [^,]*' "$log")"
  else
    bad "$what: refused (exit $rc)"
  fi
}
refused "a non-loopback AWS_ENDPOINT_URL_CONNECT" AWS_ENDPOINT_URL_CONNECT=http://10.255.255.1:1
refused "CONNECT=aws (Amazon Connect itself)" CONNECT=aws
refused "consent other than 1" AWS_ENDPOINT_URL_CONNECT=http://10.255.255.1:1 I_UNDERSTAND_THIS_WRITES=yes
exit $fail
