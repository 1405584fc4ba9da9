/**
 * Exact one-sided tests for small counts: how sure we may be that a count is higher than
 * chance would give. Pure arithmetic in log space, so large counts neither overflow nor underflow.
 */

const LOG_FACTORIALS: number[] = [0];

/** ln(n!) for a whole number n ≥ 0: a table below 256, Stirling's series (error < 1e-15) above. */
export function logFactorial(n: number): number {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`logFactorial needs a whole number ≥ 0, got ${n}`);
  if (n < 256) {
    for (let i = LOG_FACTORIALS.length; i <= n; i++) LOG_FACTORIALS[i] = LOG_FACTORIALS[i - 1]! + Math.log(i);
    return LOG_FACTORIALS[n]!;
  }
  const x = n + 1;
  const inv = 1 / x;
  const inv2 = inv * inv;
  // ln Γ(x) = (x − ½) ln x − x + ½ ln 2π + 1/(12x) − 1/(360x³) + 1/(1260x⁵) − 1/(1680x⁷)
  return (
    (x - 0.5) * Math.log(x) -
    x +
    0.5 * Math.log(2 * Math.PI) +
    inv * (1 / 12 - inv2 * (1 / 360 - inv2 * (1 / 1260 - inv2 / 1680)))
  );
}

const logChoose = (n: number, k: number) => logFactorial(n) - logFactorial(k) - logFactorial(n - k);

/** ln(Σ e^xᵢ) without overflow. */
function logSumExp(terms: number[]): number {
  const max = Math.max(...terms);
  if (max === -Infinity) return -Infinity;
  let sum = 0;
  for (const t of terms) sum += Math.exp(t - max);
  return max + Math.log(sum);
}

const clamp01 = (p: number) => Math.min(1, Math.max(0, p));

function checkCount(name: string, v: number) {
  if (!Number.isInteger(v) || v < 0) throw new RangeError(`${name} must be a whole number ≥ 0, got ${v}`);
}

/**
 * P(X ≥ k) for X ~ Binomial(n, p): the one-sided exact binomial test of "k successes in n trials is
 * more than a rate p gives". k ≤ 0 → 1; k > n → 0.
 */
export function binomialUpperTail(k: number, n: number, p: number): number {
  checkCount("n", n);
  if (!(p >= 0 && p <= 1)) throw new RangeError(`p must be within [0, 1], got ${p}`);
  if (k <= 0) return 1;
  if (k > n) return 0;
  if (p === 0) return 0;
  if (p === 1) return 1;
  const lp = Math.log(p);
  const lq = Math.log1p(-p);
  const terms: number[] = [];
  for (let x = Math.ceil(k); x <= n; x++) terms.push(logChoose(n, x) + x * lp + (n - x) * lq);
  return clamp01(Math.exp(logSumExp(terms)));
}

/**
 * Fisher's exact test, one-sided ("greater"), of the 2×2 table
 *
 *             hit   miss
 *   subject    a     b
 *   others     c     d
 *
 * the probability, with all margins fixed, of a table whose `a` is at least the one seen: small when
 * the subject's share a/(a+b) stands out above the others' c/(c+d). Equals scipy's
 * `fisher_exact([[a, b], [c, d]], alternative="greater")`.
 */
export function fisherExactGreater(a: number, b: number, c: number, d: number): number {
  for (const [name, v] of [
    ["a", a],
    ["b", b],
    ["c", c],
    ["d", d],
  ] as const)
    checkCount(name, v);
  const row = a + b;
  const hits = a + c;
  const total = a + b + c + d;
  const top = Math.min(row, hits);
  const denominator = logChoose(total, row);
  const terms: number[] = [];
  for (let x = a; x <= top; x++) terms.push(logChoose(hits, x) + logChoose(total - hits, row - x) - denominator);
  return clamp01(Math.exp(logSumExp(terms)));
}
