/**
 * Dunning's log-likelihood ratio (G²) for a term seen `a` times in `c` documents this week and `b`
 * times in `d` documents of the baseline. Unlike chi-squared it stays reliable for the small counts a
 * team's week produces. Positive when the term is more frequent this week than before, negative when
 * less; its magnitude is compared with chi-squared critical values at one degree of freedom.
 */
export function signedLogLikelihood(a: number, c: number, b: number, d: number): number {
  if (c <= 0 || d <= 0 || a + b === 0) return 0;
  const expectedNow = (c * (a + b)) / (c + d);
  const expectedBefore = (d * (a + b)) / (c + d);
  const part = (observed: number, expected: number) =>
    observed > 0 ? observed * Math.log(observed / expected) : 0;
  const g2 = 2 * (part(a, expectedNow) + part(b, expectedBefore));
  return a / c >= b / d ? g2 : -g2;
}

/** P(X ≥ k) for X ~ Poisson(mean): how surprising a count is against what a channel usually sees. */
export function poissonUpperTail(k: number, mean: number): number {
  if (k <= 0) return 1;
  let term = Math.exp(-mean);
  let below = term;
  for (let i = 1; i < k; i += 1) {
    term *= mean / i;
    below += term;
  }
  return Math.max(0, 1 - below);
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((x, y) => x - y);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/**
 * The G² a term must reach to count as significant when `tests` terms are judged at once: a
 * Bonferroni split of `familyAlpha`, turned into a chi-squared critical value at one degree of freedom.
 * Never below `floor`.
 */
export function criticalLogLikelihood(tests: number, familyAlpha: number, floor: number): number {
  const alpha = familyAlpha / Math.max(1, tests);
  return Math.max(floor, chiSquareCriticalValue(alpha, 1));
}

/**
 * The x with P(X ≥ x) = `alpha` for X ~ χ²(`degreesOfFreedom`). Found by bisection on the exact tail
 * below, so it holds to about twelve significant figures for any alpha a Bonferroni split can produce.
 * The Wilson–Hilferty closed form would be shorter, but at the one degree of freedom used here it is off
 * by a few per cent (3.75 instead of 3.84 at alpha = 0.05).
 */
export function chiSquareCriticalValue(alpha: number, degreesOfFreedom: number): number {
  if (!(degreesOfFreedom > 0)) throw new RangeError('degrees of freedom must be positive');
  if (!(alpha > 0)) return Number.POSITIVE_INFINITY;
  if (alpha >= 1) return 0;
  // Compare in whichever tail is the smaller, so a probability near 1 keeps its precision.
  const below = alpha > 0.5;
  const target = below ? 1 - alpha : alpha;
  const tail = (x: number) => {
    const { lower, upper } = chiSquareTails(x, degreesOfFreedom);
    return below ? lower : upper;
  };
  const beyond = (x: number) => (below ? tail(x) > target : tail(x) < target);

  let low = 0;
  let high = Math.max(1, degreesOfFreedom);
  while (!beyond(high)) {
    low = high;
    high *= 2;
  }
  for (let i = 0; i < 200 && high - low > 1e-13 * high; i += 1) {
    const middle = (low + high) / 2;
    if (beyond(middle)) high = middle;
    else low = middle;
  }
  return (low + high) / 2;
}

/** P(X ≥ x) for X ~ χ²(`degreesOfFreedom`). */
export function chiSquareUpperTail(x: number, degreesOfFreedom: number): number {
  return chiSquareTails(x, degreesOfFreedom).upper;
}

function chiSquareTails(x: number, degreesOfFreedom: number): { lower: number; upper: number } {
  if (x <= 0) return { lower: 0, upper: 1 };
  return regularisedGamma(degreesOfFreedom / 2, x / 2);
}

const EPSILON = 1e-15;
const TINY = 1e-300;
const MAX_TERMS = 1000;

/**
 * The regularised incomplete gamma functions P(a, x) and Q(a, x) = 1 − P(a, x). Each is computed
 * directly where its expansion converges fast (the power series for P below x = a + 1, the continued
 * fraction for Q above), and the other is its complement, so a small tail is never 1 minus nearly 1.
 */
function regularisedGamma(a: number, x: number): { lower: number; upper: number } {
  const prefactor = Math.exp(-x + a * Math.log(x) - logGamma(a));
  if (x < a + 1) {
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < MAX_TERMS && Math.abs(term) > Math.abs(sum) * EPSILON; n += 1) {
      term *= x / (a + n);
      sum += term;
    }
    const lower = Math.min(1, sum * prefactor);
    return { lower, upper: 1 - lower };
  }
  // Modified Lentz evaluation of the continued fraction for Q(a, x).
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let fraction = d;
  for (let n = 1; n < MAX_TERMS; n += 1) {
    const an = -n * (n - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const step = d * c;
    fraction *= step;
    if (Math.abs(step - 1) < EPSILON) break;
  }
  const upper = Math.min(1, fraction * prefactor);
  return { lower: 1 - upper, upper };
}

// Lanczos approximation (g = 7, nine terms): relative error below 1e-15 for the half-integers used here.
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

function logGamma(z: number): number {
  if (z < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * z))) - logGamma(1 - z);
  const shifted = z - 1;
  let series = LANCZOS[0] as number;
  for (let i = 1; i < LANCZOS.length; i += 1) series += (LANCZOS[i] as number) / (shifted + i);
  const t = shifted + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (shifted + 0.5) * Math.log(t) - t + Math.log(series);
}
