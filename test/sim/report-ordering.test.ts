/**
 * S7: a report never overtakes a heartbeat in flight; S8: what a heartbeat call costs the
 * caller; S2 (cadence): no window after a failed heartbeat RPC; S1: a heartbeat timeout under
 * 1 ms counts as unset. Real user code in virtual time.
 */
import { describe, expect, test } from 'vitest';
import { defineScenario } from '../../src/scenario.js';
import { simulate } from '../../sim/simulate.js';
import { LATENCY, detailsOf, eventsOf, vnow } from './helpers.js';

/** The SDK's own "flushes last heartbeat if activity fails" shape: heartbeat, then throw; the retry returns the details. */
function heartbeatsThenThrows(profile: 'temporal' | 'cadence', api: 'native' | 'temporal', rpc: number | { min: number; max: number } = 10) {
  return defineScenario({
    name: 'heartbeats-then-throws',
    profile,
    api,
    options: { scheduleToStartTimeout: '1m', startToCloseTimeout: '1m', heartbeatTimeout: '10s', retry: { initialInterval: '1s', maximumAttempts: 10 } },
    world: { latency: { ...LATENCY, rpc } },
    activity: () =>
      api === 'native'
        ? async (ctx) => {
            if (!ctx.hasHeartbeatDetails()) {
              void ctx.heartbeat('progress');
              throw new Error('first attempt fails');
            }
            return ctx.heartbeatDetails();
          }
        : async () => {
            const { activityInfo, heartbeat } = await import('@temporalio/activity');
            const details: unknown = activityInfo().heartbeatDetails;
            if (details === undefined) {
              heartbeat('progress');
              throw new Error('first attempt fails');
            }
            return details;
          },
  });
}

describe.each([
  ['temporal', 'native'],
  ['temporal', 'temporal'],
  ['cadence', 'native'],
] as const)('S7 (%s profile, %s front door)', (profile, api) => {
  test('S7: the failure report waits for the heartbeat RPC in flight, so the retry starts from its details', async () => {
    // The heartbeat's RPC is slow (5 ms + 100 ms to the server): before S7 the failure, sent at
    // once, reached the server first and the heartbeat was rejected (NotFound).
    const r = await simulate(heartbeatsThenThrows(profile, api), { seed: 1, faults: [{ kind: 'heartbeatDelayed', nth: 1, byMs: 100 }] });
    const sent = detailsOf(r, 'heartbeatSent')[0]!;
    expect(sent).toEqual([0, 1, '"progress"']);
    expect(detailsOf(r, 'detailsStored')[0]).toEqual([55, 1, '"progress"']);
    expect(eventsOf(r, 'heartbeatRejected')).toEqual([]);
    // Answered at 110 ms; the failure is sent then, reaches the server at 115 and returns at 120.
    expect(eventsOf(r, 'reported')[0]).toEqual({ t: 120, type: 'reported', attempt: 1, report: 'failed', accepted: true });
    expect(r.attempts.map((a) => a.startDetails)).toEqual([undefined, '"progress"']);
    expect(r.outcome).toMatchObject({ status: 'completed', result: 'progress', attempt: 2 });
  });

  test('S7: fault-free, an activity that heartbeats and then throws takes exactly 2 attempts on every seed (default RPC latencies)', async () => {
    const scenario = heartbeatsThenThrows(profile, api, { min: 4, max: 20 }); // the scenario default for rpc
    for (let seed = 1; seed <= 150; seed++) {
      const r = await simulate(scenario, { seed, trace: 'lean' });
      expect({ seed, attempts: r.counts.attempts, status: r.outcome.status }).toEqual({ seed, attempts: 2, status: 'completed' });
    }
  });
});

describe('S7: ordering with the throttle', () => {
  test('S7: a pending flush goes out once the RPC in flight is answered, and the report after the flush', async () => {
    const scenario = defineScenario({
      name: 's7-flush-in-flight',
      options: { startToCloseTimeout: '1m', heartbeatTimeout: '10s', retry: { maximumAttempts: 1 } },
      world: { latency: { ...LATENCY, rpc: 10 } },
      activity: () => async (ctx) => {
        void ctx.heartbeat(1); // sent at 0, answered at 10
        await ctx.sleep(2);
        void ctx.heartbeat(2); // held: the RPC is in flight
        throw new Error('boom');
      },
    });
    const r = await simulate(scenario, { seed: 1 });
    expect(detailsOf(r, 'heartbeatSent').map(([t, , d]) => [t, d])).toEqual([
      [0, '1'],
      [10, '2'],
    ]);
    expect(detailsOf(r, 'detailsStored').map(([t, , d]) => [t, d])).toEqual([
      [5, '1'],
      [15, '2'],
    ]);
    // The flush is answered at 20: the failure is sent then and returns at 30.
    expect(eventsOf(r, 'reported')).toEqual([{ t: 30, type: 'reported', attempt: 1, report: 'failed', accepted: true }]);
  });

  test('S7: a completion also waits for the RPC in flight (and drops what is pending, S4)', async () => {
    const scenario = defineScenario({
      name: 's7-complete',
      options: { startToCloseTimeout: '1m', heartbeatTimeout: '10s' },
      world: { latency: { ...LATENCY, rpc: 10 } },
      activity: () => async (ctx) => {
        void ctx.heartbeat(1);
        void ctx.heartbeat(2);
        return 'ok';
      },
    });
    const r = await simulate(scenario, { seed: 1 });
    expect(detailsOf(r, 'heartbeatLost')).toEqual([[0, 1, '2']]);
    expect(eventsOf(r, 'reported')).toEqual([{ t: 20, type: 'reported', attempt: 1, report: 'completed', accepted: true }]);
    expect(r.outcome).toMatchObject({ status: 'completed', at: 15 });
  });
});

