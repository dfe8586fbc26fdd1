/**
 * Every fault kind of sim/fault-plan.ts has the effect its doc says, end to end.
 */
import { activityInfo, heartbeat as temporalHeartbeat, sleep as temporalSleep } from '@temporalio/activity';
import { describe, expect, test } from 'vitest';
import { isTransientError } from '../../src/errors.js';
import { defineScenario } from '../../src/scenario.js';
import { simulate } from '../../sim/simulate.js';
import { describeFault, type Fault } from '../../sim/fault-plan.js';
import { formatTime } from '../../sim/trace.js';
import { LATENCY, detailsOf, effectsOf, eventsOf, vnow } from './helpers.js';

/** Five sequential puts (effects at 1, 3, 5, 7, 9 ms), a heartbeat after each; the factory counts process starts. */
function writer(options: { heartbeatTimeout?: string; throttle?: boolean } = {}) {
  const factoryCalls: string[] = [];
  const scenario = defineScenario({
    name: 'writer',
    records: 5,
    options: { startToCloseTimeout: '10s', retry: { initialInterval: '1s' }, ...(options.heartbeatTimeout ? { heartbeatTimeout: options.heartbeatTimeout } : {}) },
    worker: options.throttle === false ? { maxHeartbeatThrottleInterval: 0 } : {},
    world: { latency: LATENCY, restartDelay: '2s' },
    activity: (world) => {
      factoryCalls.push(`process at ${vnow()}`);
      return async (ctx) => {
        let offset = ctx.hasHeartbeatDetails() ? ctx.heartbeatDetails<number>()! : 0;
        for (; offset < world.source.size; offset++) {
          await world.sink.put(`k${offset}`, ctx.info.attempt);
          ctx.heartbeat(offset + 1);
        }
        return `attempt ${ctx.info.attempt}`;
      };
    },
  });
  return { scenario, factoryCalls };
}

