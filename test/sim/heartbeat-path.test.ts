/**
 * The heartbeat path end to end, real user code in virtual time: what the SDK throttle lets
 * through (S1, S2), what it flushes or drops when the attempt ends (S4), what a crash loses (H2),
 * the TS core's local timeout (S5), NotFound responses (S6), and what the server stores and
 * hands the next attempt (H1, H7).
 */
import { describe, expect, test } from 'vitest';
import { ActivityCancelledError } from '../../src/context.js';
import { defineScenario } from '../../src/scenario.js';
import { simulate } from '../../sim/simulate.js';
import { LATENCY, detailsOf, effectsOf, eventsOf, vnow } from './helpers.js';

describe.each(['temporal', 'cadence'] as const)('H2 (%s profile)', (profile) => {
  test('H2 details held by the throttle are lost when the worker crashes; the next attempt starts from the last details that reached the server', async () => {
    const starts: [number, number | undefined][] = [];
    const scenario = defineScenario({
      name: 'h2',
      profile,
      records: 6,
      options: { scheduleToStartTimeout: '1m', startToCloseTimeout: '1m', heartbeatTimeout: '10s', retry: { initialInterval: '1s', maximumAttempts: 5 } },
      world: { latency: LATENCY, restartDelay: '5s' },
      activity: (world) => async (ctx) => {
        let offset = ctx.hasHeartbeatDetails() ? ctx.heartbeatDetails<number>()! : 0;
        starts.push([ctx.info.attempt, ctx.heartbeatDetails<number>()]);
        for (; offset < world.source.size; offset++) {
          await world.sink.put(`k${offset}`, ctx.info.attempt);
          ctx.heartbeat(offset + 1);
          await ctx.sleep(3000);
        }
        return offset;
      },
    });
    const r = await simulate(scenario, { seed: 1, faults: [{ kind: 'crash', at: 7000 }] });
    // Attempt 1: heartbeat(1) at 2 ms goes out at once (stored at 3 ms); heartbeat(2) at 3.004 s
    // and heartbeat(3) at 6.006 s fall in the 8 s window: held, latest wins, lost in the crash.
    expect(detailsOf(r, 'heartbeatCalled').filter(([, a]) => a === 1)).toEqual([
      [2, 1, '1'],
      [3004, 1, '2'],
      [6006, 1, '3'],
    ]);
    expect(detailsOf(r, 'detailsStored').filter(([, a]) => a === 1)).toEqual([[3, 1, '1']]);
    expect(eventsOf(r, 'heartbeatLost')[0]).toEqual({
      t: 7000,
      type: 'heartbeatLost',
      attempt: 1,
      details: '3',
      why: 'held by the throttle when the worker crashed',
    });
    // HB timeout at 3 ms + 10 s, backoff 1 s, the process is back at 12 s.
    expect(eventsOf(r, 'attemptTimedOut')).toEqual([{ t: 10003, type: 'attemptTimedOut', attempt: 1, timeoutType: 'HEARTBEAT' }]);
    expect(r.attempts[1]).toMatchObject({ attempt: 2, worker: 'worker-1#2', startedAt: 12000, startDetails: '1' });
    expect(starts).toEqual([
      [1, undefined],
      [2, 1],
    ]);
    // Attempt 2 redoes k1 and k2, which attempt 1 had written after the last stored heartbeat.
    expect(effectsOf(r).map(([t, a, k]) => [t, a, k])).toEqual([
      [1, 1, 'k0'],
      [3003, 1, 'k1'],
      [6005, 1, 'k2'],
      [12001, 2, 'k1'],
      [15003, 2, 'k2'],
      [18005, 2, 'k3'],
      [21007, 2, 'k4'],
      [24009, 2, 'k5'],
    ]);
    expect(r.counts.recordsRedone).toBe(2);
    expect(r.outcome).toMatchObject({ status: 'completed', result: 6, attempt: 2 });
  });
});

