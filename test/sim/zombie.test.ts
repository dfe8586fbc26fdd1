/**
 * Zombies end to end (C5, H6): an attempt the server has timed out keeps running on its worker
 * and keeps writing to the world until it learns of its cancellation; the retry runs meanwhile;
 * nothing the zombie sends the server is accepted.
 */
import { describe, expect, test } from 'vitest';
import { defineScenario } from '../../src/scenario.js';
import { simulate } from '../../sim/simulate.js';
import { LATENCY, detailsOf, effectsOf, eventsOf } from './helpers.js';

/** Writes one record a second, heartbeating its offset after each; resumes from the stored offset. */
function resumingScenario(records: number) {
  return defineScenario({
    name: 'zombie',
    records,
    options: { startToCloseTimeout: '5m', heartbeatTimeout: '5s', retry: { initialInterval: '1s' } },
    world: { latency: LATENCY, workers: 2 },
    activity: (world) => async (ctx) => {
      let offset = ctx.hasHeartbeatDetails() ? ctx.heartbeatDetails<number>()! : 0;
      for (; offset < world.source.size; offset++) {
        await world.sink.put(`k${offset}`, ctx.info.attempt);
        ctx.heartbeat(offset + 1);
        await ctx.sleep(1000);
      }
      return `attempt ${ctx.info.attempt} wrote up to ${offset}`;
    },
  });
}

describe('C5 H6 a partitioned worker', () => {
  test('C5 H6 the zombie keeps writing while attempt 2 runs on the other worker; its completion is rejected', async () => {
    const r = await simulate(resumingScenario(12), { seed: 1, faults: [{ kind: 'partition', at: 2500, durationMs: 10_000 }] });
    expect(eventsOf(r, 'partition')).toEqual([{ t: 2500, type: 'partition', worker: 'worker-1', until: 12_500 }]);
    // Only heartbeat(1) reached the server (at 3 ms): the HB timeout fires at 5.003 s.
    expect(detailsOf(r, 'detailsStored').filter(([, a]) => a === 1)).toEqual([[3, 1, '1']]);
    expect(eventsOf(r, 'rpcFault').filter((e) => e.attempt === 1)).toEqual([
      { t: 4002, type: 'rpcFault', attempt: 1, rpc: 'heartbeat', fault: 'partitioned', ms: 0 },
      { t: 8002, type: 'rpcFault', attempt: 1, rpc: 'heartbeat', fault: 'partitioned', ms: 0 },
      { t: 12_002, type: 'rpcFault', attempt: 1, rpc: 'heartbeat', fault: 'partitioned', ms: 0 },
      { t: 12_024, type: 'rpcFault', attempt: 1, rpc: 'report', fault: 'partitioned', ms: 476 },
    ]);
    expect(eventsOf(r, 'attemptTimedOut')).toEqual([{ t: 5003, type: 'attemptTimedOut', attempt: 1, timeoutType: 'HEARTBEAT' }]);
    // Attempt 2 cannot go to the partitioned worker-1: worker-2 takes it, from the stored offset 1.
    expect(r.attempts.map((a) => [a.attempt, a.worker, a.startedAt, a.startDetails, a.how])).toEqual([
      [1, 'worker-1#1', 0, undefined, 'timed out (HEARTBEAT)'],
      [2, 'worker-2#1', 6003, '1', 'completed'],
    ]);
    // C5: the zombie writes k5..k11 after it was timed out, interleaved with attempt 2.
    const zombieWrites = effectsOf(r).filter(([t, a]) => a === 1 && t > 5003);
    expect(zombieWrites.map(([t, , k]) => [t, k])).toEqual([
      [5011, 'k5'],
      [6013, 'k6'],
      [7015, 'k7'],
      [8017, 'k8'],
      [9019, 'k9'],
      [10_021, 'k10'],
      [11_023, 'k11'],
    ]);
    // H6: it finished first, but its completion, sent once the partition healed, is rejected.
    expect(eventsOf(r, 'reported')).toEqual([
      { t: 12_502, type: 'reported', attempt: 1, report: 'completed', accepted: false },
      { t: 17_027, type: 'reported', attempt: 2, report: 'completed', accepted: true },
    ]);
    expect(r.outcome).toEqual({ status: 'completed', result: 'attempt 2 wrote up to 12', attempt: 2, at: 17_026 });
    // The sink ends with attempt 2's writes over the zombie's (k0 only the zombie wrote).
    expect([...r.sink]).toEqual([['k0', 1], ...Array.from({ length: 11 }, (_, i) => [`k${i + 1}`, 2])]);
    // H6: no detail the zombie sent ever overwrote attempt 2's.
    expect(detailsOf(r, 'detailsStored').map(([t, a, d]) => [t, a, d])).toEqual([
      [3, 1, '1'],
      [6006, 2, '2'],
      [10_006, 2, '5'],
      [14_006, 2, '9'],
    ]);
  });

  test('C5 H6 S6 the zombie stops at its first heartbeat after the partition heals (NotFound), and reports nothing', async () => {
    const r = await simulate(resumingScenario(12), { seed: 1, faults: [{ kind: 'partition', at: 2500, durationMs: 5000 }] });
    expect(r.attempts.map((a) => [a.attempt, a.worker, a.startedAt])).toEqual([
      [1, 'worker-1#1', 0],
      [2, 'worker-2#1', 6003],
    ]);
    // The window end at 8.002 s sends the held details; the server no longer knows attempt 1.
    expect(detailsOf(r, 'heartbeatSent').filter(([, a]) => a === 1)).toEqual([
      [2, 1, '1'],
      [4002, 1, '4'],
      [8002, 1, '8'],
    ]);
    expect(eventsOf(r, 'heartbeatRejected')).toEqual([{ t: 8004, type: 'heartbeatRejected', attempt: 1 }]);
    expect(eventsOf(r, 'cancelDelivered')).toEqual([{ t: 8004, type: 'cancelDelivered', attempt: 1, reason: 'NOT_FOUND' }]);
    // It wrote k5..k7 as a zombie, then its sleep rejected and it wrote nothing more.
    expect(effectsOf(r).filter(([t, a]) => a === 1 && t > 5003).map(([t, , k]) => [t, k])).toEqual([
      [5011, 'k5'],
      [6013, 'k6'],
      [7015, 'k7'],
    ]);
    expect(eventsOf(r, 'attemptEnded').filter((e) => e.attempt === 1)).toEqual([
      { t: 8004, type: 'attemptEnded', attempt: 1, how: 'threw CancelledFailure: NOT_FOUND', detail: 'after cancel NOT_FOUND' },
    ]);
    expect(eventsOf(r, 'reported').map((e) => e.attempt)).toEqual([2]);
    expect(r.outcome).toMatchObject({ status: 'completed', attempt: 2 });
  });
});

