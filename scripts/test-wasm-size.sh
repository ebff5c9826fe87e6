#!/usr/bin/env bash
# Issue 19's wasm size table, measured in every suite run: benches/node/run.sh's size-only mode
# builds the hello world and the small web app on wasio and on wasm-bindgen-futures (+ gloo-timers
# + async-channel), release, and prints raw and gzip sizes with ratios, as built, without the
# name section, and after wasm-opt -Os (binaryen from benches/node/package-lock.json). It fails
# only if a build fails: the figures are the benchmark's to report, not a test's to assert.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$SECONDS
WASIO_BENCH_SIZE_ONLY=1 benches/node/run.sh
echo "test-wasm-size: $((SECONDS - start)) s"
