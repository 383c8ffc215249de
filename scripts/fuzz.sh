#!/usr/bin/env bash
# Runs every fuzz target of the module for a while each.
#   scripts/fuzz.sh [DURATION]     e.g. scripts/fuzz.sh 2m (default 30s)
# Interesting inputs found land in each package's testdata/fuzz and become
# regression seeds that `go test` runs every time.
set -euo pipefail
cd "$(dirname "$0")/.."
dur="${1:-30s}"
status=0
for pkg in $(go list ./...); do
  dir=$(go list -f '{{.Dir}}' "$pkg")
  for target in $(grep -ho '^func Fuzz[A-Za-z0-9_]*' "$dir"/*_test.go 2>/dev/null | sed 's/func //' | sort -u); do
    echo "== $pkg $target ($dur)"
    if ! go test -run '^$' -fuzz "^${target}\$" -fuzztime "$dur" "$pkg" 2>&1 | tail -3; then
      status=1
    fi
  done
done
exit $status