describe('S1, S2: the throttle window', () => {
  test('S1 S2 with HB 10 s the temporal window is 8 s: calls inside it coalesce, latest wins, sent at the window end', async () => {
    const scenario = defineScenario({
      name: 's2-temporal',
      options: { startToCloseTimeout: '1m', heartbeatTimeout: '10s' },
      world: { latency: LATENCY },
      activity: () => async (ctx) => {
        for (let i = 0; i <= 17; i++) {
          ctx.heartbeat(i);
          if (i < 17) await ctx.sleep(1000);
        }
        return 'done';
      },
    });
    const r = await simulate(scenario, { seed: 1 });
    expect(detailsOf(r, 'heartbeatCalled')).toHaveLength(18);
    expect(detailsOf(r, 'heartbeatSent')).toEqual([
      [0, 1, '0'],
      [8000, 1, '7'],
      [16000, 1, '15'],
    ]);
    expect(detailsOf(r, 'detailsStored')).toEqual([
      [1, 1, '0'],
      [8001, 1, '7'],
      [16001, 1, '15'],
    ]);
    // Every call but the first is held: the one at 8 s (16 s) comes just after the window end
    // sent what was pending, so it falls in the new window.
    expect(eventsOf(r, 'heartbeatCoalesced').map((e) => e.t / 1000)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17]);
    // S4: on success what is still held is dropped.
    expect(detailsOf(r, 'heartbeatLost')).toEqual([[17000, 1, '17']]);
    expect(r.counts).toMatchObject({ heartbeatCalls: 18, heartbeatsSent: 3, detailsStored: 3 });
  });

  test('S1 S2 a window with nothing pending closes: the next call is sent at once', async () => {
    const scenario = defineScenario({
      name: 's2-close',
      options: { startToCloseTimeout: '1m', heartbeatTimeout: '10s' },
      world: { latency: LATENCY },
      activity: () => async (ctx) => {
        ctx.heartbeat('a'); // sent at 0, window to 8 s
        await ctx.sleep(9000);
        ctx.heartbeat('b'); // no window open: sent at once
        await ctx.sleep(1000);
        ctx.heartbeat('c'); // inside b's window
        await ctx.sleep(1000);
        return 1;
      },
    });
    const r = await simulate(scenario, { seed: 1 });
    expect(detailsOf(r, 'heartbeatSent')).toEqual([
      [0, 1, '"a"'],
      [9000, 1, '"b"'],
    ]);
    expect(detailsOf(r, 'heartbeatLost')).toEqual([[11000, 1, '"c"']]);
  });

  test('S2 (temporal) one heartbeat RPC in flight at a time: with throttling disabled, calls made during an RPC wait for its response, latest wins', async () => {
    const scenario = defineScenario({
      name: 's2-in-flight',
      options: { startToCloseTimeout: '1m' },
      worker: { maxHeartbeatThrottleInterval: 0 },
      world: { latency: { ...LATENCY, rpc: 10 } },
      activity: () => async (ctx) => {
        for (let i = 0; i < 8; i++) {
          ctx.heartbeat(i);
          await ctx.sleep(4);
        }
        await ctx.sleep(100);
      },
    });
    const r = await simulate(scenario, { seed: 1 });
    // Calls every 4 ms; RPCs take 10 ms: sent at 0, 10, 20, 30, each with the latest call made
    // by then (at 20 ms the call of that very millisecond comes first: it was due before the response's window end).
    expect(detailsOf(r, 'heartbeatSent').map(([t, , d]) => [t, d])).toEqual([
      [0, '0'],
      [10, '2'],
      [20, '5'],
      [30, '7'],
    ]);
    expect(detailsOf(r, 'detailsStored').map(([t, , d]) => [t, d])).toEqual([
      [5, '0'],
      [15, '2'],
      [25, '5'],
      [35, '7'],
    ]);
    expect(eventsOf(r, 'heartbeatCoalesced').map((e) => e.t)).toEqual([4, 8, 12, 16, 20, 24, 28]);
  });

  test('S2 (temporal) a window ends at the later of its end and the response of the heartbeat that opened it', async () => {
    const scenario = defineScenario({
      name: 's2-slow-rpc',
      options: { startToCloseTimeout: '1m', heartbeatTimeout: '10s' },
      world: { latency: LATENCY },
      activity: () => async (ctx) => {
        for (let i = 0; i < 12; i++) {
          ctx.heartbeat(i);
          await ctx.sleep(1000);
        }
      },
    });
    // The first heartbeat RPC takes 2 + 9000 ms: the window (8 s) ends at its response, 9.002 s.
    const r = await simulate(scenario, { seed: 1, faults: [{ kind: 'heartbeatDelayed', nth: 1, byMs: 9000 }] });
    expect(detailsOf(r, 'heartbeatSent').map(([t, , d]) => [t, d])).toEqual([
      [0, '0'],
      [9002, '9'],
    ]);
  });

  test.each([
    // HB 3 s. temporal: 0.8 x 3 s = 2.4 s from each send. cadence: trunc(2.4 s) = 2 s from each response.
    ['temporal', [[0, '0'], [2400, '4'], [4800, '9']]],
    ['cadence', [[0, '0'], [2002, '4'], [4004, '8']]],
  ] as const)('S1 with HB 3 s the %s window gives these sends', async (profile, sends) => {
    const scenario = defineScenario({
      name: 's1-trunc',
      profile,
      options: { scheduleToStartTimeout: '1m', startToCloseTimeout: '1m', heartbeatTimeout: '3s' },
      world: { latency: LATENCY },
      activity: () => async (ctx) => {
        for (let i = 0; i <= 10; i++) {
          ctx.heartbeat(i);
          if (i < 10) await ctx.sleep(500);
        }
      },
    });
    const r = await simulate(scenario, { seed: 1 });
    expect(detailsOf(r, 'heartbeatSent').map(([t, , d]) => [t, d])).toEqual(sends);
    expect(detailsOf(r, 'heartbeatLost')).toEqual([[5000, 1, '10']]);
  });

  test('S1 cadence with HB 1 s has no throttle: every call is sent', async () => {
    const scenario = defineScenario({
      name: 's1-cadence-1s',
      profile: 'cadence',
      options: { scheduleToStartTimeout: '1m', startToCloseTimeout: '1m', heartbeatTimeout: '1s' },
      world: { latency: LATENCY },
      activity: () => async (ctx) => {
        for (let i = 0; i < 4; i++) {
          ctx.heartbeat(i);
          await ctx.sleep(100);
        }
      },
    });
    const r = await simulate(scenario, { seed: 1 });
    expect(detailsOf(r, 'heartbeatSent').map(([t, , d]) => [t, d])).toEqual([
      [0, '0'],
      [100, '1'],
      [200, '2'],
      [300, '3'],
    ]);
    expect(eventsOf(r, 'heartbeatCoalesced')).toEqual([]);
  });
});

