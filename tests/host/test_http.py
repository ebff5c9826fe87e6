"""Host-side tests of wasio's wasi:http components: `wasmtime serve` on the example components,
driven by real clients on 127.0.0.1 (asyncio streams speaking HTTP/1.1, http.client, curl).

Run by scripts/test-http.sh after it builds the examples:
    WASIO_HTTP_WASM_DIR=<dir with http_hello.wasm, http_echo.wasm, ...> \
        python3 -m unittest -v tests/host/test_http.py

Ports: WASIO_HTTP_PORT_BASE (default: free ports chosen by the OS). Every test fails loudly (never
skips) when wasmtime or a component is missing.
"""

import asyncio
import hashlib
import http.client
import itertools
import os
import random
import shutil
import socket
import socketserver
import subprocess
import threading
import time
import unittest

WASM_DIR = os.environ.get("WASIO_HTTP_WASM_DIR", "")
WASMTIME = os.environ.get("WASMTIME", "wasmtime")
PORT_BASE = int(os.environ.get("WASIO_HTTP_PORT_BASE", "0"))
_ports = itertools.count(PORT_BASE) if PORT_BASE else None


def component(name):
    path = os.path.join(WASM_DIR, name + ".wasm")
    if not os.path.isfile(path):
        raise AssertionError(f"missing component {path} (set WASIO_HTTP_WASM_DIR; build the examples)")
    if shutil.which(WASMTIME) is None:
        raise AssertionError(f"wasmtime not found ({WASMTIME})")
    return path


def next_port():
    if _ports is not None:
        return next(_ports)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise AssertionError("no VmRSS")


