"""Runs `hey` against each component in `wasmtime serve` and prints the tables (see run.sh).

wasio's echo is measured twice: through the handler (a task copies each chunk from the request
body to a channel body, as examples/http_echo.rs does on `/`), and forwarded
(`OutgoingBody::from(request body)` on `/splice`: the host moves the bytes), which is what the
wstd peer's `Response::new(body)` does in its own way.

The machine is shared and loaded, so one run of each says little: every (component, scenario)
pair is measured in each of ROUNDS rounds (default 3), the components interleaved (the order
reversed every other round), and the tables show the best round's requests/s (with that round's
p50/p99) and the median of the server's CPU time per request (user + system time of the
`wasmtime serve` process over the run, divided by the requests): CPU per request depends far less
on what else the machine is doing than requests/s does), and the median of the page faults per
request of that process (minor faults: the pooling allocator maps each page an instance touches
afresh for every request, so this counts the pages a request touches, plus the host's own).

Each row also shows the median round's requests/s and the spread of its rounds (lowest to
highest), and the title the load average before and after the run: a row whose spread is wide
says more about the machine than about the component. The CPU time is the sum of the server's
threads' run time (`/proc/PID/task/*/schedstat`, nanoseconds) where the kernel has it, else the
process's user + system ticks.

Hello has two more floors (benches/http/raw-http's features): the bare handler that also reads
the whole request from the host (`read`), and one that also builds an `http::Request` of it
(`request`), both without an executor: what any handler that is given the whole request pays,
so the table separates the executor's cost from the request's.

For the 1 MiB echo rows a second table says what bounds the throughput: the median requests/s
beside the best, the load generator's CPU per request (hey's user + system time, from
`getrusage` of the finished child), and how busy the machine's cores were during the run
(`/proc/stat`: the share of all cores' time that was busy, and how much of that was neither the
server nor hey: the other users of this shared machine). When server + client CPU per request
times req/s is about the number of cores, the run is bound by the machine's CPU, not by either
side's waiting.

HTTP_BENCH_SCENARIOS=hello (or echo) runs one scenario set only. With WASIO_HELLO_BEFORE and
WASIO_ECHO_BEFORE (run.sh sets them for HTTP_BENCH_BEFORE=REV) wasio's components built from
another revision get rows of their own ("wasio before (REV)"), in the same rounds."""

import os
import resource
import re
import statistics
import subprocess
import tempfile
import time
import urllib.error
import urllib.request

PORT = int(os.environ.get("HTTP_BENCH_PORT", "18080"))
ROUNDS = int(os.environ.get("HTTP_BENCH_ROUNDS", "3"))
# The host's options: the pooling allocator, and whatever HTTP_BENCH_WASMTIME_O adds (e.g.
# `pooling-memory-keep-resident=2097152,pooling-table-keep-resident=65536`: touched pages are
# then cleared rather than unmapped between instances, which spares every component the page
# faults of its next request).
WASMTIME_O = ",".join(filter(None, ["pooling-allocator", os.environ.get("HTTP_BENCH_WASMTIME_O")]))
SERVE = ["wasmtime", "serve", "-Scli", "-O", WASMTIME_O, "--no-logging-prefix"]
ONE_MIB = 1 << 20
TICKS = os.sysconf("SC_CLK_TCK")


