import asyncio


async def main():
    await asyncio.wait_for(asyncio.sleep(5), 0.1)


asyncio.run(main())