describe.each(['native', 'temporal'] as const)('S4 (%s front door)', (api) => {
  test('S4 pending details are flushed before a failure is reported', async () => {
    const { heartbeat, sleep } = await import('@temporalio/activity');
    const scenario = defineScenario({
      name: 's4-failure',
      api,
      options: { startToCloseTimeout: '1m', heartbeatTimeout: '10s', retry: { maximumAttempts: 1 } },
      world: { latency: LATENCY },
      activity: () =>
        api === 'native'
          ? async (ctx) => {
              ctx.heartbeat(1);
              await ctx.sleep(1000);
              ctx.heartbeat(2); // held by the window until 8 s
              await ctx.sleep(1000);
              throw new TypeError('boom');
            }
          : async () => {
              heartbeat(1);
              await sleep(1000);
              heartbeat(2);
              await sleep(1000);
              throw new TypeError('boom');
            },
    });
    const r = await simulate(scenario, { seed: 1 });
    expect(detailsOf(r, 'heartbeatSent')).toEqual([
      [0, 1, '1'],
      [2000, 1, '2'],
    ]);
    expect(detailsOf(r, 'detailsStored')).toEqual([
      [1, 1, '1'],
      [2001, 1, '2'],
    ]);
    // The failure goes out once the flushed heartbeat's RPC has returned (2002), reaching the server at 2003.
    expect(eventsOf(r, 'reported')).toEqual([{ t: 2004, type: 'reported', attempt: 1, report: 'failed', accepted: true }]);
    expect(r.outcome).toEqual({
      status: 'failed',
      failure: { kind: 'application', type: 'TypeError', message: 'boom', nonRetryable: false },
      attempt: 1,
      at: 2003,
      gaveUp: 'maximumAttempts 1 reached',
    });
    expect(detailsOf(r, 'heartbeatLost')).toEqual([]);
  });

  test('S4 pending details are dropped on success', async () => {
    const { heartbeat, sleep } = await import('@temporalio/activity');
    const scenario = defineScenario({
      name: 's4-success',
      api,
      options: { startToCloseTimeout: '1m', heartbeatTimeout: '10s' },
      world: { latency: LATENCY },
      activity: () =>
        api === 'native'
          ? async (ctx) => {
              ctx.heartbeat(1);
              await ctx.sleep(1000);
              ctx.heartbeat(2);
              return 'ok';
            }
          : async () => {
              heartbeat(1);
              await sleep(1000);
              heartbeat(2);
              return 'ok';
            },
    });
    const r = await simulate(scenario, { seed: 1 });
    expect(detailsOf(r, 'heartbeatSent')).toEqual([[0, 1, '1']]);
    expect(detailsOf(r, 'detailsStored')).toEqual([[1, 1, '1']]);
    expect(detailsOf(r, 'heartbeatLost')).toEqual([[1000, 1, '2']]);
    expect(eventsOf(r, 'reported')).toEqual([{ t: 1002, type: 'reported', attempt: 1, report: 'completed', accepted: true }]);
    expect(r.outcome).toEqual({ status: 'completed', result: 'ok', attempt: 1, at: 1001 });
  });
});