describe('S8: what a heartbeat call costs the caller', () => {
  const s8 = (profile: 'temporal' | 'cadence', rpc = 10) =>
    defineScenario({
      name: 's8',
      profile,
      options: { scheduleToStartTimeout: '1m', startToCloseTimeout: '1m', heartbeatTimeout: '10s' },
      world: { latency: { ...LATENCY, rpc } },
      activity: () => async (ctx) => {
        const times: number[] = [];
        let t = vnow();
        await ctx.heartbeat(1); // sent
        times.push(vnow() - t);
        t = vnow();
        await ctx.heartbeat(2); // inside the window: batched
        times.push(vnow() - t);
        await ctx.sleep(9_000);
        t = vnow();
        await ctx.heartbeat(3);
        times.push(vnow() - t);
        return times;
      },
    });

  test('S8: (cadence) a sent heartbeat() resolves after the RPC round trip; a batched one at once', async () => {
    const r = await simulate(s8('cadence'), { seed: 1 });
    // The window opens at the response (10 ms) for 8 s: call 2 is batched and sent at its end
    // (8.01 s), which opens the next window; call 3 (9.01 s) falls in it.
    expect(r.outcome).toMatchObject({ status: 'completed', result: [10, 0, 0] });
    expect(detailsOf(r, 'heartbeatSent').map(([t, , d]) => [t, d])).toEqual([
      [0, '1'],
      [8010, '2'],
    ]);
  });

  test('S8: (temporal) heartbeat() returns at once; the RPC runs in the background', async () => {
    const r = await simulate(s8('temporal'), { seed: 1 });
    expect(r.outcome).toMatchObject({ status: 'completed', result: [0, 0, 0] });
  });

  test('S8: (cadence) the wait is bounded by the heartbeat timeout; the RPC then counts as failed (S2: no window)', async () => {
    const r = await simulate(s8('cadence'), { seed: 1, faults: [{ kind: 'heartbeatDelayed', nth: 1, byMs: 12_000 }] });
    // The first RPC takes 12.01 s: it reaches the server at 6.005 s, but the call returns after
    // 10 s (the heartbeat timeout) with an error, so no window opens and the second call is sent
    // at once (answered in 10 ms); its window (to 18.01 s) has closed when the third call comes.
    expect(r.outcome).toMatchObject({ status: 'completed', result: [10_000, 10, 10] });
    expect(detailsOf(r, 'detailsStored').map(([t, , d]) => [t, d])).toEqual([
      [6005, '1'],
      [10_005, '2'],
      [19_015, '3'],
    ]);
    expect(detailsOf(r, 'heartbeatSent').map(([t, , d]) => [t, d])).toEqual([
      [0, '1'],
      [10_000, '2'],
      [19_010, '3'],
    ]);
  });
});

describe('S2 cadence: no window after a failed heartbeat RPC', () => {
  const scenario = (profile: 'temporal' | 'cadence') =>
    defineScenario({
      name: 's2-failed',
      profile,
      options: { scheduleToStartTimeout: '1m', startToCloseTimeout: '1m', heartbeatTimeout: '10s' },
      world: { latency: LATENCY },
      activity: () => async (ctx) => {
        for (let i = 0; i < 3; i++) {
          void ctx.heartbeat(i);
          await ctx.sleep(1_000);
        }
      },
    });

  test('S2: (cadence) after a lost heartbeat RPC the next call is sent at once', async () => {
    const r = await simulate(scenario('cadence'), { seed: 1, faults: [{ kind: 'heartbeatLost', nth: 1 }] });
    // Lost at 0, error at 2 ms: no window; the call at 1 s goes out at once and opens one (8 s).
    expect(detailsOf(r, 'heartbeatSent').map(([t, , d]) => [t, d])).toEqual([
      [0, '0'],
      [1_000, '1'],
    ]);
  });

  test('S2: (temporal) the core opens its window whatever the answer', async () => {
    const r = await simulate(scenario('temporal'), { seed: 1, faults: [{ kind: 'heartbeatLost', nth: 1 }] });
    expect(detailsOf(r, 'heartbeatSent').map(([t, , d]) => [t, d])).toEqual([[0, '0']]);
    expect(eventsOf(r, 'heartbeatCoalesced').map((e) => e.t)).toEqual([1_000, 2_000]);
  });
});

describe('S1: a heartbeat timeout under 1 ms', () => {
  test('S1: (temporal) counts as unset for the throttle: the 30 s default window', async () => {
    const scenario = defineScenario({
      name: 's1-sub-ms',
      options: { startToCloseTimeout: '1m', heartbeatTimeout: 0.5 },
      world: { latency: { ...LATENCY, rpc: 0 } },
      activity: () => async (ctx) => {
        void ctx.heartbeat(1);
        void ctx.heartbeat(2);
      },
    });
    const r = await simulate(scenario, { seed: 1 });
    // 0.8 x 0.5 ms would let the second call out at 0.4 ms; the default window holds it (and the completion drops it).
    expect(detailsOf(r, 'heartbeatSent').map(([t, , d]) => [t, d])).toEqual([[0, '1']]);
    expect(detailsOf(r, 'heartbeatLost')).toEqual([[0, 1, '2']]);
  });
});
