/**
 * Which point of a sweep to recommend, and why, in words a reader can check against the table.
 *
 * Rule: among the points whose every run completed, take the one with the lowest mean completion
 * time; the points whose mean is not significantly different from it (paired difference, run r
 * against run r, within 2 standard errors: the points share their seeds, so this compares the
 * same crash sequences) are "as fast"; among those recommend the one that sends the fewest
 * heartbeats (what the server pays for).
 */
import type { ParamValue } from './params.js';
import { mean, standardError } from './statistics.js';

/** What the recommendation needs to know about a point. */
export interface PointOutcome {
  readonly params: Readonly<Record<string, ParamValue>>;
  /** Completion time of each run, null when it did not complete. */
  readonly times: readonly (number | null)[];
  readonly heartbeatsSent: number;
  readonly heartbeatCalls: number;
  readonly redonePerCrash: number | null;
  readonly p95: number;
  readonly faultFree: number | null;
  readonly modelMean: number | null;
  /** The model's E[T] term by term (model.ts), when it applies. */
  readonly modelTerms: Readonly<Record<ModelTerm, number>> | null;
}

type ModelTerm = 'checkpoints' | 'detection' | 'backoff' | 'lag';
const TERM_NAMES: Record<ModelTerm, string> = {
  checkpoints: 'time blocked in checkpoints, (n-1)C',
  detection: 'detecting its crashes, H E[K]',
  backoff: 'retry backoffs',
  lag: 'heartbeats held by the throttle, E[sum lag]',
};

/** What the model attributes a difference in E[T] to: its terms that grew by over 10% of it. */
function drivers(q: PointOutcome, p: PointOutcome): string {
  if (q.modelTerms === null || p.modelTerms === null || q.modelMean === null || p.modelMean === null) return '';
  const total = q.modelMean - p.modelMean;
  if (!(total > 0)) return '';
  const parts = (Object.keys(TERM_NAMES) as ModelTerm[])
    .map((t) => ({ t, d: q.modelTerms![t] - p.modelTerms![t] }))
    .filter((x) => x.d > 0.1 * total)
    .sort((a, b) => b.d - a.d)
    .map((x) => `${TERM_NAMES[x.t]} (+${seconds(x.d)})`);
  return parts.length === 0 ? '' : `; the model puts it down to ${parts.join(' and ')}`;
}

const ratio = (a: number, b: number): string => `${(a / Math.max(b, 1e-9)).toFixed(1)}x`;

export interface Recommendation {
  /** Index of the recommended point; null when no point completed every run. */
  readonly point: number | null;
  /** The value of the swept key at that point (null without a sweep). */
  readonly value: ParamValue | null;
  /** One sentence per reason. */
  readonly reasons: readonly string[];
}

/** Mean and standard error of T_a - T_b over the runs where both completed. */
export function pairedDifference(a: readonly (number | null)[], b: readonly (number | null)[]): { readonly mean: number; readonly stdErr: number } {
  const diffs: number[] = [];
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (x !== null && x !== undefined && y !== null && y !== undefined) diffs.push(x - y);
  }
  return { mean: mean(diffs), stdErr: standardError(diffs) };
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
const percent = (x: number): string => `${(x * 100).toFixed(1)}%`;