describe('crash', () => {
  test('H2 crash at a time: process death of the worker running the attempt; it restarts after world.restartDelay, calling the factory again', async () => {
    const { scenario, factoryCalls } = writer();
    const r = await simulate(scenario, { seed: 1, faults: [{ kind: 'crash', at: 6 }] });
    expect(eventsOf(r, 'crash')).toEqual([{ t: 6, type: 'crash', worker: 'worker-1#1', attempt: 1, reason: 'fault plan: crash at 00:00:00.006' }]);
    expect(factoryCalls).toEqual(['process at 0', 'process at 2006']);
    // The call in flight (its effect applied at 5 ms) never returns: no heartbeat(3), no k3.
    expect(effectsOf(r).filter(([, a]) => a === 1).map(([t, , k]) => [t, k])).toEqual([
      [1, 'k0'],
      [3, 'k1'],
      [5, 'k2'],
    ]);
    expect(r.counts.crashes).toBe(1);
    // STC 10 s, backoff 1 s: attempt 2 on the new process at 11 s, from the stored offset 1.
    expect(r.attempts.map((a) => [a.attempt, a.worker, a.startedAt, a.startDetails, a.how])).toEqual([
      [1, 'worker-1#1', 0, undefined, 'crashed'],
      [2, 'worker-1#2', 11_000, '1', 'completed'],
    ]);
  });

  test('crash beforeEffect n: the n-th sink effect is absent', async () => {
    const { scenario } = writer();
    const r = await simulate(scenario, { seed: 1, faults: [{ kind: 'crash', beforeEffect: 3 }] });
    expect(eventsOf(r, 'crash')).toEqual([{ t: 5, type: 'crash', worker: 'worker-1#1', attempt: 1, reason: 'fault plan: crash while sink effect #3 is in flight' }]);
    expect(effectsOf(r).filter(([, a]) => a === 1).map(([, , k]) => k)).toEqual(['k0', 'k1']);
    expect(r.outcome).toMatchObject({ status: 'completed', attempt: 2 });
  });

  test('crash afterEffect n: the n-th sink effect is present, but its call never returns', async () => {
    const { scenario } = writer();
    const r = await simulate(scenario, { seed: 1, faults: [{ kind: 'crash', afterEffect: 3 }] });
    expect(eventsOf(r, 'crash')).toEqual([{ t: 5, type: 'crash', worker: 'worker-1#1', attempt: 1, reason: 'fault plan: crash right after sink effect #3 applied' }]);
    expect(effectsOf(r).filter(([, a]) => a === 1).map(([, , k]) => k)).toEqual(['k0', 'k1', 'k2']);
    expect(detailsOf(r, 'heartbeatCalled').filter(([, a]) => a === 1).map(([, , d]) => d)).toEqual(['1', '2']);
  });

  test('H2 crash afterHeartbeatCall n: right after the call, before its RPC reaches the server', async () => {
    const { scenario } = writer({ throttle: false });
    const r = await simulate(scenario, { seed: 1, faults: [{ kind: 'crash', afterHeartbeatCall: 2 }] });
    expect(eventsOf(r, 'crash')).toEqual([{ t: 4, type: 'crash', worker: 'worker-1#1', attempt: 1, reason: 'fault plan: crash right after heartbeat() call #2' }]);
    expect(detailsOf(r, 'heartbeatSent').filter(([, a]) => a === 1)).toEqual([
      [2, 1, '1'],
      [4, 1, '2'],
    ]);
    expect(detailsOf(r, 'detailsStored').filter(([, a]) => a === 1)).toEqual([[3, 1, '1']]);
    expect(r.attempts[1]).toMatchObject({ attempt: 2, startDetails: '1' });
  });

  test('H2 crash afterHeartbeatStored n: right after the n-th heartbeat reached the server', async () => {
    const { scenario } = writer({ throttle: false });
    const r = await simulate(scenario, { seed: 1, faults: [{ kind: 'crash', afterHeartbeatStored: 2 }] });
    expect(detailsOf(r, 'detailsStored').filter(([, a]) => a === 1)).toEqual([
      [3, 1, '1'],
      [5, 1, '2'],
    ]);
    expect(eventsOf(r, 'crash')).toEqual([{ t: 5, type: 'crash', worker: 'worker-1#1', attempt: 1, reason: 'fault plan: crash right after heartbeat #2 reached the server' }]);
    // The effect of put(k2) at 5 ms was scheduled before the crash event: it applied.
    expect(effectsOf(r).filter(([, a]) => a === 1).map(([, , k]) => k)).toEqual(['k0', 'k1', 'k2']);
    expect(r.attempts[1]).toMatchObject({ attempt: 2, startDetails: '2' });
  });

  test('H2 crash whilePending n: while the n-th held heartbeat waits for the window, and it is lost', async () => {
    const { scenario } = writer({ heartbeatTimeout: '10s' });
    const r = await simulate(scenario, { seed: 1, faults: [{ kind: 'crash', whilePending: 2 }] });
    // heartbeat(1) is sent; heartbeat(2) at 4 ms is held (#1), heartbeat(3) at 6 ms is held (#2): crash.
    expect(eventsOf(r, 'heartbeatCoalesced').filter((e) => e.attempt === 1).map((e) => e.t)).toEqual([4, 6]);
    expect(eventsOf(r, 'crash')).toEqual([{ t: 6, type: 'crash', worker: 'worker-1#1', attempt: 1, reason: 'fault plan: crash while held heartbeat call #2 waits for the throttle window (it is heartbeat() call #3)' }]);
    // The fault's number in the plan is its number in the story.
    expect(eventsOf(r, 'crash')[0]!.reason).toContain(describeFault({ kind: 'crash', whilePending: 2 }, formatTime).replace(/^crash while /, ''));
    expect(eventsOf(r, 'heartbeatLost').filter((e) => e.attempt === 1)).toEqual([
      { t: 6, type: 'heartbeatLost', attempt: 1, details: '3', why: 'held by the throttle when the worker crashed' },
    ]);
    expect(r.attempts[1]).toMatchObject({ attempt: 2, startDetails: '1' });
  });
});

