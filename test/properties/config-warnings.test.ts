/**
 * Configuration warnings come before the verdict, each with what to change; a `completes`
 * violation decided by the configuration alone says so.
 */
import { describe, expect, test } from 'vitest';
import { defineScenario, normalizeScenario, type Scenario } from '../../src/scenario.js';
import { runCheck } from '../../properties/check.js';
import { checkCommand } from '../../app/cli/check-command.js';

type Options = Scenario['options'];

/** Resumes from its offset (unless `reads` is false), heartbeats it after each record. */
function scenario(options: Options, extra: { reads?: boolean; params?: Record<string, unknown>; recordMs?: number } = {}) {
  return normalizeScenario(defineScenario({
    name: 'warned',
    records: 20,
    options,
    params: extra.params ?? {},
    activity: (world) => async (ctx) => {
      let offset = extra.reads === false ? 0 : ctx.heartbeatDetails<number>() ?? 0;
      while (offset < world.source.size) {
        for (const r of await world.source.read(offset, 5)) {
          await world.sink.put(`k/${r.key}`, r.amount);
          if (extra.recordMs) await ctx.sleep(extra.recordMs);
          offset = r.offset + 1;
          ctx.heartbeat(offset);
        }
      }
      return offset;
    },
  }));
}

const GOOD: Options = { startToCloseTimeout: '10m', heartbeatTimeout: '10s', retry: { initialInterval: '1s', maximumAttempts: 10 } };

async function warnings(s: ReturnType<typeof scenario>, maxFaults = 3): Promise<string[]> {
  const report = await runCheck(s, { seed: 1, runs: 5, maxFaults });
  return report.warnings.map((w) => `${w.id}: ${w.message} | ${w.fix}`);
}

describe('configuration warnings', () => {
  test('a sound configuration: none', async () => {
    expect(await warnings(scenario(GOOD))).toEqual([]);
  });

  test('heartbeats without a heartbeatTimeout: a crash is noticed only at start-to-close', async () => {
    expect(await warnings(scenario({ startToCloseTimeout: '10m', retry: { initialInterval: '1s', maximumAttempts: 10 } }))).toEqual([
      'no-heartbeat-timeout: the activity heartbeats but options.heartbeatTimeout is not set: a crashed worker is noticed only when startToClose (10m) expires | set options.heartbeatTimeout (a few times the interval between heartbeats)',
    ]);
  });

  test('maximumAttempts within --max-faults: completes fails by construction, and the verdict says it was the configuration', async () => {
    const s = scenario({ ...GOOD, retry: { initialInterval: '1s', maximumAttempts: 2 } });
    expect(await warnings(s, 3)).toEqual([
      'attempts-exhausted-by-crashes: options.retry.maximumAttempts 2: 2 crashes (up to 3 faults per run) use up every attempt, so completes fails by construction | raise maximumAttempts above 3, or check with --max-faults 1',
    ]);
    expect(await warnings(s, 1)).toEqual([]);
    const r = await checkCommand(s, { file: 'warned.ts', runs: 100, seed: 1, maxFaults: 3, json: false, verbose: false, reportDir: '/tmp/hbsim-verdicts-test', properties: ['completes'] });
    const completes = r.report.properties[0]!;
    expect(completes.ok).toBe(false);
    expect(completes.decidedBy).toMatch(/^the configuration: maximumAttempts 2 with up to 3 faults per run/);
    const text = r.lines.join('\n');
    expect(text.indexOf('warning: options.retry.maximumAttempts 2')).toBeLessThan(text.indexOf('FAIL  completes'));
    expect(text).toContain('  change: raise maximumAttempts above 3, or check with --max-faults 1');
    expect(text).toMatch(/FAIL {2}completes .*\n {8}decided by the configuration: maximumAttempts 2/);
    expect((r.json as { warnings: { id: string }[] }).warnings.map((w) => w.id)).toEqual(['attempts-exhausted-by-crashes']);
  });

  test('a heartbeat interval shorter than the throttle window (S1: 0.8 x heartbeatTimeout)', async () => {
    expect(await warnings(scenario(GOOD, { params: { heartbeatEvery: '2s', heartbeatEveryRecords: 80 } }))).toEqual([
      "throttled-interval: params.heartbeatEvery 2s is shorter than the SDK's heartbeat throttle window (8s, S1): at most one heartbeat per window reaches the server, the others only replace what is pending | heartbeat every 8s or more (the server sees the same progress), or lower options.heartbeatTimeout to shorten the window",
    ]);
    expect(await warnings(scenario(GOOD, { params: { heartbeatEvery: '8s' } }))).toEqual([]);
  });

  test('progress heartbeated but never read back: a retry cannot resume', async () => {
    expect(await warnings(scenario(GOOD, { reads: false }))).toEqual([
      'details-never-read: the activity heartbeats progress but never reads its heartbeat details (in the fault-free run): a retry cannot resume, it starts over | resume from ctx.heartbeatDetails() at the start of the activity',
    ]);
  });

  test('the fault-free run hit a timeout and needed retries', async () => {
    const w = await warnings(scenario({ startToCloseTimeout: '10m', heartbeatTimeout: '1s', retry: { initialInterval: '1s', maximumAttempts: 10 } }, { recordMs: 1500 }));
    expect(w[0]).toMatch(/^fault-free-retries: the fault-free run hit a HEARTBEAT timeout \(attempt 1, options\.heartbeatTimeout 1s\) and needed \d+ attempt\(s\) \| heartbeat more often than every 1s, or raise options\.heartbeatTimeout$/);
  });
});
