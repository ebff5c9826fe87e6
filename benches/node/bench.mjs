// wasio vs wasm-bindgen-futures vs plain JS promises, side by side in this one Node process.
// Usage: node bench.mjs PKG_DIR   (PKG_DIR holds wasm-bindgen --target nodejs output)
// Prints a Markdown table in the layout of wasio_benches::print_table: ns/op per runtime, then
// wasio's ratio to each peer (below 1.0 means wasio is faster).
import { createRequire } from "node:module";
import path from "node:path";

const require = createRequire(import.meta.url);
const wasm = require(path.resolve(process.argv[2], "wasio_node_bench.js"));

const N = 100_000;
const RUNS = 7;

async function best(fn) {
  await fn(Math.min(N, 10_000)); // warm-up (JIT, allocator)
  let b = Infinity;
  for (let r = 0; r < RUNS; r++) b = Math.min(b, await fn(N));
  return b;
}

function ns(start, n) {
  return ((performance.now() - start) * 1e6) / n;
}

// Plain JS peers.
async function jsSpawnJoin(n) {
  const t = performance.now();
  for (let i = 0; i < n; i++) await new Promise((r) => r(i));
  return ns(t, n);
}
async function jsYield(n) {
  const t = performance.now();
  for (let i = 0; i < n; i++) await null;
  return ns(t, n);
}
async function jsPingPong(n) {
  const t = performance.now();
  let wake = [null, null];
  let turn = 0;
  const player = async (me) => {
    for (let i = 0; i < n; i++) {
      if (turn !== me) await new Promise((r) => (wake[me] = r));
      turn = 1 - me;
      const w = wake[1 - me];
      wake[1 - me] = null;
      if (w) w();
    }
  };
  await Promise.all([player(0), player(1)]);
  return ns(t, 2 * n);
}

const rows = [];
async function row(name, wasio, peers) {
  const results = [["wasio", await best(wasio)]];
  for (const [label, fn] of peers) results.push([label, fn ? await best(fn) : NaN]);
  rows.push({ name, results });
}

// Rows: what wasio does, against (wasm-bindgen-futures, plain JS):
//   spawn+join (sequential): spawn + await the handle  | spawn_local + oneshot  | await new Promise
//   spawn+join (batch):      spawn n, then join all    | spawn_local n, no join | -
//   yield:                   yield_now()               | a future that wakes itself once | await null
//   wake-to-poll:            two tasks hand a turn back and forth (ns per hand-off)
await row("spawn+join (sequential)", wasm.wasio_spawn_join, [
  ["wasm-bindgen-futures", wasm.wbf_spawn_join],
  ["JS promise", jsSpawnJoin],
]);
await row("spawn+join (batch) vs spawn_local alone", wasm.wasio_spawn_join_batch, [
  ["wasm-bindgen-futures", wasm.wbf_spawn_local_batch],
  ["JS promise", null],
]);
await row("yield_now vs self-waking task", wasm.wasio_yield, [
  ["wasm-bindgen-futures", wasm.wbf_yield],
  ["JS promise", jsYield],
]);
await row("wake-to-poll (ping-pong)", wasm.wasio_ping_pong, [
  ["wasm-bindgen-futures", wasm.wbf_ping_pong],
  ["JS promise", jsPingPong],
]);

console.log(`\n### wasio vs wasm-bindgen-futures vs JS promises (Node ${process.version}, best of ${RUNS} x ${N} ops)\n`);
const peers = rows[0].results.map((r) => r[0]);
console.log(`| benchmark |${peers.map((p) => ` ${p} ns/op |`).join("")}${peers.slice(1).map((p) => ` wasio/${p} |`).join("")}`);
console.log(`|${"---|".repeat(peers.length * 2)}`);
for (const r of rows) {
  const w = r.results[0][1];
  const cells = r.results.map(([, v]) => (Number.isNaN(v) ? " n/a |" : ` ${v.toFixed(1)} |`)).join("");
  const ratios = r.results.slice(1).map(([, v]) => (Number.isNaN(v) ? " n/a |" : ` ${(w / v).toFixed(2)}x |`)).join("");
  console.log(`| ${r.name} |${cells}${ratios}`);
}
// Targets from issue 5, checked here so a regression is visible.
const get = (name, i) => rows.find((r) => r.name.startsWith(name)).results[i][1];
const spawnBatch = get("spawn+join (batch)", 0) / get("spawn+join (batch)", 1);
const yieldRatio = get("yield_now", 1) / get("yield_now", 0);
console.log(`\ntarget: wasio spawn+join no slower than spawn_local alone: ${spawnBatch.toFixed(2)}x ${spawnBatch <= 1 ? "MET" : "NOT MET"}`);
console.log(`target: yield_now at least 3x faster than a self-waking spawn_local task: ${yieldRatio.toFixed(2)}x faster ${yieldRatio >= 3 ? "MET" : "NOT MET"}`);
