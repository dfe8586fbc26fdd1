import fc from 'fast-check';
import { expectConfigError } from './config-error.js';
import { describe, expect, test } from 'vitest';
import { HbsimConfigError } from '../src/errors.js';
import type { NormalizedOptions } from '../src/model/types.js';
import {
  CADENCE_SCHEDULE_TO_START_REASON,
  DEFAULT_WORKER_OPTIONS,
  normalizeOptions,
  normalizeWorkerOptions,
} from '../src/options.js';

const S = 1_000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;


const temporal = (options: unknown): NormalizedOptions => normalizeOptions(options, 'temporal');
const cadence = (options: unknown): NormalizedOptions => normalizeOptions(options, 'cadence');
/** The smallest valid cadence options (the Go client needs S2S and STC). */
const cadenceBase = { scheduleToStartTimeout: '5s', startToCloseTimeout: '10s' } as const;

describe('T1 temporal timeouts', () => {
  test('T1 temporal requires startToClose or scheduleToClose', () => {
    expectConfigError(() => temporal({ heartbeatTimeout: '5s' }), 'options.startToCloseTimeout', 'undefined', 'T1');
    expectConfigError(() => temporal({}), 'options.startToCloseTimeout', 'undefined', 'scheduleToCloseTimeout > 0');
  });

  test('T1 temporal: zero timeouts count as unset', () => {
    expectConfigError(
      () => temporal({ startToCloseTimeout: 0, scheduleToCloseTimeout: '0s' }),
      'options.startToCloseTimeout',
      '0',
      'a duration > 0',
    );
  });

  test('T1 temporal fills unset S2S and STC from scheduleToClose', () => {
    expect(temporal({ scheduleToCloseTimeout: '1m' })).toMatchObject({
      scheduleToStartTimeoutMs: M,
      startToCloseTimeoutMs: M,
      scheduleToCloseTimeoutMs: M,
      heartbeatTimeoutMs: 0,
    });
  });

  test('T1 temporal caps S2S and STC at scheduleToClose', () => {
    expect(temporal({ scheduleToStartTimeout: '2m', startToCloseTimeout: '5m', scheduleToCloseTimeout: '1m' })).toMatchObject({
      scheduleToStartTimeoutMs: M,
      startToCloseTimeoutMs: M,
      scheduleToCloseTimeoutMs: M,
    });
    expect(temporal({ scheduleToStartTimeout: '10s', startToCloseTimeout: '20s', scheduleToCloseTimeout: '1m' })).toMatchObject({
      scheduleToStartTimeoutMs: 10 * S,
      startToCloseTimeoutMs: 20 * S,
      scheduleToCloseTimeoutMs: M,
    });
  });

  test('T1 temporal without scheduleToClose leaves S2C and S2S unset (no run timeout is modelled)', () => {
    expect(temporal({ startToCloseTimeout: '10s' })).toEqual({
      profile: 'temporal',
      scheduleToStartTimeoutMs: 0,
      startToCloseTimeoutMs: 10 * S,
      scheduleToCloseTimeoutMs: 0,
      heartbeatTimeoutMs: 0,
      retry: expect.anything(),
    });
    expect(temporal({ startToCloseTimeout: '10s', scheduleToStartTimeout: '3s' }).scheduleToStartTimeoutMs).toBe(3 * S);
  });

  test('T1 temporal caps heartbeatTimeout at startToClose', () => {
    expect(temporal({ startToCloseTimeout: '10s', heartbeatTimeout: '1m' }).heartbeatTimeoutMs).toBe(10 * S);
    expect(temporal({ startToCloseTimeout: '10s', heartbeatTimeout: '2s' }).heartbeatTimeoutMs).toBe(2 * S);
  });

  test('T1 temporal caps heartbeatTimeout at a startToClose derived from scheduleToClose', () => {
    expect(temporal({ scheduleToCloseTimeout: '10s', heartbeatTimeout: '1m' }).heartbeatTimeoutMs).toBe(10 * S);
  });

  test('T4 temporal keeps sub-second (and sub-millisecond) precision', () => {
    expect(temporal({ startToCloseTimeout: 1_500.5, heartbeatTimeout: '250ms' })).toMatchObject({
      startToCloseTimeoutMs: 1_500.5,
      heartbeatTimeoutMs: 250,
    });
  });

  test('T4 temporal caps durations at 100 years (ValidateAndCapProtoDuration)', () => {
    expect(temporal({ startToCloseTimeout: '200y' }).startToCloseTimeoutMs).toBe(100 * 365 * D);
  });
});

