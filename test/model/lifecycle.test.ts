import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  ActivityLifecycle,
  CANCELED_BEFORE_START_DETAILS,
  HEARTBEAT_DETAILS_LIMIT_BYTES,
  detailsExceedLimit,
  utf8ByteLength,
} from '../../src/model/lifecycle.js';
import type {
  Failure,
  LifecycleDecision,
  NormalizedOptions,
  Payload,
  ProfileName,
  TimerKey,
  TimerKind,
} from '../../src/model/types.js';
import { normalizedOptions, policy } from './fixtures.js';

// ---- helpers -------------------------------------------------------------------------------


const temporal = (overrides: Partial<NormalizedOptions> = {}): NormalizedOptions => normalizedOptions('temporal', { heartbeatTimeoutMs: 2_000, ...overrides });
const cadence = (overrides: Partial<NormalizedOptions> = {}): NormalizedOptions => normalizedOptions('cadence', { heartbeatTimeoutMs: 2_000, ...overrides });

const key = (kind: TimerKind, attempt: number, seq: number): TimerKey => ({ kind, attempt, seq });
const arm = (kind: TimerKind, attempt: number, seq: number, at: number): LifecycleDecision => ({
  type: 'armTimer',
  timer: key(kind, attempt, seq),
  at,
});
const disarm = (kind: TimerKind, attempt: number, seq: number): LifecycleDecision => ({ type: 'disarmTimer', timer: key(kind, attempt, seq) });
const respond = (
  to: 'heartbeat' | 'completed' | 'failed' | 'canceled',
  attempt: number,
  status: 'ok' | 'notFound',
  cancelRequested = false,
): LifecycleDecision => ({ type: 'respond', to, attempt, status, cancelRequested });

const E1: Failure = { kind: 'application', type: 'E1', message: 'first', nonRetryable: false };

function armed(lc: ActivityLifecycle, kind: TimerKind): { timer: TimerKey; at: number } {
  const found = lc.armedTimers.find((a) => a.timer.kind === kind);
  if (found === undefined) throw new Error(`no ${kind} timer armed`);
  return found;
}

/** Fires the armed timer of `kind` at its deadline (or at `at`). */
function fire(lc: ActivityLifecycle, kind: TimerKind, at?: number): LifecycleDecision[] {
  const a = armed(lc, kind);
  return lc.handle({ type: 'timerFired', at: at ?? a.at, timer: a.timer });
}

const schedule = (lc: ActivityLifecycle, at: number) => lc.handle({ type: 'schedule', at });
const start = (lc: ActivityLifecycle, at: number, attempt: number, worker = `w${attempt}`) =>
  lc.handle({ type: 'attemptStarted', at, attempt, worker });
const heartbeat = (lc: ActivityLifecycle, at: number, attempt: number, details: Payload) =>
  lc.handle({ type: 'heartbeat', at, attempt, details });
const complete = (lc: ActivityLifecycle, at: number, attempt: number, result: unknown = 'done') =>
  lc.handle({ type: 'completed', at, attempt, result });
const fail = (lc: ActivityLifecycle, at: number, attempt: number, failure: Failure = E1) =>
  lc.handle({ type: 'failed', at, attempt, failure });
const reportCanceled = (lc: ActivityLifecycle, at: number, attempt: number, details: Payload) =>
  lc.handle({ type: 'canceled', at, attempt, details });
const requestCancel = (lc: ActivityLifecycle, at: number) => lc.handle({ type: 'cancelRequested', at });

// ---- T2: scheduling and starting -----------------------------------------------------------

describe('T2 timers armed by schedule and start', () => {
  test('T2 schedule dispatches attempt 1 and arms S2S and S2C; start swaps S2S for STC and HB', () => {
    const lc = new ActivityLifecycle(temporal({ scheduleToStartTimeoutMs: 5_000, scheduleToCloseTimeoutMs: 60_000 }));
    expect(schedule(lc, 0)).toEqual([
      { type: 'dispatch', attempt: 1, at: 0 },
      arm('SCHEDULE_TO_START', 1, 1, 5_000),
      arm('SCHEDULE_TO_CLOSE', 1, 2, 60_000),
    ]);
    expect(lc.phase).toBe('queued');
    expect(lc.attemptStarted).toBe(false);
    expect(start(lc, 1_000, 1)).toEqual([
      disarm('SCHEDULE_TO_START', 1, 1),
      arm('START_TO_CLOSE', 1, 3, 11_000),
      arm('HEARTBEAT', 1, 4, 3_000),
    ]);
    expect(lc.attemptStarted).toBe(true);
    expect(lc.currentAttemptStartedAt).toBe(1_000);
    expect(lc.currentWorker).toBe('w1');
  });

  test('T2 a start for another attempt, or a second schedule, is ignored', () => {
    const lc = new ActivityLifecycle(temporal());
    schedule(lc, 0);
    const before = lc.snapshot();
    expect(schedule(lc, 5)).toEqual([]);
    expect(start(lc, 10, 2)).toEqual([]);
    expect(lc.snapshot()).toEqual(before);
  });

  test('T2 cadence S2C is re-armed at each attempt\'s scheduled time', () => {
    const lc = new ActivityLifecycle(cadence({ scheduleToStartTimeoutMs: 5_000, scheduleToCloseTimeoutMs: 20_000 }));
    expect(schedule(lc, 0)).toEqual([
      { type: 'dispatch', attempt: 1, at: 0 },
      arm('SCHEDULE_TO_START', 1, 1, 5_000),
      arm('SCHEDULE_TO_CLOSE', 1, 2, 20_000),
    ]);
    start(lc, 100, 1); // disarm S2S, arm STC seq 3, HB seq 4
    expect(fail(lc, 1_000, 1)).toEqual([
      { type: 'attemptFailed', attempt: 1, failure: E1 },
      disarm('START_TO_CLOSE', 1, 3),
      disarm('HEARTBEAT', 1, 4),
      disarm('SCHEDULE_TO_CLOSE', 1, 2),
      { type: 'retryScheduled', nextAttempt: 2, backoffMs: 1_000, at: 2_000, failure: E1 },
      arm('RETRY_BACKOFF', 2, 5, 2_000),
      respond('failed', 1, 'ok'),
    ]);
    expect(fire(lc, 'RETRY_BACKOFF')).toEqual([
      { type: 'dispatch', attempt: 2, at: 2_000 },
      arm('SCHEDULE_TO_START', 2, 6, 7_000),
      arm('SCHEDULE_TO_CLOSE', 2, 7, 22_000),
    ]);
  });

  test('T2 temporal S2C is armed once for the whole activity', () => {
    const lc = new ActivityLifecycle(temporal({ scheduleToCloseTimeoutMs: 60_000, heartbeatTimeoutMs: 0 }));
    schedule(lc, 0); // dispatch, S2C seq 1
    start(lc, 0, 1); // STC seq 2
    expect(fail(lc, 1_000, 1)).toEqual([
      { type: 'attemptFailed', attempt: 1, failure: E1 },
      disarm('START_TO_CLOSE', 1, 2),
      { type: 'retryScheduled', nextAttempt: 2, backoffMs: 1_000, at: 2_000, failure: E1 },
      arm('RETRY_BACKOFF', 2, 3, 2_000),
      respond('failed', 1, 'ok'),
    ]);
    expect(fire(lc, 'RETRY_BACKOFF')).toEqual([{ type: 'dispatch', attempt: 2, at: 2_000 }]);
    expect(armed(lc, 'SCHEDULE_TO_CLOSE')).toEqual({ timer: key('SCHEDULE_TO_CLOSE', 1, 1), at: 60_000 });
  });
});