class Serve:
    """`wasmtime serve` on one component at 127.0.0.1:PORT; collects its output lines."""

    def __init__(self, name, args=()):
        self.port = next_port()
        self.proc = subprocess.Popen(
            [WASMTIME, "serve", *args, f"--addr=127.0.0.1:{self.port}", component(name)],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        self.lines = []
        self.cond = threading.Condition()
        threading.Thread(target=self._collect, daemon=True).start()
        if not self.wait_line("Serving HTTP on", 30):
            out = self.stop()
            raise AssertionError(f"wasmtime serve did not start: {out}")

    def _collect(self):
        for raw in self.proc.stdout:
            with self.cond:
                self.lines.append(raw.decode(errors="replace").rstrip("\n"))
                self.cond.notify_all()

    def wait_line(self, needle, timeout):
        """The first output line containing `needle`, waiting up to `timeout` seconds."""
        end = time.monotonic() + timeout
        with self.cond:
            while True:
                for line in self.lines:
                    if needle in line:
                        return line
                left = end - time.monotonic()
                if left <= 0 or self.proc.poll() is not None:
                    return None
                self.cond.wait(left)

    def output(self):
        with self.cond:
            return "\n".join(self.lines)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        return self.output()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


# --- a small HTTP/1.1 client on asyncio streams (chunked bodies and trailers included) -------


async def read_response(reader):
    """(status, headers dict, body bytes, trailers dict) of one response."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        if line:
            k, v = line.split(":", 1)
            headers[k.strip().lower()] = v.strip()
    trailers = {}
    if headers.get("transfer-encoding", "").lower() == "chunked":
        parts = []
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            if size == 0:
                while True:
                    line = (await reader.readuntil(b"\r\n")).decode("latin-1").strip()
                    if not line:
                        break
                    k, v = line.split(":", 1)
                    trailers[k.strip().lower()] = v.strip()
                break
            parts.append(await reader.readexactly(size))
            await reader.readexactly(2)
        body = b"".join(parts)
    else:
        body = await reader.readexactly(int(headers.get("content-length", "0")))
    return status, headers, body, trailers


async def request(port, method="GET", path="/", body=b"", headers=()):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        head = f"{method} {path} HTTP/1.1\r\nhost: 127.0.0.1:{port}\r\nconnection: close\r\n"
        head += f"content-length: {len(body)}\r\n"
        for k, v in headers:
            head += f"{k}: {v}\r\n"
        writer.write(head.encode() + b"\r\n" + body)
        await writer.drain()
        return await read_response(reader)
    finally:
        writer.close()


def run(coro, timeout=120):
    return asyncio.run(asyncio.wait_for(coro, timeout))


class ServedOnce(unittest.TestCase):
    """A test class whose tests share one `wasmtime serve` of the component `COMPONENT`, started
    before its first test and stopped after its last."""

    COMPONENT = None

    @classmethod
    def setUpClass(cls):
        cls.serve = Serve(cls.COMPONENT)

    @classmethod
    def tearDownClass(cls):
        cls.serve.stop()


class Hello(unittest.TestCase):
    def test_serves_without_cli_grants(self):
        # No -S cli: the component imports only the wasi:http/proxy world.
        with Serve("http_hello") as s:
            conn = http.client.HTTPConnection("127.0.0.1", s.port, timeout=10)
            conn.request("GET", "/anything?x=1")
            r = conn.getresponse()
            self.assertEqual((r.status, r.read()), (200, b"Hello, world!\n"))
            self.assertEqual(r.getheader("content-length"), "14")

    def test_curl(self):
        with Serve("http_hello") as s:
            out = subprocess.run(
                ["curl", "-sS", "--max-time", "10", f"http://127.0.0.1:{s.port}/"],
                capture_output=True,
                check=True,
            )
            self.assertEqual(out.stdout, b"Hello, world!\n")

    def test_unread_request_body(self):
        # hello never reads its request body (so never consumes it from the host): a POSTed body
        # is still answered, request after request, on a fresh instance or a reused one.
        for args in ([], ["--max-instance-reuse-count=20"]):
            with Serve("http_hello", args) as s:
                for size in (0, 10, 256 * 1024):
                    conn = http.client.HTTPConnection("127.0.0.1", s.port, timeout=10)
                    conn.request("POST", "/", body=b"x" * size)
                    r = conn.getresponse()
                    self.assertEqual((r.status, r.read()), (200, b"Hello, world!\n"), (args, size))
                    conn.close()

    def test_instance_reuse(self):
        # The host may call the export again on the same instance: each call is its own loop.
        with Serve("http_echo", ["--max-instance-reuse-count=50"]) as s:

            async def many():
                for i in range(40):
                    body = f"request {i}".encode() * (i + 1)
                    status, _, got, _ = await request(s.port, "POST", "/", body)
                    self.assertEqual((status, got), (200, body))

            run(many())


class Echo(unittest.TestCase):
    def test_1000_concurrent_requests(self):
        with Serve("http_echo") as s:

            async def one(i):
                body = f"client {i} ".encode() * (1 + i % 50)
                status, _, got, _ = await request(s.port, "POST", "/", body)
                return status == 200 and got == body

            async def all_of_them():
                return await asyncio.gather(*(one(i) for i in range(1000)))

            results = run(all_of_them(), timeout=300)
            self.assertEqual(sum(results), 1000)

    def test_trailers_are_echoed(self):
        with Serve("http_echo") as s:

            async def go():
                reader, writer = await asyncio.open_connection("127.0.0.1", s.port)
                writer.write(
                    b"POST / HTTP/1.1\r\nhost: x\r\nconnection: close\r\nte: trailers\r\ntrailer: x-checksum\r\n"
                    b"transfer-encoding: chunked\r\n\r\n"
                    b"5\r\nhello\r\n6\r\n world\r\n0\r\nx-checksum: 42\r\n\r\n"
                )
                await writer.drain()
                got = await read_response(reader)
                writer.close()
                return got

            status, _, body, trailers = run(go())
            self.assertEqual((status, body), (200, b"hello world"))
            self.assertEqual(trailers.get("x-checksum"), "42")

    def stream_100_mb(self, path):
        total = 100 * 1024 * 1024

        def block(i):
            # 64 KiB of pseudo-random bytes, different each time: chunks echoed out of order (at
            # any offset) change the digest.
            return random.Random(i).randbytes(1 << 16)

        with Serve("http_echo") as s:
            pid = s.proc.pid
            base = rss_kib(pid)
            peak = [base]

            async def go():
                reader, writer = await asyncio.open_connection("127.0.0.1", s.port)
                writer.write(
                    f"POST {path} HTTP/1.1\r\nhost: x\r\nconnection: close\r\n"
                    f"content-length: {total}\r\n\r\n".encode()
                )

                async def send():
                    sent = 0
                    while sent < total:
                        writer.write(block(sent >> 16))
                        await writer.drain()
                        sent += 1 << 16

                async def receive():
                    head = await reader.readuntil(b"\r\n\r\n")
                    assert b" 200 " in head.split(b"\r\n")[0], head
                    digest = hashlib.sha256()
                    got = 0
                    while True:
                        size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
                        if size == 0:
                            break
                        chunk = await reader.readexactly(size)
                        await reader.readexactly(2)
                        digest.update(chunk)
                        got += size
                        peak[0] = max(peak[0], rss_kib(pid))
                    return got, digest.hexdigest()

                _, (got, digest) = await asyncio.gather(send(), receive())
                writer.close()
                return got, digest

            got, digest = run(go(), timeout=300)
            want = hashlib.sha256()
            for i in range(total >> 16):
                want.update(block(i))
            want = want.hexdigest()
            self.assertEqual((got, digest), (total, want))
            grew_mib = (peak[0] - base) / 1024
            # The body is 100 MiB; the server holds a few chunks of it at a time.
            self.assertLess(grew_mib, 48, f"wasmtime grew {grew_mib:.1f} MiB while echoing 100 MiB")
            return grew_mib

    def test_100_mb_streamed_through_the_handler_memory_bounded(self):
        self.stream_100_mb("/")

    def test_100_mb_spliced_memory_bounded(self):
        self.stream_100_mb("/splice")

    def test_client_disconnect_mid_body_cancels_the_handler(self):
        with Serve("http_echo") as s:
            sock = socket.create_connection(("127.0.0.1", s.port))
            sock.sendall(
                b"POST / HTTP/1.1\r\nhost: x\r\ncontent-length: 10000000\r\n\r\n" + b"x" * 300_000
            )
            time.sleep(0.5)  # let some of it through the handler (wall clock: a real server)
            sock.close()
            line = s.wait_line("echo: cancelled after", 15)
            self.assertIsNotNone(line, s.output())
            n = int(line.rsplit("after", 1)[1].split()[0])
            self.assertTrue(0 < n <= 300_000, line)
            # The server carries on.
            status, _, body, _ = run(request(s.port, "POST", "/", b"still here"))
            self.assertEqual((status, body), (200, b"still here"))

    def test_client_disconnect_mid_spliced_body_leaves_the_server_serving(self):
        # The forwarded body waits for each chunk inside the host (`blocking-splice`): a client
        # that goes away must end that wait (the read fails), and the server carries on.
        with Serve("http_echo") as s:
            socks = []
            for _ in range(3):
                sock = socket.create_connection(("127.0.0.1", s.port))
                sock.sendall(
                    b"POST /splice HTTP/1.1\r\nhost: x\r\ncontent-length: 10000000\r\n\r\n"
                    + b"x" * 300_000
                )
                socks.append(sock)
            time.sleep(0.5)  # let some of it through (wall clock: a real server)
            for sock in socks:
                sock.close()
            status, _, body, _ = run(request(s.port, "POST", "/splice", b"still here"))
            self.assertEqual((status, body), (200, b"still here"))
            self.assertNotIn("panicked", s.output())

    def test_a_slow_reader_does_not_stall_other_clients(self):
        self.slow_reader("/")

    def test_a_slow_reader_of_a_spliced_body_does_not_stall_other_clients(self):
        self.slow_reader("/splice")

    def slow_reader(self, path):
        with Serve("http_echo") as s:
            slow = socket.create_connection(("127.0.0.1", s.port))
            slow.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            slow.setblocking(False)
            slow.send(
                f"POST {path} HTTP/1.1\r\nhost: x\r\ncontent-length: 50000000\r\n\r\n".encode()
            )
            sent = 0
            end = time.monotonic() + 3
            while time.monotonic() < end:  # push until flow control stops us (never reading)
                try:
                    sent += slow.send(b"y" * 65536)
                except BlockingIOError:
                    time.sleep(0.05)
            self.assertLess(sent, 50_000_000)

            async def others():
                t0 = time.monotonic()
                results = await asyncio.gather(
                    *(request(s.port, "POST", path, f"fast {i}".encode()) for i in range(50))
                )
                return time.monotonic() - t0, results

            took, results = run(others(), timeout=30)
            for i, (status, _, body, _) in enumerate(results):
                self.assertEqual((status, body), (200, f"fast {i}".encode()))
            self.assertLess(took, 10)
            slow.close()


class Upstream(socketserver.ThreadingTCPServer):
    """A Python HTTP server on 127.0.0.1 with paths that misbehave on purpose."""

    daemon_threads = True
    allow_reuse_address = True

    class Handler(socketserver.BaseRequestHandler):
        def handle(self):
            try:
                self.respond()
            except OSError:
                pass  # the component gave up on this request (a timeout): expected

        def respond(self):
            data = b""
            while b"\r\n\r\n" not in data:
                more = self.request.recv(65536)
                if not more:
                    return
                data += more
            path = data.split(b" ", 2)[1].decode()
            send = self.request.sendall
            if path in ("/a", "/b"):
                send(b"HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\n" + path[1:].encode() * 5)
            elif path == "/c":
                time.sleep(2)
                send(b"HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nccccc")
            elif path == "/ok":
                send(b"HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nhello")
            elif path == "/big":
                send(b"HTTP/1.1 200 OK\r\ncontent-length: 1048576\r\n\r\n" + b"b" * 1048576)
            elif path == "/slow-headers":
                time.sleep(2)
                send(b"HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nhello")
            elif path == "/slow-body":
                send(b"HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\nhello")
                time.sleep(2)
                send(b"world")
            elif path == "/trickle":  # a byte every 100 ms: never a long pause, but slow overall
                send(b"HTTP/1.1 200 OK\r\ncontent-length: 30\r\n\r\n")
                for _ in range(30):
                    time.sleep(0.1)
                    send(b"t")
            elif path == "/malformed":
                send(b"this is not HTTP\r\n\r\n")
            elif path == "/cut":  # promises 100 bytes, sends 10, closes
                send(b"HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n0123456789")
            time.sleep(0.2)

    def __init__(self):
        super().__init__(("127.0.0.1", next_port()), Upstream.Handler)
        self.port = self.server_address[1]
        threading.Thread(target=self.serve_forever, daemon=True).start()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.shutdown()
        self.server_close()


class Client(ServedOnce):
    """wasio::http::Client inside a component (http_fetch) against Python servers."""

    COMPONENT = "http_fetch"

    @classmethod
    def setUpClass(cls):
        cls.upstream = Upstream()
        super().setUpClass()

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        cls.upstream.__exit__()

    def fetch(self, url, **timeouts):
        query = "&".join([f"url={url}"] + [f"{k}={v}" for k, v in timeouts.items()])
        t0 = time.monotonic()
        status, _, body, _ = run(request(self.serve.port, "GET", "/?" + query), timeout=30)
        self.assertEqual(status, 200)
        return body.decode().strip(), time.monotonic() - t0

    def up(self, path):
        return f"http://127.0.0.1:{self.upstream.port}{path}"

    def test_ok_and_a_streamed_megabyte(self):
        self.assertEqual(self.fetch(self.up("/ok"))[0], "ok 200 5")
        self.assertEqual(self.fetch(self.up("/big"))[0], "ok 200 1048576")

    def test_refused(self):
        port = next_port()  # nothing listens there
        out, _ = self.fetch(f"http://127.0.0.1:{port}/")
        self.assertTrue(out.startswith("err ConnectionRefused"), out)

    def test_first_byte_timeout(self):
        out, took = self.fetch(self.up("/slow-headers"), first_byte_ms=300)
        self.assertTrue(out.startswith("err TimedOut"), out)
        self.assertLess(took, 1.8)

    def test_between_bytes_timeout(self):
        out, took = self.fetch(self.up("/slow-body"), between_ms=300)
        self.assertTrue(out.startswith("err TimedOut"), out)
        self.assertLess(took, 1.8)

    def test_total_timeout(self):
        # No pause is long, but the whole takes 3 s: only the total timeout catches it.
        out, took = self.fetch(self.up("/trickle"), between_ms=1000, total_ms=500)
        self.assertTrue(out.startswith("err TimedOut"), out)
        self.assertLess(took, 2.5)
        self.assertEqual(self.fetch(self.up("/trickle"), between_ms=1000)[0], "ok 200 30")

    def test_connect_timeout(self):
        # A listener whose accept queue is full and never accepts: the SYN is dropped.
        with socket.socket() as full:
            full.bind(("127.0.0.1", next_port()))
            full.listen(0)
            port = full.getsockname()[1]
            fillers = []
            for _ in range(4):
                c = socket.socket()
                c.setblocking(False)
                c.connect_ex(("127.0.0.1", port))
                fillers.append(c)
            time.sleep(0.2)
            out, took = self.fetch(f"http://127.0.0.1:{port}/", connect_ms=300)
            for c in fillers:
                c.close()
        self.assertTrue(out.startswith("err TimedOut"), out)
        self.assertLess(took, 1.8)

    def test_malformed_response(self):
        out, _ = self.fetch(self.up("/malformed"))
        self.assertTrue(out.startswith("err InvalidData"), out)

    def test_response_cut_short(self):
        out, _ = self.fetch(self.up("/cut"))
        self.assertRegex(out, r"^err (InvalidData|ConnectionReset|UnexpectedEof)", out)


class Examples(unittest.TestCase):
    """The JSON API, server-sent events and fan-out proxy examples."""

    def test_json_api_worker_and_timeout(self):
        with Serve("http_json") as s:
            post = lambda body: run(request(s.port, "POST", "/sum", body.encode()))  # noqa: E731
            status, headers, body, _ = post('{"numbers": [1, 2, 3, 40]}')
            self.assertEqual((status, body), (200, b'{"sum": 46}\n'))
            self.assertEqual(headers["content-type"], "application/json")
            self.assertEqual(post('{"numbers": [1, "x"]}')[0], 400)
            self.assertEqual(post('{"numbers": [5], "work_ms": 100}')[2], b'{"sum": 5}\n')
            t0 = time.monotonic()
            status, _, body, _ = post('{"numbers": [5], "work_ms": 3000}')
            took = time.monotonic() - t0
            self.assertEqual((status, body), (504, b'{"error": "timed out"}\n'))
            self.assertTrue(0.4 < took < 2.0, took)

    def test_server_sent_events_paced_by_sleep(self):
        with Serve("http_sse") as s:
            t0 = time.monotonic()
            status, headers, body, _ = run(request(s.port, "GET", "/events?n=4&interval_ms=150"))
            took = time.monotonic() - t0
            self.assertEqual(status, 200)
            self.assertEqual(headers["content-type"], "text/event-stream")
            self.assertEqual(body, b"".join(b"data: tick %d\n\n" % i for i in range(4)))
            self.assertGreater(took, 0.4)  # three pauses of 150 ms

    def test_server_sent_events_client_leaving_cancels_the_task(self):
        with Serve("http_sse") as s:

            async def two_then_leave():
                reader, writer = await asyncio.open_connection("127.0.0.1", s.port)
                writer.write(b"GET /events?n=1000&interval_ms=50 HTTP/1.1\r\nhost: x\r\n\r\n")
                await reader.readuntil(b"\r\n\r\n")
                got = b""
                while got.count(b"\n\n") < 2:
                    got += await reader.read(100)
                writer.transport.abort()

            run(two_then_leave())
            line = s.wait_line("sse: client gone after", 15)
            self.assertIsNotNone(line, s.output())
            self.assertLess(int(line.rsplit("after", 1)[1].split()[0]), 1000)

    def test_fan_out_gathers_three_under_a_deadline(self):
        with Upstream() as up, Serve("http_fanout") as s:
            t0 = time.monotonic()
            status, _, body, _ = run(
                request(s.port, "GET", f"/?upstream=http://127.0.0.1:{up.port}&deadline_ms=600")
            )
            took = time.monotonic() - t0
            self.assertEqual(status, 200)
            self.assertEqual(body.decode(), "a: 200 aaaaa\nb: 200 bbbbb\nc: timed out\n")
            self.assertLess(took, 1.8)  # /c takes 2 s: the deadline cut it
            status, _, body, _ = run(
                request(s.port, "GET", f"/?upstream=http://127.0.0.1:{up.port}&deadline_ms=5000")
            )
            self.assertEqual(body.decode(), "a: 200 aaaaa\nb: 200 bbbbb\nc: 200 ccccc\n")


# --- one channel body, many senders (the fixture component fixture_http_channel) ---------------

CHUNK = 32 * 1024  # tests/fixtures/http_channel.rs: every data chunk is this long


def parse_channel_body(body):
    """[(sender letter, index)] of the fixture's data chunks, and the summary of its END line.
    Fails on a chunk written in part, out of its place, or with the wrong filler."""
    end = body.rindex(b"END ")
    data, tail = body[:end], body[end:]
    assert tail.endswith(b"\n") and tail.count(b"\n") == 1, tail[:100]
    assert len(data) % CHUNK == 0, f"{len(data)} bytes of data: not whole {CHUNK}-byte chunks"
    seq = []
    for off in range(0, len(data), CHUNK):
        c = data[off : off + CHUNK]
        assert c[:1] in (b"A", b"B", b"C") and c[9:10] == b"\n", (off, c[:16])
        i = int(c[1:9])
        fill = ord("a") + (i + c[0]) % 26
        assert c[10:] == bytes([fill]) * (CHUNK - 10), f"chunk {c[:9]} at {off} is not whole"
        seq.append((chr(c[0]), i))
    return seq, tail[4:-1].decode()


def longest_run_while_both_send(seq):
    """The most chunks one sender has in a row in `seq` while the other has chunks after them."""
    last = {w: max(k for k, (x, _) in enumerate(seq) if x == w) for w in "AB"}
    longest, run, prev = 0, 0, None
    for k, (w, _) in enumerate(seq):
        run, prev = (run + 1 if w == prev else 1), w
        if k < last["B" if w == "A" else "A"]:
            longest = max(longest, run)
    return longest


async def stalled_get(port, path):
    """Sends `GET path` on a connection with a small receive buffer and returns (reader, writer)
    without reading: the response's stream fills up until the caller reads."""
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.connect(("127.0.0.1", port))
    sock.setblocking(False)
    reader, writer = await asyncio.open_connection(sock=sock)
    writer.write(f"GET {path} HTTP/1.1\r\nhost: x\r\nconnection: close\r\nte: trailers\r\n\r\n".encode())
    await writer.drain()
    return reader, writer


class ChannelBody(ServedOnce):
    """`BodySender::send` writes straight into the client's stream while nothing is queued and
    queues otherwise (src/http/wasi/channel.rs): two senders at once, and a send cancelled while
    it waits for room. The client reads nothing until the component says (stderr) that its sends
    wait (a send's poll returned `Pending`: no timer decides it, see
    tests/fixtures/http_channel.rs), so the stream has no room when they contend or are
    cancelled."""

    COMPONENT = "fixture_http_channel"

    def index_in_line(self, needle, since):
        """The number after `needle` in the first output line (past the first `since` lines)
        containing it."""
        s = self.serve
        end = time.monotonic() + 60
        with s.cond:
            while True:
                for line in s.lines[since:]:
                    if needle in line:
                        return int(line.split(needle, 1)[1].split()[0])
                left = end - time.monotonic()
                self.assertTrue(left > 0 and s.proc.poll() is None, f"no '{needle}':\n{s.output()}")
                s.cond.wait(left)

    def test_two_senders_at_once(self):
        after = 40
        for mode in ("tasks", "gather"):
            with self.subTest(mode=mode):
                since = len(self.serve.lines)

                async def go():
                    reader, writer = await stalled_get(self.serve.port, f"/two?mode={mode}&after={after}")
                    try:
                        # Both senders wait for room at once before anything is read.
                        waits = {}
                        for who in "AB":
                            needle = f"two: {who} waits at"
                            waits[who] = await asyncio.to_thread(self.index_in_line, needle, since)
                        return waits, await read_response(reader)
                    finally:
                        writer.close()

                waits, (status, _, body, trailers) = run(go(), timeout=90)
                self.assertEqual(status, 200)
                seq, summary = parse_channel_body(body)
                self.assertEqual(trailers.get("x-sent"), summary)
                counts = dict(kv.split("=") for kv in summary.split())
                for who in "AB":
                    n = int(counts[who])
                    # Every chunk of each sender, once, in its own order; `after` more after the
                    # one that waited.
                    self.assertEqual([i for w, i in seq if w == who], list(range(n)), who)
                    self.assertEqual(n, waits[who] + after + 1, who)
                # Neither is overtaken for ever: a send that waits for the stream gets its turn
                # after a few of the other's chunks, not when the other is done.
                self.assertLessEqual(longest_run_while_both_send(seq), 16, seq)
                self.assertIn(f"two: done {summary}", self.serve.output())

    def test_cancelled_send_while_the_stream_is_full(self):
        after = 40
        # timeout, abort: A's send waits for the direct path (the stream has no room) when
        # cancelled; queued: C waits there, so A's sends queue and the cancelled one waits in the
        # full queue.
        for mode in ("timeout", "abort", "queued"):
            with self.subTest(mode=mode):
                since = len(self.serve.lines)

                async def go():
                    reader, writer = await stalled_get(self.serve.port, f"/cancel?mode={mode}&after={after}")
                    try:
                        k = await asyncio.to_thread(self.index_in_line, "cancel: chunk", since)
                        return k, await read_response(reader)
                    finally:
                        writer.close()

                k, (status, _, body, trailers) = run(go(), timeout=90)
                self.assertIn(f"cancel: chunk {k} cancelled", self.serve.output())
                self.assertEqual(status, 200)
                seq, summary = parse_channel_body(body)
                self.assertTrue(summary.startswith(f"cancelled={k} after={after}"), summary)
                self.assertEqual(trailers.get("x-sent"), summary)
                # The cancelled chunk is not sent at all (a dropped send sends nothing); the other
                # task's sends that followed it were not stuck behind its waker, and A's later
                # sends come after them, in order.
                of = lambda who: [i for w, i in seq if w == who]  # noqa: E731
                self.assertEqual(of("A"), [*range(k), *range(k + 1, k + after + 1)])
                self.assertEqual(of("B"), list(range(after)))
                where = {c: n for n, c in enumerate(seq)}
                if k > 0:
                    self.assertLess(where[("A", k - 1)], where[("B", 0)])
                self.assertLess(where[("B", after - 1)], where[("A", k + 1)])
                if mode == "queued":
                    n = int(summary.rsplit("C=", 1)[1])
                    self.assertEqual(of("C"), list(range(n)))
                else:
                    self.assertEqual(of("C"), [])
                self.assertIn(f"cancel: done {summary}", self.serve.output())


# --- a forwarded body and its trailers (the fixture component fixture_http_forward) -----------


class ForwardedBody(ServedOnce):
    """The request body forwarded as the response body (`OutgoingBody::from(IncomingBody)`, the
    host splices), then the request's trailers: on `/` nothing else is on the loop, so the server
    blocks in the host for each chunk and for the trailers; on `/busy` a task is alive, so it
    waits through the reactor. Both must give every byte in order and the trailers."""

    COMPONENT = "fixture_http_forward"

    def forward(self, path, trailers):
        chunks = [os.urandom(n) for n in (1, 200_000, 65_536, 300_001)]
        head = (
            f"POST {path} HTTP/1.1\r\nhost: x\r\nconnection: close\r\nte: trailers\r\n"
            "transfer-encoding: chunked\r\n"
        )
        if trailers:
            head += "trailer: x-checksum\r\n"
        digest = hashlib.sha256(b"".join(chunks)).hexdigest()
        tail = f"x-checksum: {digest}\r\n" if trailers else ""

        async def go():
            reader, writer = await asyncio.open_connection("127.0.0.1", self.serve.port)
            writer.write((head + "\r\n").encode())
            for c in chunks:
                writer.write(f"{len(c):x}\r\n".encode() + c + b"\r\n")
                await writer.drain()
                await asyncio.sleep(0.01)  # chunks that arrive apart: the server waits for each
            writer.write(f"0\r\n{tail}\r\n".encode())
            await writer.drain()
            got = await read_response(reader)
            writer.close()
            return got

        status, _, body, got = run(go())
        self.assertEqual(status, 200)
        self.assertEqual(hashlib.sha256(body).hexdigest(), digest)
        self.assertEqual(got.get("x-checksum"), digest if trailers else None)

    def test_trailers_forwarded_with_nothing_else_on_the_loop(self):
        self.forward("/", True)

    def test_trailers_forwarded_with_a_task_alive(self):
        self.forward("/busy", True)

    def test_no_trailers(self):
        self.forward("/", False)
        self.forward("/busy", False)


if __name__ == "__main__":
    unittest.main()


class Parts(unittest.TestCase):
    """`wasio::http::Handler`: a handler's parameters say which parts of the request are read
    (tests/fixtures/http_parts.rs serves each path with a handler of another shape). The examples
    cover `()` (hello), `(Uri)` (sse, fetch), `(Method, Uri, IncomingBody)` (json),
    `(Uri, HeaderMap, IncomingBody)` (echo) and the whole `http::Request` (fanout)."""

    # path -> the line its handler answers to a POST of b"hello" with `x-probe: hi` (a regex).
    WANT = {
        "/four?a=1": r"POST http://127\.0\.0\.1:\d+/four\?a=1 probe=hi body=5",
        "/method": r"POST",
        "/headers": r"probe=hi count=\d+",
        "/heads": r"POST /heads probe=hi",
        "/whole": r"POST POST /whole body=5",
        "/none": r"none",
        "/path?q=1": r"path /path\?q=1",
        "/routed?r=2": r"routed /routed\?r=2 body=5",
        "/closure": r"closure /closure",
        "/other": r"serve POST /other",
    }

    def ask(self, port, path, host=None):
        async def go():
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            try:
                head = f"POST {path} HTTP/1.1\r\nhost: {host or f'127.0.0.1:{port}'}\r\n"
                head += "connection: close\r\nx-probe: hi\r\ncontent-length: 5\r\n\r\nhello"
                writer.write(head.encode())
                await writer.drain()
                return await read_response(reader)
            finally:
                writer.close()

        status, _, body, _ = run(go())
        return status, body.decode(errors="replace")

    def test_each_shape_is_given_its_parts(self):
        # A fresh instance per request, and one instance reused: the request resource (and the
        # headers' fields, read before it) is dropped by each shape in an order the host takes.
        for args in ([], ["--max-instance-reuse-count=100"]):
            with Serve("fixture_http_parts", args) as s:
                for _ in range(2):
                    for path, want in self.WANT.items():
                        status, body = self.ask(s.port, path)
                        self.assertEqual(status, 200, (args, path, body))
                        self.assertRegex(body, f"^{want}\n$", (args, path))

    def test_a_part_that_cannot_be_read_never_reaches_the_handler(self):
        # `host: bad host` is no URI authority: a handler that takes the URI (or the whole
        # request) is never called, and the host is told `HTTP-request-URI-invalid` (it answers
        # 500); one that does not take the URI is served as usual.
        with Serve("fixture_http_parts") as s:
            for path in ("/four?a=1", "/heads", "/whole", "/closure", "/other"):
                status, body = self.ask(s.port, path, host="bad host")
                self.assertEqual(status, 500, (path, body))
                self.assertNotRegex(body, self.WANT[path], path)
            self.assertIsNotNone(s.wait_line("HttpRequestUriInvalid", 10), s.output())
            for path in ("/method", "/headers", "/none", "/path?q=1", "/routed?r=2"):
                status, body = self.ask(s.port, path, host="bad host")
                self.assertEqual(status, 200, (path, body))
                self.assertRegex(body, f"^{self.WANT[path]}\n$", path)
