#!/usr/bin/env python3
"""The Python front end's benchmarks: one run of each program on each implementation, side by side.

Rows: start-up (print one line), fib(25), 10,000 tasks through a Queue, 1,000 tasks each sleeping 0
a hundred times. Columns: wall time of the whole process (best of N runs) for wasio-py natively,
wasio-py as a WASI component in wasmtime, CPython 3.11 and MicroPython's wasm build in Node, then
ratios to CPython and the goal each row has (issue 16: faster than CPython on the asyncio rows,
within 3x of CPython on fib).

MicroPython's wasm build has no asyncio.run (its programs `await main()` at top level instead) and
no asyncio.Queue: that cell says n/a.

A second table gives the browser build's size beside MicroPython's (its npm package, installed in
micropython/): the wasm gzip -9 after wasm-bindgen (`--target web`) and wasm-opt (`-Oz --converge`,
binaryen from www/node_modules, as the playground's build runs it), and the JS glue gzip -9.

usage: benches/python/run.py [--runs N]   (builds nothing: run `cargo build -p wasio-py --release`,
`cargo build -p wasio-py --release --target wasm32-wasip2` and, for the size table,
`cargo build -p wasio-py --lib --target wasm32-unknown-unknown --profile npm` first; `npm ci` in
micropython/ and in www/)
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
RUNS = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 5

ROWS = [
    ("start-up", "startup.py", None),
    ("fib(25)", "fib.py", 3.0),
    ("10,000 tasks through a Queue", "queue_tasks.py", 1.0),
    ("1,000 tasks x 100 sleep(0)", "sleep0_tasks.py", 1.0),
]


def target_dir():
    out = subprocess.run(["cargo", "metadata", "--format-version", "1", "--no-deps"], cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(out.stdout)["target_directory"]


def best(cmd, cwd):
    times = []
    out = None
    for _ in range(RUNS):
        t = time.perf_counter()
        r = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
        times.append(time.perf_counter() - t)
        if r.returncode != 0:
            return None, r.stderr.strip().splitlines()[-1:] or ["failed"]
        out = r.stdout
    return min(times), out


def main():
    td = target_dir()
    native = os.path.join(td, "release", "wasio-py")
    wasm = os.path.join(td, "wasm32-wasip2", "release", "wasio-py.wasm")
    mpy = os.path.join(HERE, "micropython", "run.mjs")
    impls = [("wasio-py", lambda f: [native, f] if os.path.exists(native) else None)]
    if shutil.which("wasmtime") and os.path.exists(wasm):
        impls.append(("wasio-py (wasmtime)", lambda f: ["wasmtime", "run", "--dir", ".", wasm, f]))
    impls.append(("CPython " + sys.version.split()[0], lambda f: [sys.executable, f]))
    if shutil.which("node") and os.path.exists(os.path.join(HERE, "micropython", "node_modules")):
        impls.append(("MicroPython wasm (Node)", lambda f: ["node", mpy, f]))
    tmp = tempfile.mkdtemp()
    results = {}
    for name, prog, _ in ROWS:
        for iname, mk in impls:
            path = os.path.join(HERE, prog)
            if iname.startswith("MicroPython"):
                src = open(path).read().replace("asyncio.run(main())", "await main()")
                path = os.path.join(tmp, prog)
                open(path, "w").write(src)
            cmd = mk(os.path.basename(path))
            if cmd is None:
                results[(name, iname)] = (None, ["not built"])
                continue
            results[(name, iname)] = best(cmd, os.path.dirname(path))
    cpy = impls[-2][0] if impls[-1][0].startswith("MicroPython") else impls[-1][0]
    print(f"Python front end, best of {RUNS} runs (wall time of the whole process), {time.strftime('%Y-%m-%d')}\n")
    print("| program | " + " | ".join(i for i, _ in impls) + " | wasio-py / CPython | goal |")
    print("|---|" + "---|" * len(impls) + "---|---|")
    for name, _, goal in ROWS:
        cells = []
        for iname, _ in impls:
            t, out = results[(name, iname)]
            cells.append(f"{t * 1000:.1f} ms" if t is not None else "n/a (" + " ".join(out)[:60] + ")")
        ours, c = results[(name, "wasio-py")][0], results[(name, cpy)][0]
        ratio = f"{ours / c:.2f}x" if ours and c else "n/a"
        g = "-" if goal is None else (f"< {goal:g}x" + (" met" if ours and c and ours / c < goal else " MISSED"))
        print(f"| {name} | " + " | ".join(cells) + f" | {ratio} | {g} |")
    sizes(td)


def gz(path):
    """Bytes of the file compressed as gzip -9 (deflate at level 9 plus gzip's 18-byte frame)."""
    c = zlib.compressobj(9, zlib.DEFLATED, 31)
    return len(c.compress(open(path, "rb").read()) + c.flush())


def sizes(td):
    """The size table: wasio-py's browser build beside MicroPython's npm package."""
    built = os.path.join(td, "wasm32-unknown-unknown", "npm", "wasio_py.wasm")
    opt = os.path.join(ROOT, "www", "node_modules", ".bin", "wasm-opt")
    mpy = os.path.join(HERE, "micropython", "node_modules", "@micropython", "micropython-webassembly-pyscript")
    rows = []
    if os.path.exists(built) and os.path.exists(opt) and shutil.which("wasm-bindgen"):
        out = tempfile.mkdtemp()
        subprocess.run(["wasm-bindgen", "--target", "web", "--out-dir", out, built], check=True)
        wasm = os.path.join(out, "wasio_py_bg.wasm")
        flags = ["--enable-" + f for f in ["bulk-memory", "reference-types", "multivalue", "nontrapping-float-to-int", "sign-ext", "mutable-globals"]]
        subprocess.run([opt, "-Oz", "--converge", *flags, wasm, "-o", wasm], check=True)
        rows.append(("wasio-py (browser build)", gz(wasm), gz(os.path.join(out, "wasio_py.js"))))
    else:
        rows.append(("wasio-py (browser build)", None, None))
    if os.path.exists(mpy):
        rows.append(("MicroPython wasm (npm " + json.load(open(os.path.join(mpy, "package.json")))["version"] + ")", gz(os.path.join(mpy, "micropython.wasm")), gz(os.path.join(mpy, "micropython.mjs"))))
    print("\nBrowser build size, gzip -9 (bytes)\n")
    print("| build | wasm gz | JS glue gz | total gz | wasm / MicroPython's | goal (wasm) |")
    print("|---|---|---|---|---|---|")
    peer = rows[1][1] if len(rows) > 1 else None
    for name, w, j in rows:
        if w is None:
            print(f"| {name} | not built | | | | |")
            continue
        ratio = f"{w / peer:.2f}x" if peer else "n/a"
        goal = ("<= 250,000 " + ("met" if w <= 250_000 else "MISSED")) if name.startswith("wasio") else "-"
        print(f"| {name} | {w:,} | {j:,} | {w + j:,} | {ratio} | {goal} |")


if __name__ == "__main__":
    main()
