/**
 * The seed's batch job end to end, both front doors: a scripted crash resumes from the stored
 * offset, redoes only the records since the last stored heartbeat, and finishes with the same
 * sink state as an uncrashed run.
 */
import { describe, expect, test } from 'vitest';
import { decodeDetails } from '../../src/model/payload.js';
import { simulate } from '../../sim/simulate.js';
import type { SimulationResult } from '../../sim/simulation.js';
import ticker from '../../examples/statements-ticker.js';
import temporal from '../../examples/statements-temporal.js';

function offsetOf(details: string | undefined): number {
  return (decodeDetails(details) as { offset: number } | undefined)?.offset ?? 0;
}

/** The last details the server stored before time `t`. */
function storedBefore(result: SimulationResult, t: number): string | undefined {
  let last: string | undefined;
  for (const ev of result.trace) if (ev.type === 'detailsStored' && ev.t <= t) last = ev.details;
  return last;
}

describe.each([
  ['native', ticker],
  ['temporal', temporal],
])('the seed batch job (%s front door)', (_door, scenario) => {
  test('runs to completion in one attempt without faults', async () => {
    const r = await simulate(scenario, { seed: 7 });
    expect(r.outcome.status).toBe('completed');
    expect(r.attempts).toHaveLength(1);
    expect(r.sink.size).toBe(5000);
    expect(r.counts.recordsRedone).toBe(0);
    // The ticker heartbeats every 5 s; the server stores what the throttle lets through.
    expect(r.counts.heartbeatCalls).toBeGreaterThan(0);
    expect(r.counts.detailsStored).toBeGreaterThan(0);
    expect(r.warnings).toEqual([]);
  });

  test('a crash at 12 s resumes from the stored offset and redoes only what came after it', async () => {
    const clean = await simulate(scenario, { seed: 7 });
    const crashAt = 12_000;
    const r = await simulate(scenario, { seed: 7, faults: [{ kind: 'crash', at: crashAt }] });
    expect(r.outcome.status).toBe('completed');
    expect(r.attempts.map((a) => a.how)).toEqual(['crashed', 'completed']);
    const stored = storedBefore(r, crashAt);
    expect(stored).toBeDefined();
    // H2: attempt 2 starts from the last details that reached the server before the crash.
    expect(r.attempts[1]!.startDetails).toBe(stored);
    // It redoes exactly the records attempt 1 wrote at or after that offset.
    const from = offsetOf(stored);
    const writtenByFirst = r.trace.filter((e) => e.type === 'effect' && e.attempt === 1).length;
    expect(writtenByFirst).toBeGreaterThan(from);
    expect(r.counts.recordsRedone).toBe(writtenByFirst - from);
    const firstKeyOfSecond = r.trace.find((e) => e.type === 'effect' && e.attempt === 2);
    expect(firstKeyOfSecond).toMatchObject({ key: `statement/rec-${String(from).padStart(6, '0')}` });
    // Same final sink as the uncrashed run.
    expect(r.sink).toEqual(clean.sink);
  });

  test('the same seed and plan give the same trace digest', async () => {
    const plan = { seed: 11, faults: [{ kind: 'crash', at: 9_000 }] } as const;
    const a = await simulate(scenario, plan);
    const b = await simulate(scenario, plan);
    expect(a.digest).toBe(b.digest);
    expect(a.trace).toEqual(b.trace);
    const c = await simulate(scenario, { seed: 12, faults: plan.faults });
    expect(c.digest).not.toBe(a.digest);
  });
});
