# sorted() and list.sort(): stability with key= and reverse=, lengths at every merge level,
# __lt__ calls on ordered input, the first failing comparison's exception, results sorted by
# tasks that finish out of order.
import asyncio

data = [(1, "a"), (0, "x"), (1, "b"), (2, "c"), (1, "d"), (0, "y")]
print(sorted(data, key=lambda t: t[0]))
print(sorted(data, key=lambda t: t[0], reverse=True))
print(sorted([3, 1, 2, 5, 4, 1, 0, 9, 8, 7, 6, 5, 4, 3, 2, 1] * 3))
print(sorted("hello world"), sorted([2.5, 1, True, 0.5]), sorted([], reverse=True))
for n in range(0, 40, 3):
    xs = [(i * 7919) % 13 for i in range(n)]
    ys = sorted(range(n), key=lambda i: xs[i])
    assert all(xs[a] < xs[b] or (xs[a] == xs[b] and a < b) for a, b in zip(ys, ys[1:])), n
    print(n, ys[:6], sorted(xs, reverse=True)[:4])
words = "the quick brown fox jumps over the lazy dog".split()
print(sorted(words, key=len), sorted(words, key=len, reverse=True))
l = [5, 3, 1, 4]
l.sort(reverse=True)
print(l)
l.sort()
print(l)
l.sort(key=lambda x: -x)
print(l)
try:
    sorted([1, "a", 2])
except TypeError as e:
    print("TypeError:", e)


class K:
    def __init__(self, v):
        self.v = v

    def __lt__(self, other):
        print("lt", self.v, other.v)
        return self.v < other.v


print([k.v for k in sorted([K(1), K(2), K(3), K(4)])])


async def job(i):
    await asyncio.sleep((7 - i) * 0.01)
    return (i % 3, i)


async def main():
    done = await asyncio.gather(*(job(i) for i in range(7)))
    print(sorted(done), sorted(done, key=lambda t: t[0], reverse=True))


asyncio.run(main())
