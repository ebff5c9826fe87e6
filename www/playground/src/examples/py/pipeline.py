# A pipeline of queues: numbers flow from a source through a squaring stage
# to a sink; None marks the end of the stream.
import asyncio


async def source(out):
    for n in range(1, 6):
        await out.put(n)
        await asyncio.sleep(0.1)
    await out.put(None)


async def square(inp, out):
    while (n := await inp.get()) is not None:
        await asyncio.sleep(0.15)
        await out.put(n * n)
    await out.put(None)


async def sink(inp):
    total = 0
    while (n := await inp.get()) is not None:
        print("got", n)
        total += n
    print("total", total)


async def main():
    a, b = asyncio.Queue(), asyncio.Queue()
    await asyncio.gather(
        asyncio.create_task(source(a), name="source"),
        asyncio.create_task(square(a, b), name="square"),
        asyncio.create_task(sink(b), name="sink"),
    )


asyncio.run(main())
