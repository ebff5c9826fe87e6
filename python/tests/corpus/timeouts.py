import asyncio


async def main():
    loop = asyncio.get_running_loop()
    try:
        async with asyncio.timeout(0.5):
            await asyncio.sleep(2)
    except TimeoutError:
        print("timeout() fired")
    async with asyncio.timeout(1):
        await asyncio.sleep(0.1)
    print("finished in time")
    try:
        async with asyncio.timeout_at(loop.time() + 0.2):
            await asyncio.sleep(1)
    except TimeoutError:
        print("timeout_at() fired")
    async with asyncio.timeout(None):
        await asyncio.sleep(0.1)
    print("no timeout")


asyncio.run(main())
