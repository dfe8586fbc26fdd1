/**
 * Cancellation end to end: when a running attempt learns of a cancel request (C1), what the
 * user's code sees through each front door (C3), and what the worker reports for each way the
 * code can end after it (C4).
 */
import {
  CancelledFailure,
  Context,
  activityInfo,
  cancellationDetails,
  cancellationSignal,
  cancelled,
  heartbeat,
  sleep,
} from '@temporalio/activity';
import { describe, expect, test } from 'vitest';
import { ActivityCancelledError } from '../../src/context.js';
import type { Fault } from '../../sim/fault-plan.js';
import { defineScenario } from '../../src/scenario.js';
import { simulate } from '../../sim/simulate.js';
import { LATENCY, detailsOf, eventsOf, vnow } from './helpers.js';

const OPTIONS = { startToCloseTimeout: '5m', heartbeatTimeout: '10s', retry: { initialInterval: '1s' } } as const;

describe('C1: when a cancel request reaches the activity', () => {
  test('C1 an activity that never heartbeats never sees a cancel request, and completes', async () => {
    const seen: [number, boolean][] = [];
    const scenario = defineScenario({
      name: 'c1-no-heartbeat',
      options: OPTIONS,
      world: { latency: LATENCY },
      activity: (world) => async (ctx) => {
        for (let i = 0; i < 5; i++) {
          await world.sink.put(`k${i}`, i);
          await ctx.sleep(2000);
          seen.push([vnow(), ctx.signal.aborted]);
        }
        return 'never told';
      },
    });
    // HB 10 s would time out a silent attempt, so this one has no heartbeat timeout.
    const r = await simulate({ ...scenario, options: { startToCloseTimeout: '5m' } }, { seed: 1, faults: [{ kind: 'cancel', at: 1000 }] });
    expect(eventsOf(r, 'cancelRequested')).toEqual([{ t: 1000, type: 'cancelRequested' }]);
    expect(eventsOf(r, 'cancelDelivered')).toEqual([]);
    expect(seen).toEqual([
      [2002, false],
      [4004, false],
      [6006, false],
      [8008, false],
      [10010, false],
    ]);
    expect(r.outcome).toEqual({ status: 'completed', result: 'never told', attempt: 1, at: 10011 });
  });

  test('C1 a running attempt learns of the cancel only from the next heartbeat response (after the throttle)', async () => {
    const scenario = defineScenario({
      name: 'c1-next-response',
      options: OPTIONS,
      world: { latency: LATENCY },
      activity: () => async (ctx) => {
        const ticker = setInterval(() => ctx.heartbeat('tick'), 1000);
        try {
          ctx.heartbeat('start');
          await ctx.sleep('1m');
          return 'not cancelled';
        } finally {
          clearInterval(ticker);
        }
      },
    });
    const r = await simulate(scenario, { seed: 1, faults: [{ kind: 'cancel', at: 2500 }] });
    // Sent at 0, then held until the 8 s window end; that response carries the cancel request.
    expect(detailsOf(r, 'heartbeatSent').slice(0, 2)).toEqual([
      [0, 1, '"start"'],
      [8000, 1, '"tick"'],
    ]);
    expect(eventsOf(r, 'cancelDelivered')).toEqual([{ t: 8002, type: 'cancelDelivered', attempt: 1, reason: 'CANCELLED' }]);
    expect(r.outcome).toMatchObject({ status: 'canceled', attempt: 1 });
  });

  test('C1 a cancel request before the attempt starts closes the activity at once', async () => {
    let invoked = 0;
    const scenario = defineScenario({
      name: 'c1-before-start',
      options: { scheduleToStartTimeout: '1m', startToCloseTimeout: '5m' },
      world: { latency: LATENCY },
      activity: () => async () => {
        invoked++;
        return 'ran';
      },
    });
    const faults: Fault[] = [
      { kind: 'noWorker', at: 0, durationMs: 10_000 },
      { kind: 'cancel', at: 2000 },
    ];
    const r = await simulate(scenario, { seed: 1, faults });
    expect(r.outcome).toEqual({ status: 'canceled', details: '"ACTIVITY_ID_NOT_STARTED"', attempt: 1, at: 2000 });
    expect(r.attempts).toEqual([]);
    expect(invoked).toBe(0);
    expect(r.endedAt).toBe(2000);
  });

  test('C1 a cancel request during the retry backoff closes the activity at once', async () => {
    const scenario = defineScenario({
      name: 'c1-backoff',
      options: { startToCloseTimeout: '5m', retry: { initialInterval: '10s' } },
      world: { latency: LATENCY },
      activity: () => async () => {
        throw new Error('fail');
      },
    });
    const r = await simulate(scenario, { seed: 1, faults: [{ kind: 'cancel', at: 4000 }] });
    expect(eventsOf(r, 'retryScheduled')).toEqual([{ t: 1, type: 'retryScheduled', nextAttempt: 2, backoffMs: 10_000, at: 10_001, why: 'Error: fail' }]);
    expect(r.outcome).toEqual({ status: 'canceled', details: '"ACTIVITY_ID_NOT_STARTED"', attempt: 2, at: 4000 });
    expect(r.attempts.map((a) => a.attempt)).toEqual([1]);
  });
});

