/** `hbsim/vitest`: resolves on a correct scenario, rejects with the replay command on a broken one. */
import { describe, expect, test } from 'vitest';
import { checkScenario, ScenarioCheckError } from 'hbsim/vitest';
import good from '../examples/add-with-idempotency-key.js';
import broken from '../examples/broken/add-without-idempotency-key.js';

describe('hbsim/vitest checkScenario', () => {
  test('a correct scenario: resolves with the report', async () => {
    const report = await checkScenario(good, { seed: 3, runs: 50, corpus: false });
    expect(report.ok).toBe(true);
  });

  test('a broken scenario: rejects with the property, the minimal plan and the replay command', async () => {
    const error = await checkScenario(broken, { seed: 3, runs: 200, file: 'examples/broken/add-without-idempotency-key.ts', corpus: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ScenarioCheckError);
    const message = (error as Error).message;
    expect(message).toContain('violates idempotent (seed 3)');
    expect(message).toContain('minimal fault plan');
    expect(message).toMatch(/replay: npx hbsim replay examples\/broken\/add-without-idempotency-key\.ts --seed 3 --path [\d:]+ --max-faults 3 --property idempotent/);
  });
});
