import asyncio


async def delayed(v, d):
    await asyncio.sleep(d)
    return v


async def main():
    aws = [delayed("c", 0.3), delayed("a", 0.1), delayed("b", 0.2)]
    for fut in asyncio.as_completed(aws):
        print(await fut)
    try:
        for fut in asyncio.as_completed([delayed("x", 5)], timeout=0.2):
            await fut
    except TimeoutError:
        print("as_completed timed out")


asyncio.run(main())