interface Observation {
  t: number;
  aborted: boolean;
  reasonIsCancelledFailure: boolean;
  message: string;
  sameError: boolean;
  details: Record<string, boolean>;
}

/** What a Temporal activity sees once cancelled: every API at once (C3). */
async function observeTemporalCancel(into: Observation[], thrown: unknown): Promise<void> {
  const signal = cancellationSignal();
  const [sleepError, cancelledError] = await Promise.all([
    sleep(1).then(() => 'resolved', (e: unknown) => e),
    cancelled().then(() => 'resolved', (e: unknown) => e),
  ]);
  const reason = signal.reason as Error;
  into.push({
    t: vnow(),
    aborted: signal.aborted,
    reasonIsCancelledFailure: reason instanceof CancelledFailure && thrown instanceof CancelledFailure,
    message: reason.message,
    sameError: sleepError === reason && cancelledError === reason && thrown === reason,
    details: { ...cancellationDetails()! } as unknown as Record<string, boolean>,
  });
  expect(Context.current().cancellationDetails).toBe(cancellationDetails());
}

const NO_DETAILS = { cancelRequested: false, notFound: false, timedOut: false, workerShutdown: false, paused: false, reset: false };

describe('C3 the Temporal front door, real @temporalio/activity code', () => {
  test.each([
    {
      reason: 'CANCELLED',
      faults: [{ kind: 'cancel', at: 2500 }] as Fault[],
      ticker: true,
      late: false,
      at: 8002,
      details: { cancelRequested: true },
    },
    { reason: 'TIMED_OUT', faults: [] as Fault[], ticker: false, late: false, at: 15002, details: { notFound: true, timedOut: true } },
    { reason: 'NOT_FOUND', faults: [] as Fault[], ticker: false, late: true, at: 12002, details: { notFound: true } },
    {
      reason: 'WORKER_SHUTDOWN',
      faults: [{ kind: 'shutdown', at: 3000, graceMs: 10_000 }] as Fault[],
      ticker: false,
      late: false,
      at: 3000,
      details: { workerShutdown: true },
    },
  ])('C3 $reason: cancellationSignal aborts with a CancelledFailure whose message is the reason; sleep() and cancelled() reject with it', async ({ reason, faults, ticker, late, at, details }) => {
    const seen: Observation[] = [];
    const scenario = defineScenario({
      name: `c3-${reason}`,
      api: 'temporal',
      options: OPTIONS,
      world: { latency: LATENCY },
      activity: () => async () => {
        if (activityInfo().attempt > 1) return 'later attempt';
        const tick = ticker ? setInterval(() => heartbeat('tick'), 1000) : undefined;
        if (late) setTimeout(() => heartbeat('late'), 12_000); // after the server timed the attempt out
        heartbeat('start');
        try {
          await sleep('1m');
          return 'not cancelled';
        } catch (error) {
          await observeTemporalCancel(seen, error);
          throw error;
        } finally {
          clearInterval(tick);
        }
      },
    });
    const r = await simulate(scenario, { seed: 1, faults });
    expect(seen).toEqual([{ t: at, aborted: true, reasonIsCancelledFailure: true, message: reason, sameError: true, details: { ...NO_DETAILS, ...details } }]);
    expect(eventsOf(r, 'cancelDelivered')).toEqual([{ t: at, type: 'cancelDelivered', attempt: 1, reason }]);
  });

  test('C3 cancellation is cooperative: code that ignores it runs on until it returns', async () => {
    const log: [number, boolean][] = [];
    const scenario = defineScenario({
      name: 'c3-cooperative',
      api: 'temporal',
      options: { startToCloseTimeout: '5m', heartbeatTimeout: '10s' },
      world: { latency: LATENCY },
      activity: (world) => async () => {
        for (let i = 0; i < 4; i++) {
          heartbeat(i);
          await world.sink.put(`k${i}`, i);
          await new Promise((resolve) => setTimeout(resolve, 9000));
          log.push([vnow(), cancellationSignal().aborted]);
        }
        return 'finished anyway';
      },
    });
    const r = await simulate(scenario, { seed: 1, faults: [{ kind: 'cancel', at: 100 }] });
    // Heartbeat 1 at 9.002 s is sent at once (the 8 s window had closed): its response cancels.
    expect(eventsOf(r, 'cancelDelivered')).toEqual([{ t: 9004, type: 'cancelDelivered', attempt: 1, reason: 'CANCELLED' }]);
    expect(log).toEqual([
      [9002, false],
      [18004, true],
      [27006, true],
      [36008, true],
    ]);
    expect(r.sink.size).toBe(4);
    // C4: returning a value despite the cancel completes the activity.
    expect(r.outcome).toEqual({ status: 'completed', result: 'finished anyway', attempt: 1, at: 36009 });
  });
});

