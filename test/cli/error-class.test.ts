/**
 * Issue 13, errors in the right class: an activity factory that throws is the user's error (exit
 * 2, naming the scenario file and the factory), from every command and from the library; at a
 * restart under faults it is a crash of that worker, reported in the run; exit 3 ("internal
 * error") is kept for hbsim's own bugs.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { ActivityFactoryError, HbsimConfigError, normalizeScenario, simulate } from 'hbsim';
import throwing from '../fixtures/factory-throws.js';
import throwingAtRestart from '../fixtures/factory-throws-at-restart.js';

function hbsim(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['bin/hbsim.js', ...args], { timeout: 120_000 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : ((error as { code?: number }).code ?? -1), stdout, stderr });
    });
  });
}

const reports = mkdtempSync(join(tmpdir(), 'hbsim-errclass-'));
const FILE = 'test/fixtures/factory-throws.ts';
const MESSAGE = `hbsim: ${FILE}: activity: the factory threw Error: DB_URL not set when worker-1#1 started, expected a factory activity(world, params) that returns the activity function\n`;

describe('an activity factory that throws at start-up is the user\'s error: exit 2, naming the file and the factory', () => {
  for (const args of [['check', FILE, '--seed', '1', '--runs', '5', '--report-dir', reports], ['run', FILE], ['bench', FILE, '--runs', '2', '--seed', '1', '--out', join(reports, 'bench')]]) {
    test(`hbsim ${args[0]}`, async () => {
      const r = await hbsim(...args);
      expect(r.stderr).toBe(MESSAGE);
      expect(r.code).toBe(2);
    });
  }

  test('the library throws ActivityFactoryError (a HbsimConfigError on the field "activity")', async () => {
    const error = await simulate(throwing, { seed: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ActivityFactoryError);
    expect(error).toBeInstanceOf(HbsimConfigError);
    expect((error as HbsimConfigError).field).toBe('activity');
  });

  test('a factory that returns something else than a function: the same class', async () => {
    const scenario = { ...throwing, activity: () => 42 } as unknown as typeof throwing;
    expect(normalizeScenario(scenario).name).toBe('factory-throws'); // valid as far as its shape goes
    await expect(simulate(scenario, { seed: 1 })).rejects.toThrow(/^activity: the factory returned 42, not a function, when worker-1#1 started/);
  });
});

describe('an activity factory that throws at a restart under faults is a crash of that worker', () => {
  test('simulate: the run goes on without that worker and its warnings say why', async () => {
    const r = await simulate(throwingAtRestart, { seed: 1, faults: [{ kind: 'crash', at: 20 }] });
    expect(r.warnings.join('\n')).toMatch(/the activity factory threw Error: DB_URL not set when worker-1#2 restarted at .*: that worker crashed at start-up and stays down/);
    expect(r.outcome.status).not.toBe('completed');
  });

  test('hbsim run: exit 1 (the activity did not complete), not 2 or 3', async () => {
    const r = await hbsim('run', 'test/fixtures/factory-throws-at-restart.ts', '--fault', '{"kind":"crash","at":20}');
    expect(r.stdout).toMatch(/DB_URL not set/);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.code).toBe(1);
  });
});

describe("exit 3 is for hbsim's own bugs", () => {
  afterEach(() => {
    vi.doUnmock('../../app/cli/check-command.js');
    vi.resetModules();
  });

  test('an unexpected error inside hbsim: "internal error", exit 3', async () => {
    vi.resetModules();
    vi.doMock('../../app/cli/check-command.js', async (original) => ({
      ...(await original<typeof import('../../app/cli/check-command.js')>()),
      checkCommand: () => Promise.reject(new TypeError("Cannot read properties of undefined (reading 'seed')")),
    }));
    const { main } = await import('../../app/cli/main.js');
    const err: string[] = [];
    const code = await main(['node', 'hbsim', 'check', 'examples/add-with-idempotency-key.ts', '--runs', '1', '--workers', '1', '--report-dir', reports], () => {}, (s) => void err.push(s));
    expect(err.join('')).toBe("hbsim: internal error: Cannot read properties of undefined (reading 'seed') (run with --verbose for the stack trace)\n");
    expect(code).toBe(3);
  });

  test('what a worker thread throws is printed readably, never "[object Object]"', async () => {
    const { describeThrown } = await import('../../app/cli/main.js');
    // A dependency missing from hbsim's own install, as a worker thread handed it back: fields, no class.
    expect(describeThrown({ code: 'ERR_MODULE_NOT_FOUND', message: "Cannot find package '@electric-sql/pglite'" })).toBe("ERR_MODULE_NOT_FOUND: Cannot find package '@electric-sql/pglite'");
    expect(describeThrown({ code: 'ERR_X' })).toBe("{ code: 'ERR_X' }");
    expect(describeThrown(new TypeError('boom'))).toBe('boom');
    expect(describeThrown(undefined)).toBe('undefined');
    expect(describeThrown('plain')).toBe('plain');
  });
});
