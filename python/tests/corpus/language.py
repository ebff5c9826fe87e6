# The language subset that asyncio programs use, without asyncio.


class Animal:
    kind = "animal"

    def __init__(self, name, sound="..."):
        self.name = name
        self._sound = sound

    def speak(self):
        return f"{self.name} says {self._sound}"

    @property
    def sound(self):
        return self._sound

    @sound.setter
    def sound(self, v):
        self._sound = v.lower()

    @staticmethod
    def legs():
        return 4

    @classmethod
    def make(cls, name):
        return cls(name)

    def __str__(self):
        return f"<{self.kind} {self.name}>"

    def __eq__(self, other):
        return isinstance(other, Animal) and self.name == other.name


class Dog(Animal):
    kind = "dog"

    def __init__(self, name):
        super().__init__(name, "woof")

    def speak(self):
        return super().speak() + "!"


class AppError(Exception):
    def __init__(self, code, msg):
        super().__init__(msg)
        self.code = code


def counter():
    count = 0

    def inc(by=1):
        nonlocal count
        count += by
        return count

    return inc


def varargs(a, b=2, *args, c, d=4, **kw):
    return a, b, args, c, d, sorted(kw.items())


def gen(n):
    for i in range(n):
        x = yield i * i
        if x:
            print("sent", x)
    return "done"


total = 0


def add_total(n):
    global total
    total += n


d = Dog("rex")
print(d, d.speak(), d.legs(), Dog.make("fido"), isinstance(d, Animal), Animal.kind)
d.sound = "BARK"
print(d.sound, d == Dog("rex"), d != Animal("max"), d is d)
inc = counter()
inc(); inc(5)
print(inc())
print(varargs(1, c=3), varargs(1, 2, 3, 4, c=5, z=6, y=7))
nums = [5, 3, 8, 1, 9, 2]
print(sorted(nums), sorted(nums, reverse=True), sorted(nums, key=lambda x: -x)[:2], nums[1:4], nums[::-2], nums[-1])
a, *rest, z = nums
print(a, rest, z)
(p, q), r = (1, 2), 3
print(p, q, r)
print({x % 3 for x in nums}, {k: k * 2 for k in "ab"}, list(map(str, nums))[:2], list(filter(None, [0, 1, 2])))
print(sum(nums), min(nums), max(nums), abs(-3), round(2.5), round(3.14159, 2), len("héllo"))
print(list(enumerate("ab", 1)), list(zip([1, 2], "xy")), any([0, 1]), all([]), divmod(17, 5))
print(int("42") + 1, float("1.5") * 2, str(10), repr("it's"), bool([]), 7 // 2, -7 // 2, 7 % -3, 2 ** 10, 10 / 4)
print(f"{'left':<8}|{'right':>8}|{3.5:08.3f}|{1234567:,}|{255:#x}|{0.25:.1%}|{12:03d}")
print("a,b,,c".split(","), " pad ".strip(), "-".join(["x", "y"]), "Hello".upper(), "abc".replace("b", "B"))
print("%s is %d years, %.2f" % ("Tom", 30, 1.5), "{} + {} = {}".format(1, 2, 3), "{name}!".format(name="hi"))
g = gen(3)
print(next(g), g.send("hello"), next(g))
try:
    next(g)
except StopIteration:
    print("gen exhausted")
print(list(gen(4)), [y for y in (i * 2 for i in range(3))])
for i in range(3):
    add_total(i)
print("total", total)
try:
    raise AppError(404, "not found")
except AppError as e:
    print("AppError", e.code, e, e.args)
try:
    try:
        {}["missing"]
    except KeyError as e:
        raise ValueError("wrapped") from e
except ValueError as e:
    print(repr(e), repr(e.__cause__))
finally:
    print("finally")
for i in range(10):
    if i == 2:
        continue
    if i == 4:
        break
    print("loop", i)
else:
    print("not printed")
while False:
    pass
else:
    print("while-else")
x = [1, 2, 3]
del x[0]
x += [4]
x.append(5)
x.insert(0, 0)
print(x, x.pop(), x.index(3), 3 in x, 9 not in x)
dd = {"b": 1, "a": 2}
dd["c"] = 3
del dd["b"]
print(dd, list(dd), dd.get("z", 0), dd.setdefault("a", 9), {**dd, "d": 4})
s = {3, 1, 2}
s.add(4)
s.discard(1)
print(sorted(s), {1, 2} | {3}, {1, 2} & {2, 3}, {1, 2} - {2})
t = (1, "two", 3.0, None, True)
print(t, t[1:], len(t), t.count(1))
assert 1 + 1 == 2, "math"


class CM:
    def __enter__(self):
        print("enter")
        return "resource"

    def __exit__(self, et, ev, tb):
        print("exit", et.__name__ if et else None)
        return et is ZeroDivisionError


with CM() as res:
    print("inside", res)
with CM():
    1 / 0
print("suppressed")
print(type(1).__name__, type("").__name__, type([]).__name__, isinstance(True, int), callable(len))
print(1e16, 1.5e-5, 0.1 + 0.2, 1 / 3, -0.0, 3.0, 2 ** 0.5, float("inf"))
print(hex(255), bin(5), chr(65), ord("A"), id(None) == id(None))
b = b"abc"
print(b, b[0], b + b"d", b.decode(), "x".encode(), len(b))
print(bytes([104, 105]), list(b"hi"))
square = lambda n: n * n
print(square(7), (lambda *a, **k: (a, k))(1, x=2))
print(sorted([("b", 2), ("a", 2), ("c", 1)], key=lambda kv: (kv[1], kv[0])))
n = 0
while (n := n + 1) < 3:
    print("walrus", n)
print(str(AppError(1, "m")), repr(ValueError()), ValueError("a", 1))
print(7 if 3 > 2 else 8, not None, 1 < 2 < 3, 1 < 3 < 2, [] or "default", 0 and 1)
matrix = [[1, 2], [3, 4]]
print([c for row in matrix for c in row if c % 2 == 0], [[r[i] for r in matrix] for i in range(2)])
print(f"{matrix=}", f"{1+1=}", f"{'nested {braces}'}", f"{{literal}}")
