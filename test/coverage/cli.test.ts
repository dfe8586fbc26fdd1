/** The CLI side of issue 11: coverage lines, the corpus replayed first, --reporter junit, --junit, --exhaustive. */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';

function hbsim(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['bin/hbsim.js', ...args], { timeout: 120_000, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof (error as { code?: unknown }).code === 'number' ? (error as { code: number }).code : -1, stdout, stderr });
    });
  });
}

const BROKEN = 'examples/broken/add-without-idempotency-key.ts';

describe('hbsim check: coverage, corpus, JUnit', () => {
  test('a failing check prints coverage, keeps its case; the next check replays it first; JUnit on stdout and in a file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hbsim-cov-'));
    const first = await hbsim('check', BROKEN, '--seed', '3', '--runs', '60', '--workers', '1', '--report-dir', dir);
    expect(first.code).toBe(1);
    expect(first.stdout).toMatch(/fault-space coverage: \d+ of \d+ single-fault places exercised/);
    expect(first.stdout).toMatch(/crash after sink effect\s+\d+ of 200/);
    expect(first.stdout).toMatch(/kept as a regression case: .*corpus\/add-without-idempotency-key\/idempotent-[0-9a-f]{12}\.json/);
    expect(readdirSync(join(dir, 'coverage'))).toEqual(['add-without-idempotency-key-3.html']);
    expect(readFileSync(join(dir, 'coverage', 'add-without-idempotency-key-3.html'), 'utf8')).toContain('Fault-space coverage');

    const junitFile = join(dir, 'junit.xml');
    const second = await hbsim('check', BROKEN, '--seed', '8', '--runs', '5', '--workers', '1', '--report-dir', dir, '--reporter', 'junit', '--junit', junitFile);
    expect(second.code).toBe(1);
    expect(second.stdout.startsWith('<?xml')).toBe(true);
    expect(readFileSync(junitFile, 'utf8')).toBe(second.stdout);
    expect(second.stdout).toContain('regression corpus: 1 case(s) replayed first: 1 still fail');
    expect(second.stdout).toMatch(/<failure message="[^"]+" type="idempotent">/);

    const json = await hbsim('check', BROKEN, '--seed', '8', '--runs', '5', '--workers', '1', '--report-dir', dir, '--json');
    const parsed = JSON.parse(json.stdout) as { corpus: { status: string }[]; coverage: { total: number; exercised: number } };
    expect(parsed.corpus).toEqual([expect.objectContaining({ status: 'fails' })]);
    expect(parsed.coverage.total).toBeGreaterThan(parsed.coverage.exercised);

    const none = await hbsim('check', BROKEN, '--seed', '8', '--runs', '5', '--workers', '1', '--report-dir', dir, '--json', '--no-corpus');
    expect((JSON.parse(none.stdout) as { corpus: unknown[] }).corpus).toEqual([]);
  });

  test('--exhaustive says every placement was tried; with --shard it is bad input', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hbsim-ex-'));
    const r = await hbsim('check', 'test/fixtures/tiny-batch.ts', '--exhaustive', '--max-cases', '150', '--seed', '1', '--workers', '2', '--report-dir', dir, '--no-corpus');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/exhaustive \(150 cases\)/);
    expect(r.stdout).toMatch(/every single-fault placement tried: \d+ placements, \d+ merged as equivalent/);
    expect(existsSync(join(dir, 'corpus'))).toBe(false);
    const bad = await hbsim('check', BROKEN, '--exhaustive', '--shard', '1/2');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--exhaustive/);
  });
});
