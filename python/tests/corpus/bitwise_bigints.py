# Bitwise operators on ints of any size, negative ones as infinite two's complement (as CPython).
a = 2 ** 100 + 12345
b = -(2 ** 70) + 999
small = [0, 1, -1, 7, -8, 2 ** 63 - 1, -(2 ** 63)]
bigs = [a, b, -a, 2 ** 64, -(2 ** 64), (1 << 200) - 1, -(1 << 130) - 3]
for x in small + bigs:
    for y in small + bigs:
        print(x & y, x | y, x ^ y)
for x in small + bigs:
    print(~x, x >> 0, x >> 1, x >> 3, x >> 64, x >> 65, x >> 300, x << 0, x << 1, x << 33, x << 100)
print(-1 >> 10 ** 20, 5 >> 10 ** 20, (-(2 ** 90)) >> 10 ** 20, True ^ True, True ^ False, True & 3, ~True)
print((1 << 64) | 1, (1 << 64) & -(1 << 64), (-(1 << 64)) ^ -1, hex((1 << 80) - 1 ^ 0xFFFF))
print(int("1" * 40) & 0xFFFFFFFF, int("-" + "9" * 30) | 0xFF, ~(2 ** 64 - 1))
print(hex(-(2 ** 70) - 1), oct(2 ** 66), bin(-(2 ** 65)), f"{2 ** 68:#X} {2 ** 64 + 5:x} {2 ** 64:_x}"[:60])
for name, bad in [("1 << -1", lambda: 1 << -1), ("1 >> -1", lambda: 1 >> -1),
                  ("(2 ** 70) << -1", lambda: (2 ** 70) << -1), ("(2 ** 70) >> -2", lambda: (2 ** 70) >> -2)]:
    try:
        bad()
    except ValueError as e:
        print(name, "ValueError:", e)
# Float literals and float() parse to the nearest double (checked through repr).
for s in ["0.1", "1e23", "9007199254740993", "1.7976931348623157e308", "2e308", "4.9e-324",
          "2.4703282292062328e-324", "2.2250738585072011e-308", "123456789012345678901234567890",
          "1.00000000000000011102230246251565404236316680908203125", "-0.0", " 7.5 ", "1E5", ".5", "5."]:
    print(repr(float(s)))
print(0.1 + 0.2, 1e22, 1e-7, 6.02214076e23, 3.141592653589793, 1_000.000_1, 0.30000000000000004)
print(round(2.675, 2), round(1.005, 2), round(123.456, -1), round(0.5), round(1.5), round(-2.5))
print(round(1250, -2), round(1350, -2), round(-1250, -2), round(7, -30), round(25.0, -1), round(35.0, -1), round(-45.5, -1), f"{255:#_x} {2 ** 40:_b}")
try:
    float("1.2.3")
except ValueError as e:
    print("ValueError:", e)
