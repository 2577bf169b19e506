import { describe, expect, it } from 'vitest';
import {
  chiSquareCriticalValue,
  chiSquareUpperTail,
  criticalLogLikelihood,
} from '../../src/domain/digest/stats.js';

/** Upper-tail probabilities P(X ≥ x) of the columns below, as printed in statistical tables. */
const ALPHAS = [0.995, 0.99, 0.975, 0.95, 0.9, 0.1, 0.05, 0.025, 0.01, 0.005, 0.001] as const;

/**
 * Chi-squared critical values to four significant figures, one row per degree of freedom, computed
 * independently with SciPy (chi2.isf). Rounded to three decimals they are the values printed in the
 * usual statistical tables.
 */
const TABLE: readonly (readonly number[])[] = [
  [1, 3.927e-5, 0.0001571, 0.0009821, 0.003932, 0.01579, 2.706, 3.841, 5.024, 6.635, 7.879, 10.83],
  [2, 0.01003, 0.0201, 0.05064, 0.1026, 0.2107, 4.605, 5.991, 7.378, 9.21, 10.6, 13.82],
  [3, 0.07172, 0.1148, 0.2158, 0.3518, 0.5844, 6.251, 7.815, 9.348, 11.34, 12.84, 16.27],
  [4, 0.207, 0.2971, 0.4844, 0.7107, 1.064, 7.779, 9.488, 11.14, 13.28, 14.86, 18.47],
  [5, 0.4117, 0.5543, 0.8312, 1.145, 1.61, 9.236, 11.07, 12.83, 15.09, 16.75, 20.52],
  [6, 0.6757, 0.8721, 1.237, 1.635, 2.204, 10.64, 12.59, 14.45, 16.81, 18.55, 22.46],
  [7, 0.9893, 1.239, 1.69, 2.167, 2.833, 12.02, 14.07, 16.01, 18.48, 20.28, 24.32],
  [8, 1.344, 1.646, 2.18, 2.733, 3.49, 13.36, 15.51, 17.53, 20.09, 21.95, 26.12],
  [9, 1.735, 2.088, 2.7, 3.325, 4.168, 14.68, 16.92, 19.02, 21.67, 23.59, 27.88],
  [10, 2.156, 2.558, 3.247, 3.94, 4.865, 15.99, 18.31, 20.48, 23.21, 25.19, 29.59],
  [11, 2.603, 3.053, 3.816, 4.575, 5.578, 17.28, 19.68, 21.92, 24.72, 26.76, 31.26],
  [12, 3.074, 3.571, 4.404, 5.226, 6.304, 18.55, 21.03, 23.34, 26.22, 28.3, 32.91],
  [13, 3.565, 4.107, 5.009, 5.892, 7.042, 19.81, 22.36, 24.74, 27.69, 29.82, 34.53],
  [14, 4.075, 4.66, 5.629, 6.571, 7.79, 21.06, 23.68, 26.12, 29.14, 31.32, 36.12],
  [15, 4.601, 5.229, 6.262, 7.261, 8.547, 22.31, 25.0, 27.49, 30.58, 32.8, 37.7],
  [16, 5.142, 5.812, 6.908, 7.962, 9.312, 23.54, 26.3, 28.85, 32.0, 34.27, 39.25],
  [17, 5.697, 6.408, 7.564, 8.672, 10.09, 24.77, 27.59, 30.19, 33.41, 35.72, 40.79],
  [18, 6.265, 7.015, 8.231, 9.39, 10.86, 25.99, 28.87, 31.53, 34.81, 37.16, 42.31],
  [19, 6.844, 7.633, 8.907, 10.12, 11.65, 27.2, 30.14, 32.85, 36.19, 38.58, 43.82],
  [20, 7.434, 8.26, 9.591, 10.85, 12.44, 28.41, 31.41, 34.17, 37.57, 40.0, 45.31],
  [21, 8.034, 8.897, 10.28, 11.59, 13.24, 29.62, 32.67, 35.48, 38.93, 41.4, 46.8],
  [22, 8.643, 9.542, 10.98, 12.34, 14.04, 30.81, 33.92, 36.78, 40.29, 42.8, 48.27],
  [23, 9.26, 10.2, 11.69, 13.09, 14.85, 32.01, 35.17, 38.08, 41.64, 44.18, 49.73],
  [24, 9.886, 10.86, 12.4, 13.85, 15.66, 33.2, 36.42, 39.36, 42.98, 45.56, 51.18],
  [25, 10.52, 11.52, 13.12, 14.61, 16.47, 34.38, 37.65, 40.65, 44.31, 46.93, 52.62],
  [26, 11.16, 12.2, 13.84, 15.38, 17.29, 35.56, 38.89, 41.92, 45.64, 48.29, 54.05],
  [27, 11.81, 12.88, 14.57, 16.15, 18.11, 36.74, 40.11, 43.19, 46.96, 49.64, 55.48],
  [28, 12.46, 13.56, 15.31, 16.93, 18.94, 37.92, 41.34, 44.46, 48.28, 50.99, 56.89],
  [29, 13.12, 14.26, 16.05, 17.71, 19.77, 39.09, 42.56, 45.72, 49.59, 52.34, 58.3],
  [30, 13.79, 14.95, 16.79, 18.49, 20.6, 40.26, 43.77, 46.98, 50.89, 53.67, 59.7],
];

