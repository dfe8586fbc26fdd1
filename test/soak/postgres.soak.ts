/**
 * `npm run soak`: the Postgres examples under `runCheck`, against a real engine (PGlite) made once for this file:
 * the correct jobs hold, each broken one is caught on the property it breaks, with an explanation
 * naming the table, the key, the column and the SQL statements.
 */
import { describe, expect, test } from 'vitest';
import { normalizeScenario } from '../../src/scenario.js';
import { runCheck } from '../../properties/check.js';
import type { PropertyName } from '../../properties/types.js';

const modules = import.meta.glob<{ default: unknown }>('../../examples/**/*.ts');

async function load(file: string) {
  const importer = modules[`../../examples/${file}.ts`];
  if (importer === undefined) throw new Error(`no example ${file}`);
  return normalizeScenario((await importer()).default);
}

describe('Postgres examples', () => {
  test.each([
    ['postgres/statements'],
    ['postgres/balances'],
  ])('%s: every property holds', async (file) => {
    const report = await runCheck(await load(file), { seed: 3, runs: 60 });
    expect(report.properties.filter((p) => !p.ok).map((p) => `${p.name}: ${p.violation?.summary}`)).toEqual([]);
  }, 120_000);

  const BROKEN: [file: string, violated: PropertyName[], says: RegExp][] = [
    ['broken/postgres/balance-without-dedupe', ['idempotent'], /accounts\[id=acc-\d\]\.balance holds \d+ instead of \d+ \(\d+ too much\).*UPDATE accounts SET balance = balance \+ \$1 WHERE id = \$2/],
    ['broken/postgres/insert-without-on-conflict', ['completes'], /23505|duplicate key/],
    ['broken/postgres/heartbeat-before-commit', ['no-skipped-records'], /row statements\[key=rec-\d+\] is missing.*no committed statement wrote it/],
    ['broken/postgres/transaction-spans-heartbeat', ['no-skipped-records'], /row statements\[key=rec-\d+\] is missing/],
  ];
  test.each(BROKEN)('%s violates %j', async (file, violated, says) => {
    const report = await runCheck(await load(file), { seed: 1, runs: 100 });
    const failed = report.properties.filter((p) => !p.ok);
    expect(failed.map((p) => p.name)).toEqual(violated);
    const v = failed[0]!.violation!;
    expect(`${v.summary}\n${v.details.join('\n')}`).toMatch(says);
  }, 120_000);
});
