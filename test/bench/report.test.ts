/**
 * What a benchmark reports: the recommendation rule, determinism of the results, the summary's
 * tables and the charts.
 */
import { describe, expect, test } from 'vitest';
import { parseParam, parseSweep } from '../../app/bench/params.js';
import { pairedDifference, recommend, type PointOutcome } from '../../app/bench/recommendation.js';
import { runBench, type BenchSettings } from '../../app/bench/runner.js';
import { summaryMarkdown } from '../../app/bench/summary.js';
import { completionTimeSpec, heartbeatsSpec, renderCharts } from '../../app/bench/charts.js';
import { modelNotes, overviewTable } from '../../app/bench/summary.js';
import reference from '../../examples/batch-statements.js';

function point(value: string, times: readonly (number | null)[], heartbeatsSent: number): PointOutcome {
  return { params: { heartbeatEvery: value }, times, heartbeatsSent, heartbeatCalls: heartbeatsSent, redonePerCrash: 1, p95: Math.max(...times.map((t) => t ?? 0)), faultFree: 90_000, modelMean: null, modelTerms: null };
}

describe('recommendation', () => {
  const base = Array.from({ length: 50 }, (_, i) => 100_000 + (i % 7) * 3000);

  test('paired differences', () => {
    expect(pairedDifference([1, 2, null, 4], [0, 0, 5, 2])).toEqual({ mean: 5 / 3, stdErr: expect.closeTo(Math.sqrt(((1 - 5 / 3) ** 2 + (2 - 5 / 3) ** 2 + (2 - 5 / 3) ** 2) / 2) / Math.sqrt(3), 12) });
  });

  test('the fastest point, unless one as fast within noise sends fewer heartbeats', () => {
    const fast = point('1s', base, 50);
    const asFast = point('5s', base.map((t, i) => t + (i % 2 === 0 ? 500 : -400)), 10); // +50 ms on average, noisy
    const slow = point('20s', base.map((t) => t + 12_000), 5);
    const r = recommend([fast, asFast, slow], 'heartbeatEvery');
    expect(r.point).toBe(1);
    expect(r.value).toBe('5s');
    expect(r.reasons[0]).toMatch(/^heartbeatEvery=5s completes in/);
    expect(r.reasons.join('\n')).toMatch(/heartbeatEvery=1s is faster by .* within noise .* sends 5\.0x the heartbeats \(50 against 10 per run\)/);
    expect(r.reasons.join('\n')).toMatch(/heartbeatEvery=20s takes 11\.9 s longer on average \(11\.0%, [\d.]+ standard errors\), though it sends fewer heartbeats \(5 against 10 per run\)\./);
  });

  test('the model says what a slower point spends its time on', () => {
    const terms = (checkpoints: number, detection: number) => ({ checkpoints, detection, backoff: 1000, lag: 500 });
    const cheap = { ...point('20s', base, 4), heartbeatCalls: 4, modelMean: 130_000, modelTerms: terms(800, 28_000) };
    const costly = { ...point('1s', base.map((t) => t + 20_000), 6), heartbeatCalls: 110, modelMean: 150_000, modelTerms: terms(19_800, 29_000) };
    const r = recommend([costly, cheap], 'heartbeatEvery');
    expect(r.value).toBe('20s');
    expect(r.reasons[1]).toBe('heartbeatEvery=1s takes 20.0 s longer on average (18.4%, the same in every run); the model puts it down to time blocked in checkpoints, (n-1)C (+19.0 s); it calls heartbeat() 27.5x as often and sends 1.5x the heartbeats.');
  });

  test('a point with runs that did not complete is not recommended', () => {
    const r = recommend([point('1s', [100_000, null, 100_000], 10), point('5s', [200_000, 200_000, 200_000], 20)], 'heartbeatEvery');
    expect(r.point).toBe(1);
    expect(r.reasons.join(' ')).toMatch(/1 point\(s\) had runs that did not complete/);
    expect(recommend([point('1s', [null], 10)], 'heartbeatEvery')).toMatchObject({ point: null, value: null });
  });
});

