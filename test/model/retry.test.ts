import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  applicationRetryDelayMs,
  attemptsExhausted,
  backoffIntervalMs,
  cadenceFailureReason,
  capIntervalMs,
  exceedsRetryBound,
  exponentialIntervalMs,
  isRetryable,
  retryBoundAt,
  retryDecision,
  temporalTimeoutErrorType,
} from '../../src/model/retry.js';
import type { RetryInput } from '../../src/model/retry.js';
import type { Failure, NormalizedOptions, ProfileName, TimeoutType } from '../../src/model/types.js';
import { normalizedOptions, policy } from './fixtures.js';


const options = normalizedOptions;

const appError = (type = 'Error', extra: Partial<Extract<Failure, { kind: 'application' }>> = {}): Failure => ({
  kind: 'application',
  type,
  message: 'boom',
  nonRetryable: false,
  ...extra,
});
const timeout = (timeoutType: TimeoutType): Failure => ({ kind: 'timeout', timeoutType, lastHeartbeatDetails: undefined });

function input(opts: NormalizedOptions, overrides: Partial<RetryInput> = {}): RetryInput {
  return { options: opts, attempt: 1, failure: appError(), now: 0, firstScheduledAt: 0, cancelRequested: false, ...overrides };
}

const attempts = [1, 2, 3, 4, 5];

describe('R1 backoff interval', () => {
  test('R1 temporal backoff is initial * coefficient^(attempt-1) in float ms', () => {
    const p = policy({ initialIntervalMs: 1000, backoffCoefficient: 1.5, maximumIntervalMs: 1_000_000 });
    expect(attempts.map((a) => exponentialIntervalMs('temporal', p, a))).toEqual([1000, 1500, 2250, 3375, 5062.5]);
    const opts = options('temporal', { retry: p });
    expect(attempts.map((a) => retryDecision(input(opts, { attempt: a })))).toEqual(
      [1000, 1500, 2250, 3375, 5062.5].map((backoffMs) => ({ retry: true, backoffMs })),
    );
  });

  test('R1 cadence truncates backoff to whole seconds', () => {
    const p = policy({ initialIntervalMs: 1000, backoffCoefficient: 1.5, maximumIntervalMs: 1_000_000 });
    expect(attempts.map((a) => exponentialIntervalMs('cadence', p, a))).toEqual([1000, 1000, 2000, 3000, 5000]);
    const opts = options('cadence', { retry: { ...p, expirationIntervalMs: 3_600_000 } });
    expect(attempts.map((a) => retryDecision(input(opts, { attempt: a })))).toEqual(
      [1000, 1000, 2000, 3000, 5000].map((backoffMs) => ({ retry: true, backoffMs })),
    );
  });

  test('R1 temporal has no jitter: the same inputs give the same interval', () => {
    const p = policy({ initialIntervalMs: 333, backoffCoefficient: 1.7 });
    expect(exponentialIntervalMs('temporal', p, 4)).toBe(exponentialIntervalMs('temporal', p, 4));
    expect(exponentialIntervalMs('temporal', p, 4)).toBeCloseTo(333 * 1.7 ** 3, 9);
  });
});

