/**
 * The statistics of app/bench/statistics.ts against values computed by hand.
 */
import { describe, expect, test } from 'vitest';
import { mean, percentile, percentileOfSorted, standardDeviation, standardError, summarize } from '../../app/bench/statistics.js';

describe('mean, standard deviation, standard error', () => {
  test('hand-computed', () => {
    const xs = [2, 4, 4, 4, 5, 5, 7, 9];
    expect(mean(xs)).toBe(5);
    // sum of squared deviations 32, n - 1 = 7
    expect(standardDeviation(xs)).toBeCloseTo(Math.sqrt(32 / 7), 14);
    expect(standardError(xs)).toBeCloseTo(Math.sqrt(32 / 7) / Math.sqrt(8), 14);
  });

  test('edge cases: no sample, one sample', () => {
    expect(mean([])).toBeNaN();
    expect(standardDeviation([])).toBeNaN();
    expect(standardError([])).toBeNaN();
    expect(standardDeviation([3])).toBe(0);
    expect(standardError([3])).toBe(0);
  });
});

describe('percentiles: linear interpolation between closest ranks (type 7)', () => {
  test('hand-computed on 1..10', () => {
    const xs = [10, 1, 9, 2, 8, 3, 7, 4, 6, 5];
    expect(percentile(xs, 0)).toBe(1);
    expect(percentile(xs, 100)).toBe(10);
    expect(percentile(xs, 50)).toBe(5.5); // rank 4.5
    expect(percentile(xs, 95)).toBeCloseTo(9.55, 12); // rank 8.55: 9 + 0.55
    expect(percentile(xs, 99)).toBeCloseTo(9.91, 12); // rank 8.91
    expect(percentile(xs, 25)).toBe(3.25); // rank 2.25
  });

  test('one sample, two samples, none', () => {
    expect(percentile([42], 99)).toBe(42);
    expect(percentile([0, 100], 95)).toBe(95);
    expect(percentileOfSorted([], 50)).toBeNaN();
    expect(() => percentile([1], 101)).toThrow(RangeError);
  });

  test('does not sort its input in place', () => {
    const xs = [3, 1, 2];
    percentile(xs, 50);
    expect(xs).toEqual([3, 1, 2]);
  });

  test('summarize', () => {
    const s = summarize([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21]);
    expect(s).toMatchObject({ mean: 11, p5: 2, p50: 11, p95: 20, p99: 20.8, min: 1, max: 21 });
    expect(s.stdErr).toBeCloseTo(s.stdDev / Math.sqrt(21), 14);
  });
});
