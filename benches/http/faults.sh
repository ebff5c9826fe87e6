#!/usr/bin/env bash
# Which pages a wasi:http request touches: serves COMPONENT in `wasmtime serve` (pooling allocator,
# plus HTTP_BENCH_WASMTIME_O's options), sends it warm-up requests, then records every page fault
# of the server process (`perf record -e page-faults -d`, needs perf and permission to trace the
# process) during REQUESTS more, one at a time, and prints them in order: the
# faulting address and the code address. A fault in linear memory shows the memory's offset in
# its low digits (the pooling allocator's slots start at aligned addresses): compare it with the
# linker's map (`-C link-arg=--Map=FILE`) to see which static, heap block or stack frame it is.
# The other addresses are the host's (its instance state, and the function table, which wasmtime
# fills lazily: a read fault, then a write, at the first indirect call).
#
#   benches/http/faults.sh COMPONENT.wasm [REQUESTS] [PORT]
#
# How benches/http/fit_stack.py was found: http_hello's faults before and after its stack size.
set -euo pipefail
wasm=$1 n=${2:-5} port=${3:-18090}
command -v perf >/dev/null || { echo "perf not found" >&2; exit 1; }
dir=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; rm -rf "$dir"' EXIT
opts=$(echo "pooling-allocator,${HTTP_BENCH_WASMTIME_O:-}" | sed 's/,$//')
wasmtime serve -Scli -O "$opts" --addr="127.0.0.1:$port" "$wasm" >/dev/null 2>&1 &
server=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/" >/dev/null && break; sleep 0.1; done
hey -n 200 -c 1 -disable-keepalive "http://127.0.0.1:$port/" >/dev/null
perf record -q -c 1 -e page-faults -d -p "$server" -o "$dir/perf.data" -- sleep 3 >/dev/null 2>&1 &
recorder=$!
sleep 1
for _ in $(seq "$n"); do curl -sf "http://127.0.0.1:$port/" >/dev/null; done
wait "$recorder" || true
total=$(perf script -i "$dir/perf.data" -F addr 2>/dev/null | wc -l)
echo "$total page faults in $n requests (the server's, while they ran)"
perf script -i "$dir/perf.data" -F addr,ip 2>/dev/null | awk '{printf "  address %14s  code %14s\n", $1, $2}'
