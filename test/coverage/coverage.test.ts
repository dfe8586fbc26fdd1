/**
 * Fault-space coverage: the places come from the fault-free reference run (one per sink effect,
 * heartbeat call, stored heartbeat, throttled call, heartbeat RPC, world call; one per heartbeat
 * window for time-keyed faults), and a check reports how many its cases exercised.
 */
import { describe, expect, test } from 'vitest';
import { normalizeScenario } from '../../src/scenario.js';
import { runScenario } from '../../sim/simulate.js';
import { runCheck } from '../../properties/check.js';
import { planSpaceOf } from '../../properties/arbitraries/fault-plan.js';
import { CoverageTracker, coverageLines, placeOf, windowOf } from '../../properties/coverage.js';
import good from '../../examples/add-with-idempotency-key.js';
import statements from '../../examples/statements-ticker.js';

describe('fault-space coverage', () => {
  test('the places are counted from the reference run', async () => {
    const scenario = normalizeScenario(statements);
    const reference = await runScenario(scenario, { seed: 1, callLog: true });
    const space = planSpaceOf(scenario, reference);
    const empty = new CoverageTracker(space).report();
    const byKind = new Map(empty.kinds.map((k) => [k.kind, k]));
    expect(byKind.get('crashAfterEffect')!.total).toBe(reference.counts.effects);
    expect(byKind.get('crashAfterHeartbeatCall')!.total).toBe(reference.counts.heartbeatCalls);
    expect(byKind.get('crashAfterHeartbeatStored')!.total).toBe(reference.counts.detailsStored);
    expect(byKind.get('heartbeatLost')!.total).toBe(reference.counts.heartbeatsSent);
    expect(byKind.get('transient')!.total).toBe(reference.counts.worldCalls);
    expect(byKind.get('crashAt')!.total).toBe(reference.counts.detailsStored + 1);
    expect(empty.exercised).toBe(0);
    expect(empty.total).toBe(empty.kinds.reduce((n, k) => n + k.total, 0));
  });

  test('a fault lands on its place; out-of-range indices and times count for none', async () => {
    const scenario = normalizeScenario(statements);
    const space = planSpaceOf(scenario, await runScenario(scenario, { seed: 1, callLog: true }));
    expect(placeOf({ kind: 'crash', afterEffect: 3 }, space)).toEqual({ kind: 'crashAfterEffect', index: 3 });
    expect(placeOf({ kind: 'crash', afterEffect: space.effects + 1 }, space)).toBeUndefined();
    expect(placeOf({ kind: 'heartbeatDelayed', nth: 1, byMs: 5 }, space)).toEqual({ kind: 'heartbeatDelayed', index: 1 });
    expect(placeOf({ kind: 'crash', at: space.horizonMs + 1 }, space)).toBeUndefined();
    const t = space.storedTimes[0]!;
    expect(windowOf(t - 1, space)).toBe(0);
    expect(windowOf(t, space)).toBe(1);
    expect(placeOf({ kind: 'partition', at: t, durationMs: 10 }, space)).toEqual({ kind: 'partition', index: 1 });
    const tracker = new CoverageTracker(space);
    tracker.add({ world: 0, plan: [{ kind: 'crash', afterEffect: 3 }, { kind: 'crash', afterEffect: 3 }, { kind: 'crash', afterEffect: 4 }] });
    const line = tracker.report().kinds.find((k) => k.kind === 'crashAfterEffect')!;
    expect(line.exercised).toBe(2);
    expect(coverageLines(tracker.report()).find((l) => l.includes('crash after sink effect'))).toMatch(new RegExp(`crash after sink effect\\s+2 of ${space.effects}$`));
  });

  test('a check reports what its cases exercised: more runs, more places, never more than there are', async () => {
    const scenario = normalizeScenario(good);
    const few = await runCheck(scenario, { seed: 5, runs: 10 });
    const many = await runCheck(scenario, { seed: 5, runs: 120 });
    expect(few.coverage.total).toBe(many.coverage.total);
    expect(few.coverage.exercised).toBeGreaterThan(0);
    expect(many.coverage.exercised).toBeGreaterThan(few.coverage.exercised);
    for (const k of many.coverage.kinds) expect(k.exercised).toBeLessThanOrEqual(k.total);
    const again = await runCheck(scenario, { seed: 5, runs: 10 });
    expect(again.coverage).toEqual(few.coverage);
  });
});
