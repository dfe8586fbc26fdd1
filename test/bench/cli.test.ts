/**
 * `hbsim bench` as a user meets it: `node bin/hbsim.js bench ...` in a child process (dist/ is
 * built by `npm test`'s type-check step). Exit codes: 0 done, 2 bad input.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
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
      const code = error === null ? 0 : typeof (error as { code?: unknown }).code === 'number' ? (error as { code: number }).code : -1;
      resolve({ code, stdout, stderr });
    });
  });
}

const dir = mkdtempSync(join(tmpdir(), 'hbsim-bench-'));
const ARGS = ['bench', 'examples/batch-statements.ts', '--param', 'records=300', '--param', 'recordTime=100ms', '--sweep', 'heartbeatEvery=1s,5s', '--mtbf', '15s', '--runs', '24', '--seed', '11'];

describe('hbsim bench', () => {
  test('--json: the issue\'s shape, times in ms; results.json, summary.md and two SVG charts written to --out', async () => {
    const out = join(dir, 'a');
    const r = await hbsim(...ARGS, '--json', '--out', out, '--workers', '2');
    // stderr: only the header with the seed, printed first, and progress lines (stdout is the JSON).
    expect(r.stderr).toMatch(/^hbsim bench examples\/batch-statements\.ts\nseed 11, 24 runs per point\n(hbsim: \d+\/48 runs \(\d+%\) after \d+ s\n)*$/);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as Record<string, unknown> & { points: Record<string, Record<string, unknown>>[] };
    expect(json).toMatchObject({ scenario: 'batch-statements', seed: 11, runs: 24 });
    expect(json.points).toHaveLength(2);
    for (const p of json.points) {
      expect(Object.keys(p)).toEqual(expect.arrayContaining(['params', 'completionTime', 'attempts', 'crashes', 'redoneRecords', 'heartbeatCalls', 'heartbeatsSent', 'model']));
      expect(Object.keys(p['completionTime']!)).toEqual(expect.arrayContaining(['mean', 'p50', 'p95', 'p99']));
      expect(Object.keys(p['redoneRecords']!)).toEqual(expect.arrayContaining(['mean', 'perCrash']));
      for (const k of ['attempts', 'crashes', 'heartbeatCalls', 'heartbeatsSent']) expect(typeof p[k]!['mean']).toBe('number');
      // 300 records of 100 ms: at least 30 s, in milliseconds.
      expect(p['completionTime']!['mean']).toBeGreaterThan(30_000);
      expect(p['model']).toMatchObject({ applicable: true, completionTime: { mean: expect.any(Number) } });
    }
    expect(json.points.map((p) => p['params'])).toEqual([{ records: 300, recordTime: '100ms', heartbeatEvery: '1s' }, { records: 300, recordTime: '100ms', heartbeatEvery: '5s' }]);
    expect(JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'))).toEqual(json);
    const md = readFileSync(join(out, 'summary.md'), 'utf8');
    expect(md).toContain('npx hbsim bench examples/batch-statements.ts --param records=300 --param recordTime=100ms --sweep heartbeatEvery=1s,5s --mtbf 15s --runs 24 --seed 11');
    expect(md).toContain('## Recommendation');
    for (const svg of ['completion-time.svg', 'heartbeats-sent.svg']) expect(readFileSync(join(out, svg), 'utf8')).toMatch(/^<svg /);
  }, 120_000);

  test('same seed, same results.json, whatever the number of worker threads', async () => {
    const [a, b] = await Promise.all([hbsim(...ARGS, '--out', join(dir, 'one'), '--workers', '1'), hbsim(...ARGS, '--out', join(dir, 'two'), '--workers', '2')]);
    expect([a.code, b.code]).toEqual([0, 0]);
    expect(readFileSync(join(dir, 'two', 'results.json'), 'utf8')).toBe(readFileSync(join(dir, 'one', 'results.json'), 'utf8'));
    // The human output: the table, the recommendation, where the reports went.
    expect(a.stdout).toContain('| heartbeatEvery | completion mean (model) |');
    expect(a.stdout).toMatch(/recommendation: heartbeatEvery=(1s|5s)/);
    expect(a.stdout).toMatch(/48 runs simulated in [\d.]+ s \(wall time\)/);
    expect(a.stdout).toContain(`wrote ${join(dir, 'one')}/`);
  }, 120_000);

  test('--help lists every flag', async () => {
    const r = await hbsim('bench', '--help');
    expect(r.code).toBe(0);
    for (const flag of ['--param <k=v>', '--sweep <k=v1,v2,...>', '--mtbf <duration>', '--runs <n>', '--seed <n>', '--rpc-latency <duration>', '--workers <n>', '--json', '--out <dir>']) expect(r.stdout).toContain(flag);
  });

  test.each([
    [['--param', 'recordTme=10ms'], /^hbsim: --param recordTme: unknown key, expected one of recordTime, heartbeatEvery, checkpointCost, records, profile/],
    [['--param', 'recordTime'], /^hbsim: --param: got "recordTime", malformed, expected key=value/],
    [['--mtbf', 'often'], /^hbsim: --mtbf: got "often", expected a duration/],
    [['--rpc-latency', '-1'], /^hbsim: --rpc-latency: got "-1", expected a duration/],
    [['--sweep', 'heartbeatEvery=1s,,5s'], /^hbsim: --sweep heartbeatEvery: got "1s,,5s", an empty value in the list/],
    [['--sweep', 'heartbeatEvery'], /^hbsim: --sweep: got "heartbeatEvery", malformed, expected key=v1,v2/],
    [['--param', 'options.heartbeatTimeout=soon'], /^hbsim: --param: options\.heartbeatTimeout: got "soon", expected a duration/],
    [['--sweep', 'recordTime=50ms,fast'], /^hbsim: --sweep: params\.recordTime: got "fast", expected a duration/],
    [['--runs', '0'], /--runs must be an integer >= 1, got '0'/],
  ])('bad input %j: exit 2 and a message naming the field', async (extra, message) => {
    const out = join(dir, 'bad');
    const r = await hbsim('bench', 'examples/batch-statements.ts', '--runs', '2', '--seed', '1', '--out', out, ...extra);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(existsSync(join(out, 'results.json'))).toBe(false);
  });
});