def serve(wasm):
    proc = subprocess.Popen(
        [*SERVE, f"--addr=127.0.0.1:{PORT}", wasm],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(200):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/", timeout=1).read()
            return proc
        except urllib.error.HTTPError:  # it answered: it is up
            return proc
        except OSError:
            time.sleep(0.05)
    proc.kill()
    raise SystemExit(f"wasmtime serve did not start on {wasm}")


def cpu_seconds(pid):
    """CPU time of process `pid` so far (its threads' run time, or user + system ticks), and its
    minor page faults."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    ticks = (int(fields[11]) + int(fields[12])) / TICKS
    try:
        run = 0
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/schedstat") as f:
                run += int(f.read().split()[0])
        cpu = run / 1e9
    except OSError:
        cpu = ticks
    return cpu, int(fields[7])


def machine_busy():
    """(busy, total) clock ticks of all cores so far (`/proc/stat`'s first line)."""
    with open("/proc/stat") as f:
        ticks = [int(x) for x in f.readline().split()[1:]]
    idle = ticks[3] + ticks[4]  # idle + iowait
    return sum(ticks) - idle, sum(ticks)


def hey(path, conc, n, body=None):
    args = ["hey", "-n", str(n), "-c", str(conc), "-disable-keepalive"]
    if body:
        args += ["-m", "POST", "-D", body]
    out = subprocess.run(
        [*args, f"http://127.0.0.1:{PORT}{path}"], capture_output=True, text=True, check=True
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = float(re.search(r"50% in ([\d.]+) secs", out).group(1)) * 1000
    p99 = float(re.search(r"99% in ([\d.]+) secs", out).group(1)) * 1000
    codes = re.findall(r"\[(\d+)\]\s+(\d+) responses", out)
    bad = sum(int(k) for c, k in codes if c != "200")
    if bad or not codes:
        raise SystemExit(f"non-200 responses: {codes}\n{out}")
    return rps, p50, p99


def hey_timed(path, conc, n, body):
    """`hey`, and the CPU seconds it used (user + system, from its rusage)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    got = hey(path, conc, n, body)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    used = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return (*got, used)


def measure(wasm, path, conc, n, body):
    """One run: (req/s, p50 ms, p99 ms, server CPU us per request, server page faults per request,
    client CPU us per request, share of the machine's cores busy, share busy with neither)."""
    proc = serve(wasm)
    try:
        hey(path, conc, min(n, 500), body)  # warm-up
        cpu0, faults0 = cpu_seconds(proc.pid)
        busy0, all0 = machine_busy()
        rps, p50, p99, client = hey_timed(path, conc, n, body)
        busy1, all1 = machine_busy()
        cpu1, faults1 = cpu_seconds(proc.pid)
    finally:
        proc.kill()
        proc.wait()
    server = cpu1 - cpu0
    busy, total = (busy1 - busy0) / TICKS, (all1 - all0) / TICKS
    other = max(0.0, busy - server - client)
    return (rps, p50, p99, server / n * 1e6, (faults1 - faults0) / n, client / n * 1e6,
            busy / total if total else 0.0, other / total if total else 0.0)


def main():
    with tempfile.NamedTemporaryFile(delete=False) as f:
        f.write(os.urandom(ONE_MIB))
        body = f.name
    floor = "floor (bare wasi handler)"
    wstd = "wstd #[http_server]"
    floor_request = "floor + http::Request (no executor)"
    floor_splice = "floor, body spliced (/splice)"
    forwarded = "wasio, body forwarded (/splice)"
    # benches/http/wasio-http: what wstd's component does (hello on /, the body forwarded on
    # /echo), its handler given only the path and the body.
    like_wstd = "wasio hello+echo (like wstd's)"
    # run.sh's HTTP_BENCH_BEFORE: wasio's hello and echo built from another revision.
    before = f"wasio before ({os.environ.get('HTTP_BENCH_BEFORE_LABEL', '?')})"
    # Each echo row beside the floor that does the same work: bytes copied through the
    # component's memory, or moved by the host.
    same_work = {floor: floor, "wasio": floor, floor_splice: floor_splice, forwarded: floor_splice,
                 wstd: floor_splice, before: floor, like_wstd: floor_splice}
    peers = [
        (floor, os.environ["RAW"], os.environ["RAW"], "/echo"),
        # The floor's echo with the host moving the bytes (blocking-splice), the same work as
        # wasio's /splice and wstd's echo (echo only).
        (floor_splice, None, os.environ["RAW"], "/splice"),
        # The floor that also reads the whole request, and also builds an http::Request (hello).
        ("floor + request read (no executor)", os.environ.get("RAW_READ"), None, None),
        (floor_request, os.environ.get("RAW_REQUEST"), None, None),
        ("wasio", os.environ.get("WASIO_HELLO"), os.environ["WASIO_ECHO"], "/"),
        (before, os.environ.get("WASIO_HELLO_BEFORE"), os.environ.get("WASIO_ECHO_BEFORE"), "/"),
        # The same hello linked with the stack size fit_stack.py picks (hello only).
        ("wasio, stack size fitted", os.environ.get("WASIO_HELLO_FITTED"), None, None),
        # The same hello with the insecure-seed adapter merged into its core module (hello only).
        ("wasio, adapter merged (wasm-merge)", os.environ.get("WASIO_HELLO_MERGED"), None, None),
        (forwarded, None, os.environ["WASIO_ECHO"], "/splice"),
        (like_wstd, os.environ.get("WASIO_HTTP"), os.environ.get("WASIO_HTTP"), "/echo"),
        (wstd, os.environ["WSTD"], os.environ["WSTD"], "/echo"),
    ]
    scenarios = [("hello", 10, 10000), ("hello", 100, 10000), ("1 MiB echo", 10, 1000), ("1 MiB echo", 100, 1000)]
    only = os.environ.get("HTTP_BENCH_SCENARIOS")
    if only:
        scenarios = [x for x in scenarios if only in x[0]]
    load_before = os.getloadavg()
    runs = {}
    for r in range(ROUNDS):
        order = peers if r % 2 == 0 else peers[::-1]
        for scen, conc, n in scenarios:
            for name, hello_wasm, echo_wasm, echo_path in order:
                wasm = hello_wasm if scen == "hello" else echo_wasm
                if wasm is None:
                    continue
                path, data = ("/", None) if scen == "hello" else (echo_path, body)
                got = measure(wasm, path, conc, n, data)
                runs.setdefault((name, scen, conc), []).append(got)
                print(f"round {r + 1}/{ROUNDS}: {scen} c={conc} {name}: {got[0]:,.0f} req/s, "
                      f"{got[3]:.0f} us CPU/req, {got[4]:.1f} faults/req, hey {got[5]:.0f} us/req, "
                      f"cores busy {got[6]:.0%} (others {got[7]:.0%})", flush=True)
    best = {k: max(v) for k, v in runs.items()}  # by req/s
    med = {k: statistics.median(x[0] for x in v) for k, v in runs.items()}
    cpu = {k: statistics.median(x[3] for x in v) for k, v in runs.items()}
    cpu_best = {k: min(x[3] for x in v) for k, v in runs.items()}
    faults = {k: statistics.median(x[4] for x in v) for k, v in runs.items()}
    load_after = os.getloadavg()
    print(f"\n### wasi:http in `wasmtime serve -O {WASMTIME_O}` (hey, no keep-alive; {ROUNDS} interleaved rounds; "
          f"load average {load_before[0]:.1f} before, {load_after[0]:.1f} after, 2 cores)\n")
    print("req/s: the best round's (its p50/p99), the median round's and the rounds' spread; "
          "CPU: the server's per request, median (best); ratios of the best req/s and the median CPU.\n")
    print("| scenario | conc | component | req/s best | vs floor | vs floor + http::Request | vs wstd | req/s median (spread) | "
          "p50 ms | p99 ms | CPU us/req median (best) | CPU vs floor | CPU vs floor + http::Request | CPU vs wstd | faults/req |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for scen, conc, _ in scenarios:
        base, ref = best[(floor, scen, conc)][0], best[(wstd, scen, conc)][0]
        base_cpu, ref_cpu = cpu[(floor, scen, conc)], cpu[(wstd, scen, conc)]
        full = best.get((floor_request, scen, conc))
        full_cpu = cpu.get((floor_request, scen, conc))
        for name, *_ in peers:
            k = (name, scen, conc)
            if k not in best:
                continue
            rps, p50, p99, *_ = best[k]
            c = cpu[k]
            lo, hi = min(x[0] for x in runs[k]), max(x[0] for x in runs[k])
            vs_full = f"{rps / full[0]:.2f}x" if full else "-"
            cpu_vs_full = f"{c / full_cpu:.2f}x" if full_cpu else "-"
            print(f"| {scen} | {conc} | {name} | {rps:,.0f} | {rps / base:.2f}x | {vs_full} | {rps / ref:.2f}x | "
                  f"{med[k]:,.0f} ({lo:,.0f}-{hi:,.0f}) | {p50:.2f} | {p99:.2f} | {c:.1f} ({cpu_best[k]:.1f}) | "
                  f"{c / base_cpu:.2f}x | {cpu_vs_full} | {c / ref_cpu:.2f}x | {faults[k]:.1f} |")
    echo = [s for s in scenarios if s[0] != "hello"]
    if echo:
        print("\n### What bounds the 1 MiB echo (medians of the rounds)\n")
        print(f"{os.cpu_count()} cores; load average at the end {os.getloadavg()[0]:.1f}. "
              "busy: the share of all cores' time in use during the run; others: the part of it "
              "neither the server nor hey used. The floor doing the same work: the copying floor "
              "(/echo) for wasio's echo through the handler, the splicing floor (/splice) for "
              "the forwarded echoes.\n")
        print("| conc | component | req/s best | req/s median | server CPU us/req | CPU vs the floor "
              "doing the same work | CPU vs wstd | hey CPU us/req | (server + hey) x req/s, cores | "
              "busy | others |")
        print("|---|---|---|---|---|---|---|---|---|---|---|")
        for scen, conc, _ in echo:
            for name, *_ in peers:
                v = runs.get((name, scen, conc))
                if not v:
                    continue
                m = [statistics.median(x[i] for x in v) for i in range(8)]
                used = (m[3] + m[5]) * 1e-6 * m[0]
                like = cpu[(same_work[name], scen, conc)]
                print(f"| {conc} | {name} | {max(v)[0]:,.0f} | {m[0]:,.0f} | {m[3]:.0f} | "
                      f"{m[3] / like:.2f}x | {m[3] / cpu[(wstd, scen, conc)]:.2f}x | "
                      f"{m[5]:.0f} | {used:.2f} | {m[6]:.0%} | {m[7]:.0%} |")
    if "SIZE_Z_RAW" not in os.environ:
        os.unlink(body)
        return
    print("\n### Component sizes (LTO, one codegen unit, stripped, panic=abort)\n")
    print("| component | opt-level z | opt-level s |")
    print("|---|---|---|")
    for label, key in [
        ("floor hello+echo", "RAW"),
        ("wasio http_hello", "WASIO_HELLO"),
        ("wasio http_echo", "WASIO_ECHO"),
        ("wasio hello+echo (like wstd's: benches/http/wasio-http)", "WASIO_HTTP"),
        ("wstd hello+echo", "WSTD"),
    ]:
        z, s = (os.path.getsize(os.environ[f"SIZE_{lvl}_{key}"]) for lvl in ("Z", "S"))
        print(f"| {label} | {z:,} | {s:,} |")
        if key == "WASIO_HELLO" and os.environ.get("SIZE_Z_WASIO_HELLO_BEFORE"):
            z = os.path.getsize(os.environ["SIZE_Z_WASIO_HELLO_BEFORE"])
            print(f"| {before} http_hello | {z:,} | |")
    oz = os.environ.get("SIZE_WASIO_HELLO_WASM_OPT")
    if oz:
        print(f"| wasio http_hello, core module through `wasm-opt -Oz` (a post-link step) | {os.path.getsize(oz):,} | |")
    else:
        print("| wasio http_hello through `wasm-opt -Oz` | not measured: no wasm-opt (`npm ci` in www/ installs binaryen's) | |")
    os.unlink(body)


if __name__ == "__main__":
    main()
