# str.lower()/upper() over every code point of the first two planes, and the special cases.
chars = "".join([chr(c) for c in range(0x20, 0x20000) if not 0xD800 <= c < 0xE000])
lo, up = chars.lower(), chars.upper()
print(len(chars), len(lo), len(up))
print(sum([k * ord(c) for k, c in enumerate(lo)]), sum([k * ord(c) for k, c in enumerate(up)]))
print("ΟΔΟΣ ΟΔΟΣ. Σ ΑΣ'Σ".lower(), "straße ﬁx ŉ ǰ".upper(), "İstanbul".lower(), len("İ".lower()))
print("hello wORLD".capitalize(), "hello wORLD".title(), "ÉCOLE".lower(), "ÿ µ ı".upper())
print("ABC".isupper(), "Abc".islower(), "ǅ".isupper(), "ÀÉ".isupper(), "àé".islower())
