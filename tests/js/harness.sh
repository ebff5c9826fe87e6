# Shared by scripts/test-node.sh and scripts/test-browser.sh (sourced, not run).
#
# start_peers: starts tests/js/server.mjs (WebSocket echo + streaming HTTP) on 127.0.0.1 and checks
#   the "refused" port really refuses; stop_peers (trapped on EXIT) stops it.
# run_wasm_tests ARGS...: runs `cargo test --target wasm32-unknown-unknown ARGS...` and fails
#   unless every test binary that ran reported "test result: ok." (or had no tests): a runner that
#   exits early without a verdict is a failure, never a silent skip.

PEER_PORT="${WASIO_TEST_PEER_PORT:-18765}"
REFUSED_PORT="${WASIO_TEST_REFUSED_PORT:-18764}"
export WASIO_TEST_PEER="127.0.0.1:${PEER_PORT}"
export WASIO_TEST_REFUSED="127.0.0.1:${REFUSED_PORT}"
PEER_PID=""

port_is_free() {
  python3 - "$1" <<'PY'
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
try:
    s.bind(("127.0.0.1", int(sys.argv[1])))
except OSError:
    sys.exit(1)
PY
}

start_peers() {
  if [ ! -d tests/js/node_modules/ws ]; then
    (cd tests/js && npm ci --no-audit --no-fund --silent)
  fi
  port_is_free "$PEER_PORT" || { echo "FAIL: test peer port $PEER_PORT is in use (set WASIO_TEST_PEER_PORT)" >&2; exit 1; }
  port_is_free "$REFUSED_PORT" || { echo "FAIL: port $REFUSED_PORT must be unused (set WASIO_TEST_REFUSED_PORT)" >&2; exit 1; }
  local log
  log=$(mktemp)
  node tests/js/server.mjs "$PEER_PORT" >"$log" 2>&1 &
  PEER_PID=$!
  trap stop_peers EXIT
  for _ in $(seq 1 100); do
    grep -q "^ready $PEER_PORT" "$log" && return 0
    kill -0 "$PEER_PID" 2>/dev/null || break
    sleep 0.1
  done
  cat "$log" >&2
  echo "FAIL: the test peer server did not start" >&2
  exit 1
}

stop_peers() {
  if [ -n "$PEER_PID" ]; then
    kill "$PEER_PID" 2>/dev/null || true
    wait "$PEER_PID" 2>/dev/null || true
    PEER_PID=""
  fi
}

run_wasm_tests() {
  local out status=0
  out=$(mktemp)
  cargo test --no-fail-fast --target wasm32-unknown-unknown "$@" 2>&1 | tee "$out" || status=$?
  local ran ok
  ran=$(grep -c '^     Running ' "$out" || true)
  ok=$(grep -cE '^test result: ok\.|^no tests to run!' "$out" || true)
  if [ "$status" -ne 0 ] || [ "$ran" -eq 0 ] || [ "$ran" -ne "$ok" ]; then
    echo "FAIL: $ran test binaries ran, $ok reported success (cargo exit status $status)" >&2
    rm -f "$out"
    return 1
  fi
  echo "ok: $ran test binaries, $(grep -oE '^test result: ok\. [0-9]+ passed' "$out" | awk '{s+=$4} END {print s}') tests passed"
  rm -f "$out"
}

# Every test target in tests/ except those named in $@.
test_targets_except() {
  local f name skip args=()
  for f in tests/*.rs; do
    name=$(basename "$f" .rs)
    skip=0
    for s in "$@"; do [ "$name" = "$s" ] && skip=1; done
    [ "$skip" = 1 ] || args+=(--test "$name")
  done
  echo "${args[@]}"
}
