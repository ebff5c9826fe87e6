"""Host-side tests: wasio's example components in real wasmtime, driven by real peers on 127.0.0.1.

Run by scripts/test-wasi.sh after it builds the examples:
    WASIO_WASM_DIR=<dir with echo_server.wasm, echo_client.wasm, readline.wasm> \
        python3 -m unittest -v tests/host/test_components.py

Every test fails loudly (never skips) when wasmtime or a component is missing.
"""

import asyncio
import os
import shutil
import socket
import struct
import subprocess
import time
import unittest

WASM_DIR = os.environ.get("WASIO_WASM_DIR", "")
WASMTIME = os.environ.get("WASMTIME", "wasmtime")
GRANTS = ["-Sinherit-network,allow-ip-name-lookup"]


def component(name):
    path = os.path.join(WASM_DIR, name + ".wasm")
    if not os.path.isfile(path):
        raise AssertionError(f"missing component {path} (set WASIO_WASM_DIR; build the examples)")
    if shutil.which(WASMTIME) is None:
        raise AssertionError(f"wasmtime not found ({WASMTIME})")
    return path


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise AssertionError("no VmRSS")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class EchoServer:
    """The echo_server component in wasmtime, on 127.0.0.1 with a free port."""

    def __init__(self, grants=GRANTS):
        self.proc = subprocess.Popen(
            [WASMTIME, "run", *grants, component("echo_server"), "127.0.0.1:0"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        line = self.proc.stdout.readline().decode()
        if not line.startswith("listening on "):
            err = self.proc.stderr.read().decode() if self.proc.poll() is not None else ""
            self.stop()
            raise AssertionError(f"echo server did not start: {line!r} {err}")
        host, port = line.split()[-1].rsplit(":", 1)
        self.host, self.port = host, int(port)

    def alive(self):
        return self.proc.poll() is None

    def stop(self):
        if self.proc.stderr.closed:
            return ""
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        err = self.proc.stderr.read().decode()
        self.proc.stdout.close()
        self.proc.stderr.close()
        return err

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


async def echo_roundtrip(host, port, payload, chunk=4096):
    reader, writer = await asyncio.open_connection(host, port)
    received = bytearray()

    async def send():
        for i in range(0, len(payload), chunk):
            writer.write(payload[i : i + chunk])
            await writer.drain()
        writer.write_eof()

    async def recv():
        while True:
            data = await reader.read(65536)
            if not data:
                return
            received.extend(data)

    await asyncio.gather(send(), recv())
    writer.close()
    await writer.wait_closed()
    return bytes(received)


class TcpEchoServer(unittest.TestCase):
    def test_1000_concurrent_connections_echo_every_byte_in_order(self):
        with EchoServer() as srv:

            async def main():
                sem = asyncio.Semaphore(1000)

                async def one(i):
                    payload = bytes((j * 13 + i) % 256 for j in range(2000 + i % 977))
                    async with sem:
                        got = await echo_roundtrip(srv.host, srv.port, payload, chunk=700)
                    return got == payload

                return await asyncio.wait_for(asyncio.gather(*(one(i) for i in range(1000))), 120)

            results = asyncio.run(main())
            self.assertEqual(sum(results), 1000, "every connection echoes exactly what it sent")
            self.assertTrue(srv.alive())

    def test_half_close_gets_the_rest_then_eof(self):
        with EchoServer() as srv:
            payload = os.urandom(1 << 20)
            got = asyncio.run(asyncio.wait_for(echo_roundtrip(srv.host, srv.port, payload), 60))
            self.assertEqual(len(got), len(payload))
            self.assertEqual(got, payload)

    def test_peer_reset_mid_stream_leaves_the_server_serving(self):
        with EchoServer() as srv:
            for _ in range(5):
                s = socket.create_connection((srv.host, srv.port))
                s.sendall(os.urandom(200_000))
                s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                s.close()  # RST with data in flight both ways
            time.sleep(0.3)
            self.assertTrue(srv.alive(), "a reset kills one connection, not the server")
            got = asyncio.run(asyncio.wait_for(echo_roundtrip(srv.host, srv.port, b"after"), 10))
            self.assertEqual(got, b"after")
            err = srv.stop()
            self.assertIn("ConnectionReset", err, "the handler saw a typed reset")

    def test_client_that_never_reads_keeps_server_memory_bounded(self):
        with EchoServer() as srv:
            time.sleep(0.2)
            base = rss_kib(srv.proc.pid)
            s = socket.create_connection((srv.host, srv.port))
            s.setblocking(False)
            sent, chunk, deadline = 0, b"x" * 65536, time.time() + 5
            while time.time() < deadline:
                try:
                    sent += s.send(chunk)
                except BlockingIOError:
                    time.sleep(0.01)
            grown = rss_kib(srv.proc.pid) - base
            s.close()
            print(f"\n  never-reading client: sent {sent >> 10} KiB, server RSS +{grown} KiB", end=" ")
            # The client stalls once kernel buffers and the writer's high-water mark are full.
            self.assertLess(sent, 64 << 20, "backpressure stopped the sender")
            self.assertLess(grown, 32 << 10, f"server RSS grew {grown} KiB after {sent} bytes")
            self.assertTrue(srv.alive())

    def test_without_network_grant_a_clear_permission_error(self):
        t0 = time.time()
        p = subprocess.run(
            [WASMTIME, "run", component("echo_server"), "127.0.0.1:0"],
            capture_output=True,
            timeout=30,
        )
        self.assertLess(time.time() - t0, 30)
        self.assertEqual(p.returncode, 1, p.stderr)  # WASI 0.2's exit carries only ok/err
        self.assertIn(b"PermissionDenied", p.stderr)
        self.assertIn(b"-Sinherit-network", p.stderr)


class TcpClient(unittest.TestCase):
    def run_client(self, *args, grants=GRANTS, timeout=60):
        return subprocess.run(
            [WASMTIME, "run", *grants, component("echo_client"), *map(str, args)],
            capture_output=True,
            timeout=timeout,
        )

    def test_concurrent_client_against_a_python_asyncio_server(self):
        async def main():
            async def handle(r, w):
                while data := await r.read(65536):
                    w.write(data)
                    await w.drain()
                w.close()

            server = await asyncio.start_server(handle, "127.0.0.1", 0)
            port = server.sockets[0].getsockname()[1]
            proc = await asyncio.create_subprocess_exec(
                WASMTIME, "run", *GRANTS, component("echo_client"), f"127.0.0.1:{port}", "200", "5000",
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
            )
            out, err = await asyncio.wait_for(proc.communicate(), 60)
            server.close()
            return proc.returncode, out, err

        rc, out, err = asyncio.run(main())
        self.assertEqual((rc, out), (0, b"ok 200 connections, 1000000 bytes\n"), err)

    def test_client_through_dns(self):
        with EchoServer() as srv:
            p = self.run_client(f"localhost:{srv.port}", 10, 1000)
            self.assertEqual(p.stdout, b"ok 10 connections, 10000 bytes\n", p.stderr)

    def test_refused_connect(self):
        p = self.run_client(f"127.0.0.1:{free_port()}", 3, 10)
        self.assertEqual(p.returncode, 1)
        self.assertTrue(p.stdout.startswith(b"error ConnectionRefused:"), p.stdout)

    def test_name_that_does_not_resolve(self):
        p = self.run_client("no-such-host.invalid:80", 1, 10)
        self.assertEqual(p.returncode, 1)
        self.assertTrue(p.stdout.startswith(b"error NotFound:"), p.stdout)
        self.assertIn(b"no-such-host.invalid", p.stdout)

    def test_timeout_when_the_server_never_answers(self):
        async def main():
            held = []

            async def handle(r, w):
                held.append(w)  # accept, read nothing back, never close

            server = await asyncio.start_server(handle, "127.0.0.1", 0)
            port = server.sockets[0].getsockname()[1]
            proc = await asyncio.create_subprocess_exec(
                WASMTIME, "run", *GRANTS, component("echo_client"), f"127.0.0.1:{port}", "5", "10", "1",
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
            )
            out, _ = await asyncio.wait_for(proc.communicate(), 30)
            server.close()
            return proc.returncode, out

        rc, out = asyncio.run(main())
        self.assertEqual(rc, 1)
        self.assertTrue(out.startswith(b"error TimedOut:"), out)

    def test_timeout_while_a_server_that_never_reads_has_stalled_the_write(self):
        # 32 MiB cannot fit in loopback buffers, so the client's write stalls in the host; the
        # timeout then drops the connection with that write still blocked. wasmtime (49) blocks
        # in the output stream's drop until the write finishes, which here would be never.
        async def main():
            held = []

            async def handle(r, w):
                held.append((r, w))  # never read: asyncio stops reading once its buffer is full

            server = await asyncio.start_server(handle, "127.0.0.1", 0)
            port = server.sockets[0].getsockname()[1]
            proc = await asyncio.create_subprocess_exec(
                WASMTIME, "run", *GRANTS, component("echo_client"), f"127.0.0.1:{port}", "3", str(32 << 20), "1",
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
            )
            try:
                out, _ = await asyncio.wait_for(proc.communicate(), 30)
            except asyncio.TimeoutError:
                proc.kill()
                await proc.wait()
                raise AssertionError("the client hung after its timeout (blocked in the stream's drop)")
            finally:
                server.close()
            return proc.returncode, out

        rc, out = asyncio.run(main())
        self.assertEqual(rc, 1, out)
        self.assertTrue(out.startswith(b"error TimedOut:"), out)

    def test_without_network_grant_a_clear_permission_error(self):
        p = self.run_client("127.0.0.1:9", 1, 10, grants=[], timeout=30)
        self.assertEqual(p.returncode, 1)
        self.assertTrue(p.stdout.startswith(b"error PermissionDenied:"), p.stdout)
        self.assertIn(b"-Sinherit-network", p.stdout)

    def test_without_name_lookup_grant_the_error_names_the_flag(self):
        p = self.run_client("localhost:9", 1, 10, grants=["-Sinherit-network"], timeout=30)
        self.assertEqual(p.returncode, 1)
        self.assertIn(b"-Sallow-ip-name-lookup", p.stdout)


class Stdin(unittest.TestCase):
    def check_readline(self, wasm):
        p = subprocess.Popen([WASMTIME, "run", wasm], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        # Chunks split lines anywhere; each full line must come back before the next chunk is sent
        # (the component answers as input arrives, not at end of input).
        chunks = [b"hel", b"lo\nwo", b"rld\n", b"a\nb\nc", b"\n"]
        for chunk, want in zip(chunks, [None, b"HELLO\n", b"WORLD\n", b"A\nB\n", b"C\n"]):
            p.stdin.write(chunk)
            p.stdin.flush()
            if want is not None:
                got = b""
                while len(got) < len(want):
                    got += os.read(p.stdout.fileno(), len(want) - len(got))
                self.assertEqual(got, want)
        p.stdin.close()
        rest = p.stdout.read()
        p.stdout.close()
        p.wait(timeout=30)
        self.assertEqual(rest, b"lines: 5\n")
        self.assertEqual(p.returncode, 0)

    def test_stdin_in_chunks_through_readline_p2(self):
        self.check_readline(component("readline"))

    def test_stdin_in_chunks_through_readline_p1(self):
        p1 = os.environ.get("WASIO_WASM_DIR_P1", "")
        path = os.path.join(p1, "readline.wasm")
        if not os.path.isfile(path):
            raise AssertionError(f"missing p1 component {path} (set WASIO_WASM_DIR_P1)")
        self.check_readline(path)


if __name__ == "__main__":
    unittest.main(verbosity=2)
