import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { binomialUpperTail, fisherExactGreater, logFactorial } from "./exact-tests.ts";
import { confidenceLevel } from "./confidence.ts";

/** C(n, k) exactly, to check the log-space sums against. */
function choose(n: number, k: number): bigint {
  let r = 1n;
  for (let i = 1; i <= k; i++) r = (r * BigInt(n - k + i)) / BigInt(i);
  return r;
}

describe("binomialUpperTail", () => {
  it.each([
    // Hand-computed: fair coin, 10 throws.
    [9, 10, 0.5, 11 / 1024],
    [5, 10, 0.5, 638 / 1024],
    [10, 10, 0.5, 1 / 1024],
    // C(5,3)·0.1³·0.9² + C(5,4)·0.1⁴·0.9 + 0.1⁵ = 0.0081 + 0.00045 + 0.00001
    [3, 5, 0.1, 0.00856],
    // At least one in 20 at 5 %: 1 − 0.95²⁰
    [1, 20, 0.05, 1 - 0.95 ** 20],
    [0, 7, 0.3, 1],
    [8, 7, 0.3, 0],
    [1, 4, 0, 0],
    [4, 4, 1, 1],
  ])("P(X ≥ %i | n=%i, p=%f) = %f", (k, n, p, expected) => {
    expect(binomialUpperTail(k, n, p)).toBeCloseTo(expected, 12);
  });

  it("stays exact where the terms are tiny (n = 2000)", () => {
    // P(X ≥ 2000 | 2000, 0.5) = 2^-2000 underflows to 0 as a double; one below the top is 2001 · 2^-2000.
    expect(binomialUpperTail(1000, 2000, 0.5)).toBeCloseTo(
      0.5 + Number((choose(2000, 1000) * 10n ** 18n) / 2n ** 2000n) / 2e18,
      10,
    );
  });

  it("is a probability, falls as k rises and rises with p", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: 0, max: 60 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (n, k0, p1, p2) => {
          const k = Math.min(k0, n);
          const v = binomialUpperTail(k, n, p1);
          expect(v).toBeGreaterThanOrEqual(0);
          expect(v).toBeLessThanOrEqual(1);
          expect(binomialUpperTail(k + 1, n, p1)).toBeLessThanOrEqual(v + 1e-12);
          const [lo, hi] = p1 < p2 ? [p1, p2] : [p2, p1];
          expect(binomialUpperTail(k, n, hi)).toBeGreaterThanOrEqual(binomialUpperTail(k, n, lo) - 1e-12);
        },
      ),
    );
  });

  it("mirrors: P(X ≥ k | n, p) = 1 − P(X ≥ n − k + 1 | n, 1 − p)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 80 }),
        fc.integer({ min: 0, max: 80 }),
        fc.double({ min: 0.01, max: 0.99, noNaN: true }),
        (n, k0, p) => {
          const k = Math.min(k0, n);
          expect(binomialUpperTail(k, n, p)).toBeCloseTo(1 - binomialUpperTail(n - k + 1, n, 1 - p), 9);
        },
      ),
    );
  });

  it("refuses what is not a count or a probability", () => {
    expect(() => binomialUpperTail(1, -1, 0.5)).toThrow(RangeError);
    expect(() => binomialUpperTail(1, 3, 1.5)).toThrow(RangeError);
    expect(() => binomialUpperTail(1, 3, Number.NaN)).toThrow(RangeError);
  });
});

describe("fisherExactGreater", () => {
  it.each([
    // Fisher's lady tasting tea: 3 of 4 cups right, p = 17/70; all 4 right, p = 1/70.
    [3, 1, 1, 3, 17 / 70],
    [4, 0, 0, 4, 1 / 70],
    // scipy.stats.fisher_exact([[8, 2], [1, 5]], alternative="greater"): (270 + 10) / 11440
    [8, 2, 1, 5, 280 / 11440],
    // Nothing stands out when the subject has no hits.
    [0, 5, 3, 7, 1],
    [0, 0, 0, 0, 1],
  ])("[[%i, %i], [%i, %i]] → %f", (a, b, c, d, expected) => {
    expect(fisherExactGreater(a, b, c, d)).toBeCloseTo(expected, 12);
  });

  it("equals the hypergeometric tail computed exactly with whole numbers", () => {
    fc.assert(
      fc.property(fc.nat(40), fc.nat(40), fc.nat(40), fc.nat(40), (a, b, c, d) => {
        const row = a + b;
        const hits = a + c;
        const total = a + b + c + d;
        let num = 0n;
        for (let x = a; x <= Math.min(row, hits); x++) num += choose(hits, x) * choose(total - hits, row - x);
        const den = choose(total, row);
        const exact = Number((num * 10n ** 15n) / den) / 1e15;
        expect(fisherExactGreater(a, b, c, d)).toBeCloseTo(exact, 12);
      }),
    );
  });

  it("falls as the subject's share rises with the margins kept", () => {
    fc.assert(
      fc.property(
        fc.nat(30),
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 1, max: 30 }),
        fc.nat(30),
        (a, b, c, d) => {
          expect(fisherExactGreater(a + 1, b - 1, c - 1, d + 1)).toBeLessThanOrEqual(
            fisherExactGreater(a, b, c, d) + 1e-12,
          );
        },
      ),
    );
  });

  it("works with large counts (agents with thousands of tickets)", () => {
    const p = fisherExactGreater(300, 700, 2000, 18000);
    expect(p).toBeGreaterThan(0);
    expect(p).toBeLessThan(1e-20);
    expect(fisherExactGreater(100, 900, 2000, 18000)).toBeGreaterThan(0.5);
  });
});

describe("logFactorial", () => {
  it("agrees with the summed logarithms past the table", () => {
    let sum = 0;
    for (let i = 1; i <= 5000; i++) {
      sum += Math.log(i);
      if (i % 97 === 0 || i === 256 || i === 5000) expect(logFactorial(i)).toBeCloseTo(sum, 8);
    }
  });
});

describe("confidenceLevel", () => {
  it.each([
    [0.001, 10, "very_likely"],
    [0.03, 10, "likely"],
    [0.07, 10, "possible"],
    [0.5, 10, "unlikely"],
    [0.001, 4, "too_few"],
    [null, 10, "too_few"],
  ] as const)("p=%s with n=%i is %s", (p, n, level) => {
    expect(confidenceLevel(p, n)).toBe(level);
  });
});