describe('a whole (small) benchmark', () => {
  const settings: BenchSettings = { params: [parseParam('records=200'), parseParam('recordTime=100ms')], sweep: parseSweep('heartbeatEvery=1s,4s'), mtbfMs: 10_000, runs: 12, seed: 5 };

  test('same seed, same results (no wall-clock data in them)', async () => {
    const a = await runBench(reference, settings);
    const b = await runBench(reference, settings);
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    const c = await runBench(reference, { ...settings, seed: 6 });
    expect(JSON.stringify(c)).not.toBe(JSON.stringify(a));
    expect(a).toMatchObject({ scenario: 'batch-statements', seed: 5, runs: 12, mtbfMs: 10_000, rpcLatencyMs: null, sweep: { key: 'heartbeatEvery', values: ['1s', '4s'] } });
    expect(a.points.map((p) => p.params)).toEqual([{ records: 200, recordTime: '100ms', heartbeatEvery: '1s' }, { records: 200, recordTime: '100ms', heartbeatEvery: '4s' }]);
    for (const p of a.points) {
      expect(p.runs).toBe(12);
      expect(p.completed).toBe(12);
      expect(p.crashes.mean).toBeGreaterThan(0);
      // 200 records of 100 ms, then the completion report's request half (RPC 10 ms).
      expect(p.faultFree.completionTime).toBe(20_005);
      expect(p.completionTime.p50).toBeLessThanOrEqual(p.completionTime.p95);
      expect(p.completionTime.p95).toBeLessThanOrEqual(p.completionTime.p99);
      expect(p.model.applicable).toBe(true);
    }
  }, 30_000);

  test('the summary has the overview, a table per point (simulation | model) and the recommendation', async () => {
    const result = await runBench(reference, settings);
    const md = summaryMarkdown(result, 'npx hbsim bench examples/batch-statements.ts ...');
    expect(md).toContain('# hbsim bench: batch-statements');
    expect(md).toContain('## Recommendation');
    expect(md).toMatch(/\*\*heartbeatEvery=(1s|4s)\*\*/);
    expect(md).toContain('| heartbeatEvery | completion mean (model) | p50 | p95 | p99 |');
    expect(md).toContain('## heartbeatEvery=1s');
    expect(md).toContain('## heartbeatEvery=4s');
    expect(md.match(/\| {2}\| simulation \| model \|/g)).toHaveLength(2);
    expect(md).toMatch(/E\[T\] = W 20\.0 s \+ \(n-1\)C 0\.00 s/);
    expect(md).toContain('![completion time](completion-time.svg)');
  }, 30_000);

  test('charts: SVG documents, the swept durations in seconds on the x axis', async () => {
    const result = await runBench(reference, settings);
    const spec = completionTimeSpec(result) as unknown as { layer: { data: { values: { x: unknown }[] } }[] };
    expect(spec.layer[0]!.data.values.map((v) => v.x)).toEqual([1, 4]);
    const charts = await renderCharts(result);
    expect(Object.keys(charts)).toEqual(['completion-time.svg', 'heartbeats-sent.svg']);
    for (const svg of Object.values(charts)) expect(svg).toMatch(/^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(charts['completion-time.svg']).toContain('batch-statements: completion time');
    expect(charts['completion-time.svg']).toContain('heartbeatEvery (s)');
    expect(charts['heartbeats-sent.svg']).toContain('sent (model)');
    // Rendering is deterministic too.
    expect((await renderCharts(result))['completion-time.svg']).toBe(charts['completion-time.svg']);
  }, 30_000);

  test('no model: no "model" legend entry in either chart, no model column, its reason printed once under the table', async () => {
    const result = await runBench(reference, settings);
    const reason = 'the activity does not heartbeat at a fixed interval of records';
    const none = { ...result, points: result.points.map((p) => ({ ...p, model: { applicable: false as const, reason } })) };
    const legendOf = (spec: unknown): unknown => (JSON.parse(JSON.stringify(spec)) as { layer?: { encoding: { color?: { scale: { domain: unknown } } } }[]; encoding?: { color: { scale: { domain: unknown } } } }).layer?.[1]?.encoding.color?.scale.domain ?? (spec as { encoding: { color: { scale: { domain: unknown } } } }).encoding.color.scale.domain;
    expect(legendOf(completionTimeSpec(result))).toEqual(['simulation', 'model']);
    expect(legendOf(completionTimeSpec(none))).toEqual(['simulation']);
    expect(legendOf(heartbeatsSpec(none))).toEqual(['calls (simulation)', 'sent (simulation)']);
    const charts = await renderCharts(none);
    // Legend labels as drawn: no entry for a series that is not drawn.
    for (const svg of Object.values(charts)) expect(svg).not.toMatch(/>[^<]*model[^<]*<\/text>/);
    const table = overviewTable(none);
    expect(table[0]).toContain('| completion mean | p50 |');
    expect(table.join('\n')).not.toContain('(-)');
    expect(modelNotes(none)).toEqual([`model: none (${reason})`]);
    expect(modelNotes(result)).toEqual([]);
    const mixed = { ...result, points: [result.points[0]!, { ...result.points[1]!, model: { applicable: false as const, reason } }] };
    expect(modelNotes(mixed)).toEqual([`model for heartbeatEvery=4s: none (${reason})`]);
  }, 30_000);
});
