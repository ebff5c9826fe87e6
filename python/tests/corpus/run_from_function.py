import asyncio


async def amain(n):
    await asyncio.sleep(0.1)
    print("amain", n)
    return n * 2


def main():
    print(asyncio.run(amain(1)))
    print(asyncio.run(amain(2)))


if __name__ == "__main__":
    main()
