#!/usr/bin/env bash
# The playground's checks and end-to-end tests in real headless Chromium (playwright-core driving
# /usr/bin/chromium): every gallery example's output and timeline, Stop, share links, embed mode,
# offline reload, the first-load size budget. Screenshots and the size report go to
# target/playground-artifacts/. Builds what it needs (scripts/build-playground.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
for tool in chromium node npm; do
  command -v "$tool" >/dev/null || { echo "FAIL: $tool is not installed (scripts/setup.sh)" >&2; exit 1; }
done
./scripts/build-playground.sh
cd www/playground
npx tsc --noEmit -p .
npx prettier --check --log-level warn .
PLAYGROUND_ARTIFACTS="${PLAYGROUND_ARTIFACTS:-$PWD/../../target/playground-artifacts}" \
  node --test --test-concurrency=1 --test-reporter=spec tests/
