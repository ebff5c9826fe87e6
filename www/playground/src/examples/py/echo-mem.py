# An echo server and a client over an in-memory stream (mem://): the same
# start_server / open_connection calls as over TCP (on CPython, use a host
# and port instead of ADDRESS).
import asyncio

ADDRESS = ("mem://echo", None)


async def handle(reader, writer):
    while True:
        line = await reader.readline()
        if not line:
            break
        writer.write(line.upper())
        await writer.drain()
    writer.close()


async def main():
    server = await asyncio.start_server(handle, *ADDRESS)
    reader, writer = await asyncio.open_connection(*ADDRESS)
    for word in ["hello", "async", "world"]:
        writer.write(f"{word}\n".encode())
        await writer.drain()
        reply = await reader.readline()
        print("echoed:", reply.decode().strip())
    writer.close()
    await writer.wait_closed()
    server.close()
    await server.wait_closed()
    print("closed")


asyncio.run(main())
