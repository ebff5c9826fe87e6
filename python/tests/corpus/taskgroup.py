import asyncio


async def work(n, fail=False):
    try:
        await asyncio.sleep(n / 10)
        if fail:
            raise KeyError(f"bad {n}")
        print(f"work {n} finished")
        return n
    except asyncio.CancelledError:
        print(f"work {n} cancelled")
        raise


async def main():
    async with asyncio.TaskGroup() as tg:
        a = tg.create_task(work(1))
        b = tg.create_task(work(2))
    print("results", a.result(), b.result())
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(work(1))
            tg.create_task(work(3, fail=True))
            tg.create_task(work(9))
        print("not reached")
    except* KeyError as eg:
        print("KeyError group:", [str(e) for e in eg.exceptions])
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(work(2, fail=True))
            tg.create_task(work(2, fail=True))
    except ExceptionGroup as eg:
        print(type(eg).__name__, len(eg.exceptions), eg)


asyncio.run(main())
