#!/usr/bin/env bash
# Refreshes the project's copy of the AWS-recorded conformance cases from ../shared/conformance.
# The cases are Apache-2.0 data recorded from AWS (see conformance/testdata/NOTICE).
set -euo pipefail
cd "$(dirname "$0")/.."
src="${1:-../shared/conformance}"
rm -rf conformance/testdata/cases
cp -r "$src/cases" conformance/testdata/cases
cp "$src/NOTICE" conformance/testdata/NOTICE
cp "$src/README.md" conformance/testdata/README.md
echo "copied $(find conformance/testdata/cases -name '*.json' | wc -l) case files from $src"
