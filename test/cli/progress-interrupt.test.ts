/**
 * Issue 13 "Output that streams" and issue 12's interrupted check: the header and the seed print
 * first, progress goes to stderr (a bar in a terminal, a line every --progress-interval without
 * one), the summary gives the throughput; SIGINT / SIGTERM stop a check, say what it covered and
 * any violation already found with its replay command, exit 130 / 143 and leave no report file.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { startProgress } from '../../app/cli/progress.js';

interface Chunk {
  readonly stream: 'stdout' | 'stderr';
  readonly text: string;
}

/** Run the CLI; `until(chunks)` true sends `signal`. Resolves with the exit code and the output in arrival order. */
function hbsim(args: string[], stop?: { until: (stderr: string) => boolean; signal: NodeJS.Signals }): Promise<{ code: number | null; chunks: Chunk[]; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['bin/hbsim.js', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Chunk[] = [];
    let sent = false;
    const text = (s: 'stdout' | 'stderr'): string => chunks.filter((c) => c.stream === s).map((c) => c.text).join('');
    for (const stream of ['stdout', 'stderr'] as const) {
      child[stream].setEncoding('utf8');
      child[stream].on('data', (t: string) => {
        chunks.push({ stream, text: t });
        if (stop !== undefined && !sent && stop.until(text('stderr'))) {
          sent = true;
          child.kill(stop.signal);
        }
      });
    }
    child.on('close', (code) => resolve({ code, chunks, stdout: text('stdout'), stderr: text('stderr') }));
  });
}