describe('R2 cap', () => {
  test('R2 temporal caps the interval at maximumInterval', () => {
    const p = policy({ initialIntervalMs: 1000, backoffCoefficient: 2, maximumIntervalMs: 5000 });
    expect(attempts.map((a) => backoffIntervalMs('temporal', p, a))).toEqual([1000, 2000, 4000, 5000, 5000]);
  });

  test('R2 cadence caps the interval at maximumInterval', () => {
    const p = policy({ initialIntervalMs: 1000, backoffCoefficient: 3, maximumIntervalMs: 10_000 });
    expect(attempts.map((a) => backoffIntervalMs('cadence', p, a))).toEqual([1000, 3000, 9000, 10_000, 10_000]);
  });

  test('R2 temporal overflow, Infinity and NaN fall back to maximumInterval', () => {
    expect(capIntervalMs('temporal', Infinity, 7000)).toBe(7000);
    expect(capIntervalMs('temporal', Number.NaN, 7000)).toBe(7000);
    expect(capIntervalMs('temporal', 2 ** 63 / 1e6, 7000)).toBe(7000); // >= MaxInt64 ns
    expect(capIntervalMs('temporal', 0, 7000)).toBe(7000);
    const p = policy({ initialIntervalMs: 1000, backoffCoefficient: 10, maximumIntervalMs: 7000 });
    expect(backoffIntervalMs('temporal', p, 400)).toBe(7000);
  });

  test('R2 temporal overflow with no cap is never retried (RETRY_STATE_TIMEOUT)', () => {
    expect(capIntervalMs('temporal', Infinity, 0)).toBeUndefined();
    expect(capIntervalMs('temporal', 1e13, 0)).toBeUndefined(); // 1e19 ns > MaxInt64
    expect(capIntervalMs('temporal', 9e12, 0)).toBe(9e12);
    const opts = options('temporal', { retry: policy({ backoffCoefficient: 10, maximumIntervalMs: 0 }) });
    expect(retryDecision(input(opts, { attempt: 400 }))).toEqual({ retry: false, reason: 'timeout' });
  });

  test('R2 cadence overflow falls back to maximumInterval, or never retries without one', () => {
    expect(capIntervalMs('cadence', Infinity, 9000)).toBe(9000);
    expect(capIntervalMs('cadence', Number.NaN, 9000)).toBe(9000);
    expect(capIntervalMs('cadence', 1e10 * 1000, 9000)).toBe(9000); // > MaxInt64/1e9 s
    expect(capIntervalMs('cadence', Infinity, 0)).toBeUndefined();
    const opts = options('cadence', { retry: policy({ backoffCoefficient: 10, maximumIntervalMs: 0, expirationIntervalMs: 0, maximumAttempts: 1000 }) });
    expect(retryDecision(input(opts, { attempt: 400 }))).toEqual({ retry: false, reason: 'intervalOverflow' });
  });

  test('R2 property: a capped backoff never exceeds maximumInterval and is positive', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<ProfileName>('temporal', 'cadence'),
        fc.integer({ min: 1, max: 600 }),
        fc.double({ min: 1, max: 50, noNaN: true }),
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: 1, max: 3000 }),
        (profile, initialSeconds, coefficient, maxFactor, attempt) => {
          const p = policy({
            initialIntervalMs: initialSeconds * 1000,
            backoffCoefficient: coefficient,
            maximumIntervalMs: initialSeconds * 1000 * maxFactor,
          });
          const backoff = backoffIntervalMs(profile, p, attempt);
          expect(backoff).toBeDefined();
          expect(backoff!).toBeLessThanOrEqual(p.maximumIntervalMs);
          expect(backoff!).toBeGreaterThanOrEqual(p.initialIntervalMs);
        },
      ),
    );
  });

  test('R2 property: temporal backoff never decreases from one attempt to the next', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100_000 }),
        fc.double({ min: 1, max: 10, noNaN: true }),
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: 1, max: 2000 }),
        (initial, coefficient, maxFactor, attempt) => {
          const p = policy({ initialIntervalMs: initial, backoffCoefficient: coefficient, maximumIntervalMs: initial * maxFactor });
          expect(backoffIntervalMs('temporal', p, attempt + 1)!).toBeGreaterThanOrEqual(backoffIntervalMs('temporal', p, attempt)!);
        },
      ),
    );
  });
});

