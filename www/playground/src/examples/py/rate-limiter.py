# A rate limiter: a token bucket refilled by its own task every 250 ms lets
# at most four requests a second through; six clients queue on it.
import asyncio


async def refill(tokens):
    while True:
        await tokens.put("token")
        await asyncio.sleep(0.25)


async def client(tokens, n):
    await tokens.get()
    print(f"request {n} sent")


async def main():
    tokens = asyncio.Queue(maxsize=1)
    refiller = asyncio.create_task(refill(tokens), name="refill")
    clients = [asyncio.create_task(client(tokens, n), name=f"client{n}") for n in range(1, 7)]
    await asyncio.gather(*clients)
    refiller.cancel()
    print("all requests sent")


asyncio.run(main())
