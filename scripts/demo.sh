#!/usr/bin/env bash
# The main job: the wasio playground. Builds the playground (its wasm module and the page), then
# serves it on http://127.0.0.1:PORT (PORT=8000 by default; the next free port if it is taken)
# and prints the URL. The built site (www/playground/dist) is static files any static host serves.
#   ./scripts/demo.sh            build and serve the playground
#   ./scripts/demo.sh --article  the article's examples natively in the terminal instead
#                                (add --fast to run them on the simulated clock)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
if [ "${1:-}" = --article ]; then
  shift
  exec cargo run --quiet --example article -- "$@"
fi
# The build needs the wasm target and wasm-bindgen: setup.sh installs what is missing.
./scripts/setup.sh >&2
./scripts/build-playground.sh
exec node www/playground/serve.mjs "${PORT:-8000}"