describe('R3 maximumAttempts', () => {
  test('R3 temporal maximumAttempts counts the first attempt', () => {
    const opts = options('temporal', { retry: policy({ maximumAttempts: 3 }) });
    expect([1, 2, 3].map((a) => retryDecision(input(opts, { attempt: a })))).toEqual([
      { retry: true, backoffMs: 1000 },
      { retry: true, backoffMs: 2000 },
      { retry: false, reason: 'maximumAttemptsReached' },
    ]);
  });

  test('R3 temporal maximumAttempts 0 is unlimited', () => {
    const opts = options('temporal', { retry: policy({ maximumAttempts: 0 }) });
    expect(retryDecision(input(opts, { attempt: 10_000 }))).toEqual({ retry: true, backoffMs: 100_000 });
    expect(attemptsExhausted(10_000, 0)).toBe(false);
    expect(attemptsExhausted(1, 1)).toBe(true);
  });

  test('R3 cadence maximumAttempts counts the first attempt', () => {
    const opts = options('cadence', { retry: policy({ maximumAttempts: 2, expirationIntervalMs: 0 }) });
    expect([1, 2].map((a) => retryDecision(input(opts, { attempt: a })))).toEqual([
      { retry: true, backoffMs: 1000 },
      { retry: false, reason: 'maximumAttemptsReached' },
    ]);
  });

  test('R3 cadence maximumAttempts 0 is unlimited only with an expiration interval', () => {
    const bounded = options('cadence', { retry: policy({ maximumAttempts: 0, expirationIntervalMs: 3_600_000 }) });
    expect(retryDecision(input(bounded, { attempt: 50 }))).toEqual({ retry: true, backoffMs: 100_000 });
    const neither = options('cadence', { retry: policy({ maximumAttempts: 0, expirationIntervalMs: 0 }) });
    expect(retryDecision(input(neither, { attempt: 1 }))).toEqual({ retry: false, reason: 'noAttemptsOrExpiration' });
  });
});

describe('R4 overall bound', () => {
  test('R4 temporal: no retry if now + interval > firstScheduled + scheduleToClose', () => {
    const opts = options('temporal', { scheduleToCloseTimeoutMs: 10_000 });
    expect(retryBoundAt(opts, 500)).toBe(10_500);
    // attempt 1 -> 1000 ms backoff
    expect(retryDecision(input(opts, { firstScheduledAt: 500, now: 9_500 }))).toEqual({ retry: true, backoffMs: 1000 });
    expect(retryDecision(input(opts, { firstScheduledAt: 500, now: 9_501 }))).toEqual({ retry: false, reason: 'timeout' });
  });

  test('R4 temporal ignores expirationInterval and has no bound without scheduleToClose', () => {
    const opts = options('temporal', { scheduleToCloseTimeoutMs: 0, retry: policy({ expirationIntervalMs: 10 }) });
    expect(retryBoundAt(opts, 0)).toBeUndefined();
    expect(retryDecision(input(opts, { now: 1e9 }))).toEqual({ retry: true, backoffMs: 1000 });
  });

  test('R4 cadence bound is firstScheduled + expirationInterval, scheduleToClose unused', () => {
    const opts = options('cadence', { scheduleToCloseTimeoutMs: 2_000, retry: policy({ expirationIntervalMs: 10_000 }) });
    expect(retryBoundAt(opts, 500)).toBe(10_500);
    expect(retryDecision(input(opts, { firstScheduledAt: 500, now: 9_500 }))).toEqual({ retry: true, backoffMs: 1000 });
    expect(retryDecision(input(opts, { firstScheduledAt: 500, now: 9_501 }))).toEqual({ retry: false, reason: 'timeout' });
  });

  test('R4 the bound is strict: landing exactly on it is allowed', () => {
    expect(exceedsRetryBound(9000, 1000, 10_000)).toBe(false);
    expect(exceedsRetryBound(9000, 1000.5, 10_000)).toBe(true);
    expect(exceedsRetryBound(9000, 1e12, undefined)).toBe(false);
  });

  test('R4 property: a granted retry never lands past the bound (both profiles)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<ProfileName>('temporal', 'cadence'),
        fc.integer({ min: 1, max: 100_000 }),
        fc.integer({ min: 0, max: 200_000 }),
        fc.integer({ min: 1, max: 20 }),
        (profile, boundMs, now, attempt) => {
          const opts = options(profile, { scheduleToCloseTimeoutMs: boundMs, retry: policy({ expirationIntervalMs: boundMs }) });
          const d = retryDecision(input(opts, { attempt, now }));
          if (d.retry) expect(now + d.backoffMs).toBeLessThanOrEqual(boundMs);
        },
      ),
    );
  });
});

