/**
 * Scale and robustness of the CLI: the verdict, failing seed and shrunk plan do not depend on
 * the number of worker threads or on sharding; a hung run is stopped by the watchdog and
 * reported; user code that leaves a rejection unhandled or throws in a timer is reported.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
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

const EXAMPLE = 'examples/broken/add-without-idempotency-key.ts';

describe('parallel and sharded checks give the verdict of a single-threaded one', () => {
  test('--workers 1 and --workers 2: the same JSON, byte for byte', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hbsim-workers-'));
    // --no-corpus: the second check would otherwise replay the case the first one kept.
    const one = await hbsim('check', EXAMPLE, '--seed', '11', '--json', '--workers', '1', '--report-dir', dir, '--no-corpus');
    const two = await hbsim('check', EXAMPLE, '--seed', '11', '--json', '--workers', '2', '--report-dir', dir, '--no-corpus');
    expect(one.code).toBe(1);
    expect(two.code).toBe(1);
    expect(two.stdout).toBe(one.stdout);
    const idempotent = (JSON.parse(one.stdout) as { properties: { name: string; plan?: unknown[] }[] }).properties.find((p) => p.name === 'idempotent');
    expect(idempotent?.plan?.length).toBeGreaterThan(0);
  });

  test('three shards merged: the same JSON as the unsharded check', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hbsim-shards-'));
    for (const shard of ['1/3', '2/3', '3/3']) {
      const r = await hbsim('check', EXAMPLE, '--seed', '12', '--shard', shard, '--workers', '1', '--report-dir', dir);
      expect(r.code, r.stderr).toBe(0);
    }
    const files = readdirSync(join(dir, 'shards')).map((f) => join(dir, 'shards', f));
    expect(files).toHaveLength(3);
    const merged = await hbsim('merge', ...files, '--json', '--workers', '1', '--report-dir', dir, '--no-corpus');
    const whole = await hbsim('check', EXAMPLE, '--seed', '12', '--json', '--workers', '1', '--report-dir', dir, '--no-corpus');
    expect(merged.code).toBe(1);
    expect(merged.stdout).toBe(whole.stdout);
    const missing = await hbsim('merge', files[0]!, files[1]!);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/all 3 shards \(missing 3\/3\)/);
  });

  test('--shard out of range is bad input', async () => {
    const r = await hbsim('check', EXAMPLE, '--shard', '3/2');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--shard: got "3\/2", expected i\/n with 1 <= i <= n/);
  });
});

describe('user code that escapes or breaks the simulation is reported, and hbsim never hangs', () => {
  test('an endless synchronous loop is stopped by the watchdog, with its seed and last events', async () => {
    const r = await hbsim('check', 'test/fixtures/endless-loop.ts', '--seed', '1', '--timeout', '2s', '--workers', '1');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('did not finish within 2 s of wall time');
    expect(r.stderr).toContain('world seed 1, the fault-free reference run');
    expect(r.stderr).toContain('sink.put(k30, 30)');
  });

  test('an unhandled rejection and an error thrown in a timer crash the worker and are reported', async () => {
    const r = await hbsim('run', 'test/fixtures/unhandled.ts');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('CRASH worker worker-1#1 (running attempt 1): an unhandled promise rejection: Error: forgotten rejection');
    expect(r.stdout).toContain('CRASH worker worker-1#2 (running attempt 2): an error thrown in a timer callback: Error: boom in a timer');
    expect(r.stdout).toMatch(/warning: an unhandled promise rejection at .* crashed the worker/);
  });
});

describe('hbsim bench: sharded, and under the watchdog', () => {
  test('three bench shards merged: the same results.json as the unsharded bench', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hbsim-bench-shards-'));
    const args = ['bench', 'examples/batch-statements.ts', '--sweep', 'heartbeatEvery=1s,5s', '--mtbf', '1m', '--runs', '30', '--seed', '5'];
    const whole = await hbsim(...args, '--workers', '2', '--out', join(dir, 'whole'));
    expect(whole.code, whole.stderr).toBe(0);
    for (const shard of ['1/3', '2/3', '3/3']) {
      const r = await hbsim(...args, '--workers', '1', '--shard', shard, '--out', join(dir, 'shards'));
      expect(r.code, r.stderr).toBe(0);
    }
    const files = readdirSync(join(dir, 'shards')).map((f) => join(dir, 'shards', f));
    const merged = await hbsim('merge', ...files, '--out', join(dir, 'merged'));
    expect(merged.code, merged.stderr).toBe(0);
    expect(readFileSync(join(dir, 'merged', 'results.json'), 'utf8')).toBe(readFileSync(join(dir, 'whole', 'results.json'), 'utf8'));
  });

  test('a bench whose activity loops forever stops with a clear error instead of hanging', async () => {
    const r = await hbsim('bench', 'test/fixtures/endless-loop.ts', '--runs', '2', '--seed', '1', '--timeout', '1s', '--workers', '1', '--out', mkdtempSync(join(tmpdir(), 'hbsim-bench-hang-')));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/did not finish within 1 s of wall time/);
  });
});

describe('the watchdog never lies and hbsim never hangs (--timeout)', () => {
  const reportDir = mkdtempSync(join(tmpdir(), 'hbsim-watchdog-'));
  const check = (timeout: string, ...more: string[]) =>
    hbsim('check', 'examples/batch-statements.ts', '--seed', '1', '--runs', '30', '--timeout', timeout, '--report-dir', reportDir, '--no-corpus', ...more);

  test('each run is timed alone: 30 cases of a 2,000-record scenario queued on one thread, 2 s each, give a verdict', async () => {
    // Before: the limit ran from when a case was queued (and through the thread's start-up), so
    // the queue alone overran it: a false hang "in step 0, at virtual time 00:00:00.000".
    const r = await check('2s', '--workers', '1');
    expect(r.stderr).not.toContain('did not finish');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('no-skipped-records');
  });

  test.each(['5', '20ms'])('--timeout %s ends promptly with a clear error', async (timeout) => {
    const r = await check(timeout, '--workers', '2');
    expect(r.code).toBe(1); // not -1: the process ended by itself, within the 120 s of hbsim()
    expect(r.stderr).toMatch(/a run did not finish within 0\.0[0-9]+ s of wall time \(--timeout\), measured from its start/);
    expect(r.stderr).toContain('raise --timeout');
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });
});
