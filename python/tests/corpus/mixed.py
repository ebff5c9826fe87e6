import asyncio
import time


async def say(what, when):
    await asyncio.sleep(when)
    print(f"{time.strftime('%X') if False else ''}{what}")


async def ping(n, out):
    for i in range(n):
        out.append(f"ping{i}")
        await asyncio.sleep(0)


async def pong(n, out):
    for i in range(n):
        out.append(f"pong{i}")
        await asyncio.sleep(0)


async def nested():
    a, b = await asyncio.gather(asyncio.gather(asyncio.sleep(0.1, 1), asyncio.sleep(0.2, 2)), asyncio.sleep(0.1, 3))
    return a, b


async def cleanup_on_timeout():
    try:
        await asyncio.sleep(10)
    finally:
        print("cleanup ran")


async def main():
    out = []
    await asyncio.gather(ping(3, out), pong(3, out))
    print(out)
    print(await nested())
    try:
        await asyncio.wait_for(cleanup_on_timeout(), 0.1)
    except asyncio.TimeoutError:
        print("timeout after cleanup")
    t = asyncio.create_task(say("hi", 0.1), name="sayer")
    await t
    print(len(asyncio.all_tasks()))
    results = []
    async def acc(i):
        await asyncio.sleep(0.01 * (5 - i))
        results.append(i)
    await asyncio.wait([asyncio.create_task(acc(i)) for i in range(5)])
    print(results)
    q = asyncio.Queue()
    for w in "abc":
        q.put_nowait(w)
    print([await q.get() for _ in range(q.qsize())])
    ev = asyncio.Event()
    async def setter():
        await asyncio.sleep(0.05)
        ev.set()
    asyncio.create_task(setter())
    print(await ev.wait())
    try:
        raise ExceptionGroup("many", [ValueError(1), TypeError(2)])
    except* ValueError as e:
        print("V", e.exceptions)
    except* TypeError as e:
        print("T", e.exceptions)
    x = 10
    def outer():
        y = 5
        def inner():
            return x + y
        return inner
    print(outer()())
    print(sorted({"b": 2, "a": 1}.items()), dict(zip("ab", [1, 2])), list(reversed([1, 2, 3])))
    print("%5.1f|%-4s|%03d" % (3.14159, "ab", 7), f"{'abc':>{x}}")
    print(int(3.9), int("-12"), float(2), str(1.0), 1_000_000, 0x1F, 0o17, 0b101)
    print([i for i in range(10)][2:8:2], "hello"[::-1], "a b  c".split(), "x".join("abc"))


asyncio.run(main())
