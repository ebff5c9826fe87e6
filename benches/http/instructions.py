"""Instructions per request: each component in `wasmtime serve` under valgrind's callgrind, counted
over N requests sent one at a time (after a warm-up), divided by N. Prints a Markdown table with
the ratio to the first component (the floor).

    python3 benches/http/instructions.py NAME=COMPONENT.wasm[:PATH] ... [--requests N] [--port PORT]
        [--post-mib N | --post-kib N] [--vs NAME]...

Each request is a GET of PATH (default `/`), or with `--post-mib N` a POST of N MiB of random
bytes (the echo: e.g. `wasio=http_echo.wasm:/splice floor=raw_http.wasm:/splice`). The 1 MiB
echo's count varies by 2-4% between runs, unlike hello's (how the host splits the body into
chunks, and how often the server finds the next one not there yet, depends on timing): more
than a change of a few thousand instructions per request. `--post-kib 4` (a 4 KiB body) keeps
the echo's fixed costs per request (instantiation, the request, the response, the trailers) and
loses that spread: two runs of one build agree within about 1,700 of 350,000.

Why. On a shared 2-core machine requests/s and even CPU time per request swing from run to run
(other work, frequency, cache); the count of instructions the server executes per request does
not: two runs agree within about 0.5%. It counts everything the host and the guest execute in
user space for a request (instantiating the component, the host calls, the guest's code, the
host's HTTP work), not the kernel's share (page faults, sockets), so it complements the timed
tables of report.py rather than replacing them. What it showed for hello (see README, "HTTP
components"): the instantiation's cost grows by 1,000 to 1,500 instructions for every function the
component imports, and reading the request from the host (method, scheme, authority, headers and
their entries) costs about 50,000, which any handler that is given the whole request pays.

valgrind cannot reserve the pooling allocator's address space, so the server runs with the
default (on-demand) allocator here: the guest's work and the host calls are the same; the host's
per-instance memory setup differs (mmap instead of reuse).
"""

import argparse
import glob
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request


def hey(port, n, path="/", body=None):
    post = ["-m", "POST", "-D", body] if body else []
    subprocess.run(
        ["hey", "-n", str(n), "-c", "1", "-disable-keepalive", *post, f"http://127.0.0.1:{port}{path}"],
        check=True,
        capture_output=True,
    )


def elf_on_path(name):
    """The first `name` on PATH that is an executable itself, not a script that starts one (pip's
    `wasmtime` is a Python wrapper: valgrind would count Python, then lose the server at its
    `exec`)."""
    for d in os.environ.get("PATH", "").split(os.pathsep):
        path = os.path.join(d, name)
        if os.access(path, os.X_OK) and os.path.isfile(path):
            with open(path, "rb") as f:
                if f.read(4) == b"\x7fELF":
                    return path
    sys.exit(f"no {name} executable (ELF) on PATH")


def count(wasm, port, n, path="/", body=None):
    """Instructions per request of `wasmtime serve` on `wasm`, over `n` requests to `path` (POSTs
    of the file `body`, if given)."""
    out = tempfile.mkdtemp(prefix="wasio-instr-")
    proc = subprocess.Popen(
        [
            "valgrind", "--tool=callgrind", "--smc-check=all-non-file",
            f"--callgrind-out-file={out}/cg.out",
            elf_on_path("wasmtime"), "serve", "-Scli", "--no-logging-prefix", f"--addr=127.0.0.1:{port}", wasm,
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5).read()
                break
            except OSError:
                time.sleep(0.5)
        else:
            raise SystemExit(f"wasmtime serve did not start on {wasm}")
        hey(port, 50, path, body)  # warm-up: the host's lazily made state, the first instances
        subprocess.run(["callgrind_control", "-z", str(proc.pid)], check=True, capture_output=True)
        hey(port, n, path, body)
        subprocess.run(["callgrind_control", "-d", str(proc.pid)], check=True, capture_output=True)
        # The dump is written by the server's thread at its next turn: wait for its totals.
        for _ in range(600):
            dumps = sorted(glob.glob(f"{out}/cg.out.*"))
            if dumps:
                with open(dumps[0]) as f:
                    totals = [int(line.split()[1]) for line in f if line.startswith("totals:")]
                if totals:
                    return totals[0] / n
            time.sleep(0.1)
        raise SystemExit(f"callgrind wrote no dump for {wasm}")
    finally:
        proc.kill()
        proc.wait()
        shutil.rmtree(out, ignore_errors=True)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("components", nargs="+", metavar="NAME=COMPONENT.wasm[:PATH]")
    p.add_argument("--requests", type=int, default=200)
    p.add_argument("--port", type=int, default=int(os.environ.get("HTTP_BENCH_PORT", "18080")) + 1)
    p.add_argument("--post-mib", type=int, default=0,
                   help="POST a body of this many MiB of random bytes (e.g. 1 for the echo)")
    p.add_argument("--vs", action="append", default=[], metavar="NAME",
                   help="a column more: each row's ratio to the row named NAME (repeatable)")
    p.add_argument("--post-kib", type=int, default=0,
                   help="POST a body of this many KiB instead: an echo's fixed costs per request, "
                   "without the run-to-run spread of the 1 MiB echo's count")
    a = p.parse_args()
    body = None
    size = (a.post_mib << 20) or (a.post_kib << 10)
    if size:
        with tempfile.NamedTemporaryFile(delete=False) as f:
            f.write(os.urandom(size))
            body = f.name
    for tool in ("valgrind", "callgrind_control", "wasmtime", "hey"):
        if shutil.which(tool) is None:
            sys.exit(f"{tool} not found")
    rows = []
    for spec in a.components:
        name, _, wasm = spec.partition("=")
        wasm, _, path = wasm.partition(":")
        rows.append((name, wasm, count(wasm, a.port, a.requests, path or "/", body)))
        print(f"{name}: {rows[-1][2]:,.0f} instructions/request", file=sys.stderr, flush=True)
    if body:
        os.unlink(body)
    what = (f"{a.post_mib} MiB echo" if a.post_mib else f"{a.post_kib} KiB echo") if body else "hello"
    print(f"\n### Instructions per {what} request (callgrind, `wasmtime serve`, {a.requests} requests one at a time)\n")
    count_of = {name: instr for name, _, instr in rows}
    vs = [v for v in a.vs if v in count_of]
    print("| component | instructions/request | vs floor | " + "".join(f"vs {v} | " for v in vs) + "size (bytes) |")
    print("|---|---|---|" + "---|" * len(vs) + "---|")
    base = rows[0][2]
    for name, wasm, instr in rows:
        more = "".join(f"{instr / count_of[v]:.3f}x | " for v in vs)
        print(f"| {name} | {instr:,.0f} | {instr / base:.3f}x | {more}{os.path.getsize(wasm):,} |")


if __name__ == "__main__":
    main()
