import asyncio


async def party(b, i):
    await asyncio.sleep(i / 10)
    print(f"party {i} arrives")
    await b.wait()
    print(f"party {i} passes")


async def main():
    b = asyncio.Barrier(3)
    print(b.parties, b.n_waiting, b.broken)
    await asyncio.gather(*(party(b, i) for i in range(3)))


asyncio.run(main())