describe('T1 cadence timeouts', () => {
  test('T1 cadence derives scheduleToClose from S2S + STC', () => {
    expect(cadence(cadenceBase)).toEqual({
      profile: 'cadence',
      scheduleToStartTimeoutMs: 5 * S,
      startToCloseTimeoutMs: 10 * S,
      scheduleToCloseTimeoutMs: 15 * S,
      heartbeatTimeoutMs: 0,
      retry: undefined,
    });
  });

  test('T1 cadence keeps a given scheduleToClose, even one below S2S + STC', () => {
    expect(cadence({ ...cadenceBase, scheduleToCloseTimeout: '1m' }).scheduleToCloseTimeoutMs).toBe(M);
    expect(cadence({ ...cadenceBase, scheduleToCloseTimeout: '3s' })).toMatchObject({
      scheduleToStartTimeoutMs: 5 * S,
      startToCloseTimeoutMs: 10 * S,
      scheduleToCloseTimeoutMs: 3 * S,
    });
  });

  test('T1 cadence requires scheduleToStartTimeout (the Go client rejects the activity without it)', () => {
    expectConfigError(
      () => cadence({ startToCloseTimeout: '10s', scheduleToCloseTimeout: '1m' }),
      'options.scheduleToStartTimeout',
      'undefined',
      'cadence Go client requires scheduleToStartTimeout',
    );
  });

  test('T1 cadence requires startToCloseTimeout (the Go client rejects the activity without it)', () => {
    expectConfigError(
      () => cadence({ scheduleToStartTimeout: '10s', startToCloseTimeout: 0, scheduleToCloseTimeout: '1m' }),
      'options.startToCloseTimeout',
      '0',
      'cadence Go client requires startToCloseTimeout',
    );
  });

  test('T1 cadence does not cap heartbeatTimeout at startToClose', () => {
    expect(cadence({ ...cadenceBase, heartbeatTimeout: '1m' }).heartbeatTimeoutMs).toBe(M);
  });

  test('T1 cadence with a policy raises S2S to the expiration and S2C to at least the expiration', () => {
    const normalized = cadence({ ...cadenceBase, retry: { initialInterval: '1s', expirationInterval: '10m' } });
    expect(normalized).toMatchObject({ scheduleToStartTimeoutMs: 10 * M, startToCloseTimeoutMs: 10 * S, scheduleToCloseTimeoutMs: 10 * M });
  });

  test('T1 cadence with a policy raises S2S to 30m at most', () => {
    const normalized = cadence({ ...cadenceBase, retry: { initialInterval: '1s', expirationInterval: '2h' } });
    expect(normalized).toMatchObject({ scheduleToStartTimeoutMs: 30 * M, scheduleToCloseTimeoutMs: 2 * H });
  });

  test('T1 cadence with a policy keeps S2S and S2C already above the expiration', () => {
    const normalized = cadence({
      scheduleToStartTimeout: '1h',
      startToCloseTimeout: '10s',
      scheduleToCloseTimeout: '3h',
      retry: { initialInterval: '1s', expirationInterval: '2h' },
    });
    expect(normalized).toMatchObject({ scheduleToStartTimeoutMs: H, scheduleToCloseTimeoutMs: 3 * H });
  });

  test('T1 cadence does not raise S2S when the schedule-to-start timeout is non-retriable', () => {
    const normalized = cadence({
      ...cadenceBase,
      retry: { initialInterval: '1s', expirationInterval: '10m', nonRetryableErrorTypes: [CADENCE_SCHEDULE_TO_START_REASON] },
    });
    expect(CADENCE_SCHEDULE_TO_START_REASON).toBe('cadenceInternal:Timeout SCHEDULE_TO_START');
    expect(normalized).toMatchObject({ scheduleToStartTimeoutMs: 5 * S, scheduleToCloseTimeoutMs: 10 * M });
  });

  test('T1 cadence with a policy but no expiration: S2S raised to 30m, S2C lifted (the unmodelled workflow timeout)', () => {
    const normalized = cadence({ ...cadenceBase, retry: { initialInterval: '1s', maximumAttempts: 3 } });
    expect(normalized).toMatchObject({ scheduleToStartTimeoutMs: 30 * M, startToCloseTimeoutMs: 10 * S, scheduleToCloseTimeoutMs: 0 });
    expect(normalized.retry?.expirationIntervalMs).toBe(0);
  });

  test('T4 cadence rounds durations up to whole seconds', () => {
    const normalized = cadence({
      scheduleToStartTimeout: 1_500,
      startToCloseTimeout: '0.1s',
      scheduleToCloseTimeout: '2.5s',
      heartbeatTimeout: 1_001,
    });
    expect(normalized).toMatchObject({
      scheduleToStartTimeoutMs: 2 * S,
      startToCloseTimeoutMs: S,
      scheduleToCloseTimeoutMs: 3 * S,
      heartbeatTimeoutMs: 2 * S,
    });
  });

  test('T4 cadence rounds before deriving: S2C = ceil(S2S) + ceil(STC)', () => {
    expect(cadence({ scheduleToStartTimeout: 1_200, startToCloseTimeout: 1_200 }).scheduleToCloseTimeoutMs).toBe(4 * S);
  });

  test('T4 cadence rejects durations beyond int32 seconds', () => {
    expectConfigError(
      () => cadence({ scheduleToStartTimeout: '5s', startToCloseTimeout: 2_147_483_648 * S }),
      'options.startToCloseTimeout',
      String(2_147_483_648 * S),
      'at most 2147483647s',
    );
  });

  test('T4 cadence rejects an S2S + STC that overflows int32 seconds', () => {
    expectConfigError(
      () => cadence({ scheduleToStartTimeout: 2_000_000_000 * S, startToCloseTimeout: 2_000_000_000 * S }),
      'options.scheduleToCloseTimeout',
      'undefined',
      'overflows cadence int32 seconds',
    );
  });
});

