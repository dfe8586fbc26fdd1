/**
 * `--exhaustive`: every single-fault placement of the fault-free run, equivalent ones merged,
 * then pairs of representatives up to the budget; deterministic; finds single-fault bugs without
 * luck.
 */
import { describe, expect, test } from 'vitest';
import { normalizeScenario } from '../../src/scenario.js';
import { runScenario } from '../../sim/simulate.js';
import { runCheck } from '../../properties/check.js';
import { planSpaceOf } from '../../properties/arbitraries/fault-plan.js';
import { CoverageTracker } from '../../properties/coverage.js';
import { equivalenceKey, singlePlacements } from '../../properties/exhaustive.js';
import broken from '../../examples/broken/heartbeat-before-effect.js';
import good from '../../examples/add-with-idempotency-key.js';

describe('exhaustive small scope', () => {
  test('the single placements are exactly the places of the fault space, each once', async () => {
    const scenario = normalizeScenario({ ...broken, records: 30 });
    const space = planSpaceOf(scenario, await runScenario(scenario, { seed: 2, callLog: true }));
    const singles = singlePlacements(space);
    const tracker = new CoverageTracker(space);
    for (const f of singles) tracker.addFault(f);
    const c = tracker.report();
    expect(singles).toHaveLength(c.total);
    expect(c.exercised).toBe(c.total);
    expect(new Set(singles.map((f) => JSON.stringify(f))).size).toBe(singles.length);
  });

  test('finds the bug with a one-fault plan, merges equivalent placements, stays within the budget, and is deterministic', async () => {
    const scenario = normalizeScenario({ ...broken, records: 30 });
    const a = await runCheck(scenario, { seed: 2, exhaustive: true, maxCases: 200 });
    expect(a.ok).toBe(false);
    const failed = a.properties.filter((p) => !p.ok);
    for (const p of failed) expect(p.plan!.length).toBeLessThanOrEqual(1);
    const s = a.exhaustive!;
    expect(s.placements).toBe(a.coverage.total);
    expect(a.coverage.exercised).toBe(a.coverage.total);
    expect(s.merged).toBeGreaterThan(0);
    expect(s.classes + s.merged).toBe(s.placements);
    expect(s.pairs).toBeGreaterThan(0);
    expect(s.pairs).toBe(Math.min(s.pairsTotal, Math.max(0, 200 - s.placements)));
    expect(a.runs).toBe(s.placements + s.pairs);
    const b = await runCheck(scenario, { seed: 2, exhaustive: true, maxCases: 200 });
    expect(b.exhaustive).toEqual(a.exhaustive);
    expect(b.properties.map((p) => [p.name, p.ok, p.plan])).toEqual(a.properties.map((p) => [p.name, p.ok, p.plan]));
  });

  test('a correct scenario holds on every placement; equivalence tells runs apart by stored details and effects', async () => {
    const scenario = normalizeScenario({ ...good, records: 20 });
    const reference = await runScenario(scenario, { seed: 4 });
    const crashed = await runScenario(scenario, { seed: 4, faults: [{ kind: 'crash', afterEffect: 5 }] });
    const same = await runScenario(scenario, { seed: 4 });
    expect(equivalenceKey(same)).toBe(equivalenceKey(reference));
    expect(equivalenceKey(crashed)).not.toBe(equivalenceKey(reference));
    const report = await runCheck(scenario, { seed: 4, exhaustive: true, maxCases: 1 });
    expect(report.ok).toBe(true);
    expect(report.exhaustive!.pairs).toBe(0);
  });
});