// ---- H1: heartbeats -------------------------------------------------------------------------

describe('H1 accepted heartbeats', () => {
  test('H1 a heartbeat stores the details, moves the HB deadline and answers ok', () => {
    const lc = new ActivityLifecycle(temporal());
    schedule(lc, 0);
    start(lc, 1_000, 1); // STC seq 1 @11000, HB seq 2 @3000
    expect(heartbeat(lc, 1_500, 1, '"p1"')).toEqual([
      { type: 'detailsStored', attempt: 1, details: '"p1"' },
      disarm('HEARTBEAT', 1, 2),
      arm('HEARTBEAT', 1, 3, 3_500),
      respond('heartbeat', 1, 'ok'),
    ]);
    expect(lc.storedDetails).toBe('"p1"');
    expect(lc.lastHeartbeatAt).toBe(1_500);
  });

  test('H1 an empty heartbeat erases stored details', () => {
    const lc = new ActivityLifecycle(temporal());
    schedule(lc, 0);
    start(lc, 0, 1);
    heartbeat(lc, 100, 1, '{"page":3}');
    const decisions = heartbeat(lc, 200, 1, undefined);
    expect(decisions[0]).toEqual({ type: 'detailsStored', attempt: 1, details: undefined });
    expect(lc.storedDetails).toBeUndefined();
  });

  test('H1 heartbeats are accepted with no heartbeat timeout set', () => {
    const lc = new ActivityLifecycle(temporal({ heartbeatTimeoutMs: 0 }));
    schedule(lc, 0);
    expect(start(lc, 0, 1)).toEqual([arm('START_TO_CLOSE', 1, 1, 10_000)]);
    expect(heartbeat(lc, 100, 1, '"x"')).toEqual([
      { type: 'detailsStored', attempt: 1, details: '"x"' },
      respond('heartbeat', 1, 'ok'),
    ]);
    expect(lc.storedDetails).toBe('"x"');
  });

  test('H1 the HB timer disarmed by a heartbeat is stale when it fires', () => {
    const lc = new ActivityLifecycle(temporal());
    schedule(lc, 0);
    start(lc, 0, 1); // HB seq 2 @2000
    heartbeat(lc, 1_000, 1, '"p"'); // HB seq 3 @3000
    const before = lc.snapshot();
    expect(lc.handle({ type: 'timerFired', at: 2_000, timer: key('HEARTBEAT', 1, 2) })).toEqual([]);
    expect(lc.snapshot()).toEqual(before);
    expect(fire(lc, 'HEARTBEAT')[0]).toEqual({ type: 'attemptTimedOut', attempt: 1, timeoutType: 'HEARTBEAT' });
  });
});

// ---- H2 / C5 / H6 / R4b: retries and zombies ------------------------------------------------