describe('R8 temporal retry policy', () => {
  const defaults = {
    initialIntervalMs: S,
    backoffCoefficient: 2,
    maximumIntervalMs: 100 * S,
    maximumAttempts: 0,
    nonRetryableErrorTypes: [],
    expirationIntervalMs: 0,
  };

  test('R8 temporal: every activity gets the default policy', () => {
    expect(temporal({ startToCloseTimeout: '10s' }).retry).toEqual(defaults);
    expect(temporal({ startToCloseTimeout: '10s', retry: {} }).retry).toEqual(defaults);
    expect(temporal({ startToCloseTimeout: '10s', retry: undefined }).retry).toEqual(defaults);
  });

  test('R8 temporal: maximumInterval defaults to 100 x initialInterval', () => {
    expect(temporal({ startToCloseTimeout: '10s', retry: { initialInterval: '2s' } }).retry).toMatchObject({
      initialIntervalMs: 2 * S,
      maximumIntervalMs: 200 * S,
    });
  });

  test('R8 temporal keeps the given values', () => {
    const retry = {
      initialInterval: '250ms',
      backoffCoefficient: 1.5,
      maximumInterval: '10s',
      maximumAttempts: 5,
      nonRetryableErrorTypes: ['BadInput', 'TemporalTimeout:Heartbeat'],
    };
    expect(temporal({ startToCloseTimeout: '10s', retry }).retry).toEqual({
      initialIntervalMs: 250,
      backoffCoefficient: 1.5,
      maximumIntervalMs: 10 * S,
      maximumAttempts: 5,
      nonRetryableErrorTypes: ['BadInput', 'TemporalTimeout:Heartbeat'],
      expirationIntervalMs: 0,
    });
  });

  test('R8 temporal rejects coefficient < 1', () => {
    const error = expectConfigError(
      () => temporal({ startToCloseTimeout: '10s', retry: { backoffCoefficient: 0.5 } }),
      'options.retry.backoffCoefficient',
      '0.5',
      '>= 1',
    );
    expect(error.message).toBe('options.retry.backoffCoefficient: got 0.5, expected a finite number >= 1');
    expect(error.value).toBe(0.5);
  });

  test('R8 temporal accepts a coefficient in (0, 1) with maximumAttempts 1 (the server skips validation: no retry)', () => {
    expect(temporal({ startToCloseTimeout: '10s', retry: { backoffCoefficient: 0.5, maximumAttempts: 1 } }).retry).toMatchObject({
      backoffCoefficient: 0.5,
      maximumAttempts: 1,
    });
  });

  test('R8 temporal rejects a coefficient <= 0 even with maximumAttempts 1 (TS SDK compileRetryPolicy)', () => {
    expectConfigError(
      () => temporal({ startToCloseTimeout: '10s', retry: { backoffCoefficient: 0, maximumAttempts: 1 } }),
      'options.retry.backoffCoefficient',
      '0',
      '>= 1',
    );
  });

  test('R8 temporal rejects a non-numeric or non-finite coefficient', () => {
    expectConfigError(
      () => temporal({ startToCloseTimeout: '10s', retry: { backoffCoefficient: '2' } }),
      'options.retry.backoffCoefficient',
      '"2"',
      'a finite number',
    );
    expectConfigError(
      () => temporal({ startToCloseTimeout: '10s', retry: { backoffCoefficient: Number.NaN } }),
      'options.retry.backoffCoefficient',
      'NaN',
      'a finite number',
    );
  });

  test('R8 temporal rejects maximumInterval < initialInterval', () => {
    expectConfigError(
      () => temporal({ startToCloseTimeout: '10s', retry: { initialInterval: '5s', maximumInterval: '2s' } }),
      'options.retry.maximumInterval',
      '"2s"',
      'a duration >= initialInterval (5s)',
    );
  });

  test('R8 temporal rejects negative or fractional maximumAttempts', () => {
    expectConfigError(
      () => temporal({ startToCloseTimeout: '10s', retry: { maximumAttempts: -1 } }),
      'options.retry.maximumAttempts',
      '-1',
      'a non-negative integer',
    );
    expectConfigError(
      () => temporal({ startToCloseTimeout: '10s', retry: { maximumAttempts: 1.5 } }),
      'options.retry.maximumAttempts',
      '1.5',
      'a non-negative integer',
    );
    expectConfigError(
      () => temporal({ startToCloseTimeout: '10s', retry: { maximumAttempts: '3' } }),
      'options.retry.maximumAttempts',
      '"3"',
      '0 or Infinity = unlimited',
    );
  });

  test('R3 temporal: maximumAttempts Infinity (the TS SDK default) and 0 both mean unlimited', () => {
    expect(temporal({ startToCloseTimeout: '10s', retry: { maximumAttempts: Infinity } }).retry?.maximumAttempts).toBe(0);
    expect(temporal({ startToCloseTimeout: '10s', retry: { maximumAttempts: 0 } }).retry?.maximumAttempts).toBe(0);
  });

  test('R8 temporal rejects a zero initialInterval or maximumInterval (TS SDK compileRetryPolicy)', () => {
    expectConfigError(
      () => temporal({ startToCloseTimeout: '10s', retry: { initialInterval: 0 } }),
      'options.retry.initialInterval',
      '0',
      'a duration > 0',
    );
    expectConfigError(
      () => temporal({ startToCloseTimeout: '10s', retry: { maximumInterval: '0s' } }),
      'options.retry.maximumInterval',
      '"0s"',
      'a duration > 0',
    );
  });

  test('R4 temporal rejects expirationInterval (cadence only)', () => {
    expectConfigError(
      () => temporal({ startToCloseTimeout: '10s', retry: { expirationInterval: '1m' } }),
      'options.retry.expirationInterval',
      '"1m"',
      'cadence only',
    );
  });

  test('R8 temporal caps retry intervals at 100 years', () => {
    expect(temporal({ startToCloseTimeout: '10s', retry: { initialInterval: '1y' } }).retry).toMatchObject({
      initialIntervalMs: 365.25 * D,
      maximumIntervalMs: 100 * 365 * D,
    });
  });

  test('R6 temporal rejects a TemporalTimeout: entry that names no timeout type (retrypolicy.Validate)', () => {
    expectConfigError(
      () => temporal({ startToCloseTimeout: '10s', retry: { nonRetryableErrorTypes: ['Foo', 'TemporalTimeout:Forever'] } }),
      'options.retry.nonRetryableErrorTypes[1]',
      '"TemporalTimeout:Forever"',
      'TemporalTimeout:StartToClose',
    );
    const ok = ['TemporalTimeout:StartToClose', 'TemporalTimeout:TIMEOUT_TYPE_HEARTBEAT', 'TemporalTimeoutish'];
    expect(temporal({ startToCloseTimeout: '10s', retry: { nonRetryableErrorTypes: ok } }).retry?.nonRetryableErrorTypes).toEqual(ok);
  });
});

