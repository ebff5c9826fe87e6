# A line echo server for the TCP interop test: serves ONE client on 127.0.0.1:PORT, then exits.
# Prints "ready" once it listens. Usage: echo_server.py PORT
import asyncio
import sys

PORT = int(sys.argv[1])


async def main():
    done = asyncio.Event()

    async def handle(reader, writer):
        while line := await reader.readline():
            if line.startswith(b"big "):
                data = await reader.readexactly(int(line[4:]))
                line = f"{len(data)} bytes, sum {sum(data) % 65521}\n".encode()
            writer.write(b"echo: " + line)
            await writer.drain()
        writer.write(b"bye\n")
        writer.close()
        await writer.wait_closed()
        done.set()

    server = await asyncio.start_server(handle, "127.0.0.1", PORT)
    print("ready", flush=True)
    await done.wait()
    server.close()
    await server.wait_closed()


asyncio.run(main())
