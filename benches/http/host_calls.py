"""Host calls per request: how often `wasmtime serve` runs each of a set of its host functions
(the `wasi:io` and `wasi:http` imports a component calls, and wasmtime's lazy fill of a function
table entry) while serving a component, counted with uprobes and `perf stat`, divided by the
requests.

    python3 benches/http/host_calls.py NAME=COMPONENT.wasm[:PATH] ... [--requests N]
        [--concurrency C] [--post-kib N] [--port PORT]

Each request is a GET of PATH (default `/`), or with `--post-kib N` a POST of N KiB of random
bytes (1024 for the 1 MiB echo: e.g. `wasio=http_echo.wasm:/splice floor=raw_http.wasm:/splice`).

Why. Every host call costs the host its lifting, lowering and resource-table work, and an import
that the guest calls at the wrong moment costs more (wasmtime's `future-trailers.get` answers
"not yet" until the future's pollable has been found ready, so a `get` before the wait is a
wasted call). And a function the guest calls through its table (`call_indirect`: a vtable, a
function pointer) costs wasmtime a lazy fill of that table entry at its first call in every
instance, so at every request in `wasmtime serve` (about 1,900 instructions each under
callgrind, plus two page faults for the table's page at the first one): the `lazy table fill`
row counts them. Counts of the async host functions (`poll`, `blocking-splice`, `block`) are
polls of their futures: one per call that returned at once, more for one that waited.

Needs root (uprobes through /sys/kernel/tracing, mounted: `mount -t tracefs nodev
/sys/kernel/tracing`), `perf`, `nm`, `readelf`, hey and a `wasmtime` with its symbols (the
release binaries have them). The probes are removed at the end.
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from instructions import elf_on_path  # noqa: E402

TRACING = "/sys/kernel/tracing"
GROUP = "wasio_host_calls"
# (label, regex on the demangled symbol): the host side of each import, first match.
FUNCS = [
    ("incoming-request.method", r"types::HostIncomingRequest>::method$"),
    ("incoming-request.path-with-query", r"types::HostIncomingRequest>::path_with_query$"),
    ("incoming-request.scheme", r"types::HostIncomingRequest>::scheme$"),
    ("incoming-request.authority", r"types::HostIncomingRequest>::authority$"),
    ("incoming-request.headers", r"types::HostIncomingRequest>::headers$"),
    ("fields.entries", r"types::HostFields>::entries$"),
    ("incoming-request.consume", r"types::HostIncomingRequest>::consume$"),
    ("incoming-body.stream", r"types::HostIncomingBody>::stream$"),
    ("incoming-body.finish", r"types::HostIncomingBody>::finish$"),
    ("future-trailers.subscribe", r"types::HostFutureTrailers>::subscribe$"),
    ("future-trailers.get", r"types::HostFutureTrailers>::get$"),
    ("future-trailers drop", r"types::HostFutureTrailers>::drop$"),
    ("outgoing-body.finish", r"types::HostOutgoingBody>::finish$"),
    ("input-stream.read", r"ResourceTable as [\w:]+::HostInputStream>::read$"),
    ("input-stream.subscribe", r"ResourceTable as [\w:]+::HostInputStream>::subscribe$"),
    ("output-stream.check-write", r"ResourceTable as [\w:]+::HostOutputStream>::check_write$"),
    ("output-stream.write", r"ResourceTable as [\w:]+::HostOutputStream>::write$"),
    ("output-stream.flush", r"ResourceTable as [\w:]+::HostOutputStream>::flush$"),
    ("output-stream.splice", r"ResourceTable as [\w:]+::HostOutputStream>::splice$"),
    ("output-stream.subscribe", r"ResourceTable as [\w:]+::HostOutputStream>::subscribe$"),
    ("output-stream.blocking-splice (polls)",
     r"^<&mut [\w:]+ResourceTable as [\w:]+::HostOutputStream>::blocking_splice::\{closure#0\}$"),
    ("poll (polls)", r"^<[\w:]+ResourceTable as [\w:]+::poll::Host>::poll::\{closure#0\}$"),
    ("pollable drop", r"ResourceTable as [\w:]+::HostPollable>::drop$"),
    ("lazy table fill", r"^wasmtime::runtime::vm::libcalls::raw::table_get_lazy_init_func_ref$"),
]


def symbols(elf):
    """{label: file offset} of FUNCS in `elf`."""
    plain = subprocess.run(["nm", "-C", elf], capture_output=True, text=True, check=True).stdout
    loads = []
    for line in subprocess.run(["readelf", "-lW", elf], capture_output=True, text=True,
                               check=True).stdout.splitlines():
        f = line.split()
        if f and f[0] == "LOAD":
            off, vaddr, size = int(f[1], 16), int(f[2], 16), int(f[5], 16)
            loads.append((vaddr, vaddr + size, vaddr - off))
    found = {}
    for line in plain.splitlines():
        f = line.split(" ", 2)
        if len(f) < 3 or f[1] not in "tTwW":
            continue
        for label, pattern in FUNCS:
            if label not in found and re.search(pattern, f[2]):
                a = int(f[0], 16)
                delta = next((d for lo, hi, d in loads if lo <= a < hi), None)
                if delta is not None:
                    found[label] = a - delta
    return found


def add_probes(elf, offsets):
    names = {}
    for i, label in enumerate(x for x, _ in FUNCS if x in offsets):
        off = offsets[label]
        probe_event(f"p:{GROUP}/f{i} {elf}:{off:#x}")
        names[label] = f"f{i}"
    return names


def probe_event(line):
    """Adds or removes a uprobe: one definition per write, appended (tracefs takes no seek)."""
    fd = os.open(f"{TRACING}/uprobe_events", os.O_WRONLY | os.O_APPEND)
    try:
        os.write(fd, (line + "\n").encode())
    finally:
        os.close(fd)


def remove_probes(names):
    for n in names.values():
        try:
            probe_event(f"-:{GROUP}/{n}")
        except OSError:
            pass


def count(wasm, path, n, conc, body, names, port):
    serve = subprocess.Popen(
        ["wasmtime", "serve", "-Scli", "-O", "pooling-allocator", f"--addr=127.0.0.1:{port}", wasm],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    hey = ["hey", "-c", str(conc), "-disable-keepalive"]
    if body:
        hey += ["-m", "POST", "-D", body]
    url = f"http://127.0.0.1:{port}{path}"
    try:
        for _ in range(100):
            if subprocess.run(["curl", "-s", "-o", "/dev/null", f"http://127.0.0.1:{port}/"]).returncode == 0:
                break
            time.sleep(0.1)
        subprocess.run([*hey, "-n", "100", url], check=True, capture_output=True)
        with tempfile.NamedTemporaryFile(mode="r") as out:
            events = ",".join(f"{GROUP}:{x}" for x in names.values())
            perf = subprocess.Popen(["perf", "stat", "-x,", "-e", events, "-p", str(serve.pid),
                                     "-o", out.name])
            time.sleep(0.3)
            subprocess.run([*hey, "-n", str(n), url], check=True, capture_output=True)
            perf.send_signal(2)
            perf.wait()
            counts = {}
            for line in out.read().splitlines():
                f = line.split(",")
                if len(f) > 2 and f[0].replace(".", "").isdigit():
                    counts[f[2].split(":")[-1]] = float(f[0]) / n
            return {label: counts.get(x, 0.0) for label, x in names.items()}
    finally:
        serve.kill()
        serve.wait()


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("components", nargs="+", metavar="NAME=COMPONENT.wasm[:PATH]")
    p.add_argument("--requests", type=int, default=300)
    p.add_argument("--concurrency", type=int, default=1)
    p.add_argument("--post-kib", type=int, default=0)
    p.add_argument("--port", type=int, default=int(os.environ.get("HTTP_BENCH_PORT", "18080")) + 2)
    a = p.parse_args()
    if not os.path.exists(f"{TRACING}/uprobe_events"):
        sys.exit(f"no {TRACING}/uprobe_events: run as root with tracefs mounted (see the docs)")
    elf = os.path.realpath(elf_on_path("wasmtime"))  # uprobes want the file itself
    offsets = symbols(elf)
    missing = [label for label, _ in FUNCS if label not in offsets]
    if missing:
        print(f"not found in {elf} (left out): {', '.join(missing)}", file=sys.stderr)
    body = None
    if a.post_kib:
        with tempfile.NamedTemporaryFile(delete=False) as f:
            f.write(os.urandom(a.post_kib << 10))
            body = f.name
    names = add_probes(elf, offsets)
    try:
        rows = []
        for spec in a.components:
            name, _, rest = spec.partition("=")
            wasm, _, path = rest.partition(":")
            rows.append((name, count(wasm, path or "/", a.requests, a.concurrency, body, names,
                                     a.port)))
    finally:
        remove_probes(names)
        if body:
            os.unlink(body)
    what = f"POST of {a.post_kib} KiB" if body else "GET"
    print(f"\n### Host calls per request ({what}, {a.requests} requests at concurrency "
          f"{a.concurrency}, `wasmtime serve`)\n")
    print("| host function | " + " | ".join(n for n, _ in rows) + " |")
    print("|---|" + "---|" * len(rows))
    for label in names:
        print(f"| {label} | " + " | ".join(f"{r[label]:.2f}" for _, r in rows) + " |")


if __name__ == "__main__":
    main()
