"""Python peer of the echo benchmark: asyncio streams (or uvloop's loop) echo server.

Usage: python3 py_echo.py asyncio|uvloop  -> prints `listening on ADDR`, serves until killed.
"""
import asyncio
import sys


async def handle(reader, writer):
    try:
        while True:
            data = await reader.read(65536)
            if not data:
                break
            writer.write(data)
            await writer.drain()
    except (ConnectionError, OSError):
        pass
    finally:
        writer.close()


async def main():
    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    host, port = server.sockets[0].getsockname()[:2]
    print(f"listening on {host}:{port}", flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    if sys.argv[1:] == ["uvloop"]:
        import uvloop  # exits with an error when missing: the harness shows n/a

        uvloop.install()
    asyncio.run(main())