describe('heartbeat RPC faults', () => {
  test('S6 heartbeatLost nth: the n-th heartbeat RPC never reaches the server; the SDK only logs it', async () => {
    const { scenario } = writer({ throttle: false });
    const r = await simulate(scenario, { seed: 1, faults: [{ kind: 'heartbeatLost', nth: 2 }] });
    expect(eventsOf(r, 'rpcFault')).toEqual([{ t: 4, type: 'rpcFault', attempt: 1, rpc: 'heartbeat', fault: 'lost', ms: 0 }]);
    // With no throttle one RPC is still in flight at a time (S2): heartbeat(5), held behind the
    // RPC of heartbeat(4), is dropped when the activity succeeds (S4).
    expect(detailsOf(r, 'detailsStored').map(([, , d]) => d)).toEqual(['1', '3', '4']);
    expect(detailsOf(r, 'heartbeatLost')).toEqual([[10, 1, '5']]);
    expect(eventsOf(r, 'cancelDelivered')).toEqual([]);
    expect(r.outcome).toMatchObject({ status: 'completed', attempt: 1 });
  });

  test('S2 heartbeatDelayed nth: the n-th heartbeat RPC reaches the server late (half the delay each way)', async () => {
    const scenario = defineScenario({
      name: 'delayed',
      options: { startToCloseTimeout: '1m' },
      worker: { defaultHeartbeatThrottleInterval: 0 },
      world: { latency: LATENCY },
      activity: () => async (ctx) => {
        for (let i = 1; i <= 3; i++) {
          ctx.heartbeat(i);
          await ctx.sleep(1000);
        }
        await ctx.sleep(3000);
      },
    });
    const r = await simulate(scenario, { seed: 1, faults: [{ kind: 'heartbeatDelayed', nth: 1, byMs: 4000 }] });
    expect(eventsOf(r, 'rpcFault')).toEqual([{ t: 0, type: 'rpcFault', attempt: 1, rpc: 'heartbeat', fault: 'delayed', ms: 4000 }]);
    // Latency 2 + 4000: at the server after 2001 ms, back after 4002 ms. Even unthrottled, the
    // SDK keeps one heartbeat RPC in flight (S2): the calls at 1 s and 2 s wait for it, latest wins.
    expect(detailsOf(r, 'heartbeatSent').map(([t, , d]) => [t, d])).toEqual([
      [0, '1'],
      [4002, '3'],
    ]);
    expect(eventsOf(r, 'heartbeatCoalesced').map((e) => e.t)).toEqual([1000, 2000]);
    expect(detailsOf(r, 'detailsStored').map(([t, , d]) => [t, d])).toEqual([
      [2001, '1'],
      [4003, '3'],
    ]);
  });

  test('H6 S6 heartbeatDelayed past the heartbeat timeout: the server has timed the attempt out and answers NotFound', async () => {
    const scenario = defineScenario({
      name: 'delayed-notfound',
      options: { startToCloseTimeout: '1m', heartbeatTimeout: '3s', retry: { initialInterval: '1s' } },
      world: { latency: LATENCY },
      activity: () => async (ctx) => {
        if (ctx.info.attempt > 1) return 'retry';
        ctx.heartbeat('late');
        await ctx.sleep('1m');
      },
    });
    // Latency 2 + 7000: at the server at 3.501 s, after the HB timeout (3 s); back at 7.002 s,
    // before the local timeout (0 + 3 s + 5 s).
    const r = await simulate(scenario, { seed: 1, faults: [{ kind: 'heartbeatDelayed', nth: 1, byMs: 7000 }] });
    expect(eventsOf(r, 'attemptTimedOut')).toEqual([{ t: 3000, type: 'attemptTimedOut', attempt: 1, timeoutType: 'HEARTBEAT' }]);
    expect(detailsOf(r, 'detailsStored')).toEqual([]);
    expect(eventsOf(r, 'heartbeatRejected')).toEqual([{ t: 7002, type: 'heartbeatRejected', attempt: 1 }]);
    expect(eventsOf(r, 'cancelDelivered')).toEqual([{ t: 7002, type: 'cancelDelivered', attempt: 1, reason: 'NOT_FOUND' }]);
  });
});

