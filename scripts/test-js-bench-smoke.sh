#!/usr/bin/env bash
# Smoke run of the JS benchmarks (benches/js): every row, wasio and each peer, at 1% of its size
# and one round, in Node and in headless Chromium. It checks that the benchmarks run and finish;
# their figures mean nothing at this size (the full run is by hand: benches/js/run.sh).
# Builds the package first if needed (run.sh does), installs the peers with npm ci.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$SECONDS
benches/js/run.sh --smoke
echo "test-js-bench-smoke: $((SECONDS - start)) s"