describe('R8 cadence retry policy', () => {
  test('R8 cadence: no policy means never retried', () => {
    expect(cadence(cadenceBase).retry).toBeUndefined();
    expect(cadence({ ...cadenceBase, retry: undefined }).retry).toBeUndefined();
  });

  test('R8 cadence: maximumInterval defaults to 100 x initial and coefficient to 2', () => {
    expect(cadence({ ...cadenceBase, retry: { initialInterval: '2s', maximumAttempts: 3 } }).retry).toEqual({
      initialIntervalMs: 2 * S,
      backoffCoefficient: 2,
      maximumIntervalMs: 200 * S,
      maximumAttempts: 3,
      nonRetryableErrorTypes: [],
      expirationIntervalMs: 0,
    });
  });

  test('R8 cadence: a coefficient of 0 means the default 2 (the Go zero value, convertRetryPolicy)', () => {
    const retry = { initialInterval: '1s', maximumAttempts: 3, backoffCoefficient: 0 };
    expect(cadence({ ...cadenceBase, retry }).retry?.backoffCoefficient).toBe(2);
  });

  test('R8 cadence rejects coefficient < 1', () => {
    expectConfigError(
      () => cadence({ ...cadenceBase, retry: { initialInterval: '1s', maximumAttempts: 3, backoffCoefficient: 0.5 } }),
      'options.retry.backoffCoefficient',
      '0.5',
      '>= 1',
    );
  });

  test('R8 cadence: coefficient < 1 is rejected even with maximumAttempts 1 (no server exemption)', () => {
    expectConfigError(
      () => cadence({ ...cadenceBase, retry: { initialInterval: '1s', maximumAttempts: 1, backoffCoefficient: 0.5 } }),
      'options.retry.backoffCoefficient',
      '0.5',
      '>= 1',
    );
  });

  test('R8 cadence requires initialInterval (the Go client has no default)', () => {
    expectConfigError(
      () => cadence({ ...cadenceBase, retry: { maximumAttempts: 3 } }),
      'options.retry.initialInterval',
      'undefined',
      'requires initialInterval',
    );
  });

  test('R8 cadence requires maximumAttempts or expirationInterval', () => {
    expectConfigError(
      () => cadence({ ...cadenceBase, retry: { initialInterval: '1s' } }),
      'options.retry.maximumAttempts',
      'undefined',
      'maximumAttempts or expirationInterval',
    );
  });

  test('R8 cadence rejects Infinity attempts (int32 in Go)', () => {
    expectConfigError(
      () => cadence({ ...cadenceBase, retry: { initialInterval: '1s', maximumAttempts: Infinity } }),
      'options.retry.maximumAttempts',
      'Infinity',
      'a non-negative integer up to 2147483647 (0 = unlimited)',
    );
  });

  test('R8 cadence rejects maximumInterval < initialInterval, compared after rounding up', () => {
    expectConfigError(
      () => cadence({ ...cadenceBase, retry: { initialInterval: '3s', maximumInterval: '2s', maximumAttempts: 3 } }),
      'options.retry.maximumInterval',
      '"2s"',
      'a duration >= initialInterval (3s)',
    );
    const retry = { initialInterval: '1.5s', maximumInterval: '1.9s', maximumAttempts: 3 };
    expect(cadence({ ...cadenceBase, retry }).retry).toMatchObject({ initialIntervalMs: 2 * S, maximumIntervalMs: 2 * S });
  });

  test('T4 cadence rounds retry durations up to whole seconds', () => {
    const retry = { initialInterval: 1_200, maximumInterval: '10.5s', expirationInterval: '59.1s' };
    expect(cadence({ ...cadenceBase, retry }).retry).toMatchObject({
      initialIntervalMs: 2 * S,
      maximumIntervalMs: 11 * S,
      expirationIntervalMs: 60 * S,
    });
  });
});