describe('S5: the TS core local timeout (temporal)', () => {
  test('S5 an attempt whose heartbeats stop is cancelled locally with TIMED_OUT at HB + 5 s after the last response, and reports nothing', async () => {
    const seen: [number, number, string][] = [];
    const scenario = defineScenario({
      name: 's5',
      options: { startToCloseTimeout: '5m', heartbeatTimeout: '10s', retry: { initialInterval: '1s' } },
      world: { latency: LATENCY },
      activity: () => async (ctx) => {
        if (ctx.info.attempt > 1) return `attempt ${ctx.info.attempt}`;
        ctx.heartbeat('only'); // sent at 0, answered at 2
        try {
          await ctx.sleep('10m');
          return 'slept';
        } catch (error) {
          seen.push([ctx.info.attempt, vnow(), `${(error as Error).name}: ${(error as ActivityCancelledError).reason}`]);
          throw error;
        }
      },
    });
    const r = await simulate(scenario, { seed: 1 });
    // The server times attempt 1 out at 1 + 10 s; attempt 2 starts after 1 s on the same worker.
    expect(eventsOf(r, 'attemptTimedOut')).toEqual([{ t: 10001, type: 'attemptTimedOut', attempt: 1, timeoutType: 'HEARTBEAT' }]);
    expect(r.outcome).toEqual({ status: 'completed', result: 'attempt 2', attempt: 2, at: 11002 });
    // The zombie keeps waiting until the local timeout: last response at 2 ms, + 10 s + 5 s.
    expect(eventsOf(r, 'cancelDelivered')).toEqual([{ t: 15002, type: 'cancelDelivered', attempt: 1, reason: 'TIMED_OUT' }]);
    expect(seen).toEqual([[1, 15002, 'CancelledFailure: TIMED_OUT']]);
    expect(eventsOf(r, 'attemptEnded').filter((e) => e.attempt === 1)).toEqual([
      { t: 15002, type: 'attemptEnded', attempt: 1, how: 'threw CancelledFailure: TIMED_OUT', detail: 'after cancel TIMED_OUT' },
    ]);
    // It reports nothing: the only report is attempt 2's.
    expect(eventsOf(r, 'reported')).toEqual([{ t: 11003, type: 'reported', attempt: 2, report: 'completed', accepted: true }]);
  });

  test('S5 each heartbeat response restarts the local timer', async () => {
    const scenario = defineScenario({
      name: 's5-restart',
      options: { startToCloseTimeout: '5m', heartbeatTimeout: '4s', retry: { maximumAttempts: 1 } },
      world: { latency: LATENCY },
      activity: () => async (ctx) => {
        ctx.heartbeat(1); // answered at 2
        await ctx.sleep(3500);
        ctx.heartbeat(2); // window (3.2 s) closed: sent at 3.5 s, answered at 3.502 s
        await ctx.sleep('1m');
      },
    });
    const r = await simulate(scenario, { seed: 1 });
    expect(eventsOf(r, 'cancelDelivered')).toEqual([{ t: 3502 + 4000 + 5000, type: 'cancelDelivered', attempt: 1, reason: 'TIMED_OUT' }]);
    // The server's own HB timeout (3.501 s + 4 s) closed the activity first (one attempt only).
    expect(r.outcome).toMatchObject({ status: 'timedOut', attempt: 1, at: 7501, failure: { timeoutType: 'HEARTBEAT', lastHeartbeatDetails: '2' } });
  });
});

