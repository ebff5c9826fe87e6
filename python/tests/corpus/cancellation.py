import asyncio


async def stubborn():
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError:
        print("cleaning up")
        await asyncio.sleep(0.1)
        print("cleaned")
        raise
    finally:
        print("finally runs")


async def ignores():
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError:
        print("ignoring cancel")
    return "survived"


async def main():
    t = asyncio.create_task(stubborn())
    await asyncio.sleep(0.1)
    print("cancel ->", t.cancel())
    try:
        await t
    except asyncio.CancelledError:
        print("awaiting raised CancelledError", t.cancelled(), t.done())
    print("cancel again ->", t.cancel())
    t2 = asyncio.create_task(ignores())
    await asyncio.sleep(0)
    t2.cancel()
    print(await t2, t2.cancelled())
    t3 = asyncio.create_task(asyncio.sleep(1))
    t3.cancel("with a message")
    try:
        await t3
    except asyncio.CancelledError as e:
        print("message:", e.args)
    inner = asyncio.create_task(asyncio.sleep(5, "inner"))
    async def shielded():
        return await asyncio.shield(inner)

    outer = asyncio.create_task(shielded())
    await asyncio.sleep(0.1)
    outer.cancel()
    try:
        await outer
    except asyncio.CancelledError:
        print("outer cancelled, inner still running:", not inner.done())
    inner.cancel()


asyncio.run(main())
