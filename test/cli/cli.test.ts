/**
 * The command line as a user meets it: `node bin/hbsim.js ...` in a child process (dist/ is
 * built by `npm test`'s type-check step). Exit codes: 0 ok, 1 violation, 2 bad input.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

function hbsim(...args: string[]): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['bin/hbsim.js', ...args], { timeout: 120_000, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof (error as { code?: unknown }).code === 'number' ? ((error as { code: number }).code) : -1;
      resolve({ code, stdout, stderr });
    });
  });
}

const reports = mkdtempSync(join(tmpdir(), 'hbsim-cli-'));

describe('hbsim check', () => {
  test('a broken example: exit 1, the JSON verdict per property, a failure file and an HTML timeline', async () => {
    const r = await hbsim('check', 'examples/broken/add-without-idempotency-key.ts', '--seed', '3', '--json', '--report-dir', reports);
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout) as { scenario: string; ok: boolean; seed: number; runs: number; properties: { name: string; ok: boolean; seed?: number; path?: string; plan?: unknown[]; replay?: string; summary?: string }[] };
    expect(json).toMatchObject({ scenario: 'add-without-idempotency-key', ok: false, seed: 3, runs: 200 });
    expect(json.properties.map((p) => p.name)).toEqual(['completes', 'no-skipped-records', 'idempotent', 'result', 'progress-monotonic', 'deterministic', 'details-serializable']);
    expect(json.properties.map((p) => p.ok)).toEqual([true, true, false, true, true, true, true]);
    expect(json.properties.map((p) => (p as { status?: string }).status)).toEqual(['held', 'held', 'violated', 'held', 'held', 'held', 'held']);
    const bad = json.properties[2]!;
    expect(bad.seed).toBe(3);
    expect(bad.path).toMatch(/^\d+(:\d+)*$/);
    expect(bad.plan!.length).toBeGreaterThan(0);
    expect(bad.summary).toMatch(/applied twice/);
    expect(bad.replay).toContain('hbsim replay');
    const failure = join(reports, 'failures', 'add-without-idempotency-key-3.json');
    expect(existsSync(failure)).toBe(true);
    expect(existsSync(join(reports, 'failures', 'add-without-idempotency-key-3-idempotent.html'))).toBe(true);

    const replay = await hbsim('replay', failure);
    expect(replay.code).toBe(1);
    expect(replay.stdout).toContain('same trace digest as when it was found');
    expect(replay.stdout).toContain('the violation reproduces');
    const bySeed = await hbsim('replay', 'examples/broken/add-without-idempotency-key.ts', '--seed', '3', '--path', bad.path!, '--property', 'idempotent');
    expect(bySeed.code).toBe(1);
    expect(bySeed.stdout).toContain(bad.summary!.slice(0, 40));
  });

  test('human output: the verdicts, the minimal plan, the timeline and the replay command', async () => {
    const r = await hbsim('check', 'examples/broken/heartbeat-before-effect.ts', '--seed', '3', '--report-dir', reports);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('seed 3');
    expect(r.stdout).toMatch(/FAIL {2}no-skipped-records/);
    expect(r.stdout).toContain('minimal fault plan');
    expect(r.stdout).toContain('timeline of the failing run:');
    expect(r.stdout).toContain('npx hbsim replay');
    expect(r.stdout).toContain('1 of 7 properties violated');
  });

  test('a scenario of a CommonJS project (no "type": "module", extensionless imports, @temporalio/activity) loads, in this thread and in the workers', async () => {
    // Node 20 refused every such file ("Cannot require() ES Module ... in a cycle") before tsx's CommonJS hook was registered.
    const r = await hbsim('check', 'test/fixtures/commonjs-project/scenario.ts', '--runs', '20', '--seed', '1', '--workers', '2', '--json', '--report-dir', reports);
    expect(r.stderr).not.toMatch(/could not be loaded|Error/);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as { scenario: string; properties: { name: string; status: string }[] };
    expect(json.scenario).toBe('commonjs-project');
    expect(json.properties.find((p) => p.name === 'no-skipped-records')?.status).toBe('held');
    const missing = await hbsim('check', 'test/fixtures/commonjs-project/missing-dependency.ts', '--runs', '5');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/missing-dependency\.ts: could not be loaded: Error: Cannot find module 'no-such-package-hbsim-test'/);
    expect(missing.stderr).not.toMatch(/\n\s+at /);
  });

  test('a correct example: exit 0, and a random seed is printed when none is given', async () => {
    const r = await hbsim('check', 'examples/add-with-idempotency-key.ts', '--runs', '30', '--report-dir', reports);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/seed \d+/);
    expect(r.stdout).toContain('all 7 properties hold');
  });
});

describe('bad input: exit 2, one line naming the file and the field, no stack trace', () => {
  test.each([
    [['check', 'examples/nope.ts'], /examples\/nope\.ts.*no such file/],
    [['check', 'test/fixtures/no-default.ts'], /no default export/],
    [['check', 'test/fixtures/bad-options.ts'], /options\.retry\.backoffCoefficient: got 0\.5, expected/],
    [['check', 'test/fixtures/syntax-error.ts'], /syntax-error\.ts.*could not be loaded/],
    [['check', 'test/fixtures/not-a-scenario.mjs'], /scenario: got 42, expected an object/],
    [['check', 'test/fixtures/unknown-field.mjs'], /retries: unknown field/],
    [['check', 'examples/add-with-idempotency-key.ts', '--runs', 'many'], /--runs must be an integer >= 1, got 'many'/],
    [['check', 'examples/add-with-idempotency-key.ts', '--profile', 'aws'], /--profile.*aws.*Allowed choices/s],
    [['check', 'examples/add-with-idempotency-key.ts', '--max-faults', '0'], /--max-faults must be an integer >= 1, got '0'/],
    [['replay', 'examples/add-with-idempotency-key.ts'], /both --seed and --path/],
    [['run', 'examples/add-with-idempotency-key.ts', '--fault', '{"kind":"explode"}'], /kind: got "explode", expected one of crash/],
  ])('%j', async (args, message) => {
    const r = await hbsim(...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  test('a missing, truncated, tampered or incompatible failure file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hbsim-bad-'));
    const good = await hbsim('check', 'examples/broken/swallowed-transient-error.ts', '--seed', '4', '--json', '--report-dir', dir);
    expect(good.code).toBe(1);
    const path = join(dir, 'failures', 'swallowed-transient-error-4.json');
    const text = readFileSync(path, 'utf8');
    const cases: [string, string, RegExp][] = [
      ['truncated.json', text.slice(0, text.length / 2), /not valid JSON/],
      ['version.json', text.replace('"hbsim": 1', '"hbsim": 99'), /incompatible hbsim version/],
      ['tampered.json', text.replace(/"kind": "transient"/, '"kind": "meteor"'), /plan\[0\]\.kind: got "meteor"/],
      ['no-failures.json', text.replace(/"failures": \[[\s\S]*\]\n\}/, '"failures": []\n}'), /failures: got \[\], expected a non-empty list/],
    ];
    for (const [name, content, message] of cases) {
      writeFileSync(join(dir, name), content);
      const r = await hbsim('replay', join(dir, name));
      expect(r.code, name).toBe(2);
      expect(r.stderr, name).toMatch(message);
    }
    const missing = await hbsim('replay', join(dir, 'absent.json'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot be read \(ENOENT\)/);
  });
});

describe('hbsim run and --help', () => {
  test('run prints the timeline of one simulation with a scripted crash', async () => {
    const r = await hbsim('run', 'examples/statements-ticker.ts', '--seed', '7', '--fault', '{"kind":"crash","at":12000}');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('CRASH worker worker-1#1');
    expect(r.stdout).toContain('attempt 2 started on worker-1#2, details {"offset":');
    expect(r.stdout).toMatch(/outcome: completed/);
  });

  test('--help of every command lists its flags', async () => {
    const check = await hbsim('check', '--help');
    for (const flag of ['--runs', '--seed', '--max-faults', '--profile', '--property', '--report-dir', '--json', '--verbose']) expect(check.stdout).toContain(flag);
    const replay = await hbsim('replay', '--help');
    for (const flag of ['--seed', '--path', '--max-faults', '--property', '--profile', '--json', '--verbose']) expect(replay.stdout).toContain(flag);
    const run = await hbsim('run', '--help');
    for (const flag of ['--seed', '--fault', '--profile', '--json', '--verbose']) expect(run.stdout).toContain(flag);
  });
});

describe('hbsim run --log', () => {
  test("prints hbsim's events and the activity's own log lines with virtual timestamps", async () => {
    const r = await hbsim('run', 'examples/statements-temporal.ts', '--fault', '{"kind":"crash","at":12000}', '--log');
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('[2026-01-01 00:00:12.000] DEBUG: CRASH worker worker-1#1');
    expect(r.stderr).toMatch(/\[2026-01-01 00:00:\d\d\.\d{3}\] INFO: resuming from a previous state/);
  });
});