describe('retries and zombies', () => {
  function heartbeatTimeoutThenRetry(): ActivityLifecycle {
    const lc = new ActivityLifecycle(temporal());
    expect(schedule(lc, 0)).toEqual([{ type: 'dispatch', attempt: 1, at: 0 }]);
    expect(start(lc, 0, 1)).toEqual([arm('START_TO_CLOSE', 1, 1, 10_000), arm('HEARTBEAT', 1, 2, 2_000)]);
    heartbeat(lc, 500, 1, '"p1"'); // HB seq 3 @2500
    const hbFailure: Failure = { kind: 'timeout', timeoutType: 'HEARTBEAT', lastHeartbeatDetails: '"p1"' };
    expect(fire(lc, 'HEARTBEAT')).toEqual([
      { type: 'attemptTimedOut', attempt: 1, timeoutType: 'HEARTBEAT' },
      disarm('START_TO_CLOSE', 1, 1),
      { type: 'retryScheduled', nextAttempt: 2, backoffMs: 1_000, at: 3_500, failure: hbFailure },
      arm('RETRY_BACKOFF', 2, 4, 3_500),
    ]);
    return lc;
  }

  test('H2 stored details survive a heartbeat timeout and seed the next attempt', () => {
    const lc = heartbeatTimeoutThenRetry();
    expect(lc.phase).toBe('backoff');
    expect(lc.storedDetails).toBe('"p1"');
    expect(fire(lc, 'RETRY_BACKOFF')).toEqual([{ type: 'dispatch', attempt: 2, at: 3_500 }]);
    expect(start(lc, 3_600, 2)).toEqual([arm('START_TO_CLOSE', 2, 5, 13_600), arm('HEARTBEAT', 2, 6, 5_600)]);
    expect(lc.storedDetails).toBe('"p1"');
  });

  test('H2 stored details survive a start-to-close timeout and a failure', () => {
    const lc = new ActivityLifecycle(temporal({ heartbeatTimeoutMs: 0 }));
    schedule(lc, 0);
    start(lc, 0, 1);
    heartbeat(lc, 100, 1, '"a"');
    fire(lc, 'START_TO_CLOSE'); // 10000 -> retry at 11000
    fire(lc, 'RETRY_BACKOFF');
    start(lc, 11_000, 2);
    expect(lc.storedDetails).toBe('"a"');
    heartbeat(lc, 11_500, 2, '"b"');
    fail(lc, 12_000, 2);
    fire(lc, 'RETRY_BACKOFF');
    start(lc, 14_000, 3);
    expect(lc.storedDetails).toBe('"b"');
  });

  test('C5 a zombie\'s heartbeat and completion are rejected and never overwrite the new attempt\'s details', () => {
    const lc = heartbeatTimeoutThenRetry();
    fire(lc, 'RETRY_BACKOFF');
    start(lc, 3_600, 2);
    heartbeat(lc, 3_700, 2, '"p2"');
    const before = lc.snapshot();
    expect(heartbeat(lc, 3_800, 1, '"zombie"')).toEqual([respond('heartbeat', 1, 'notFound')]);
    expect(complete(lc, 3_900, 1, 'zombie result')).toEqual([respond('completed', 1, 'notFound')]);
    expect(fail(lc, 3_950, 1)).toEqual([respond('failed', 1, 'notFound')]);
    expect(lc.snapshot()).toEqual(before);
    expect(lc.storedDetails).toBe('"p2"');
    expect(complete(lc, 4_000, 2, 42)).toEqual([
      disarm('START_TO_CLOSE', 2, 5),
      disarm('HEARTBEAT', 2, 7),
      { type: 'closed', outcome: { status: 'completed', result: 42, attempt: 2, at: 4_000 } },
      respond('completed', 2, 'ok'),
    ]);
  });

  test('R4b the next attempt is scheduled at now + interval, when the failure is processed', () => {
    const lc = new ActivityLifecycle(temporal({ scheduleToStartTimeoutMs: 5_000, heartbeatTimeoutMs: 0 }));
    schedule(lc, 0); // dispatch, S2S seq 1
    expect(start(lc, 100, 1)).toEqual([disarm('SCHEDULE_TO_START', 1, 1), arm('START_TO_CLOSE', 1, 2, 10_100)]);
    expect(fail(lc, 2_500, 1)).toEqual([
      { type: 'attemptFailed', attempt: 1, failure: E1 },
      disarm('START_TO_CLOSE', 1, 2),
      { type: 'retryScheduled', nextAttempt: 2, backoffMs: 1_000, at: 3_500, failure: E1 },
      arm('RETRY_BACKOFF', 2, 3, 3_500),
      respond('failed', 1, 'ok'),
    ]);
    expect(lc.attempt).toBe(2);
    expect(lc.currentAttemptScheduledAt).toBe(3_500);
    expect(fire(lc, 'RETRY_BACKOFF')).toEqual([{ type: 'dispatch', attempt: 2, at: 3_500 }, arm('SCHEDULE_TO_START', 2, 4, 8_500)]);
    expect(lc.firstScheduledAt).toBe(0);
  });

  test('R1 temporal backoff sequence through the lifecycle', () => {
    const lc = new ActivityLifecycle(temporal({ heartbeatTimeoutMs: 0, retry: policy({ backoffCoefficient: 1.5 }) }));
    schedule(lc, 0);
    const backoffs: number[] = [];
    let now = 0;
    for (let attempt = 1; attempt <= 4; attempt++) {
      start(lc, now, attempt);
      const d = fail(lc, now, attempt).find((x) => x.type === 'retryScheduled');
      if (d?.type !== 'retryScheduled') throw new Error('no retry');
      backoffs.push(d.backoffMs);
      now = d.at;
      fire(lc, 'RETRY_BACKOFF');
    }
    expect(backoffs).toEqual([1000, 1500, 2250, 3375]);
  });

  test('R1 cadence backoff sequence through the lifecycle is truncated to seconds', () => {
    const lc = new ActivityLifecycle(cadence({ heartbeatTimeoutMs: 0, retry: policy({ backoffCoefficient: 1.5, expirationIntervalMs: 3_600_000 }) }));
    schedule(lc, 0);
    const backoffs: number[] = [];
    let now = 0;
    for (let attempt = 1; attempt <= 5; attempt++) {
      start(lc, now, attempt);
      const d = fail(lc, now, attempt).find((x) => x.type === 'retryScheduled');
      if (d?.type !== 'retryScheduled') throw new Error('no retry');
      backoffs.push(d.backoffMs);
      now = d.at;
      fire(lc, 'RETRY_BACKOFF');
    }
    expect(backoffs).toEqual([1000, 1000, 2000, 3000, 5000]);
  });

  test('R3 temporal the last allowed attempt closes failed', () => {
    const lc = new ActivityLifecycle(temporal({ heartbeatTimeoutMs: 0, retry: policy({ maximumAttempts: 2 }) }));
    schedule(lc, 0);
    start(lc, 0, 1);
    fail(lc, 10, 1);
    fire(lc, 'RETRY_BACKOFF');
    start(lc, 1_010, 2);
    expect(fail(lc, 1_020, 2)).toEqual([
      { type: 'attemptFailed', attempt: 2, failure: E1 },
      disarm('START_TO_CLOSE', 2, 3),
      { type: 'closed', outcome: { status: 'failed', failure: E1, attempt: 2, at: 1_020 } },
      respond('failed', 2, 'ok'),
    ]);
  });

  test('R8 cadence with no retry policy never retries', () => {
    const lc = new ActivityLifecycle(cadence({ retry: undefined, heartbeatTimeoutMs: 0 }));
    schedule(lc, 0);
    start(lc, 0, 1);
    expect(fire(lc, 'START_TO_CLOSE')).toEqual([
      { type: 'attemptTimedOut', attempt: 1, timeoutType: 'START_TO_CLOSE' },
      { type: 'closed', outcome: { status: 'timedOut', failure: { kind: 'timeout', timeoutType: 'START_TO_CLOSE', lastHeartbeatDetails: undefined }, attempt: 1, at: 10_000 } },
    ]);
  });
});

