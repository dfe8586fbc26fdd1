/** `hbsim/vitest`: resolves on a correct scenario, rejects with the replay command on a broken one. */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

  test('reportDir: a failure writes the failure file and the HTML timeline, as hbsim check does; a pass writes nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hbsim-vitest-report-'));
    try {
      await checkScenario(good, { seed: 3, runs: 20, reportDir: dir, corpus: false });
      expect(readdirSync(dir)).toEqual([]);
      const file = 'examples/broken/add-without-idempotency-key.ts';
      const error = await checkScenario(broken, { seed: 3, runs: 200, file, reportDir: dir, corpus: false }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ScenarioCheckError);
      const { files, message } = error as ScenarioCheckError;
      const json = join(dir, 'failures', 'add-without-idempotency-key-3.json');
      const html = join(dir, 'failures', 'add-without-idempotency-key-3-idempotent.html');
      expect(files).toEqual({ failureFile: json, html: [html] });
      expect(existsSync(json) && existsSync(html)).toBe(true);
      const failure = JSON.parse(readFileSync(json, 'utf8')) as { seed: number; scenario: { file: string }; failures: { property: string; report: string }[] };
      expect(failure.seed).toBe(3);
      expect(failure.scenario.file).toBe(file);
      expect(failure.failures.map((f) => [f.property, f.report])).toEqual([['idempotent', html]]);
      const page = readFileSync(html, 'utf8');
      expect(page).toContain('<h1>add-without-idempotency-key: idempotent violated (seed 3)</h1>');
      expect(message).toContain(`report: ${html}`);
      expect(message).toContain(`failure file: ${json}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