describe('shape errors (both profiles)', () => {
  test.each(['temporal', 'cadence'] as const)('%s: options must be a plain object', (profile) => {
    class Options {
      startToCloseTimeout = '1s';
    }
    for (const [value, text] of [
      [null, 'null'],
      [undefined, 'undefined'],
      ['10s', '"10s"'],
      [[{ startToCloseTimeout: '1s' }], '[{"startToCloseTimeout":"1s"}]'],
      [new Options(), '{"startToCloseTimeout":"1s"}'],
      [new Date(0), '"1970-01-01T00:00:00.000Z"'],
    ] as const) {
      expectConfigError(() => normalizeOptions(value, profile), 'options', text, 'an object of activity options');
    }
  });

  test.each(['temporal', 'cadence'] as const)('%s: an unknown key is an error naming the key and the known keys', (profile) => {
    const error = expectConfigError(
      () => normalizeOptions({ ...cadenceBase, startToClose: '1s' }, profile),
      'options.startToClose',
      '"1s"',
      'one of scheduleToStartTimeout, startToCloseTimeout, scheduleToCloseTimeout, heartbeatTimeout, retry',
    );
    expect(error.message).toContain('unknown option');
  });

  test.each(['temporal', 'cadence'] as const)('%s: an unknown retry key is an error naming the key', (profile) => {
    const error = expectConfigError(
      () => normalizeOptions({ ...cadenceBase, retry: { initialInterval: '1s', maxAttempts: 3 } }, profile),
      'options.retry.maxAttempts',
      '3',
      'one of initialInterval, backoffCoefficient, maximumInterval, maximumAttempts, nonRetryableErrorTypes, expirationInterval',
    );
    expect(error.message).toBe(
      'options.retry.maxAttempts: unknown option (got 3), expected one of initialInterval, backoffCoefficient, maximumInterval, maximumAttempts, nonRetryableErrorTypes, expirationInterval',
    );
  });

  test('an own __proto__ key (as JSON.parse makes) is an unknown option, not a prototype', () => {
    const options: unknown = JSON.parse('{"startToCloseTimeout": "1s", "__proto__": {"retry": 1}}');
    expectConfigError(() => temporal(options), 'options.__proto__', '{"retry":1}', 'one of scheduleToStartTimeout');
  });

  test.each(['temporal', 'cadence'] as const)('%s: wrong types are errors naming the field', (profile) => {
    const base = { ...cadenceBase };
    expectConfigError(() => normalizeOptions({ ...base, heartbeatTimeout: true }, profile), 'options.heartbeatTimeout', 'true', 'a duration');
    expectConfigError(() => normalizeOptions({ ...base, scheduleToCloseTimeout: null }, profile), 'options.scheduleToCloseTimeout', 'null', 'a duration');
    expectConfigError(() => normalizeOptions({ ...base, retry: 'fast' }, profile), 'options.retry', '"fast"', 'a retry policy object');
    const retry = { initialInterval: '1s', maximumAttempts: 3 };
    expectConfigError(
      () => normalizeOptions({ ...base, retry: { ...retry, nonRetryableErrorTypes: 'BadInput' } }, profile),
      'options.retry.nonRetryableErrorTypes',
      '"BadInput"',
      'an array of strings',
    );
    expectConfigError(
      () => normalizeOptions({ ...base, retry: { ...retry, nonRetryableErrorTypes: ['A', 7] } }, profile),
      'options.retry.nonRetryableErrorTypes[1]',
      '7',
      'a string',
    );
    expectConfigError(
      () => normalizeOptions({ ...base, retry: { ...retry, initialInterval: '5 parsecs' } }, profile),
      'options.retry.initialInterval',
      '"5 parsecs"',
      'a duration',
    );
  });

  test('fieldPrefix names the options object in every error', () => {
    expectConfigError(
      () => normalizeOptions({ startToCloseTimeout: '1s', retry: { backoffCoefficient: 0.5 } }, 'temporal', 'activities.charge'),
      'activities.charge.retry.backoffCoefficient',
      '0.5',
      '>= 1',
    );
    expectConfigError(() => normalizeOptions(5, 'cadence', 'activities.charge'), 'activities.charge', '5', 'an object');
  });

  test('an unknown profile is an error on `profile`', () => {
    expectConfigError(() => normalizeOptions({ startToCloseTimeout: '1s' }, 'aws' as never), 'profile', '"aws"', "'temporal' or 'cadence'");
  });

  test('undefined values count as unset', () => {
    expect(temporal({ startToCloseTimeout: '1s', heartbeatTimeout: undefined, retry: { initialInterval: undefined } }).retry?.initialIntervalMs).toBe(S);
  });

  test('results are frozen and the input is not mutated', () => {
    const input = { scheduleToCloseTimeout: '1m', retry: { nonRetryableErrorTypes: ['A'] } };
    const snapshot = structuredClone(input);
    const normalized = temporal(input);
    expect(input).toEqual(snapshot);
    expect(Object.isFrozen(normalized)).toBe(true);
    expect(Object.isFrozen(normalized.retry)).toBe(true);
    expect(Object.isFrozen(normalized.retry?.nonRetryableErrorTypes)).toBe(true);
    expect(normalized.retry?.nonRetryableErrorTypes).not.toBe(input.retry.nonRetryableErrorTypes);
  });
});