describe('hbsim check streams its output', () => {
  test('the header and the seed first, a progress line on stderr every --progress-interval, the throughput in the summary', async () => {
    const reports = mkdtempSync(join(tmpdir(), 'hbsim-progress-'));
    const r = await hbsim(['check', 'examples/add-with-idempotency-key.ts', '--seed', '5', '--runs', '300', '--workers', '1', '--progress-interval', '100ms', '--report-dir', reports]);
    expect(r.code).toBe(0);
    const first = r.chunks.find((c) => c.stream === 'stdout')!;
    expect(first.text).toBe('hbsim check examples/add-with-idempotency-key.ts\nscenario add-with-idempotency-key (native API, temporal profile), seed 5, 300 runs per property, at most 3 faults per run\n');
    // The header came before any progress line, the progress lines before the verdicts.
    const firstProgress = r.chunks.findIndex((c) => c.stream === 'stderr' && /^hbsim: \d+\/300 runs/.test(c.text));
    const verdicts = r.chunks.findIndex((c) => c.stream === 'stdout' && c.text.includes('fault-free run:'));
    expect(firstProgress).toBeGreaterThan(r.chunks.indexOf(first));
    expect(verdicts).toBeGreaterThan(firstProgress);
    const lines = r.stderr.trim().split('\n');
    for (const l of lines) expect(l).toMatch(/^hbsim: \d+\/300 runs \(\d+%\), 0 violations so far(; shrinking [a-z-]+)? after \d+ s$/);
    expect(r.stdout.split('\n').filter((l) => l.startsWith('hbsim check')).length).toBe(1); // the header once
    expect(r.stdout).toMatch(/^all 7 properties hold \(\d+ runs simulated in [\d.]+ s, \d+ runs\/s\)$/m);
  });

  test('--json: stdout holds only the JSON (with the throughput); the header goes to stderr', async () => {
    const reports = mkdtempSync(join(tmpdir(), 'hbsim-progress-'));
    const r = await hbsim(['check', 'examples/add-with-idempotency-key.ts', '--seed', '5', '--runs', '20', '--workers', '1', '--json', '--report-dir', reports]);
    expect(r.code).toBe(0);
    const { timing } = JSON.parse(r.stdout) as { timing: { simulated: number; seconds: number; runsPerSecond: number } };
    expect(timing.simulated).toBeGreaterThanOrEqual(20);
    expect(timing.seconds).toBeGreaterThan(0);
    expect(timing.runsPerSecond).toBe(Math.round(timing.simulated / timing.seconds));
    expect(r.stderr).toContain('seed 5, 20 runs per property');
  });

  test('in a terminal: a bar with the total and the violations, redrawn in place, cleared at the end', () => {
    const written: string[] = [];
    let state = { done: 5, total: 10, violations: 1 };
    const p = startProgress({ isTTY: true, write: (s: string) => written.push(s) }, () => state, 1000);
    p.update();
    p.update(); // unchanged: not redrawn
    state = { done: 10, total: 10, violations: 2 };
    p.update();
    p.stop();
    expect(written).toEqual([
      `\r\x1b[K  [${'#'.repeat(15)}${'.'.repeat(15)}]  50%  5/10 runs  1 violation`,
      `\r\x1b[K  [${'#'.repeat(30)}] 100%  10/10 runs  2 violations`,
      '\r\x1b[K',
    ]);
  });

  test('hbsim bench: the header and the seed first, progress lines on stderr', async () => {
    const out = mkdtempSync(join(tmpdir(), 'hbsim-progress-bench-'));
    const r = await hbsim(['bench', 'examples/batch-statements.ts', '--runs', '40', '--seed', '3', '--mtbf', '1m', '--workers', '1', '--param', 'records=400', '--progress-interval', '100ms', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.chunks.find((c) => c.stream === 'stdout')!.text).toBe('hbsim bench examples/batch-statements.ts\nseed 3, 40 runs per point\n');
    expect(r.stderr).toMatch(/^hbsim: \d+\/40 runs \(\d+%\) after \d+ s$/m);
  });
});

describe('an interrupted check (issue 12)', () => {
  test('SIGINT: exit 130, how far it got per property, the violation found with a replay command that reproduces it; no report file', async () => {
    const reports = join(mkdtempSync(join(tmpdir(), 'hbsim-interrupt-')), 'reports');
    const file = 'examples/broken/add-without-idempotency-key.ts';
    const r = await hbsim(['check', file, '--seed', '7', '--runs', '20000', '--workers', '1', '--progress-interval', '100ms', '--report-dir', reports], { until: (e) => /[1-9]\d* violations? so far/.test(e), signal: 'SIGINT' });
    expect(r.stderr).toMatch(/^hbsim: interrupted \(SIGINT\) after \d+ of 20000 runs, seed 7$/m);
    expect(r.stderr).toMatch(/^ {2}covered so far: completes \d+ runs, no-skipped-records \d+ runs, idempotent \d+ runs, result \d+ runs, progress-monotonic \d+ runs, deterministic \d+ runs, details-serializable \d+ runs$/m);
    const replay = /^ {2}idempotent violated by run (\d+) \(not shrunk yet\); replay it: npx hbsim replay (\S+) --seed 7 --path (\d+) --max-faults 3 --property idempotent$/m.exec(r.stderr);
    expect(replay).not.toBeNull();
    expect(r.code).toBe(130);
    expect(existsSync(reports) ? readdirSync(reports, { recursive: true }) : []).toEqual([]);
    const again = await hbsim(['replay', replay![2]!, '--seed', '7', '--path', replay![3]!, '--max-faults', '3', '--property', 'idempotent']);
    expect(again.stdout).toContain('the violation reproduces');
    expect(again.code).toBe(1);
  });

  test('SIGTERM (a CI runner): exit 143, no violation so far', async () => {
    const reports = join(mkdtempSync(join(tmpdir(), 'hbsim-interrupt-')), 'reports');
    const r = await hbsim(['check', 'examples/add-with-idempotency-key.ts', '--seed', '7', '--runs', '20000', '--workers', '1', '--progress-interval', '100ms', '--report-dir', reports], { until: (e) => /hbsim: [1-9]\d*\/20000 runs/.test(e), signal: 'SIGTERM' });
    expect(r.stderr).toMatch(/^hbsim: interrupted \(SIGTERM\) after \d+ of 20000 runs, seed 7$/m);
    expect(r.stderr).toContain('  no violation found so far\n');
    expect(r.stderr).toContain('  no report written; the same search again: --seed 7\n');
    expect(r.code).toBe(143);
    expect(existsSync(reports) ? readdirSync(reports, { recursive: true }) : []).toEqual([]);
  });
});
