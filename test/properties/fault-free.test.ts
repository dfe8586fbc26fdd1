/**
 * Errors in the right class (issue 13): when the fault-free run does not complete, the check says
 * so at once, with its first error and the retry policy that let it go on, and fails `completes`
 * without searching; `maxFaults` 0 is rejected.
 */
import { describe, expect, test } from 'vitest';
import { defineScenario, normalizeScenario } from '../../src/scenario.js';
import { HbsimConfigError } from '../../src/errors.js';
import { runCheck } from '../../properties/check.js';
import { runScenario } from '../../sim/simulate.js';
import typo from '../fixtures/heartbeat-typo.js';

describe('a fault-free run that does not complete', () => {
  test('fails on every attempt under unlimited retries: completes fails at once with the first error and the policy; nothing is searched', async () => {
    const report = await runCheck(normalizeScenario(typo), { seed: 1, runs: 200 });
    const completes = report.properties.find((p) => p.name === 'completes')!;
    expect(completes.ok).toBe(false);
    expect(completes.plan).toEqual([]);
    expect(completes.violation!.summary).toMatch(/^even without faults the activity does not complete: attempt 1 failed: TypeError: ctx\.heartbeatt is not a function at [\d:.]+, and so did all 100 attempts; the retry policy \(maximumAttempts unlimited, no scheduleToCloseTimeout\) lets it retry forever/);
    // No search: only the fault-free run (and its determinism re-run) were simulated.
    expect(report.simulated).toBeLessThanOrEqual(3);
    expect(report.reference.attempts).toHaveLength(100);
    for (const p of report.properties.filter((x) => x.name !== 'completes' && x.name !== 'progress-monotonic')) {
      expect(p).toMatchObject({ ok: true, runs: 0, notJudged: 'the fault-free run does not complete (see completes), so no run with faults was tried' });
    }
  });

  test('a policy that gives up: the first error and the policy are named', async () => {
    const scenario = defineScenario({
      name: 'always-fails',
      records: 5,
      options: { startToCloseTimeout: '1m', retry: { initialInterval: '1s', maximumAttempts: 3 } },
      activity: () => async () => {
        throw new Error('DB_URL not set');
      },
    });
    const report = await runCheck(normalizeScenario(scenario), { seed: 1, runs: 50, properties: ['completes'] });
    expect(report.properties[0]!.violation!.summary).toMatch(/^even without faults the activity failed at [\d:.]+ after attempt 3.*: attempt 1 failed: Error: DB_URL not set at [\d:.]+, and so did all 3 attempts; the retry policy \(maximumAttempts 3, no scheduleToCloseTimeout\)$/);
  });

  test('simulate({ attemptLimit }) stops before the next attempt with outcome timeLimit', async () => {
    const r = await runScenario(normalizeScenario(typo), { seed: 1, attemptLimit: 5 });
    expect(r.outcome.status).toBe('timeLimit');
    expect(r.attempts).toHaveLength(5);
    expect(r.outcome.status === 'timeLimit' && r.outcome.reason).toMatch(/^still retrying after 5 attempts/);
  });
});

test('maxFaults 0 is rejected: a check with no fault would only repeat the fault-free run', async () => {
  const error = await runCheck(normalizeScenario(typo), { seed: 1, maxFaults: 0 }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(HbsimConfigError);
  expect((error as Error).message).toMatch(/^maxFaults: got 0, expected an integer >= 1/);
});
