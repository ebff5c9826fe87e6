# A TCP client for the interop test: talks to the echo server (echo_server.py, run by CPython) on
# 127.0.0.1:PORT. Usage: tcp_client.py PORT
import asyncio
import sys

PORT = int(sys.argv[1])


async def main():
    reader, writer = await asyncio.open_connection("127.0.0.1", PORT)
    for i in range(3):
        writer.write(f"line {i}\n".encode())
        await writer.drain()
        print((await reader.readline()).decode().strip())
    big = bytes(range(251)) * 8000
    writer.write(f"big {len(big)}\n".encode())
    writer.write(big)
    await writer.drain()
    print((await reader.readline()).decode().strip())
    writer.write_eof()
    print("rest:", await reader.read())
    print("at_eof:", reader.at_eof())
    writer.close()
    await writer.wait_closed()


asyncio.run(main())
