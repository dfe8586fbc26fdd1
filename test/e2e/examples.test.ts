/**
 * Every example, checked with a fixed seed: the broken ones are caught on exactly the property
 * they break (each checker shown to catch a deliberately broken activity), the correct ones are
 * never flagged, over many seeds.
 */
import { describe, expect, test } from 'vitest';
import { normalizeScenario } from '../../src/scenario.js';
import { CaseRunner, runCheck } from '../../properties/check.js';
import type { PropertyName } from '../../properties/types.js';

const BROKEN: [file: string, violated: PropertyName[]][] = [
  ['broken/heartbeat-before-effect', ['no-skipped-records']],
  ['broken/heartbeat-before-effect-temporal', ['no-skipped-records']],
  ['broken/add-without-idempotency-key', ['idempotent']],
  ['broken/details-set', ['details-serializable']],
  ['broken/swallowed-transient-error', ['no-skipped-records']],
  ['broken/heartbeat-gap', ['completes']],
  ['broken/restarts-from-zero', ['progress-monotonic']],
  ['broken/uses-math-random', ['deterministic']],
  ['broken/total-from-last-attempt', ['result']],
];

const modules = import.meta.glob<{ default: unknown }>('../../examples/**/*.ts');

async function load(file: string) {
  const importer = modules[`../../examples/${file}.ts`];
  if (importer === undefined) throw new Error(`no example ${file}`);
  return normalizeScenario((await importer()).default);
}

describe('broken examples are caught on the property they break', () => {
  test.each(BROKEN)('%s violates %j', async (file, violated) => {
    const report = await runCheck(await load(file), { seed: 1, runs: 200 });
    expect(report.properties.filter((p) => !p.ok).map((p) => p.name)).toEqual(violated);
    for (const p of report.properties.filter((x) => !x.ok)) {
      expect(p.violation!.summary.length).toBeGreaterThan(20);
      expect(p.plan!.length).toBeLessThanOrEqual(3);
      expect(p.result!.trace.length).toBeGreaterThan(0);
    }
    if (violated.includes('deterministic')) {
      const d = report.properties.find((p) => p.name === 'deterministic')!.violation!;
      expect(d.summary).toMatch(/diverged at event #\d+/);
      expect(d.details.join(' ')).toContain('world.random()');
    }
  });

  test('the minimal plan is minimal: removing any fault makes the violation go away', async () => {
    const scenario = await load('broken/add-without-idempotency-key');
    const report = await runCheck(scenario, { seed: 5, runs: 200, properties: ['idempotent'] });
    const p = report.properties[0]!;
    expect(p.ok).toBe(false);
    expect(p.plan!.length).toBeGreaterThan(0);
    const runner = new CaseRunner(scenario, 5);
    const world = p.worldSeed! - 5;
    expect(await runner.verdict('idempotent', { world, plan: p.plan! }, true, 1)).toBeDefined();
    for (let i = 0; i < p.plan!.length; i++) {
      const smaller = p.plan!.filter((_, j) => j !== i);
      expect(await runner.verdict('idempotent', { world, plan: smaller }, true, 1)).toBeUndefined();
    }
    // The same seed finds the same minimal plan.
    const again = await runCheck(scenario, { seed: 5, runs: 200, properties: ['idempotent'] });
    expect(again.properties[0]!.plan).toEqual(p.plan);
  });
});

describe('correct examples are never flagged', () => {
  test.each([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])('add-with-idempotency-key, seed %i', async (seed) => {
    const report = await runCheck(await load('add-with-idempotency-key'), { seed, runs: 100 });
    expect(report.properties.filter((p) => !p.ok).map((p) => `${p.name}: ${p.violation?.summary}`)).toEqual([]);
  });

  test.each([1, 2, 3, 4, 5, 6])('total-in-details (result judged), seed %i', async (seed) => {
    const report = await runCheck(await load('total-in-details'), { seed, runs: 100 });
    expect(report.properties.map((p) => `${p.name}: ${p.ok ? (p.notJudged ?? 'held') : p.violation?.summary}`)).toEqual(report.properties.map((p) => `${p.name}: held`));
  });

  test.each([
    ['statements-ticker', 101],
    ['statements-ticker', 102],
    ['statements-temporal', 103],
    ['statements-temporal', 104],
  ])('%s, seed %i', async (file, seed) => {
    const report = await runCheck(await load(file), { seed, runs: 60 });
    expect(report.properties.filter((p) => !p.ok).map((p) => `${p.name}: ${p.violation?.summary}`)).toEqual([]);
  });
});
