# The str methods that search for a substring, on ASCII and multi-byte text, with empty
# needles and limits, and int() with a base and its prefix.
import asyncio

texts = ["", "a", "abcabcab", "ééaéé", "aaaa", "xσyσσz", "日本語の日本", "a,b,,c,"]
needles = ["", "a", "ab", "é", "aa", "σσ", "日本", "zz", ","]
for t in texts:
    for n in needles:
        row = [t.find(n), t.rfind(n), t.count(n), n in t, t.replace(n, "<>"), t.replace(n, "-", 2)]
        row.append(t.partition(n) if n else None)
        if n:
            row += [t.split(n), t.split(n, 1), t.split(n, 0)]
        try:
            row.append(t.index(n))
        except ValueError as e:
            row.append(str(e))
        print(repr(t), repr(n), row)
print("a b  c".split(), "x".split(maxsplit=0), "a-b-c".split(sep="-", maxsplit=1))
try:
    "abc".split("")
except ValueError as e:
    print("ValueError:", e)
print(int("ff", 16), int("0xff", 16), int("0XFF", 16), int("0b1", 16), int("0o17", 8), int("0b101", 2))
print(int("z", 36), int("  1_000  ", 10))
for bad in [("12", 1), ("12", 37), ("0x", 16), ("0b2", 2)]:
    try:
        int(*bad)
    except ValueError as e:
        print("ValueError:", e)


async def main():
    words = await asyncio.gather(*(asyncio.sleep(0.01 * i, w) for i, w in enumerate("one two three".split())))
    print(" ".join(words).replace("o", "0").split("0"), "two" in words)


asyncio.run(main())