describe('worker options (S1)', () => {
  test('S1 worker defaults: 60s throttle cap, 30s window without a heartbeat timeout', () => {
    const expected = { maxHeartbeatThrottleIntervalMs: 60 * S, defaultHeartbeatThrottleIntervalMs: 30 * S };
    expect(normalizeWorkerOptions(undefined)).toEqual(expected);
    expect(normalizeWorkerOptions({})).toEqual(expected);
    expect(DEFAULT_WORKER_OPTIONS).toEqual(expected);
  });

  test('S1 worker options: 0 (throttling disabled) and strings are accepted, no rounding', () => {
    expect(normalizeWorkerOptions({ maxHeartbeatThrottleInterval: 0, defaultHeartbeatThrottleInterval: '1.5s' })).toEqual({
      maxHeartbeatThrottleIntervalMs: 0,
      defaultHeartbeatThrottleIntervalMs: 1_500,
    });
  });

  test('worker options: unknown keys, wrong types and bad durations name the field', () => {
    expectConfigError(
      () => normalizeWorkerOptions({ maxHeartbeatThrottle: '1s' }),
      'worker.maxHeartbeatThrottle',
      '"1s"',
      'one of maxHeartbeatThrottleInterval, defaultHeartbeatThrottleInterval',
    );
    expectConfigError(() => normalizeWorkerOptions(5), 'worker', '5', 'an object of worker options');
    expectConfigError(() => normalizeWorkerOptions(null, 'sim.worker'), 'sim.worker', 'null', 'an object of worker options');
    expectConfigError(
      () => normalizeWorkerOptions({ defaultHeartbeatThrottleInterval: -1 }),
      'worker.defaultHeartbeatThrottleInterval',
      '-1',
      'a duration',
    );
  });
});