// ---- R9: final timed-out outcome ------------------------------------------------------------

describe('R9 timed-out outcomes', () => {
  test('R9 temporal a retryable timeout out of time closes as SCHEDULE_TO_CLOSE caused by the last retry\'s failure', () => {
    const lc = new ActivityLifecycle(temporal({ scheduleToCloseTimeoutMs: 7_000, startToCloseTimeoutMs: 4_000, heartbeatTimeoutMs: 0 }));
    expect(schedule(lc, 0)).toEqual([{ type: 'dispatch', attempt: 1, at: 0 }, arm('SCHEDULE_TO_CLOSE', 1, 1, 7_000)]);
    expect(start(lc, 0, 1)).toEqual([arm('START_TO_CLOSE', 1, 2, 4_000)]);
    fail(lc, 1_000, 1); // retry at 2000, RETRY_BACKOFF seq 3
    expect(fire(lc, 'RETRY_BACKOFF')).toEqual([{ type: 'dispatch', attempt: 2, at: 2_000 }]);
    expect(start(lc, 2_000, 2)).toEqual([arm('START_TO_CLOSE', 2, 4, 6_000)]);
    heartbeat(lc, 2_500, 2, '"d"');
    // backoff after attempt 2 = 2000 ms: 6000 + 2000 > 0 + 7000
    expect(fire(lc, 'START_TO_CLOSE')).toEqual([
      { type: 'attemptTimedOut', attempt: 2, timeoutType: 'START_TO_CLOSE' },
      disarm('SCHEDULE_TO_CLOSE', 1, 1),
      {
        type: 'closed',
        outcome: {
          status: 'timedOut',
          failure: { kind: 'timeout', timeoutType: 'SCHEDULE_TO_CLOSE', lastHeartbeatDetails: '"d"', cause: E1 },
          attempt: 2,
          at: 6_000,
        },
      },
    ]);
  });

  test('R9 temporal without an earlier retry the outcome has no cause', () => {
    const lc = new ActivityLifecycle(temporal({ scheduleToCloseTimeoutMs: 2_500, startToCloseTimeoutMs: 2_000, heartbeatTimeoutMs: 0 }));
    schedule(lc, 0);
    start(lc, 0, 1);
    heartbeat(lc, 10, 1, '"last"');
    fire(lc, 'START_TO_CLOSE'); // 2000 + 1000 > 2500
    const outcome = lc.outcome;
    expect(outcome).toEqual({
      status: 'timedOut',
      failure: { kind: 'timeout', timeoutType: 'SCHEDULE_TO_CLOSE', lastHeartbeatDetails: '"last"' },
      attempt: 1,
      at: 2_000,
    });
    expect(outcome?.status === 'timedOut' && 'cause' in outcome.failure).toBe(false);
  });

  test('R9 temporal a non-retryable timeout keeps its own type', () => {
    const lc = new ActivityLifecycle(
      temporal({ heartbeatTimeoutMs: 0, retry: policy({ nonRetryableErrorTypes: ['TemporalTimeout:StartToClose'] }) }),
    );
    schedule(lc, 0);
    start(lc, 0, 1);
    fire(lc, 'START_TO_CLOSE');
    expect(lc.outcome).toEqual({
      status: 'timedOut',
      failure: { kind: 'timeout', timeoutType: 'START_TO_CLOSE', lastHeartbeatDetails: undefined },
      attempt: 1,
      at: 10_000,
    });
  });

  test('R9 cadence the timed-out outcome keeps its type, carries the last details and no cause', () => {
    const lc = new ActivityLifecycle(cadence({ startToCloseTimeoutMs: 3_000, heartbeatTimeoutMs: 0, retry: policy({ expirationIntervalMs: 6_000 }) }));
    schedule(lc, 0);
    start(lc, 0, 1);
    fail(lc, 500, 1); // retry at 1500
    fire(lc, 'RETRY_BACKOFF');
    start(lc, 1_500, 2);
    heartbeat(lc, 2_000, 2, '"d"');
    // backoff after attempt 2 = 2 s: 4500 + 2000 > 6000
    expect(fire(lc, 'START_TO_CLOSE')).toEqual([
      { type: 'attemptTimedOut', attempt: 2, timeoutType: 'START_TO_CLOSE' },
      {
        type: 'closed',
        outcome: {
          status: 'timedOut',
          failure: { kind: 'timeout', timeoutType: 'START_TO_CLOSE', lastHeartbeatDetails: '"d"' },
          attempt: 2,
          at: 4_500,
        },
      },
    ]);
  });
});

// ---- T3: which timeouts retry ---------------------------------------------------------------