/** Far-tail values that a Bonferroni split over many terms reaches, to six significant figures. */
const FAR_TAIL: readonly (readonly [alpha: number, degreesOfFreedom: number, critical: number])[] = [
  [0.0005, 1, 12.1157],
  [5e-6, 1, 20.8373],
  [1e-8, 1, 32.8413],
  [1e-12, 3, 58.9198],
];

describe('chiSquareCriticalValue', () => {
  const cases = TABLE.flatMap(([degreesOfFreedom, ...values]) =>
    values.map((critical, column) => ({
      degreesOfFreedom: degreesOfFreedom as number,
      alpha: ALPHAS[column] as number,
      critical,
    })),
  );

  it.each(cases)(
    'df $degreesOfFreedom at alpha $alpha is $critical',
    ({ degreesOfFreedom, alpha, critical }) => {
      expect(Number(chiSquareCriticalValue(alpha, degreesOfFreedom).toPrecision(4))).toBe(critical);
    },
  );

  it.each(FAR_TAIL)('alpha %s with df %s reaches %s', (alpha, degreesOfFreedom, critical) => {
    expect(Number(chiSquareCriticalValue(alpha, degreesOfFreedom).toPrecision(6))).toBe(critical);
  });

  it('is the inverse of the upper tail', () => {
    for (const degreesOfFreedom of [1, 2, 7, 30]) {
      for (const alpha of [0.999, 0.5, 0.05, 1e-6]) {
        const critical = chiSquareCriticalValue(alpha, degreesOfFreedom);
        expect(chiSquareUpperTail(critical, degreesOfFreedom) / alpha).toBeCloseTo(1, 9);
      }
    }
  });

  it('has no finite value for alpha 0 and is 0 for alpha 1', () => {
    expect(chiSquareCriticalValue(0, 1)).toBe(Number.POSITIVE_INFINITY);
    expect(chiSquareCriticalValue(1, 1)).toBe(0);
    expect(() => chiSquareCriticalValue(0.05, 0)).toThrow(RangeError);
  });
});

describe('chiSquareUpperTail', () => {
  it('matches the closed forms at one and two degrees of freedom', () => {
    // Two degrees of freedom: P(X ≥ x) = e^(−x/2). One: P(X ≥ 1.96²) = 0.05 to the precision of 1.96.
    for (const x of [0.1, 1, 5, 20, 60])
      expect(chiSquareUpperTail(x, 2) / Math.exp(-x / 2)).toBeCloseTo(1, 12);
    expect(chiSquareUpperTail(1.959963984540054 ** 2, 1)).toBeCloseTo(0.05, 12);
  });

  it('is 1 at or below zero', () => {
    expect(chiSquareUpperTail(0, 3)).toBe(1);
    expect(chiSquareUpperTail(-1, 3)).toBe(1);
  });
});

describe('criticalLogLikelihood', () => {
  it('splits the family alpha across the terms tested, at one degree of freedom', () => {
    expect(criticalLogLikelihood(1, 0.05, 0)).toBeCloseTo(3.841, 3);
    expect(criticalLogLikelihood(100, 0.05, 0)).toBeCloseTo(12.116, 3);
    expect(criticalLogLikelihood(10_000, 0.05, 0)).toBeCloseTo(20.837, 3);
    expect(criticalLogLikelihood(0, 0.05, 0)).toBe(criticalLogLikelihood(1, 0.05, 0));
  });

  it('never falls below the floor', () => {
    expect(criticalLogLikelihood(1, 0.05, 6.63)).toBe(6.63);
  });
});