describe('world call faults', () => {
  test('transient call n: the n-th world call rejects with a TransientError after its latency, with no effect', async () => {
    const caught: unknown[] = [];
    const scenario = defineScenario({
      name: 'transient',
      records: 3,
      options: { startToCloseTimeout: '1m' },
      world: { latency: LATENCY },
      activity: (world) => async () => {
        const page = await world.source.read(0, 3); // call 1
        for (const record of page) {
          try {
            await world.sink.put(record.key, record.amount); // calls 2, 3, 4
          } catch (error) {
            caught.push([vnow(), isTransientError(error), (error as Error).name, (error as Error).message]);
          }
        }
      },
    });
    const r = await simulate(scenario, { seed: 1, faults: [{ kind: 'transient', call: 3 }] });
    expect(caught).toEqual([[8, true, 'TransientError', 'world.sink.put(rec-000001) failed: injected transient error']]);
    expect(eventsOf(r, 'worldFault')).toEqual([{ t: 6, type: 'worldFault', attempt: 1, call: 3, op: 'sink.put', key: 'rec-000001', fault: 'transient', ms: 2 }]);
    expect(effectsOf(r).map(([t, , k]) => [t, k])).toEqual([
      [5, 'rec-000000'],
      [9, 'rec-000002'],
    ]);
    expect([...r.sink.keys()]).toEqual(['rec-000000', 'rec-000002']);
  });

  test('transient on a read: the read rejects with a TransientError', async () => {
    let caught: unknown;
    const scenario = defineScenario({
      name: 'transient-read',
      records: 3,
      options: { startToCloseTimeout: '1m' },
      world: { latency: LATENCY },
      activity: (world) => async () => {
        caught = await world.source.read(2, 10).catch((error: unknown) => [vnow(), isTransientError(error), (error as Error).message]);
      },
    });
    await simulate(scenario, { seed: 1, faults: [{ kind: 'transient', call: 1 }] });
    expect(caught).toEqual([4, true, 'world.source.read(2) failed: injected transient error']);
  });

  test('T2 slowCall n: the n-th call takes longer, which can trip a heartbeat timeout', async () => {
    const scenario = defineScenario({
      name: 'slow',
      options: { startToCloseTimeout: '1m', heartbeatTimeout: '5s', retry: { initialInterval: '1s' } },
      world: { latency: LATENCY },
      activity: (world) => async (ctx) => {
        ctx.heartbeat('start');
        await world.sink.put(`k${ctx.info.attempt}`, vnow()); // call 1 is slowed by 20 s
        ctx.heartbeat('after put');
        return `attempt ${ctx.info.attempt}`;
      },
    });
    const r = await simulate(scenario, { seed: 1, faults: [{ kind: 'slowCall', call: 1, byMs: 20_000 }] });
    expect(eventsOf(r, 'worldFault')).toEqual([{ t: 0, type: 'worldFault', attempt: 1, call: 1, op: 'sink.put', key: 'k1', fault: 'slow', ms: 20_002 }]);
    expect(eventsOf(r, 'attemptTimedOut')).toEqual([{ t: 5001, type: 'attemptTimedOut', attempt: 1, timeoutType: 'HEARTBEAT' }]);
    // The slowed put applies at half its latency, long after attempt 2 finished.
    expect(effectsOf(r).map(([t, a, k]) => [t, a, k])).toEqual([
      [6002, 2, 'k2'],
      [10_001, 1, 'k1'],
    ]);
    expect(r.outcome).toMatchObject({ status: 'completed', result: 'attempt 2', attempt: 2 });
  });
});

