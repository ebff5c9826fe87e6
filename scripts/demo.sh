#!/usr/bin/env bash
# The main job: the article's examples running on wasio (natively), in real time.
set -euo pipefail
cd "$(dirname "$0")/.."
exec cargo run --quiet --example article -- "$@"
