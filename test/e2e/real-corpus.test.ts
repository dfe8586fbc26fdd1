/**
 * The corpus of examples/real/: activities written in the shapes real Temporal code has (async
 * completion finished by an external system, the client, several positional arguments, a return
 * value computed from details, a download that restarts by design, a ticker, a
 * cancellation-aware loop). Each one's exact verdict is asserted; the correct ones are checked on
 * a few more seeds here and on many under `npm run soak`.
 */
import { describe, expect, test } from 'vitest';
import { normalizeScenario } from '../../src/scenario.js';
import { runCheck, type CheckReport } from '../../properties/check.js';
import type { PropertyName } from '../../properties/types.js';

const modules = import.meta.glob<{ default: unknown }>('../../examples/real/*.ts');

async function load(file: string) {
  const importer = modules[`../../examples/real/${file}.ts`];
  if (importer === undefined) throw new Error(`no example real/${file}`);
  return normalizeScenario((await importer()).default);
}

function violated(report: CheckReport): PropertyName[] {
  return report.properties.filter((p) => !p.ok).map((p) => p.name);
}

/** Every example of the corpus and the properties it violates (none: a correct activity). */
export const CORPUS: readonly [file: string, violated: readonly PropertyName[], summary?: RegExp][] = [
  ['async-charge', []],
  ['async-charge-broken', ['idempotent'], /charged\/order-7 holds 2500 instead of 1250/],
  ['client-checkpoint', []],
  ['workflow-service', ['completes'], /client\.workflowService, which hbsim does not simulate/],
  ['fake-progress', []],
  ['sum-amounts', []],
  ['download', []],
  ['ticker', []],
  ['cancellable-sync', []],
];

describe('examples/real: exact verdicts', () => {
  test('the corpus is every file of examples/real', () => {
    expect(Object.keys(modules).map((p) => /real\/(.+)\.ts$/.exec(p)![1]).sort()).toEqual(CORPUS.map(([f]) => f).sort());
  });

  test.each(CORPUS)('%s violates %j', async (file, expected, summary) => {
    const report = await runCheck(await load(file), { seed: 1, runs: 100 });
    expect(violated(report)).toEqual(expected);
    if (summary !== undefined) {
      const p = report.properties.find((x) => x.name === expected[0])!;
      expect(p.violation!.summary).toMatch(summary);
    }
  });
});

describe('examples/real: the correct ones on more seeds', () => {
  const correct = CORPUS.filter(([, v]) => v.length === 0).map(([f]) => f);
  test.each(correct.flatMap((f) => [2, 3].map((seed) => [f, seed] as const)))('%s, seed %i', async (file, seed) => {
    const report = await runCheck(await load(file), { seed, runs: 40 });
    expect(report.properties.filter((p) => !p.ok).map((p) => `${p.name}: ${p.violation?.summary}`)).toEqual([]);
  });
});