describe('S6: heartbeat RPC errors', () => {
  test('S6 a heartbeat answered NotFound cancels the attempt with NOT_FOUND, which then reports nothing', async () => {
    const seen: [number, number, string][] = [];
    const scenario = defineScenario({
      name: 's6',
      options: { startToCloseTimeout: '5m', heartbeatTimeout: '10s', retry: { initialInterval: '1s' } },
      world: { latency: LATENCY },
      activity: () => async (ctx) => {
        if (ctx.info.attempt > 1) {
          await ctx.sleep('5s');
          return `attempt ${ctx.info.attempt}`;
        }
        ctx.heartbeat('first'); // stored at 1
        await ctx.sleep('12s'); // the server times the attempt out at 10.001 s
        ctx.heartbeat('late'); // sent at 12 s: NotFound
        try {
          await ctx.sleep('1m');
        } catch (error) {
          seen.push([ctx.info.attempt, vnow(), (error as ActivityCancelledError).reason]);
          throw error;
        }
      },
    });
    const r = await simulate(scenario, { seed: 1 });
    expect(eventsOf(r, 'heartbeatRejected')).toEqual([{ t: 12002, type: 'heartbeatRejected', attempt: 1 }]);
    expect(eventsOf(r, 'cancelDelivered')).toEqual([{ t: 12002, type: 'cancelDelivered', attempt: 1, reason: 'NOT_FOUND' }]);
    expect(seen).toEqual([[1, 12002, 'NOT_FOUND']]);
    // H6: the zombie's late heartbeat never overwrote the stored details.
    expect(detailsOf(r, 'detailsStored')).toEqual([[1, 1, '"first"']]);
    expect(eventsOf(r, 'reported')).toEqual([{ t: 16003, type: 'reported', attempt: 2, report: 'completed', accepted: true }]);
    expect(r.outcome).toEqual({ status: 'completed', result: 'attempt 2', attempt: 2, at: 16002 });
  });

  test('S6 a heartbeat RPC that fails otherwise (lost) is only logged: the attempt runs on', async () => {
    const scenario = defineScenario({
      name: 's6-lost',
      options: { startToCloseTimeout: '5m', heartbeatTimeout: '10s', retry: { maximumAttempts: 1 } },
      world: { latency: LATENCY },
      activity: () => async (ctx) => {
        ctx.heartbeat(1); // RPC lost
        await ctx.sleep(9000);
        ctx.heartbeat(2); // sent at 9 s (the window has closed), stored
        await ctx.sleep(1000);
        return 'ran on';
      },
    });
    const r = await simulate(scenario, { seed: 1, faults: [{ kind: 'heartbeatLost', nth: 1 }] });
    expect(eventsOf(r, 'rpcFault')).toEqual([{ t: 0, type: 'rpcFault', attempt: 1, rpc: 'heartbeat', fault: 'lost', ms: 0 }]);
    expect(eventsOf(r, 'cancelDelivered')).toEqual([]);
    expect(detailsOf(r, 'detailsStored')).toEqual([[9001, 1, '2']]);
    expect(r.outcome).toEqual({ status: 'completed', result: 'ran on', attempt: 1, at: 10001 });
  });
});