describe('C3 the native front door', () => {
  test('C3 ctx.signal aborts with an ActivityCancelledError; ctx.sleep rejects with it, at once once cancelled', async () => {
    const seen: unknown[] = [];
    const scenario = defineScenario({
      name: 'c3-native',
      options: OPTIONS,
      world: { latency: LATENCY },
      activity: () => async (ctx) => {
        ctx.signal.addEventListener('abort', () => seen.push(['abort event', vnow(), (ctx.signal.reason as ActivityCancelledError).reason]));
        const ticker = setInterval(() => ctx.heartbeat('tick'), 1000);
        try {
          const error = await ctx.sleep('1m').then(() => 'resolved', (e: unknown) => e);
          const again = await ctx.sleep(5).then(() => 'resolved', (e: unknown) => e);
          seen.push([
            'sleep rejected',
            vnow(),
            error instanceof ActivityCancelledError,
            (error as Error).name,
            (error as Error).message,
            error === ctx.signal.reason,
            again === error,
          ]);
          throw error;
        } finally {
          clearInterval(ticker);
        }
      },
    });
    const r = await simulate(scenario, { seed: 1, faults: [{ kind: 'cancel', at: 500 }] });
    expect(seen).toEqual([
      ['abort event', 1002, 'CANCELLED'],
      ['sleep rejected', 1002, true, 'CancelledFailure', 'CANCELLED', true, true],
    ]);
    // C4: the CancelledFailure thrown on CANCELLED is reported as a cancellation. S4: the held tick goes first.
    // The first tick (1 s) is sent at once; its response carries the cancel request.
    expect(detailsOf(r, 'heartbeatSent')).toEqual([[1000, 1, '"tick"']]);
    expect(eventsOf(r, 'reported')).toEqual([{ t: 1004, type: 'reported', attempt: 1, report: 'canceled', accepted: true }]);
    expect(r.outcome).toEqual({ status: 'canceled', details: undefined, attempt: 1, at: 1003 });
  });
});

describe('C4: what is reported after a cancel request', () => {
  const cases = [
    {
      row: 'throws the CancelledFailure -> canceled',
      end: (error: unknown): unknown => {
        throw error;
      },
      outcome: { status: 'canceled', details: undefined, attempt: 1, at: 1003 },
    },
    {
      row: 'throws a CancelledFailure with details -> canceled with the first detail',
      end: (): unknown => {
        throw new CancelledFailure('stopping', ['partial', 'ignored']);
      },
      outcome: { status: 'canceled', details: '"partial"', attempt: 1, at: 1003 },
    },
    {
      row: 'returns a value despite the cancel -> completed',
      end: (): unknown => 'finished anyway',
      outcome: { status: 'completed', result: 'finished anyway', attempt: 1, at: 1003 },
    },
    {
      row: 'throws another error -> failed, not retried',
      end: (): unknown => {
        throw new RangeError('cleanup failed');
      },
      outcome: { status: 'failed', failure: { kind: 'application', type: 'RangeError', message: 'cleanup failed', nonRetryable: false }, attempt: 1, at: 1003, gaveUp: 'not retried: a cancel was requested' },
    },
  ];

  test.each(cases)('C4 $row', async ({ end, outcome }) => {
    const scenario = defineScenario({
      name: 'c4',
      api: 'temporal',
      // Unlimited attempts: only the cancel request stops the retry of a failure (R5).
      options: { startToCloseTimeout: '5m', retry: { initialInterval: '1s', maximumAttempts: 0 } },
      world: { latency: LATENCY },
      worker: { defaultHeartbeatThrottleInterval: 0 },
      activity: () => async () => {
        heartbeat(1); // sent at 0: the cancel is not requested yet
        await sleep(1000);
        heartbeat(2); // no throttle: sent at 1 s, its response (1.002 s) carries the cancel
        try {
          await sleep('1m');
          return 'not cancelled';
        } catch (error) {
          return end(error);
        }
      },
    });
    const r = await simulate(scenario, { seed: 1, faults: [{ kind: 'cancel', at: 500 }] });
    expect(eventsOf(r, 'cancelDelivered')).toEqual([{ t: 1002, type: 'cancelDelivered', attempt: 1, reason: 'CANCELLED' }]);
    expect(r.outcome).toEqual(outcome);
    expect(eventsOf(r, 'retryScheduled')).toEqual([]);
    expect(r.attempts).toHaveLength(1);
  });

  test('C4 without a cancel request the same failure is retried', async () => {
    const scenario = defineScenario({
      name: 'c4-control',
      api: 'temporal',
      options: { startToCloseTimeout: '5m', retry: { initialInterval: '1s', maximumAttempts: 2 } },
      world: { latency: LATENCY },
      activity: () => async () => {
        await sleep(1000);
        throw new RangeError('cleanup failed');
      },
    });
    const r = await simulate(scenario, { seed: 1 });
    expect(eventsOf(r, 'retryScheduled').map((e) => [e.t, e.nextAttempt])).toEqual([[1001, 2]]);
    expect(r.outcome).toMatchObject({ status: 'failed', attempt: 2 });
  });
});
