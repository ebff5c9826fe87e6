#!/usr/bin/env python3
"""Python asyncio streams over a socketpair: the peer figures for benches/benches/stream.rs.

Prints one JSON object of best-of-runs nanoseconds per operation:
  echo_1k_ns    one 1 KiB message written, drained, echoed back and read with readexactly
  echo_64k_ns   the same with 64 KiB messages
  readline_ns   one readline() of a 64-byte line, the writer streaming lines as fast as drained
"""

import asyncio
import json
import socket
import sys
import time


async def streams_pair():
    a, b = socket.socketpair()
    ra, wa = await asyncio.open_connection(sock=a)
    rb, wb = await asyncio.open_connection(sock=b)
    return (ra, wa), (rb, wb)


async def echo(size, n):
    (cr, cw), (sr, sw) = await streams_pair()

    async def server():
        for _ in range(n):
            data = await sr.readexactly(size)
            sw.write(data)
            await sw.drain()

    srv = asyncio.ensure_future(server())
    msg = b"x" * size
    t = time.perf_counter_ns()
    for _ in range(n):
        cw.write(msg)
        await cw.drain()
        got = await cr.readexactly(size)
        assert len(got) == size
    elapsed = time.perf_counter_ns() - t
    await srv
    for w in (cw, sw):
        w.close()
    return elapsed / n


LINE = b"y" * 63 + b"\n"


async def readline(n):
    (cr, cw), (sr, sw) = await streams_pair()
    block = LINE * 1000

    async def writer():
        for _ in range(n // 1000):
            sw.write(block)
            await sw.drain()

    t = time.perf_counter_ns()
    wt = asyncio.ensure_future(writer())
    for _ in range(n):
        line = await cr.readline()
        assert len(line) == 64
    elapsed = time.perf_counter_ns() - t
    await wt
    for w in (cw, sw):
        w.close()
    return elapsed / n


def best(fn, *args, runs=5):
    asyncio.run(fn(*args))  # warm-up
    return min(asyncio.run(fn(*args)) for _ in range(runs))


def main():
    out = {
        "python": sys.version.split()[0],
        "echo_1k_ns": best(echo, 1024, 5000),
        "echo_64k_ns": best(echo, 65536, 500),
        "readline_ns": best(readline, 100_000),
    }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