describe('T3 timeouts in the lifecycle', () => {
  test('T3 schedule-to-start never retries under temporal', () => {
    const lc = new ActivityLifecycle(temporal({ scheduleToStartTimeoutMs: 5_000 }));
    schedule(lc, 0);
    expect(fire(lc, 'SCHEDULE_TO_START')).toEqual([
      { type: 'attemptTimedOut', attempt: 1, timeoutType: 'SCHEDULE_TO_START' },
      { type: 'withdraw', attempt: 1 },
      {
        type: 'closed',
        outcome: { status: 'timedOut', failure: { kind: 'timeout', timeoutType: 'SCHEDULE_TO_START', lastHeartbeatDetails: undefined }, attempt: 1, at: 5_000 },
      },
    ]);
  });

  test('T3 schedule-to-start goes through the retry policy under cadence', () => {
    const lc = new ActivityLifecycle(cadence({ scheduleToStartTimeoutMs: 5_000, scheduleToCloseTimeoutMs: 20_000 }));
    schedule(lc, 0); // S2S seq 1, S2C seq 2
    const s2s: Failure = { kind: 'timeout', timeoutType: 'SCHEDULE_TO_START', lastHeartbeatDetails: undefined };
    expect(fire(lc, 'SCHEDULE_TO_START')).toEqual([
      { type: 'attemptTimedOut', attempt: 1, timeoutType: 'SCHEDULE_TO_START' },
      { type: 'withdraw', attempt: 1 },
      disarm('SCHEDULE_TO_CLOSE', 1, 2),
      { type: 'retryScheduled', nextAttempt: 2, backoffMs: 1_000, at: 6_000, failure: s2s },
      arm('RETRY_BACKOFF', 2, 3, 6_000),
    ]);
    expect(fire(lc, 'RETRY_BACKOFF')).toEqual([
      { type: 'dispatch', attempt: 2, at: 6_000 },
      arm('SCHEDULE_TO_START', 2, 4, 11_000),
      arm('SCHEDULE_TO_CLOSE', 2, 5, 26_000),
    ]);
  });

  test('T3 schedule-to-close never retries under temporal: the running attempt becomes a zombie', () => {
    const lc = new ActivityLifecycle(temporal({ scheduleToCloseTimeoutMs: 10_000, startToCloseTimeoutMs: 8_000, heartbeatTimeoutMs: 0 }));
    schedule(lc, 0); // S2C seq 1
    start(lc, 0, 1); // STC seq 2
    fail(lc, 1_000, 1); // RETRY_BACKOFF seq 3 @2000
    fire(lc, 'RETRY_BACKOFF');
    expect(start(lc, 2_500, 2)).toEqual([arm('START_TO_CLOSE', 2, 4, 10_500)]);
    expect(fire(lc, 'SCHEDULE_TO_CLOSE')).toEqual([
      { type: 'attemptTimedOut', attempt: 2, timeoutType: 'SCHEDULE_TO_CLOSE' },
      disarm('START_TO_CLOSE', 2, 4),
      {
        type: 'closed',
        outcome: {
          status: 'timedOut',
          failure: { kind: 'timeout', timeoutType: 'SCHEDULE_TO_CLOSE', lastHeartbeatDetails: undefined, cause: E1 },
          attempt: 2,
          at: 10_000,
        },
      },
    ]);
    expect(complete(lc, 10_100, 2)).toEqual([respond('completed', 2, 'notFound')]);
    expect(lc.outcome?.status).toBe('timedOut');
  });

  test('T3 schedule-to-close goes through the retry policy under cadence', () => {
    const lc = new ActivityLifecycle(cadence({ scheduleToCloseTimeoutMs: 5_000, startToCloseTimeoutMs: 0, heartbeatTimeoutMs: 0 }));
    schedule(lc, 0); // S2C seq 1
    start(lc, 0, 1);
    const s2c: Failure = { kind: 'timeout', timeoutType: 'SCHEDULE_TO_CLOSE', lastHeartbeatDetails: undefined };
    expect(fire(lc, 'SCHEDULE_TO_CLOSE')).toEqual([
      { type: 'attemptTimedOut', attempt: 1, timeoutType: 'SCHEDULE_TO_CLOSE' },
      { type: 'retryScheduled', nextAttempt: 2, backoffMs: 1_000, at: 6_000, failure: s2c },
      arm('RETRY_BACKOFF', 2, 2, 6_000),
    ]);
  });

  test('T3 heartbeat timeout retries under both profiles', () => {
    for (const opts of [temporal(), cadence()]) {
      const lc = new ActivityLifecycle(opts);
      schedule(lc, 0);
      start(lc, 0, 1);
      expect(fire(lc, 'HEARTBEAT').map((d) => d.type)).toEqual(['attemptTimedOut', 'disarmTimer', 'retryScheduled', 'armTimer']);
      expect(lc.phase).toBe('backoff');
    }
  });
});

// ---- C1 / R5: cancellation ------------------------------------------------------------------

