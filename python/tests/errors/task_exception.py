import asyncio


class PaymentError(Exception):
    pass


async def charge(amount):
    await asyncio.sleep(0.1)
    if amount > 100:
        raise PaymentError(f"amount {amount} too large")
    return amount


async def main():
    print(await charge(50))
    await asyncio.gather(charge(10), charge(500))


asyncio.run(main())