// ---------------------------------------------------------------- properties

const ACTIVITY_KEYS = ['scheduleToStartTimeout', 'startToCloseTimeout', 'scheduleToCloseTimeout', 'heartbeatTimeout', 'retry'];
const RETRY_KEYS = ['initialInterval', 'backoffCoefficient', 'maximumInterval', 'maximumAttempts', 'nonRetryableErrorTypes', 'expirationInterval'];

const anything = fc.anything({
  maxDepth: 4,
  withBigInt: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withBoxedValues: true,
  withNullPrototype: true,
  withSparseArray: true,
  withTypedArray: true,
});
const durationish = fc.oneof(
  fc.integer({ min: -10, max: 10_000_000 }),
  fc.double(),
  fc.constantFrom('1s', '250ms', '1m30s', '5 parsecs', '', '-1s', '0', '1e3', '100y', '0.0001ms'),
  fc.string({ maxLength: 8 }),
  anything,
);
const key = (known: string[]): fc.Arbitrary<string> => fc.oneof(fc.constantFrom(...known), fc.string({ maxLength: 6 }));
const retryish = fc.oneof(
  anything,
  fc.dictionary(key(RETRY_KEYS), fc.oneof(durationish, fc.array(fc.oneof(fc.string(), anything), { maxLength: 3 })), { maxKeys: 7 }),
);
/** Nested, malformed option objects: known and random keys, values of any type, deep nesting. */
const malformedOptions = fc.letrec((tie) => ({
  options: fc.oneof(
    { depthSize: 'small' },
    anything,
    fc.dictionary(key(ACTIVITY_KEYS), fc.oneof(durationish, retryish, tie('options')), { maxKeys: 6 }),
  ),
})).options;

function onlyConfigErrors(run: () => unknown, prefix: string): void {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(HbsimConfigError);
    const error = e as HbsimConfigError;
    expect(error.field === prefix || error.field.startsWith(`${prefix}.`) || error.field === 'profile').toBe(true);
    expect(error.message.startsWith(`${error.field}: `)).toBe(true);
  }
}