describe('C1 cancellation', () => {
  test('C1 a cancel before the task is started closes at once and withdraws the task', () => {
    const lc = new ActivityLifecycle(temporal({ scheduleToStartTimeoutMs: 5_000, scheduleToCloseTimeoutMs: 60_000 }));
    schedule(lc, 0);
    expect(requestCancel(lc, 100)).toEqual([
      { type: 'withdraw', attempt: 1 },
      disarm('SCHEDULE_TO_START', 1, 1),
      disarm('SCHEDULE_TO_CLOSE', 1, 2),
      { type: 'closed', outcome: { status: 'canceled', details: CANCELED_BEFORE_START_DETAILS, attempt: 1, at: 100 } },
    ]);
    expect(lc.armedTimers).toEqual([]);
    expect(start(lc, 200, 1)).toEqual([]);
  });

  test('C1 a cancel during retry backoff closes at once', () => {
    const lc = new ActivityLifecycle(temporal({ heartbeatTimeoutMs: 0 }));
    schedule(lc, 0);
    start(lc, 0, 1); // STC seq 1
    fail(lc, 500, 1); // RETRY_BACKOFF seq 2
    expect(requestCancel(lc, 600)).toEqual([
      disarm('RETRY_BACKOFF', 2, 2),
      { type: 'closed', outcome: { status: 'canceled', details: CANCELED_BEFORE_START_DETAILS, attempt: 2, at: 600 } },
    ]);
  });

  test('C1 a running attempt learns of a cancel only from a heartbeat response', () => {
    const lc = new ActivityLifecycle(temporal());
    schedule(lc, 0);
    start(lc, 0, 1);
    expect(requestCancel(lc, 100)).toEqual([]);
    expect(lc.cancelRequested).toBe(true);
    expect(lc.phase).toBe('started');
    expect(heartbeat(lc, 200, 1, '"p"').at(-1)).toEqual(respond('heartbeat', 1, 'ok', true));
    expect(requestCancel(lc, 300)).toEqual([]);
  });

  test('C1 an activity that never heartbeats never sees the cancel and still completes', () => {
    const lc = new ActivityLifecycle(temporal({ heartbeatTimeoutMs: 0 }));
    schedule(lc, 0);
    start(lc, 0, 1);
    requestCancel(lc, 100);
    expect(complete(lc, 5_000, 1, 'ok')).toEqual([
      disarm('START_TO_CLOSE', 1, 1),
      { type: 'closed', outcome: { status: 'completed', result: 'ok', attempt: 1, at: 5_000 } },
      respond('completed', 1, 'ok'),
    ]);
  });

  test('C1 a canceled report after a cancel request closes canceled with its details', () => {
    const lc = new ActivityLifecycle(temporal({ heartbeatTimeoutMs: 0 }));
    schedule(lc, 0);
    start(lc, 0, 1);
    requestCancel(lc, 100);
    expect(reportCanceled(lc, 200, 1, '"partial"')).toEqual([
      disarm('START_TO_CLOSE', 1, 1),
      { type: 'closed', outcome: { status: 'canceled', details: '"partial"', attempt: 1, at: 200 } },
      respond('canceled', 1, 'ok'),
    ]);
  });

  test('C1 a canceled report without a cancel request is refused and changes nothing', () => {
    const lc = new ActivityLifecycle(temporal());
    schedule(lc, 0);
    start(lc, 0, 1);
    const before = lc.snapshot();
    expect(reportCanceled(lc, 200, 1, undefined)).toEqual([respond('canceled', 1, 'notFound')]);
    expect(lc.snapshot()).toEqual(before);
  });

  test('R5 after a cancel request a failure is not retried', () => {
    const lc = new ActivityLifecycle(temporal({ heartbeatTimeoutMs: 0 }));
    schedule(lc, 0);
    start(lc, 0, 1);
    requestCancel(lc, 100);
    expect(fail(lc, 200, 1)).toEqual([
      { type: 'attemptFailed', attempt: 1, failure: E1 },
      disarm('START_TO_CLOSE', 1, 1),
      { type: 'closed', outcome: { status: 'failed', failure: E1, attempt: 1, at: 200 } },
      respond('failed', 1, 'ok'),
    ]);
  });

  test('R5 after a cancel request a timeout is not retried (cadence)', () => {
    const lc = new ActivityLifecycle(cadence());
    schedule(lc, 0);
    start(lc, 0, 1);
    requestCancel(lc, 100);
    fire(lc, 'HEARTBEAT');
    expect(lc.outcome?.status).toBe('timedOut');
  });
});

// ---- H5: oversized details ------------------------------------------------------------------

describe('H5 heartbeat details over 2 MiB', () => {
  const over = 'x'.repeat(HEARTBEAT_DETAILS_LIMIT_BYTES + 1);

  test('H5 utf8 byte length counts multi-byte characters', () => {
    expect([utf8ByteLength('a'), utf8ByteLength('é'), utf8ByteLength('€'), utf8ByteLength('😀'), utf8ByteLength('\ud800x')]).toEqual([
      1, 2, 3, 4, 4,
    ]);
    expect(HEARTBEAT_DETAILS_LIMIT_BYTES).toBe(2_097_152);
    expect(detailsExceedLimit('x'.repeat(HEARTBEAT_DETAILS_LIMIT_BYTES))).toBe(false);
    expect(detailsExceedLimit(over)).toBe(true);
    expect(detailsExceedLimit('é'.repeat(HEARTBEAT_DETAILS_LIMIT_BYTES / 2))).toBe(false);
    expect(detailsExceedLimit('é'.repeat(HEARTBEAT_DETAILS_LIMIT_BYTES / 2 + 1))).toBe(true);
    expect(detailsExceedLimit(undefined)).toBe(false);
  });

  test('H5 temporal oversized details fail the activity non-retryably and answer cancelRequested', () => {
    const lc = new ActivityLifecycle(temporal());
    schedule(lc, 0);
    start(lc, 0, 1); // STC seq 1, HB seq 2
    heartbeat(lc, 100, 1, '"ok"'); // HB seq 3
    const failure: Failure = { kind: 'application', type: 'ServerFailure', message: 'Heartbeat details exceed size limit.', nonRetryable: true };
    expect(heartbeat(lc, 200, 1, over)).toEqual([
      { type: 'attemptFailed', attempt: 1, failure },
      disarm('START_TO_CLOSE', 1, 1),
      disarm('HEARTBEAT', 1, 3),
      { type: 'closed', outcome: { status: 'failed', failure, attempt: 1, at: 200 } },
      respond('heartbeat', 1, 'ok', true),
    ]);
    expect(lc.storedDetails).toBe('"ok"');
  });

  test('H5 cadence oversized details fail the activity with HEARTBEAT_EXCEEDS_LIMIT, never retried', () => {
    const lc = new ActivityLifecycle(cadence({ retry: policy({ maximumAttempts: 0, expirationIntervalMs: 3_600_000 }) }));
    schedule(lc, 0);
    start(lc, 0, 1);
    const decisions = heartbeat(lc, 200, 1, 'é'.repeat(HEARTBEAT_DETAILS_LIMIT_BYTES / 2 + 1));
    expect(decisions.at(-1)).toEqual(respond('heartbeat', 1, 'ok', true));
    expect(lc.outcome).toEqual({
      status: 'failed',
      failure: { kind: 'application', type: 'HEARTBEAT_EXCEEDS_LIMIT', message: 'HEARTBEAT_EXCEEDS_LIMIT', nonRetryable: true },
      attempt: 1,
      at: 200,
    });
  });

  test('H5 details of exactly 2 MiB are accepted', () => {
    const lc = new ActivityLifecycle(temporal());
    schedule(lc, 0);
    start(lc, 0, 1);
    const exact = 'x'.repeat(HEARTBEAT_DETAILS_LIMIT_BYTES);
    expect(heartbeat(lc, 100, 1, exact)[0]).toEqual({ type: 'detailsStored', attempt: 1, details: exact });
  });

  test('H5 a zombie\'s oversized heartbeat is answered NotFound', () => {
    const lc = new ActivityLifecycle(temporal());
    schedule(lc, 0);
    start(lc, 0, 1);
    fire(lc, 'HEARTBEAT');
    const before = lc.snapshot();
    expect(heartbeat(lc, 2_100, 1, over)).toEqual([respond('heartbeat', 1, 'notFound')]);
    expect(lc.snapshot()).toEqual(before);
  });
});

