/**
 * `npm run soak`: the correct examples over many more seeds and runs than `npm test` affords,
 * and the broken ones over many seeds (each must be caught on its property every time).
 */
import { describe, expect, test } from 'vitest';
import { normalizeScenario } from '../../src/scenario.js';
import { runCheck } from '../../properties/check.js';

const modules = import.meta.glob<{ default: unknown }>('../../examples/**/*.ts');
const SEEDS = Number(process.env['HBSIM_SOAK_SEEDS'] ?? 50);

async function load(file: string) {
  return normalizeScenario((await modules[`../../examples/${file}.ts`]!()).default);
}

describe.each(['add-with-idempotency-key', 'statements-ticker', 'statements-temporal'])('%s is never flagged', (file) => {
  test.each(Array.from({ length: SEEDS }, (_, i) => 1000 + i))('seed %i', async (seed) => {
    const report = await runCheck(await load(file), { seed, runs: 200 });
    expect(report.properties.filter((p) => !p.ok).map((p) => `${p.name}: ${p.violation?.summary}`)).toEqual([]);
  });
});

describe.each(['real/async-charge', 'real/client-checkpoint', 'real/fake-progress', 'real/sum-amounts', 'real/download', 'real/ticker', 'real/cancellable-sync'])('%s is never flagged', (file) => {
  test.each(Array.from({ length: SEEDS }, (_, i) => 3000 + i))('seed %i', async (seed) => {
    const report = await runCheck(await load(file), { seed, runs: 200 });
    expect(report.properties.filter((p) => !p.ok).map((p) => `${p.name}: ${p.violation?.summary}`)).toEqual([]);
  });
});

describe.each([
  ['real/async-charge-broken', 'idempotent'],
  ['real/workflow-service', 'completes'],
  ['broken/heartbeat-before-effect', 'no-skipped-records'],
  ['broken/add-without-idempotency-key', 'idempotent'],
  ['broken/swallowed-transient-error', 'no-skipped-records'],
])('%s is always caught', (file, property) => {
  test.each(Array.from({ length: SEEDS }, (_, i) => 2000 + i))('seed %i', async (seed) => {
    const report = await runCheck(await load(file), { seed, runs: 200 });
    expect(report.properties.find((p) => p.name === property)?.ok).toBe(false);
  });
});