describe('R5 order of decisions', () => {
  test('R5 temporal: no policy, then cancel, then S2S/S2C, then non-retryable, then attempts, then bound', () => {
    const opts = options('temporal', { scheduleToCloseTimeoutMs: 5_000, retry: policy({ maximumAttempts: 2 }) });
    expect(retryDecision(input(options('temporal', { retry: undefined }), { cancelRequested: true }))).toEqual({
      retry: false,
      reason: 'retryPolicyNotSet',
    });
    // cancel wins over a non-retryable failure
    expect(retryDecision(input(opts, { cancelRequested: true, failure: appError('E', { nonRetryable: true }) }))).toEqual({
      retry: false,
      reason: 'cancelRequested',
    });
    // S2S timeout is not retried even with attempts and time left
    expect(retryDecision(input(opts, { failure: timeout('SCHEDULE_TO_START') }))).toEqual({ retry: false, reason: 'timeout' });
    expect(retryDecision(input(opts, { failure: timeout('SCHEDULE_TO_CLOSE') }))).toEqual({ retry: false, reason: 'timeout' });
    // non-retryable wins over attempts
    expect(retryDecision(input(opts, { attempt: 2, failure: appError('E', { nonRetryable: true }) }))).toEqual({
      retry: false,
      reason: 'nonRetryableFailure',
    });
    // attempts win over the bound
    expect(retryDecision(input(opts, { attempt: 2, now: 1e9 }))).toEqual({ retry: false, reason: 'maximumAttemptsReached' });
    expect(retryDecision(input(opts, { attempt: 1, now: 1e9 }))).toEqual({ retry: false, reason: 'timeout' });
  });

  test('R5 cadence: no policy or cancel, then attempts, then expiration, then non-retriable reasons', () => {
    const p = policy({ maximumAttempts: 3, expirationIntervalMs: 10_000, nonRetryableErrorTypes: ['Bad'] });
    const opts = options('cadence', { retry: p });
    expect(retryDecision(input(options('cadence', { retry: undefined })))).toEqual({ retry: false, reason: 'retryPolicyNotSet' });
    expect(retryDecision(input(opts, { cancelRequested: true, failure: appError('Bad') }))).toEqual({ retry: false, reason: 'cancelRequested' });
    expect(retryDecision(input(opts, { attempt: 3, now: 1e9, failure: appError('Bad') }))).toEqual({
      retry: false,
      reason: 'maximumAttemptsReached',
    });
    expect(retryDecision(input(opts, { attempt: 1, now: 1e9, failure: appError('Bad') }))).toEqual({ retry: false, reason: 'timeout' });
    expect(retryDecision(input(opts, { attempt: 1, failure: appError('Bad') }))).toEqual({ retry: false, reason: 'nonRetryableFailure' });
    expect(retryDecision(input(opts, { attempt: 1, failure: appError('Good') }))).toEqual({ retry: true, backoffMs: 1000 });
  });
});

