import asyncio


async def main():
    loop = asyncio.get_running_loop()
    start = loop.time()
    order = []
    loop.call_soon(order.append, "soon")
    loop.call_later(0.2, order.append, "later-0.2")
    loop.call_later(0.1, order.append, "later-0.1")
    h = loop.call_later(0.15, order.append, "cancelled")
    h.cancel()
    loop.call_at(start + 0.05, order.append, "at-0.05")
    await asyncio.sleep(0.3)
    print(order)
    print(round(loop.time() - start, 1))
    t = loop.create_task(asyncio.sleep(0.1, "from loop"))
    done = []
    t.add_done_callback(lambda task: done.append(task.result()))
    print(await t)
    await asyncio.sleep(0)
    print(done)
    print(asyncio.current_task().get_name() != "")


asyncio.run(main())
