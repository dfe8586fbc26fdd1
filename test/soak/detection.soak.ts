/**
 * `npm run soak`: the search's detection rate. Every broken example is caught on the property it
 * breaks by a plain check (default 200 runs, 3 faults) on every seed tried, seeds 1..N as in the
 * README's detection table (N = HBSIM_SOAK_SEEDS, default 20; the Postgres ones 1..N/2, at least
 * 1, except heartbeat-before-COMMIT, whose one-statement window is the reason this file exists).
 */
import { describe, expect, test } from 'vitest';
import { normalizeScenario } from '../../src/scenario.js';
import { runCheck } from '../../properties/check.js';
import type { PropertyName } from '../../properties/types.js';

const modules = import.meta.glob<{ default: unknown }>('../../examples/**/*.ts');
const SEEDS = Number(process.env['HBSIM_SOAK_SEEDS'] ?? 20);

async function load(file: string) {
  const importer = modules[`../../examples/${file}.ts`];
  if (importer === undefined) throw new Error(`no example ${file}`);
  return normalizeScenario((await importer()).default);
}

const seeds = (n: number): number[] => Array.from({ length: Math.max(1, n) }, (_, i) => i + 1);

const BROKEN: [file: string, property: PropertyName, seeds: number[]][] = [
  ['broken/add-without-idempotency-key', 'idempotent', seeds(SEEDS)],
  ['broken/details-set', 'details-serializable', seeds(SEEDS)],
  ['broken/heartbeat-before-effect', 'no-skipped-records', seeds(SEEDS)],
  ['broken/heartbeat-before-effect-temporal', 'no-skipped-records', seeds(SEEDS)],
  ['broken/heartbeat-gap', 'completes', seeds(SEEDS)],
  ['broken/restarts-from-zero', 'progress-monotonic', seeds(SEEDS)],
  ['broken/swallowed-transient-error', 'no-skipped-records', seeds(SEEDS)],
  ['broken/total-from-last-attempt', 'result', seeds(SEEDS)],
  ['broken/uses-math-random', 'deterministic', seeds(SEEDS)],
  ['real/async-charge-broken', 'idempotent', seeds(SEEDS)],
  ['real/sum-amounts-broken', 'result', seeds(SEEDS)],
  ['broken/postgres/heartbeat-before-commit', 'no-skipped-records', seeds(SEEDS)],
  ['broken/postgres/balance-without-dedupe', 'idempotent', seeds(SEEDS / 2)],
  ['broken/postgres/insert-without-on-conflict', 'completes', seeds(SEEDS / 2)],
  ['broken/postgres/transaction-spans-heartbeat', 'no-skipped-records', seeds(SEEDS / 2)],
];

describe.each(BROKEN)('%s is caught on %s by a plain check', (file, property, list) => {
  test.each(list)('seed %i', async (seed) => {
    const report = await runCheck(await load(file), { seed });
    expect(report.properties.find((p) => p.name === property)?.ok).toBe(false);
  }, 300_000);
});
