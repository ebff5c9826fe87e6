def naturals():
    n = 0
    while True:
        yield n
        n += 1


g = (x * x for x in naturals() if x % 2)
print(next(g), next(g), next(g))
print(any(x > 10 for x in naturals()))
print(sum(x for x in range(10)), list(x + y for x in range(3) for y in range(2)), max(len(w) for w in "a bb ccc".split()))
print(sorted((v, k) for k, v in {"a": 2, "b": 1}.items()), tuple(i for i in "ab"), "-".join(str(i) for i in range(4)))
seen = []
h = (seen.append(i) or i for i in range(3))
print(seen, next(h), seen)
