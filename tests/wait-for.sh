#!/usr/bin/env bash
# Waits until a server started in the background is ready, instead of sleeping
# a fixed time and hoping that was long enough.
#   tests/wait-for.sh [--pid PID] [--timeout SECONDS] [--every SECONDS] --port PORT
#   tests/wait-for.sh [--pid PID] [--timeout SECONDS] [--every SECONDS] -- command [args…]
# --port: until 127.0.0.1:PORT accepts a connection. A command: until it
# succeeds; the succeeding run's output is printed. Tries every 0.1 s unless
# told. Fails, saying which, as soon as PID (the server) has exited, or after
# --timeout (default 30 s).
set -uo pipefail
pid="" timeout=30 every=0.1 port=""
while [ $# -gt 0 ]; do
  case $1 in
    --pid) pid=$2; shift 2 ;;
    --timeout) timeout=$2; shift 2 ;;
    --every) every=$2; shift 2 ;;
    --port) port=$2; shift 2 ;;
    --) shift; break ;;
    *) echo "wait-for: unknown argument $1" >&2; exit 2 ;;
  esac
done
if [ -n "$port" ]; then
  set -- bash -c "exec 3<>/dev/tcp/127.0.0.1/$port"
  what="127.0.0.1:$port to accept connections"
else
  what="$*"
fi
if [ $# -eq 0 ]; then echo "wait-for: give --port PORT or -- command" >&2; exit 2; fi
err=$(mktemp)
trap 'rm -f "$err"' EXIT
deadline=$((SECONDS + timeout))
while :; do
  if out=$("$@" 2>"$err"); then
    if [ -n "$out" ]; then printf '%s\n' "$out"; fi
    exit 0
  fi
  if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
    echo "wait-for: process $pid exited while waiting for $what" >&2
    cat "$err" >&2
    exit 1
  fi
  if [ "$SECONDS" -ge "$deadline" ]; then
    echo "wait-for: gave up after ${timeout} s waiting for $what" >&2
    cat "$err" >&2
    exit 1
  fi
  # The polling interval, not a guess at start-up time.
  sleep "$every"
done
