import { createRequire } from 'node:module';
import type chiSquareQuantileType from '@stdlib/stats-base-dists-chisquare-quantile';

const require = createRequire(import.meta.url);
let chiSquareQuantile: typeof chiSquareQuantileType | undefined;

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
  // Required on first use: it takes a noticeable part of start-up to load, and only a digest needs it.
  chiSquareQuantile ??=
    require('@stdlib/stats-base-dists-chisquare-quantile') as typeof chiSquareQuantileType;
  return Math.max(floor, chiSquareQuantile(1 - alpha, 1));
}
