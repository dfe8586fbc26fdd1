/**
 * Boundary places (properties/arbitraries/boundaries.ts): the narrow single-fault places the
 * search tries once each before its random draws, read from the reference run; and the coverage
 * labels that say what a place is in a scenario with a database or services.
 */
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { normalizeScenario } from '../../src/scenario.js';
import { runScenario } from '../../sim/simulate.js';
import { planSpaceOf, searchCaseArbitrary, type PlaceEvent, type PlanSpace } from '../../properties/arbitraries/fault-plan.js';
import { boundaryCases, boundaryFaults, MAX_BOUNDARY_CASES } from '../../properties/arbitraries/boundaries.js';
import { CoverageTracker, coverageLines, labelOf } from '../../properties/coverage.js';
import { runCheck } from '../../properties/check.js';
import statements from '../../examples/statements-ticker.js';

/** A space with `n` transactions of (read, BEGIN, INSERT, COMMIT), 10 ms apart, and heartbeats stored at `stored`. */
function pgSpace(n: number, stored: number[]): PlanSpace {
  const calls: PlaceEvent[] = [];
  const effectEvents: PlaceEvent[] = [];
  for (let i = 0; i < n; i++) {
    const t = i * 40;
    calls.push({ t, via: 'source' }, { t: t + 10, via: 'sql' }, { t: t + 20, via: 'sql' }, { t: t + 30, via: 'sql', endsTransaction: true });
    effectEvents.push({ t: t + 12, via: 'sql' }, { t: t + 22, via: 'sql' }, { t: t + 32, via: 'sql', endsTransaction: true });
  }
  return {
    horizonMs: n * 40, effects: effectEvents.length, heartbeatCalls: stored.length, heartbeatsSent: stored.length, detailsStored: stored.length, coalesced: 0,
    worldCalls: calls.length, storedTimes: stored, heartbeatTimeoutMs: 30_000, startToCloseTimeoutMs: 600_000, scheduleToStartTimeoutMs: 0, externalJobs: 0, calls, effectEvents,
  };
}

