# asyncio.timeout cancels the block's wait when its deadline passes and
# turns that into a TimeoutError; a block that finishes in time is left alone.
import asyncio


async def main():
    try:
        async with asyncio.timeout(0.5):
            await asyncio.sleep(2)
    except TimeoutError:
        print("timed out after 0.5s")
    async with asyncio.timeout(1):
        await asyncio.sleep(0.1)
    print("finished in time")
    try:
        await asyncio.wait_for(asyncio.sleep(1), timeout=0.2)
    except TimeoutError:
        print("wait_for timed out")


asyncio.run(main())