describe('worker faults', () => {
  test('C3 C4 shutdown (temporal): the attempt is cancelled with WORKER_SHUTDOWN, reported as a retryable failure, and retried on another worker', async () => {
    const seen: unknown[] = [];
    const scenario = defineScenario({
      name: 'shutdown',
      api: 'temporal',
      options: { startToCloseTimeout: '1m', heartbeatTimeout: '10s', retry: { initialInterval: '1s' } },
      world: { latency: LATENCY, workers: 2 },
      activity: () => async () => {
        const attempt = activityInfo().attempt;
        if (attempt > 1) return `attempt ${attempt}`;
        temporalHeartbeat('started');
        try {
          await temporalSleep('1m');
        } catch (error) {
          seen.push([vnow(), (error as Error).message]);
          throw error;
        }
      },
    });
    const r = await simulate(scenario, { seed: 1, faults: [{ kind: 'shutdown', at: 3000, graceMs: 10_000 }] });
    expect(eventsOf(r, 'shutdown')).toEqual([{ t: 3000, type: 'shutdown', worker: 'worker-1#1', graceMs: 10_000 }]);
    expect(seen).toEqual([[3000, 'WORKER_SHUTDOWN']]);
    expect(eventsOf(r, 'reported')[0]).toEqual({ t: 3002, type: 'reported', attempt: 1, report: 'failed', accepted: true });
    expect(eventsOf(r, 'retryScheduled')).toEqual([
      { t: 3001, type: 'retryScheduled', nextAttempt: 2, backoffMs: 1000, at: 4001, why: 'WorkerShutdown: Worker is shutting down and this activity did not complete in time' },
    ]);
    // The shutting-down worker takes no new task.
    expect(r.attempts.map((a) => [a.attempt, a.worker, a.startedAt])).toEqual([
      [1, 'worker-1#1', 0],
      [2, 'worker-2#1', 4001],
    ]);
    expect(r.outcome).toEqual({ status: 'completed', result: 'attempt 2', attempt: 2, at: 4002 });
  });

  test('shutdown: what the attempt does after its cancellation belongs to it, and dies with the process after the grace period', async () => {
    const log: [string, number][] = [];
    const scenario = defineScenario({
      name: 'shutdown-cleanup',
      options: { startToCloseTimeout: '1m', retry: { initialInterval: '1s' } },
      world: { latency: LATENCY, restartDelay: '5s' },
      activity: (world) => async (ctx) => {
        if (ctx.info.attempt > 1) return 'second';
        ctx.signal.addEventListener('abort', () => setTimeout(() => log.push(['timer set in the abort listener', vnow()]), 500));
        try {
          await ctx.sleep('1m');
        } catch (error) {
          await world.sink.put('cleanup', 'in grace'); // effect at 1.001 s, returns at 1.002 s
          log.push(['cleanup returned', vnow()]);
          await new Promise((resolve) => setTimeout(resolve, 50)); // the process exits at 1.010 s
          await world.sink.put('late', 'after exit');
          log.push(['late returned', vnow()]);
          throw error;
        }
      },
    });
    const r = await simulate(scenario, { seed: 1, faults: [{ kind: 'shutdown', at: 1000, graceMs: 10 }] });
    expect(log).toEqual([['cleanup returned', 1002]]);
    expect(effectsOf(r)).toEqual([[1001, 1, 'cleanup', 'in grace']]);
    expect(eventsOf(r, 'crash')).toEqual([{ t: 1010, type: 'crash', worker: 'worker-1#1', attempt: 1, reason: 'worker shutdown: the process exits' }]);
    expect(r.warnings).toEqual([]);
    expect(r.outcome).toMatchObject({ status: 'completed', result: 'second', attempt: 2 });
  });

  test('C4 shutdown (cadence): the attempt is cancelled, reports nothing, and the server times it out', async () => {
    const seen: unknown[] = [];
    const scenario = defineScenario({
      name: 'shutdown-cadence',
      profile: 'cadence',
      options: { scheduleToStartTimeout: '1m', startToCloseTimeout: '1m', heartbeatTimeout: '10s', retry: { initialInterval: '1s', maximumAttempts: 3 } },
      world: { latency: LATENCY, workers: 2 },
      activity: () => async (ctx) => {
        if (ctx.info.attempt > 1) return `attempt ${ctx.info.attempt}`;
        ctx.heartbeat('started');
        try {
          await ctx.sleep('1m');
        } catch (error) {
          seen.push([vnow(), (error as Error).message]);
          throw error;
        }
      },
    });
    const r = await simulate(scenario, { seed: 1, faults: [{ kind: 'shutdown', at: 3000, graceMs: 10_000 }] });
    expect(seen).toEqual([[3000, 'WORKER_SHUTDOWN']]);
    expect(eventsOf(r, 'reported').map((e) => [e.t, e.attempt, e.report])).toEqual([[11_003, 2, 'completed']]);
    expect(eventsOf(r, 'attemptTimedOut')).toEqual([{ t: 10_001, type: 'attemptTimedOut', attempt: 1, timeoutType: 'HEARTBEAT' }]);
    expect(r.attempts.map((a) => [a.attempt, a.worker, a.startedAt])).toEqual([
      [1, 'worker-1#1', 0],
      [2, 'worker-2#1', 11_001],
    ]);
  });

  test('shutdown: the process exits after the grace period (not counted as a crash), and restarts', async () => {
    const scenario = defineScenario({
      name: 'shutdown-exit',
      api: 'temporal',
      options: { startToCloseTimeout: '1m', retry: { initialInterval: '1s' } },
      world: { latency: LATENCY, restartDelay: '5s' },
      activity: () => async () => {
        const attempt = activityInfo().attempt;
        if (attempt > 1) return `attempt ${attempt}`;
        await new Promise((resolve) => setTimeout(resolve, 60_000)); // ignores the cancellation
      },
    });
    const r = await simulate(scenario, { seed: 1, faults: [{ kind: 'shutdown', at: 3000, graceMs: 10_000 }] });
    expect(eventsOf(r, 'crash')).toEqual([{ t: 13_000, type: 'crash', worker: 'worker-1#1', attempt: 1, reason: 'worker shutdown: the process exits' }]);
    expect(r.counts.crashes).toBe(0);
    // Attempt 1 never reported: the server's STC (1 m) times it out; attempt 2 runs on the restarted process.
    expect(eventsOf(r, 'attemptTimedOut')).toEqual([{ t: 60_000, type: 'attemptTimedOut', attempt: 1, timeoutType: 'START_TO_CLOSE' }]);
    expect(r.attempts.map((a) => [a.attempt, a.worker, a.startedAt])).toEqual([
      [1, 'worker-1#1', 0],
      [2, 'worker-1#2', 61_000],
    ]);
  });

  test('S6 partition: heartbeats fail, a report is retried until the partition heals', async () => {
    const scenario = defineScenario({
      name: 'partition',
      options: { startToCloseTimeout: '1m' },
      world: { latency: LATENCY },
      activity: () => async (ctx) => {
        await ctx.sleep(1000);
        ctx.heartbeat('cut off');
        await ctx.sleep(1000);
        return 'done';
      },
    });
    const r = await simulate(scenario, { seed: 1, faults: [{ kind: 'partition', at: 500, durationMs: 4000 }] });
    expect(eventsOf(r, 'rpcFault')).toEqual([
      { t: 1000, type: 'rpcFault', attempt: 1, rpc: 'heartbeat', fault: 'partitioned', ms: 0 },
      { t: 2000, type: 'rpcFault', attempt: 1, rpc: 'report', fault: 'partitioned', ms: 2500 },
    ]);
    expect(detailsOf(r, 'detailsStored')).toEqual([]);
    expect(eventsOf(r, 'reported')).toEqual([{ t: 4502, type: 'reported', attempt: 1, report: 'completed', accepted: true }]);
    expect(r.outcome).toEqual({ status: 'completed', result: 'done', attempt: 1, at: 4501 });
  });

  test('T2 noWorker: no worker polls for a while; the attempt starts when it ends', async () => {
    const scenario = defineScenario({
      name: 'no-worker-short',
      options: { scheduleToStartTimeout: '5s', startToCloseTimeout: '1m' },
      world: { latency: LATENCY },
      activity: () => async () => 'started late',
    });
    const r = await simulate(scenario, { seed: 1, faults: [{ kind: 'noWorker', at: 0, durationMs: 3000 }] });
    expect(eventsOf(r, 'noWorker')).toEqual([{ t: 0, type: 'noWorker', until: 3000 }]);
    expect(r.attempts.map((a) => [a.attempt, a.startedAt])).toEqual([[1, 3000]]);
    expect(r.outcome).toEqual({ status: 'completed', result: 'started late', attempt: 1, at: 3001 });
  });

  test('T3 noWorker past the schedule-to-start timeout: under temporal it is never retried', async () => {
    const scenario = defineScenario({
      name: 'no-worker-s2s',
      options: { scheduleToStartTimeout: '5s', startToCloseTimeout: '1m', retry: { initialInterval: '1s', maximumAttempts: 0 } },
      world: { latency: LATENCY },
      activity: () => async () => 'never',
    });
    const r = await simulate(scenario, { seed: 1, faults: [{ kind: 'noWorker', at: 0, durationMs: 60_000 }] });
    expect(eventsOf(r, 'attemptTimedOut')).toEqual([{ t: 5000, type: 'attemptTimedOut', attempt: 1, timeoutType: 'SCHEDULE_TO_START' }]);
    expect(eventsOf(r, 'retryScheduled')).toEqual([]);
    expect(r.attempts).toEqual([]);
    expect(r.outcome).toEqual({
      status: 'timedOut',
      failure: { kind: 'timeout', timeoutType: 'SCHEDULE_TO_START', lastHeartbeatDetails: undefined },
      attempt: 1,
      at: 5000,
      gaveUp: 'a schedule-to-start timeout is never retried',
    });
  });

  test('C1 cancel: a cancel request from the workflow at a time', async () => {
    const faults: Fault[] = [{ kind: 'cancel', at: 2500 }];
    const scenario = defineScenario({
      name: 'cancel',
      options: { startToCloseTimeout: '1m' },
      worker: { defaultHeartbeatThrottleInterval: 0 },
      world: { latency: LATENCY },
      activity: () => async (ctx) => {
        for (;;) {
          ctx.heartbeat(vnow());
          await ctx.sleep(1000);
        }
      },
    });
    const r = await simulate(scenario, { seed: 1, faults });
    expect(eventsOf(r, 'cancelRequested')).toEqual([{ t: 2500, type: 'cancelRequested' }]);
    // Heartbeats at 0, 1 s, 2 s, 3 s: the response to the one at 3 s (3.002 s) carries the cancel.
    expect(eventsOf(r, 'cancelDelivered')).toEqual([{ t: 3002, type: 'cancelDelivered', attempt: 1, reason: 'CANCELLED' }]);
    expect(r.outcome).toEqual({ status: 'canceled', details: undefined, attempt: 1, at: 3003 });
  });
});

describe('counts', () => {
  test('recordsRedone counts repeated adds by idempotency key, or by key and delta, not every add to a key', async () => {
    const { defineScenario: define } = await import('../../src/scenario.js');
    const { simulate: run } = await import('../../sim/simulate.js');
    const scenario = define({
      name: 'redone-adds',
      records: 0,
      options: { startToCloseTimeout: '1m' },
      world: { latency: { add: 1 } },
      activity: (world) => async () => {
        await world.sink.add('total', 5, { idempotencyKey: 'r1' });
        await world.sink.add('total', 7, { idempotencyKey: 'r2' });
        await world.sink.add('total', 5, { idempotencyKey: 'r1' }); // a repeat: a no-op
        await world.sink.add('other', 3);
        await world.sink.add('other', 4);
        await world.sink.add('other', 3); // the same delta to the same key: counted as redone
      },
    });
    const r = await run(scenario, { seed: 1 });
    expect(r.sink.get('total')).toBe(12);
    expect(r.sink.get('other')).toBe(10);
    expect(r.counts.effects).toBe(6);
    expect(r.counts.recordsRedone).toBe(2);
  });
});
