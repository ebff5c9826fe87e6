import asyncio


async def fail(n):
    await asyncio.sleep(n / 10)
    raise ValueError(n)


async def main():
    async with asyncio.TaskGroup() as tg:
        tg.create_task(fail(1))
        tg.create_task(fail(1))


asyncio.run(main())
