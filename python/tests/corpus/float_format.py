# Float text: repr (shortest round trip), format specs and %-formatting, as CPython 3.11.
vals = [0.0, -0.0, 0.1, 0.5, 1.5, 2.5, 2.675, 1.005, 1e16, 9999999999999998.0, 1e-4, 0.00012345,
        123.456, 5e-324, 1e22, 1e23, 2 ** -60, 2.0 ** 60, 1.7976931348623157e308, 1 / 3, 2 / 3,
        100.0, 1234567.891, 1e15, 123456789012345680.0, 0.1 + 0.2, -7.25, 3.14159, 6.02214076e23]
for v in vals:
    print(repr(v), str(v), f"{v:f} {v:.0f} {v:.2f} {v:.10f} {v:e} {v:.0e} {v:.3E} {v:g} {v:.3g} {v:G}")
    print(f"{v:10.3f}|{v:<12.2e}|{v:+.1f}|{v:08.2f}|{v:,.2f}|{v:.2%}|{v:#.3g}|{v:.12g}|{v:#.1g}|{v:#.0f}|{v:.1G}|{v:#.0e}|{v:#.0%}")
    print("%f %.1f %e %.2e %g %10.4f %-10.2f|" % (v, v, v, v, v, v, v))
for v in [float("inf"), float("-inf"), float("nan")]:
    print(repr(v), f"{v:f} {v:F} {v:e} {v:E} {v:g} {v:G} {v:.2f}")
print(round(0.125, 2), round(0.375, 2), round(-1.25, 1), round(2.5e-8, 9), round(1e300, 2), round(-0.4, 0))
print([x / 10 for x in range(12)], sum([0.1] * 10), 1e-5, 1e-4 * 3, 12345678901234567890.0)
