#!/usr/bin/env bash
# Runs a command against a fresh `scim-local` (the `make local` server).
#   tests/with-local.sh PORT SIM_PORT -- command [args…]
# The command sees SCIM_URL, SCIM_TOKEN, CONNECT_ENDPOINT, CONNECT_INSTANCE_ID.
# Afterwards the server's whole log is searched for the token: it must never appear.
set -euo pipefail
port=$1 sim_port=$2
shift 3
bin=${SCIM_LOCAL_BIN:-target/debug/scim-local}
export SCIM_TOKEN
SCIM_TOKEN=$(python3 -c 'import secrets; print(secrets.token_hex(32))')
log=$(mktemp)
# The search index lags writes by a second, as Connect's does, so the
# adapter's read-your-writes paths are what the suites exercise.
PORT=$port CONNECT_SIM_PORT=$sim_port CONNECT_SIM_SEARCH_LAG_MS=${CONNECT_SIM_SEARCH_LAG_MS:-1000} RUST_LOG=${RUST_LOG:-debug} "$bin" >"$log" 2>&1 &
pid=$!
cleanup() { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -f "$log"; }
trap cleanup EXIT
export SCIM_URL="http://127.0.0.1:$port/scim/v2"
export CONNECT_ENDPOINT="http://127.0.0.1:$sim_port"
export CONNECT_INSTANCE_ID=${CONNECT_INSTANCE_ID:-00000000-0000-4000-8000-00000000c0de}
# scim-local binds the simulator's port, then SCIM's, before it serves either.
if ! "$(dirname "$0")/wait-for.sh" --pid "$pid" --port "$port"; then cat "$log"; echo "scim-local did not start" >&2; exit 1; fi
status=0
"$@" || status=$?
if grep -qF "$SCIM_TOKEN" "$log"; then
  echo "FAIL: the bearer token appeared in the server log" >&2
  status=1
else
  echo "ok   token absent from $(wc -l <"$log") lines of server log"
fi
exit $status
