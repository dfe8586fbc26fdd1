/** How a give-up reads: the exhausted limit is named (R3, R4, R9), a repeated timeout is not. */
import { describe, expect, test } from 'vitest';
import { defineScenario, normalizeScenario } from '../../src/scenario.js';
import { runScenario } from '../../sim/simulate.js';
import { describeOutcome } from '../../sim/outcome-text.js';

const hangs = () => () => async () => new Promise(() => undefined);

describe('a give-up names the limit that was exhausted', () => {
  test('R3 start-to-close timeouts until maximumAttempts: "maximumAttempts 2 reached", never "START_TO_CLOSE timeout, after START_TO_CLOSE timeout"', async () => {
    const scenario = normalizeScenario(defineScenario({ name: 'stc', records: 1, options: { startToCloseTimeout: '10s', retry: { initialInterval: '1s', maximumAttempts: 2 } }, activity: hangs() }));
    const r = await runScenario(scenario, { seed: 1 });
    const text = describeOutcome(r.outcome);
    expect(text).toBe('timed out at 00:00:21.000 after attempt 2 (maximumAttempts 2 reached): START_TO_CLOSE timeout');
    expect(text).not.toContain('after START_TO_CLOSE');
  });

  test('R4 (temporal) a failure out of time: "scheduleToClose 10m exhausted"', async () => {
    const scenario = normalizeScenario(defineScenario({
      name: 's2c',
      records: 1,
      options: { scheduleToCloseTimeout: '10m', startToCloseTimeout: '1m', retry: { initialInterval: '1m', backoffCoefficient: 1 } },
      activity: () => async () => {
        throw new Error('upstream down');
      },
    }));
    const r = await runScenario(scenario, { seed: 1 });
    expect(describeOutcome(r.outcome)).toMatch(/^failed at [\d:.]+ after attempt 10 \(scheduleToClose 10m exhausted\): Error: upstream down$/);
  });

  test('R4 R9 (temporal) timeouts out of time: SCHEDULE_TO_CLOSE, "scheduleToClose 5m exhausted", and what caused the last retry', async () => {
    const scenario = normalizeScenario(defineScenario({ name: 's2c-timeouts', records: 1, options: { scheduleToCloseTimeout: '5m', startToCloseTimeout: '1m', retry: { initialInterval: '1s' } }, activity: hangs() }));
    const r = await runScenario(scenario, { seed: 1 });
    expect(describeOutcome(r.outcome)).toMatch(/^timed out at [\d:.]+ after attempt \d+ \(scheduleToClose 5m exhausted\): SCHEDULE_TO_CLOSE timeout \(the last retry followed START_TO_CLOSE timeout\)$/);
  });

  test('R4 (cadence) out of time: "expirationInterval 1m exhausted"', async () => {
    const scenario = normalizeScenario(defineScenario({
      name: 'expiration',
      profile: 'cadence',
      records: 1,
      options: { scheduleToStartTimeout: '1m', startToCloseTimeout: '10s', retry: { initialInterval: '10s', backoffCoefficient: 1, expirationInterval: '1m' } },
      activity: () => async () => {
        throw new Error('upstream down');
      },
    }));
    const r = await runScenario(scenario, { seed: 1 });
    expect(describeOutcome(r.outcome)).toMatch(/^failed at [\d:.]+ after attempt \d+ \(expirationInterval 1m exhausted\): cadenceInternal:Generic: upstream down$/);
  });
});