// ---- H6: rejected RPCs ----------------------------------------------------------------------

describe('H6 RPCs from an attempt that is not current', () => {
  test('H6 a heartbeat before the attempt is started is answered NotFound', () => {
    const lc = new ActivityLifecycle(temporal());
    schedule(lc, 0);
    const before = lc.snapshot();
    expect(heartbeat(lc, 10, 1, '"x"')).toEqual([respond('heartbeat', 1, 'notFound')]);
    expect(lc.snapshot()).toEqual(before);
  });

  test('H6 a heartbeat with the wrong attempt number is answered NotFound', () => {
    const lc = new ActivityLifecycle(temporal());
    schedule(lc, 0);
    start(lc, 0, 1);
    heartbeat(lc, 5, 1, '"mine"');
    const before = lc.snapshot();
    expect(heartbeat(lc, 10, 2, '"other"')).toEqual([respond('heartbeat', 2, 'notFound')]);
    expect(lc.snapshot()).toEqual(before);
    expect(lc.storedDetails).toBe('"mine"');
  });

  test('H6 after close every RPC is answered NotFound', () => {
    const lc = new ActivityLifecycle(temporal());
    schedule(lc, 0);
    start(lc, 0, 1);
    complete(lc, 10, 1);
    const before = lc.snapshot();
    expect(heartbeat(lc, 20, 1, '"x"')).toEqual([respond('heartbeat', 1, 'notFound')]);
    expect(complete(lc, 20, 1)).toEqual([respond('completed', 1, 'notFound')]);
    expect(fail(lc, 20, 1)).toEqual([respond('failed', 1, 'notFound')]);
    expect(reportCanceled(lc, 20, 1, undefined)).toEqual([respond('canceled', 1, 'notFound')]);
    expect(requestCancel(lc, 20)).toEqual([]);
    expect(lc.snapshot()).toEqual(before);
  });
});

// ---- properties -----------------------------------------------------------------------------

type Cmd =
  | { readonly c: 'start' }
  | { readonly c: 'heartbeat'; readonly details: Payload; readonly offset: number }
  | { readonly c: 'complete'; readonly offset: number }
  | { readonly c: 'fail'; readonly nonRetryable: boolean; readonly offset: number }
  | { readonly c: 'canceled'; readonly offset: number }
  | { readonly c: 'fire' }
  | { readonly c: 'cancel' }
  | { readonly c: 'advance'; readonly dt: number }
  | { readonly c: 'stale'; readonly pick: number };

const offsetArb = fc.constantFrom(0, 0, 0, -1, 1);
const cmdArb: fc.Arbitrary<Cmd> = fc.oneof(
  { arbitrary: fc.constant<Cmd>({ c: 'start' }), weight: 3 },
  { arbitrary: fc.record({ c: fc.constant('heartbeat' as const), details: fc.option(fc.string({ maxLength: 4 }), { nil: undefined }), offset: offsetArb }), weight: 4 },
  { arbitrary: fc.record({ c: fc.constant('complete' as const), offset: offsetArb }), weight: 1 },
  { arbitrary: fc.record({ c: fc.constant('fail' as const), nonRetryable: fc.boolean(), offset: offsetArb }), weight: 2 },
  { arbitrary: fc.record({ c: fc.constant('canceled' as const), offset: offsetArb }), weight: 1 },
  { arbitrary: fc.constant<Cmd>({ c: 'fire' }), weight: 4 },
  { arbitrary: fc.constant<Cmd>({ c: 'cancel' }), weight: 1 },
  { arbitrary: fc.record({ c: fc.constant('advance' as const), dt: fc.integer({ min: 0, max: 3_000 }) }), weight: 3 },
  { arbitrary: fc.record({ c: fc.constant('stale' as const), pick: fc.nat() }), weight: 2 },
);

const optionsArb: fc.Arbitrary<NormalizedOptions> = fc
  .record({
    profile: fc.constantFrom<ProfileName>('temporal', 'cadence'),
    s2s: fc.constantFrom(0, 3_000),
    stc: fc.constantFrom(0, 10_000),
    s2c: fc.constantFrom(0, 30_000),
    hb: fc.constantFrom(0, 2_000),
    hasPolicy: fc.boolean(),
    maximumAttempts: fc.integer({ min: 0, max: 4 }),
    expirationIntervalMs: fc.constantFrom(0, 20_000),
  })
  .map((r) => ({
    profile: r.profile,
    scheduleToStartTimeoutMs: r.s2s,
    startToCloseTimeoutMs: r.stc === 0 && r.s2c === 0 ? 10_000 : r.stc,
    scheduleToCloseTimeoutMs: r.s2c,
    heartbeatTimeoutMs: r.hb,
    retry:
      r.profile === 'temporal' || r.hasPolicy
        ? policy({ maximumAttempts: r.maximumAttempts, expirationIntervalMs: r.expirationIntervalMs })
        : undefined,
  }));

/** A tiny runtime: applies decisions, keeps its own view of armed timers, and checks it against the model. */
class Driver {
  readonly lc: ActivityLifecycle;
  now = 0;
  readonly armed = new Map<TimerKind, { timer: TimerKey; at: number }>();
  readonly everArmed: TimerKey[] = [];
  lastStored: Payload = undefined;

  constructor(options: NormalizedOptions) {
    this.lc = new ActivityLifecycle(options);
    this.apply(this.lc.handle({ type: 'schedule', at: 0 }));
  }

  apply(decisions: readonly LifecycleDecision[]): void {
    for (const d of decisions) {
      if (d.type === 'armTimer') {
        expect(this.armed.has(d.timer.kind)).toBe(false);
        expect(d.at).toBeGreaterThanOrEqual(this.now);
        this.armed.set(d.timer.kind, { timer: d.timer, at: d.at });
        this.everArmed.push(d.timer);
      } else if (d.type === 'disarmTimer') {
        expect(this.armed.get(d.timer.kind)?.timer).toEqual(d.timer);
        this.armed.delete(d.timer.kind);
      } else if (d.type === 'detailsStored') {
        this.lastStored = d.details;
      }
    }
  }