describe('H1, H7: what the server stores and the next attempt sees', () => {
  test('H1 heartbeat() with no details erases the stored details: the next attempt sees none', async () => {
    const starts: [number, boolean, unknown][] = [];
    const scenario = defineScenario({
      name: 'h1',
      options: { startToCloseTimeout: '5m', heartbeatTimeout: '10s', retry: { initialInterval: '1s' } },
      world: { latency: LATENCY },
      activity: () => async (ctx) => {
        starts.push([ctx.info.attempt, ctx.hasHeartbeatDetails(), ctx.heartbeatDetails()]);
        if (ctx.info.attempt > 1) return 'second';
        ctx.heartbeat('x');
        await ctx.sleep(9000);
        ctx.heartbeat();
        await ctx.sleep(100);
        throw new Error('fail attempt 1');
      },
    });
    const r = await simulate(scenario, { seed: 1 });
    expect(detailsOf(r, 'detailsStored')).toEqual([
      [1, 1, '"x"'],
      [9001, 1, undefined],
    ]);
    expect(r.attempts.map((a) => [a.attempt, a.startDetails])).toEqual([
      [1, undefined],
      [2, undefined],
    ]);
    expect(starts).toEqual([
      [1, false, undefined],
      [2, false, undefined],
    ]);
  });

  test('H1 a heartbeat is accepted and stored even with no heartbeat timeout set', async () => {
    const scenario = defineScenario({
      name: 'h1-no-hb',
      options: { startToCloseTimeout: '5m', retry: { initialInterval: '1s' } },
      world: { latency: LATENCY },
      activity: () => async (ctx) => {
        if (ctx.info.attempt > 1) return ctx.heartbeatDetails();
        ctx.heartbeat({ at: 'first' });
        throw new Error('retry me');
      },
    });
    const r = await simulate(scenario, { seed: 1 });
    expect(detailsOf(r, 'detailsStored')).toEqual([[1, 1, '{"at":"first"}']]);
    expect(r.outcome).toMatchObject({ status: 'completed', result: { at: 'first' }, attempt: 2 });
  });

  test('H7 details with a Set, a Map and a Date arrive as {}, {} and a string in the next attempt', async () => {
    const starts: unknown[] = [];
    const scenario = defineScenario({
      name: 'h7',
      options: { startToCloseTimeout: '5m', retry: { initialInterval: '1s' } },
      world: { latency: LATENCY },
      activity: () => async (ctx) => {
        starts.push(ctx.heartbeatDetails());
        if (ctx.info.attempt > 1) return 'second';
        ctx.heartbeat({ seen: new Set(['a', 'b']), byKey: new Map([['k', 1]]), at: new Date(), offset: 3 });
        throw new Error('retry me');
      },
    });
    const r = await simulate(scenario, { seed: 1 });
    expect(detailsOf(r, 'detailsStored')).toEqual([[1, 1, '{"seen":{},"byKey":{},"at":"2026-01-01T00:00:00.000Z","offset":3}']]);
    expect(starts).toEqual([undefined, { seen: {}, byKey: {}, at: '2026-01-01T00:00:00.000Z', offset: 3 }]);
  });
});
