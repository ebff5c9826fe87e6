"""Runs `hey` against each component in `wasmtime serve` and prints the tables (see run.sh).

wasio's echo is measured twice: through the handler (a task copies each chunk from the request
body to a channel body, as examples/http_echo.rs does on `/`), and forwarded
(`OutgoingBody::from(request body)` on `/splice`: the host moves the bytes), which is what the
wstd peer's `Response::new(body)` does in its own way."""

import os
import re
import subprocess
import tempfile
import time
import urllib.request

PORT = int(os.environ.get("HTTP_BENCH_PORT", "18080"))
SERVE = ["wasmtime", "serve", "-Scli", "-O", "pooling-allocator", "--no-logging-prefix"]
ONE_MIB = 1 << 20


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
        except OSError:
            time.sleep(0.05)
    proc.kill()
    raise SystemExit(f"wasmtime serve did not start on {wasm}")


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


def main():
    with tempfile.NamedTemporaryFile(delete=False) as f:
        f.write(os.urandom(ONE_MIB))
        body = f.name
    peers = [
        ("floor (bare wasi handler)", os.environ["RAW"], os.environ["RAW"], "/echo"),
        ("wasio", os.environ["WASIO_HELLO"], os.environ["WASIO_ECHO"], "/"),
        ("wasio, body forwarded (/splice)", os.environ["WASIO_HELLO"], os.environ["WASIO_ECHO"], "/splice"),
        ("wstd #[http_server]", os.environ["WSTD"], os.environ["WSTD"], "/echo"),
    ]
    scenarios = [("hello", 10, 20000), ("hello", 100, 20000), ("1 MiB echo", 10, 400), ("1 MiB echo", 100, 400)]
    results = {}
    for name, hello_wasm, echo_wasm, echo_path in peers:
        for scen, conc, n in scenarios:
            if scen == "hello" and "splice" in name:
                continue
            wasm = hello_wasm if scen == "hello" else echo_wasm
            proc = serve(wasm)
            try:
                hey("/" if scen == "hello" else echo_path, conc, min(n, 500), body if scen != "hello" else None)
                results[(name, scen, conc)] = hey(
                    "/" if scen == "hello" else echo_path, conc, n, body if scen != "hello" else None
                )
            finally:
                proc.kill()
                proc.wait()
    floor = peers[0][0]
    print("\n### wasi:http in `wasmtime serve -O pooling-allocator` (hey, no keep-alive)\n")
    print("| scenario | conc | component | req/s | vs floor | p50 ms | p99 ms |")
    print("|---|---|---|---|---|---|---|")
    for scen, conc, _ in scenarios:
        base = results[(floor, scen, conc)][0]
        for name, *_ in peers:
            if (name, scen, conc) not in results:
                continue
            rps, p50, p99 = results[(name, scen, conc)]
            print(f"| {scen} | {conc} | {name} | {rps:,.0f} | {rps / base:.2f}x | {p50:.2f} | {p99:.2f} |")
    print("\n### Component sizes (opt-level s, LTO, stripped, panic=abort)\n")
    print("| component | bytes |")
    print("|---|---|")
    for label, key in [
        ("floor hello+echo", "SIZE_RAW"),
        ("wasio http_hello", "SIZE_WASIO_HELLO"),
        ("wasio http_echo", "SIZE_WASIO_ECHO"),
        ("wstd hello+echo", "SIZE_WSTD"),
    ]:
        print(f"| {label} | {os.path.getsize(os.environ[key]):,} |")
    os.unlink(body)


if __name__ == "__main__":
    main()