describe('C5 H6 an attempt that stops heartbeating but keeps writing (temporal)', () => {
  function silentZombie(records: number) {
    return defineScenario({
      name: 'silent-zombie',
      records,
      options: { startToCloseTimeout: '5m', heartbeatTimeout: '5s', retry: { initialInterval: '1s' } },
      world: { latency: LATENCY, workers: 2 },
      activity: (world) => async (ctx) => {
        const attempt = ctx.info.attempt;
        if (attempt === 1) ctx.heartbeat('started'); // and never again
        for (let i = 0; i < world.source.size; i++) {
          await world.sink.put(`k${i}`, attempt);
          if (attempt > 1) ctx.heartbeat(i);
          await ctx.sleep(1000);
        }
        return `attempt ${attempt}`;
      },
    });
  }

  test('C5 S5 the zombie writes until the local timeout cancels it at HB + 5 s, and reports nothing', async () => {
    const r = await simulate(silentZombie(20), { seed: 1 });
    expect(eventsOf(r, 'attemptTimedOut')).toEqual([{ t: 5001, type: 'attemptTimedOut', attempt: 1, timeoutType: 'HEARTBEAT' }]);
    // The retry goes to a free slot of the lowest-numbered worker: the zombie's own process.
    expect(r.attempts.map((a) => [a.attempt, a.worker, a.startedAt])).toEqual([
      [1, 'worker-1#1', 0],
      [2, 'worker-1#1', 6001],
    ]);
    // Last heartbeat response at 2 ms: the local timeout is 2 + 5000 + 5000.
    expect(eventsOf(r, 'cancelDelivered')).toEqual([{ t: 10_002, type: 'cancelDelivered', attempt: 1, reason: 'TIMED_OUT' }]);
    expect(effectsOf(r).filter(([t, a]) => a === 1 && t > 5001).map(([t, , k]) => [t, k])).toEqual([
      [5011, 'k5'],
      [6013, 'k6'],
      [7015, 'k7'],
      [8017, 'k8'],
      [9019, 'k9'],
    ]);
    expect(eventsOf(r, 'reported').map((e) => [e.attempt, e.report, e.accepted])).toEqual([[2, 'completed', true]]);
    expect(r.outcome).toMatchObject({ status: 'completed', result: 'attempt 2', attempt: 2 });
  });

  test('C5 H6 a zombie that finishes before its local timeout reports a completion the server rejects', async () => {
    const r = await simulate(silentZombie(7), { seed: 1 });
    expect(eventsOf(r, 'attemptEnded').filter((e) => e.attempt === 1)).toEqual([{ t: 7014, type: 'attemptEnded', attempt: 1, how: 'returned' }]);
    expect(eventsOf(r, 'reported')).toEqual([
      { t: 7016, type: 'reported', attempt: 1, report: 'completed', accepted: false },
      { t: 13_017, type: 'reported', attempt: 2, report: 'completed', accepted: true },
    ]);
    expect(eventsOf(r, 'cancelDelivered')).toEqual([]);
    expect(r.outcome).toEqual({ status: 'completed', result: 'attempt 2', attempt: 2, at: 13_016 });
  });
});
