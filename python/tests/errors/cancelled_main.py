import asyncio


async def main():
    asyncio.current_task().cancel()
    await asyncio.sleep(1)


asyncio.run(main())