describe('boundary places', () => {
  test('each COMMIT first (transient on its call, crash before and after it), then each stored heartbeat (crash after it, the calls and effects around it)', () => {
    const faults = boundaryFaults(pgSpace(2, [35]));
    expect(faults.slice(0, 6)).toEqual([
      { kind: 'transient', call: 4 }, { kind: 'crash', beforeEffect: 3 }, { kind: 'crash', afterEffect: 3 },
      { kind: 'transient', call: 8 }, { kind: 'crash', beforeEffect: 6 }, { kind: 'crash', afterEffect: 6 },
    ]);
    // Heartbeat stored at 35: the last call before it is #4 (at 30, already tried), the first after it #5 (at 40);
    // the window it closes ends with effect #3 (tried), the next starts with effect #4.
    expect(faults.slice(6)).toEqual([
      { kind: 'crash', beforeEffect: 1 },
      { kind: 'crash', afterHeartbeatStored: 1 }, { kind: 'transient', call: 5 }, { kind: 'crash', beforeEffect: 4 },
    ]);
    // Each once.
    expect(new Set(faults.map((f) => JSON.stringify(f))).size).toBe(faults.length);
  });

  test('over the cap, whole groups are kept, evenly spread with the first and the last, transactions getting half; the same list every time', () => {
    const space = pgSpace(100, [35, 1035, 2035, 3035]);
    const faults = boundaryFaults(space);
    expect(faults.length).toBeLessThanOrEqual(MAX_BOUNDARY_CASES);
    expect(faults.length).toBeGreaterThan(MAX_BOUNDARY_CASES - 5);
    const commits = faults.filter((f) => f.kind === 'transient' && space.calls[f.call - 1]!.endsTransaction).map((f) => (f as { call: number }).call);
    expect(commits[0]).toBe(4);
    expect(commits[commits.length - 1]).toBe(400);
    // At least half the budget for transactions (more here: the 4 heartbeats need less than the other half).
    expect(commits.length).toBeGreaterThanOrEqual(Math.floor(Math.ceil(MAX_BOUNDARY_CASES / 2) / 3));
    expect(commits.length).toBeLessThan(100);
    expect(faults.filter((f) => f.kind === 'crash' && 'afterHeartbeatStored' in f)).toHaveLength(4);
    expect(boundaryFaults(space)).toEqual(faults);
  });

  test('only the kinds the check allows', () => {
    const faults = boundaryFaults(pgSpace(3, [35]), ['transient']);
    expect(faults.length).toBeGreaterThan(0);
    expect(faults.every((f) => f.kind === 'transient')).toBe(true);
  });

  test('read from a real reference run: the calls and effects of the sink example, one case each in the base world', async () => {
    const scenario = normalizeScenario(statements);
    const reference = await runScenario(scenario, { seed: 1, callLog: true });
    const space = planSpaceOf(scenario, reference);
    expect(space.calls).toHaveLength(reference.counts.worldCalls);
    expect(space.effectEvents).toHaveLength(reference.counts.effects);
    const cases = boundaryCases(space);
    expect(cases[0]).toEqual({ world: 0, plan: [{ kind: 'crash', beforeEffect: 1 }] });
    expect(cases).toContainEqual({ world: 0, plan: [{ kind: 'crash', afterHeartbeatStored: 1 }] });
    expect(cases.every((c) => c.world === 0 && c.plan.length === 1)).toBe(true);
  });

  test('a check tries the boundary cases first, then the random draws it made before (same seed, same draws after them)', async () => {
    const scenario = normalizeScenario(statements);
    const seen: string[] = [];
    const report = await runCheck(scenario, { seed: 4, runs: 30, properties: ['no-skipped-records'], observer: { judged: (_i, c) => seen.push(JSON.stringify(c)) } });
    const space = planSpaceOf(scenario, report.reference);
    const boundary = boundaryCases(space).map((c) => JSON.stringify(c));
    expect(seen.slice(0, boundary.length)).toEqual(boundary);
    const random = fc.sample(searchCaseArbitrary(space, 3), { seed: 4, numRuns: 30 - boundary.length }).map((c) => JSON.stringify(c));
    expect(seen.slice(boundary.length)).toEqual(random);
  });
});

describe('coverage labels in a scenario with a database', () => {
  test('effects are SQL statements, world calls are split by kind, COMMITs counted apart', () => {
    const space = pgSpace(2, [35]);
    expect(labelOf('crashBeforeEffect', space)).toBe('crash before SQL statement');
    const mixed: PlanSpace = { ...space, effectEvents: [{ t: 0, via: 'sink' }, ...space.effectEvents] };
    expect(labelOf('crashAfterEffect', mixed)).toBe('crash after sink effect or SQL statement');
    const tracker = new CoverageTracker(space);
    tracker.add({ world: 0, plan: [{ kind: 'transient', call: 4 }, { kind: 'transient', call: 1 }] });
    const transient = tracker.report().kinds.find((k) => k.kind === 'transient')!;
    expect(transient.parts).toEqual([
      { label: 'source reads', total: 2, exercised: 1 },
      { label: 'SQL statements', total: 6, exercised: 1 },
      { label: 'COMMIT statements (end a transaction)', total: 2, exercised: 1 },
    ]);
    const lines = coverageLines(tracker.report());
    expect(lines).toContainEqual(expect.stringMatching(/^ {4}- COMMIT statements \(end a transaction\)\s+1 of 2$/));
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}crash before SQL statement\s+0 of 6$/));
  });

  test('a sink-only scenario keeps its labels, with no split', async () => {
    const scenario = normalizeScenario(statements);
    const space = planSpaceOf(scenario, await runScenario(scenario, { seed: 1, callLog: true }));
    expect(labelOf('crashBeforeEffect', space)).toBe('crash before sink effect');
    expect(new CoverageTracker(space).report().kinds.every((k) => k.parts === undefined)).toBe(true);
  });
});