describe('R6 retryability', () => {
  test('R6 temporal START_TO_CLOSE and HEARTBEAT timeouts are retryable unless listed', () => {
    expect(isRetryable('temporal', timeout('START_TO_CLOSE'), [])).toBe(true);
    expect(isRetryable('temporal', timeout('HEARTBEAT'), [])).toBe(true);
    expect(isRetryable('temporal', timeout('START_TO_CLOSE'), ['TemporalTimeout:StartToClose'])).toBe(false);
    expect(isRetryable('temporal', timeout('HEARTBEAT'), ['TemporalTimeout:StartToClose'])).toBe(true);
    expect(isRetryable('temporal', timeout('HEARTBEAT'), ['TemporalTimeout:Heartbeat'])).toBe(false);
    expect(isRetryable('temporal', timeout('SCHEDULE_TO_START'), [])).toBe(false);
    expect(isRetryable('temporal', timeout('SCHEDULE_TO_CLOSE'), [])).toBe(false);
    expect(temporalTimeoutErrorType('SCHEDULE_TO_START')).toBe('TemporalTimeout:ScheduleToStart');
  });

  test('R6 temporal application failure: flag or exact type match makes it non-retryable', () => {
    expect(isRetryable('temporal', appError('MyError'), [])).toBe(true);
    expect(isRetryable('temporal', appError('MyError', { nonRetryable: true }), [])).toBe(false);
    expect(isRetryable('temporal', appError('MyError'), ['MyError'])).toBe(false);
    expect(isRetryable('temporal', appError('MyError'), ['myerror', 'MyErr', 'MyError2'])).toBe(true);
    expect(isRetryable('temporal', { kind: 'canceled', details: undefined }, [])).toBe(false);
    const opts = options('temporal', { retry: policy({ nonRetryableErrorTypes: ['TypeError'] }) });
    expect(retryDecision(input(opts, { failure: appError('TypeError') }))).toEqual({ retry: false, reason: 'nonRetryableFailure' });
  });

  test('R6 cadence matches the failure reason exactly, timeouts included', () => {
    expect(cadenceFailureReason(timeout('START_TO_CLOSE'))).toBe('cadenceInternal:Timeout START_TO_CLOSE');
    expect(cadenceFailureReason(appError('my-reason'))).toBe('my-reason');
    expect(isRetryable('cadence', timeout('SCHEDULE_TO_START'), [])).toBe(true);
    expect(isRetryable('cadence', timeout('START_TO_CLOSE'), ['cadenceInternal:Timeout START_TO_CLOSE'])).toBe(false);
    expect(isRetryable('cadence', timeout('HEARTBEAT'), ['cadenceInternal:Timeout START_TO_CLOSE'])).toBe(true);
    expect(isRetryable('cadence', timeout('START_TO_CLOSE'), ['TemporalTimeout:StartToClose'])).toBe(true);
    expect(isRetryable('cadence', appError('my-reason'), ['my-reason'])).toBe(false);
    expect(isRetryable('cadence', appError('my-reason'), ['My-Reason'])).toBe(true);
  });

  test('R6 cadence ignores the non-retryable flag and never retries size-limit reasons', () => {
    expect(isRetryable('cadence', appError('x', { nonRetryable: true }), [])).toBe(true);
    expect(isRetryable('cadence', appError('HEARTBEAT_EXCEEDS_LIMIT'), [])).toBe(false);
    expect(isRetryable('cadence', appError('COMPLETE_RESULT_EXCEEDS_LIMIT'), [])).toBe(false);
    expect(isRetryable('cadence', appError('FAILURE_DETAILS_EXCEEDS_LIMIT'), [])).toBe(true);
  });
});

describe('R7 application-chosen delay', () => {
  test('R7 temporal nextRetryDelay replaces the interval and the cap', () => {
    const opts = options('temporal', { retry: policy({ maximumIntervalMs: 5000 }) });
    expect(retryDecision(input(opts, { attempt: 3, failure: appError('E', { nextRetryDelayMs: 30_000 }) }))).toEqual({
      retry: true,
      backoffMs: 30_000,
    });
    expect(retryDecision(input(opts, { attempt: 3, failure: appError('E', { nextRetryDelayMs: 10 }) }))).toEqual({
      retry: true,
      backoffMs: 10,
    });
  });

  test('R7 temporal maximumAttempts and the overall bound still apply', () => {
    const opts = options('temporal', { scheduleToCloseTimeoutMs: 20_000, retry: policy({ maximumAttempts: 2 }) });
    const failure = appError('E', { nextRetryDelayMs: 30_000 });
    expect(retryDecision(input(opts, { attempt: 2, failure }))).toEqual({ retry: false, reason: 'maximumAttemptsReached' });
    expect(retryDecision(input(opts, { attempt: 1, failure }))).toEqual({ retry: false, reason: 'timeout' });
  });

  test('R7 temporal a zero nextRetryDelay leaves no interval: not retried', () => {
    const opts = options('temporal');
    expect(retryDecision(input(opts, { failure: appError('E', { nextRetryDelayMs: 0 }) }))).toEqual({ retry: false, reason: 'timeout' });
  });

  test('R7 cadence ignores nextRetryDelay', () => {
    const opts = options('cadence');
    expect(applicationRetryDelayMs('cadence', appError('E', { nextRetryDelayMs: 30_000 }))).toBeUndefined();
    expect(retryDecision(input(opts, { attempt: 2, failure: appError('E', { nextRetryDelayMs: 30_000 }) }))).toEqual({
      retry: true,
      backoffMs: 2000,
    });
  });
});

describe('R8 cadence without a policy', () => {
  test('R8 cadence with no retry policy never retries', () => {
    expect(retryDecision(input(options('cadence', { retry: undefined }), { failure: timeout('START_TO_CLOSE') }))).toEqual({
      retry: false,
      reason: 'retryPolicyNotSet',
    });
  });
});