  run(cmd: Cmd): void {
    const lc = this.lc;
    const attempt = lc.attempt;
    switch (cmd.c) {
      case 'start':
        return this.apply(lc.handle({ type: 'attemptStarted', at: this.now, attempt, worker: 'w' }));
      case 'heartbeat':
        return this.apply(lc.handle({ type: 'heartbeat', at: this.now, attempt: attempt + cmd.offset, details: cmd.details }));
      case 'complete':
        return this.apply(lc.handle({ type: 'completed', at: this.now, attempt: attempt + cmd.offset, result: 1 }));
      case 'fail':
        return this.apply(
          lc.handle({
            type: 'failed',
            at: this.now,
            attempt: attempt + cmd.offset,
            failure: { kind: 'application', type: 'E', message: 'm', nonRetryable: cmd.nonRetryable },
          }),
        );
      case 'canceled':
        return this.apply(lc.handle({ type: 'canceled', at: this.now, attempt: attempt + cmd.offset, details: '"c"' }));
      case 'cancel':
        return this.apply(lc.handle({ type: 'cancelRequested', at: this.now }));
      case 'advance': {
        // A runtime never lets time pass a deadline without firing its timer.
        let limit = Infinity;
        for (const a of this.armed.values()) limit = Math.min(limit, a.at);
        this.now = Math.max(this.now, Math.min(this.now + cmd.dt, limit));
        return;
      }
      case 'fire': {
        let next: { timer: TimerKey; at: number } | undefined;
        for (const a of this.armed.values()) if (next === undefined || a.at < next.at) next = a;
        if (next === undefined) return;
        this.now = Math.max(this.now, next.at);
        this.armed.delete(next.timer.kind);
        return this.apply(lc.handle({ type: 'timerFired', at: this.now, timer: next.timer }));
      }
      case 'stale': {
        const stale = this.everArmed.filter((t) => {
          const live = this.armed.get(t.kind)?.timer;
          return live === undefined || live.seq !== t.seq;
        });
        const timer = stale[cmd.pick % Math.max(1, stale.length)];
        if (timer === undefined) return;
        const before = lc.snapshot();
        expect(lc.handle({ type: 'timerFired', at: this.now, timer })).toEqual([]);
        expect(lc.snapshot()).toEqual(before);
        return;
      }
    }
  }

  checkInvariants(): void {
    expect(this.lc.armedTimers).toEqual(
      (['SCHEDULE_TO_START', 'START_TO_CLOSE', 'HEARTBEAT', 'SCHEDULE_TO_CLOSE', 'RETRY_BACKOFF'] as const)
        .map((k) => this.armed.get(k))
        .filter((a) => a !== undefined),
    );
    expect(this.lc.storedDetails).toBe(this.lastStored);
    if (this.lc.closed) expect(this.armed.size).toBe(0);
  }
}

describe('properties', () => {
  test('H6 property: stale timers never change state', () => {
    fc.assert(
      fc.property(optionsArb, fc.array(cmdArb, { maxLength: 60 }), (options, cmds) => {
        const driver = new Driver(options);
        for (const cmd of cmds) {
          driver.run(cmd);
          driver.run({ c: 'stale', pick: cmds.length });
        }
      }),
      { numRuns: 300 },
    );
  });

  test('H6 property: a closed lifecycle answers every RPC with NotFound and ignores everything else', () => {
    fc.assert(
      fc.property(optionsArb, fc.array(cmdArb, { maxLength: 60 }), (options, cmds) => {
        const driver = new Driver(options);
        for (const cmd of cmds) driver.run(cmd);
        // drive to the end: fire timers until closed (every option set has STC or S2C)
        for (let i = 0; i < 200 && !driver.lc.closed; i++) {
          if (driver.lc.phase === 'queued') driver.run({ c: 'start' });
          else driver.run({ c: 'fire' });
          if (driver.lc.phase === 'started' && i > 100) driver.run({ c: 'complete', offset: 0 });
        }
        expect(driver.lc.closed).toBe(true);
        const lc = driver.lc;
        const before = lc.snapshot();
        for (let attempt = 1; attempt <= lc.attempt + 1; attempt++) {
          expect(lc.handle({ type: 'heartbeat', at: driver.now, attempt, details: '"x"' })).toEqual([respond('heartbeat', attempt, 'notFound')]);
          expect(lc.handle({ type: 'completed', at: driver.now, attempt, result: 0 })).toEqual([respond('completed', attempt, 'notFound')]);
          expect(lc.handle({ type: 'failed', at: driver.now, attempt, failure: E1 })).toEqual([respond('failed', attempt, 'notFound')]);
          expect(lc.handle({ type: 'canceled', at: driver.now, attempt, details: undefined })).toEqual([respond('canceled', attempt, 'notFound')]);
          expect(lc.handle({ type: 'attemptStarted', at: driver.now, attempt, worker: 'w' })).toEqual([]);
        }
        expect(lc.handle({ type: 'cancelRequested', at: driver.now })).toEqual([]);
        expect(lc.handle({ type: 'schedule', at: driver.now })).toEqual([]);
        for (const timer of driver.everArmed) expect(lc.handle({ type: 'timerFired', at: driver.now, timer })).toEqual([]);
        expect(lc.snapshot()).toEqual(before);
      }),
      { numRuns: 300 },
    );
  });

  test('H1 H2 property: the runtime\'s view of timers and details always matches the model', () => {
    fc.assert(
      fc.property(optionsArb, fc.array(cmdArb, { maxLength: 80 }), (options, cmds) => {
        const driver = new Driver(options);
        for (const cmd of cmds) {
          driver.run(cmd);
          driver.checkInvariants();
        }
      }),
      { numRuns: 300 },
    );
  });
});
