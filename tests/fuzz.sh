#!/usr/bin/env bash
# Bounded libFuzzer runs of the SCIM core's fuzz targets, starting from the
# committed corpora. New inputs go to a scratch folder (the committed corpus
# stays as it is); a crash fails the run and prints the input that caused it.
#   usage: tests/fuzz.sh SECONDS_PER_TARGET TARGET...
set -euo pipefail
seconds=$1
shift
cd "$(dirname "$0")/../lambdas/scim-core"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
for target in "$@"; do
  mkdir -p "$scratch/$target"
  log="$scratch/$target.log"
  if ! cargo fuzz run --sanitizer none -O "$target" "$scratch/$target" "fuzz/corpus/$target" -- \
      -max_total_time="$seconds" -rss_limit_mb=1024 -print_final_stats=1 >"$log" 2>&1; then
    tail -n 40 "$log"
    echo "fuzz $target: FAILED (the crashing input is in lambdas/scim-core/fuzz/artifacts/$target/)" >&2
    exit 1
  fi
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  echo "fuzz $target: ${runs} inputs in ${seconds} s, 0 crashes, 0 panics"
done
