"""A/B of wasi:http components on the 1 MiB echo, by the server's CPU time (`perf stat`).

    python3 benches/http/ab.py ROUNDS REQUESTS CONCURRENCY LABEL=COMPONENT.wasm:PATH ...

e.g. `ab.py 5 500 10 before=old.wasm:/ after=new.wasm:/ wstd=wstd-http.wasm:/echo`. Each round
serves every component in turn (`wasmtime serve -O pooling-allocator`, as report.py serves, the order reversed every
other round), warms it up with 100 requests, then counts the server's task-clock and page faults
with `perf stat -p` while `hey` POSTs REQUESTS bodies of 1 MiB to PATH. Prints each component's
CPU per request (best and median of the rounds: task-clock counts nanoseconds of every thread,
steadier than report.py's clock ticks, and a loaded machine disturbs it far less than requests/s),
its page faults per request and its requests/s.

Needs `perf` with permission to count the server process (perf_event_paranoid <= 2 for a process
of one's own), hey and wasmtime. HTTP_BENCH_PORT sets the port (default 18080, report.py's).
HTTP_AB_MIB sets the body's size in MiB; 0 sends GETs without a body (hello: e.g.
`HTTP_AB_MIB=0 ab.py 9 5000 10 floor=raw_http.wasm:/ wasio=http_hello.wasm:/`)."""

import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

# One way to serve a component and drive it with hey, shared with the run.sh tables.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from report import hey, serve  # noqa: E402


def measure(body, wasm, path, n, conc):
    """(CPU us per request, page faults per request, req/s) of one run."""
    proc = serve(wasm)
    try:
        hey(path, conc, 100, body)
        perf = subprocess.Popen(["perf", "stat", "-x,", "-e", "page-faults,task-clock", "-p",
                                 str(proc.pid)], stderr=subprocess.PIPE, text=True)
        time.sleep(0.2)
        rps = hey(path, conc, n, body)[0]
        perf.send_signal(2)
        err = perf.communicate()[1]
    finally:
        proc.kill()
        proc.wait()
    counts = {}
    for line in err.splitlines():
        f = line.split(",")
        if len(f) > 3 and re.fullmatch(r"[\d.]+", f[0]):
            counts[f[2]] = float(f[0])
    if "task-clock" not in counts:
        raise SystemExit(f"perf stat counted nothing (permission?):\n{err}")
    return counts["task-clock"] * 1000 / n, counts.get("page-faults", 0) / n, rps


def main():
    rounds, n, conc = (int(x) for x in sys.argv[1:4])
    peers = [a.split("=", 1) for a in sys.argv[4:]]
    mib = int(os.environ.get("HTTP_AB_MIB", "1"))
    body = None
    if mib:
        with tempfile.NamedTemporaryFile(delete=False) as f:
            f.write(os.urandom(mib << 20))
            body = f.name
    runs = {}
    try:
        for r in range(rounds):
            for label, spec in peers if r % 2 == 0 else peers[::-1]:
                wasm, path = spec.rsplit(":", 1)
                got = measure(body, wasm, path, n, conc)
                runs.setdefault(label, []).append(got)
                print(f"round {r + 1}/{rounds} {label}: {got[0]:.0f} us CPU/req, "
                      f"{got[1]:.1f} faults/req, {got[2]:,.0f} req/s", flush=True)
    finally:
        if body:
            os.unlink(body)
    print(f"\n{n} requests x {rounds} rounds at concurrency {conc}; load average "
          f"{os.getloadavg()[0]:.1f}\n")
    print("| component | CPU us/req best | median | faults/req median | req/s best | median |")
    print("|---|---|---|---|---|---|")
    for label, _ in peers:
        v = runs[label]
        print(f"| {label} | {min(x[0] for x in v):.0f} | {statistics.median(x[0] for x in v):.0f} | "
              f"{statistics.median(x[1] for x in v):.1f} | {max(x[2] for x in v):,.0f} | "
              f"{statistics.median(x[2] for x in v):,.0f} |")


if __name__ == "__main__":
    main()
