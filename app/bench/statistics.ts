/**
 * Summary statistics of a benchmark's samples (one value per run): mean, standard deviation,
 * standard error of the mean and percentiles. Pure functions, no state.
 */

/** The arithmetic mean; NaN for no samples. */
export function mean(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  let sum = 0;
  for (const x of xs) sum += x;
  return sum / xs.length;
}

/** The sample standard deviation (n - 1 in the denominator); 0 for one sample, NaN for none. */
export function standardDeviation(xs: readonly number[]): number {
  const n = xs.length;
  if (n === 0) return NaN;
  if (n === 1) return 0;
  const m = mean(xs);
  let ss = 0;
  for (const x of xs) ss += (x - m) * (x - m);
  return Math.sqrt(ss / (n - 1));
}

/** The standard error of the mean: sample standard deviation / sqrt(n). */
export function standardError(xs: readonly number[]): number {
  return xs.length === 0 ? NaN : standardDeviation(xs) / Math.sqrt(xs.length);
}

/**
 * The `p`-th percentile (0 <= p <= 100) of samples already sorted ascending, by linear
 * interpolation between the closest ranks (Hyndman and Fan's type 7, the default of R, NumPy
 * and spreadsheets): rank h = (n - 1) p / 100, value x[floor h] + (h - floor h)(x[floor h + 1] - x[floor h]).
 * NaN for no samples.
 */
export function percentileOfSorted(sortedXs: ArrayLike<number>, p: number): number {
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile: p must be in [0, 100], got ${p}`);
  const n = sortedXs.length;
  if (n === 0) return NaN;
  const h = ((n - 1) * p) / 100;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  const a = sortedXs[lo]!;
  const b = sortedXs[hi]!;
  return a + (h - lo) * (b - a);
}

/** {@link percentileOfSorted} of unsorted samples. */
export function percentile(xs: readonly number[], p: number): number {
  return percentileOfSorted(Float64Array.from(xs).sort(), p);
}

/** What a benchmark reports about one quantity. */
export interface Summary {
  readonly mean: number;
  readonly stdDev: number;
  readonly stdErr: number;
  readonly p5: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly min: number;
  readonly max: number;
}

/** Mean, spread and percentiles of `xs` (NaN everywhere for no samples). */
export function summarize(xs: readonly number[]): Summary {
  const s = Float64Array.from(xs).sort();
  return {
    mean: mean(xs),
    stdDev: standardDeviation(xs),
    stdErr: standardError(xs),
    p5: percentileOfSorted(s, 5),
    p50: percentileOfSorted(s, 50),
    p95: percentileOfSorted(s, 95),
    p99: percentileOfSorted(s, 99),
    min: s.length > 0 ? s[0]! : NaN,
    max: s.length > 0 ? s[s.length - 1]! : NaN,
  };
}

/** The per-run means a benchmark point reports, and the analytic model predicts, side by side. */
export interface MeanMetrics {
  readonly attempts: { readonly mean: number };
  readonly crashes: { readonly mean: number };
  readonly redoneRecords: { readonly mean: number; readonly perCrash: number | null };
  readonly heartbeatCalls: { readonly mean: number };
  readonly heartbeatsSent: { readonly mean: number };
  /** Heartbeats that reached the server (details stored). */
  readonly detailsStored: { readonly mean: number };
  /** Mean over every crash of all runs; null without crashes. */
  readonly detectionDelay: { readonly mean: number | null };
}
