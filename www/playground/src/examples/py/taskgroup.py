# A TaskGroup: when one task fails, its siblings are cancelled and the
# failure comes out of the async with block as an ExceptionGroup.
import asyncio


async def work(n, fail=False):
    try:
        await asyncio.sleep(n / 10)
        if fail:
            raise ValueError(f"work {n} failed")
        print(f"work {n} finished")
    except asyncio.CancelledError:
        print(f"work {n} cancelled")
        raise


async def main():
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(work(1), name="work1")
            tg.create_task(work(3, fail=True), name="work3")
            tg.create_task(work(9), name="work9")
    except* ValueError as eg:
        print("failed:", [str(e) for e in eg.exceptions])


asyncio.run(main())