/** Pick a point of `points` (in sweep order); `key` is the swept key, if any. */
export function recommend(points: readonly PointOutcome[], key: string | null): Recommendation {
  const label = (i: number): string => (key === null ? 'this point' : `${key}=${String(points[i]!.params[key])}`);
  const complete = points.flatMap((p, i) => (p.times.length > 0 && p.times.every((t) => t !== null) ? [i] : []));
  const incomplete = points.length - complete.length;
  if (complete.length === 0) return { point: null, value: null, reasons: ['no point completed every run: raise the heartbeat timeout or retry.maximumAttempts, or lower the crash rate, and run again'] };
  const meanOf = (i: number): number => mean(points[i]!.times as number[]);
  const best = complete.reduce((b, i) => (meanOf(i) < meanOf(b) ? i : b));
  const asFast = complete.filter((i) => {
    if (i === best) return true;
    const d = pairedDifference(points[i]!.times, points[best]!.times);
    return d.mean <= 2 * d.stdErr;
  });
  const pick = asFast.reduce((b, i) => (points[i]!.heartbeatsSent < points[b]!.heartbeatsSent ? i : b));
  const p = points[pick]!;
  const m = meanOf(pick);
  const reasons: string[] = [];
  const overhead = p.faultFree !== null && p.faultFree > 0 ? `, ${percent(m / p.faultFree - 1)} over the ${seconds(p.faultFree)} of a run without crashes` : '';
  reasons.push(`${label(pick)} completes in ${seconds(m)} on average (p95 ${seconds(p.p95)})${overhead}.`);
  if (key === null) return { point: pick, value: null, reasons };
  if (pick !== best) {
    const d = pairedDifference(p.times, points[best]!.times);
    reasons.push(`${label(best)} is faster by ${seconds(d.mean)} on average, within noise (2 standard errors of the paired difference: ${seconds(2 * d.stdErr)}), and sends ${ratio(points[best]!.heartbeatsSent, p.heartbeatsSent)} the heartbeats (${points[best]!.heartbeatsSent.toFixed(0)} against ${p.heartbeatsSent.toFixed(0)} per run).`);
  } else if (asFast.length > 1) {
    reasons.push(`${asFast.filter((i) => i !== pick).map(label).join(', ')} ${asFast.length > 2 ? 'are' : 'is'} as fast within noise (2 standard errors of the paired difference) but ${asFast.length > 2 ? 'send' : 'sends'} more heartbeats.`);
  }
  for (const i of complete) {
    if (asFast.includes(i)) continue;
    const q = points[i]!;
    const d = pairedDifference(q.times, p.times);
    const redoes = q.redonePerCrash !== null && p.redonePerCrash !== null && q.redonePerCrash > 1.05 * p.redonePerCrash ? `; it redoes ${q.redonePerCrash.toFixed(1)} records per crash against ${p.redonePerCrash.toFixed(1)}` : '';
    const calls = q.heartbeatCalls > 1.05 * p.heartbeatCalls && q.heartbeatsSent > p.heartbeatsSent
      ? `; it calls heartbeat() ${ratio(q.heartbeatCalls, p.heartbeatCalls)} as often and sends ${ratio(q.heartbeatsSent, p.heartbeatsSent)} the heartbeats`
      : q.heartbeatsSent > p.heartbeatsSent
        ? `; it sends ${ratio(q.heartbeatsSent, p.heartbeatsSent)} the heartbeats`
        : `, though it sends fewer heartbeats (${q.heartbeatsSent.toFixed(0)} against ${p.heartbeatsSent.toFixed(0)} per run)`;
    const z = d.stdErr > 0 ? `${(d.mean / d.stdErr).toFixed(1)} standard errors` : 'the same in every run';
    reasons.push(`${label(i)} takes ${seconds(d.mean)} longer on average (${percent(d.mean / m)}, ${z})${drivers(q, p)}${calls}${redoes}.`);
  }
  if (incomplete > 0) reasons.push(`${incomplete} point(s) had runs that did not complete (out of attempts or time) and were not considered.`);
  const modelled = complete.filter((i) => points[i]!.modelMean !== null);
  if (modelled.length === complete.length && modelled.length > 1) {
    const modelBest = modelled.reduce((b, i) => (points[i]!.modelMean! < points[b]!.modelMean! ? i : b));
    reasons.push(modelBest === best
      ? `The analytic model ranks ${label(best)} fastest too (${seconds(points[best]!.modelMean!)}).`
      : `The analytic model ranks ${label(modelBest)} fastest (${seconds(points[modelBest]!.modelMean!)} against ${seconds(points[best]!.modelMean!)} for ${label(best)}).`);
  }
  return { point: pick, value: p.params[key] ?? null, reasons };
}