describe('properties', () => {
  test('property: malformed options only ever throw HbsimConfigError naming a field under the prefix', () => {
    fc.assert(
      fc.property(malformedOptions, fc.constantFrom('temporal', 'cadence') as fc.Arbitrary<'temporal' | 'cadence'>, (options, profile) => {
        onlyConfigErrors(() => normalizeOptions(options, profile), 'options');
        onlyConfigErrors(() => normalizeOptions(options, profile, 'a.b'), 'a.b');
      }),
      { numRuns: 3_000 },
    );
  });

  test('property: malformed worker options and durations only ever throw HbsimConfigError', () => {
    const workerish = fc.oneof(anything, fc.dictionary(key(['maxHeartbeatThrottleInterval', 'defaultHeartbeatThrottleInterval']), durationish));
    fc.assert(
      fc.property(workerish, durationish, (worker, duration) => {
        onlyConfigErrors(() => normalizeWorkerOptions(worker), 'worker');
        onlyConfigErrors(() => normalizeOptions({ startToCloseTimeout: duration, scheduleToStartTimeout: '1s' }, 'cadence'), 'options');
      }),
      { numRuns: 2_000 },
    );
  });

  const ms = (min: number, max: number): fc.Arbitrary<number | string> =>
    fc.integer({ min, max }).chain((n) => fc.constantFrom<number | string>(n, `${n}ms`, `${n / 1_000}s`));
  const errorTypes = fc.array(fc.string({ maxLength: 10 }).filter((s) => !s.startsWith('TemporalTimeout:')), { maxLength: 3 });

  test('property: T1/R8 valid temporal options never throw and satisfy the T1 invariants', () => {
    const retry = fc.record(
      {
        initialInterval: fc.integer({ min: 1, max: 60_000 }),
        backoffCoefficient: fc.double({ min: 1, max: 10, noNaN: true }),
        maximumAttempts: fc.oneof(fc.integer({ min: 0, max: 100 }), fc.constant(Infinity)),
        nonRetryableErrorTypes: errorTypes,
      },
      { requiredKeys: [] },
    );
    const options = fc
      .record(
        {
          scheduleToStartTimeout: ms(0, 10 * D),
          startToCloseTimeout: ms(1, 10 * D),
          scheduleToCloseTimeout: ms(1, 10 * D),
          heartbeatTimeout: ms(0, 10 * D),
          retry,
        },
        { requiredKeys: [] },
      )
      .filter((o) => o.startToCloseTimeout !== undefined || o.scheduleToCloseTimeout !== undefined);
    fc.assert(
      fc.property(options, (o) => {
        const n = temporal(o);
        expect(n.startToCloseTimeoutMs).toBeGreaterThan(0);
        expect(n.heartbeatTimeoutMs).toBeLessThanOrEqual(n.startToCloseTimeoutMs);
        if (n.scheduleToCloseTimeoutMs > 0) {
          expect(n.scheduleToStartTimeoutMs).toBeLessThanOrEqual(n.scheduleToCloseTimeoutMs);
          expect(n.startToCloseTimeoutMs).toBeLessThanOrEqual(n.scheduleToCloseTimeoutMs);
        }
        expect(n.retry).toBeDefined();
        expect(n.retry!.maximumIntervalMs).toBeGreaterThanOrEqual(n.retry!.initialIntervalMs);
        expect(n.retry!.backoffCoefficient).toBeGreaterThanOrEqual(1);
      }),
      { numRuns: 1_000 },
    );
  });

  test('property: T1/T4/R8 valid cadence options never throw, are whole seconds and satisfy the T1 invariants', () => {
    const retry = fc.record(
      {
        initialInterval: ms(1, 60_000),
        backoffCoefficient: fc.oneof(fc.constant(0), fc.double({ min: 1, max: 10, noNaN: true })),
        maximumAttempts: fc.integer({ min: 1, max: 100 }),
        expirationInterval: ms(0, 2 * D),
        nonRetryableErrorTypes: fc.oneof(errorTypes, fc.constant([CADENCE_SCHEDULE_TO_START_REASON])),
      },
      { requiredKeys: ['initialInterval', 'maximumAttempts'] },
    );
    const options = fc.record(
      {
        scheduleToStartTimeout: ms(1, 10 * D),
        startToCloseTimeout: ms(1, 10 * D),
        scheduleToCloseTimeout: ms(0, 10 * D),
        heartbeatTimeout: ms(0, 10 * D),
        retry,
      },
      { requiredKeys: ['scheduleToStartTimeout', 'startToCloseTimeout'] },
    );
    fc.assert(
      fc.property(options, (o) => {
        const n = cadence(o);
        for (const v of [n.scheduleToStartTimeoutMs, n.startToCloseTimeoutMs, n.scheduleToCloseTimeoutMs, n.heartbeatTimeoutMs]) {
          expect(v % S).toBe(0);
        }
        expect(n.scheduleToStartTimeoutMs).toBeGreaterThan(0);
        expect(n.startToCloseTimeoutMs).toBeGreaterThan(0);
        if (n.retry === undefined) {
          expect(n.scheduleToCloseTimeoutMs).toBeGreaterThan(0);
        } else {
          const expiration = n.retry.expirationIntervalMs;
          if (expiration > 0) expect(n.scheduleToCloseTimeoutMs).toBeGreaterThanOrEqual(expiration);
          else expect(n.scheduleToCloseTimeoutMs).toBe(0);
          if (!n.retry.nonRetryableErrorTypes.includes(CADENCE_SCHEDULE_TO_START_REASON)) {
            expect(n.scheduleToStartTimeoutMs).toBeGreaterThanOrEqual(Math.min(expiration || Infinity, 30 * M));
          }
          expect(n.retry.initialIntervalMs % S).toBe(0);
          expect(n.retry.maximumIntervalMs).toBeGreaterThanOrEqual(n.retry.initialIntervalMs);
          expect(n.retry.backoffCoefficient).toBeGreaterThanOrEqual(1);
        }
      }),
      { numRuns: 1_000 },
    );
  });
});
