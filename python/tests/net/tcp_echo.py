# A real TCP echo over 127.0.0.1: server and client in one program. Usage: tcp_echo.py PORT
import asyncio
import sys

PORT = int(sys.argv[1])
finished = []


async def handle(reader, writer):
    while True:
        line = await reader.readline()
        if not line:
            break
        writer.write(line.upper())
        await writer.drain()
    writer.close()
    await writer.wait_closed()
    finished.append(True)


async def main():
    server = await asyncio.start_server(handle, "127.0.0.1", PORT)
    reader, writer = await asyncio.open_connection("127.0.0.1", PORT)
    for word in ["hello", "wasio", "from python"]:
        writer.write(word.encode() + b"\n")
        await writer.drain()
        echoed = await reader.readline()
        print(echoed.decode().strip())
    writer.write_eof() if writer.can_write_eof() else None
    writer.close()
    await writer.wait_closed()
    rest = await reader.read()
    print("rest:", rest)
    while not finished:
        await asyncio.sleep(0.01)
    server.close()
    await server.wait_closed()
    print("done")


asyncio.run(main())
