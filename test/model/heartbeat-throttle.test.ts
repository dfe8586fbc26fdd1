import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  HeartbeatThrottle,
  localTimeoutDeadline,
  TEMPORAL_LOCAL_TIMEOUT_BUFFER_MS,
  throttleIntervalMs,
} from '../../src/model/heartbeat-throttle.js';
import type { ThrottleAnswerResult, ThrottleCallResult, ThrottleWindowEndResult } from '../../src/model/heartbeat-throttle.js';
import type { NormalizedWorkerOptions, Payload } from '../../src/model/types.js';

const WORKER: NormalizedWorkerOptions = { maxHeartbeatThrottleIntervalMs: 60_000, defaultHeartbeatThrottleIntervalMs: 30_000 };
const S = 1000;

describe('S1 throttle interval', () => {
  test('S1 temporal: 0.8 x the heartbeat timeout, exact', () => {
    expect(throttleIntervalMs('temporal', 10 * S, WORKER)).toBe(8_000);
    expect(throttleIntervalMs('temporal', 1 * S, WORKER)).toBe(800);
    expect(throttleIntervalMs('temporal', 3, WORKER)).toBe(2.4);
  });

  test('S1 temporal: no heartbeat timeout uses defaultHeartbeatThrottleInterval (30 s)', () => {
    expect(throttleIntervalMs('temporal', 0, WORKER)).toBe(30_000);
    expect(throttleIntervalMs('temporal', 0, { ...WORKER, defaultHeartbeatThrottleIntervalMs: 5_000 })).toBe(5_000);
  });

  test('S1 temporal: capped at maxHeartbeatThrottleInterval (60 s)', () => {
    expect(throttleIntervalMs('temporal', 74 * S, WORKER)).toBe(59_200);
    expect(throttleIntervalMs('temporal', 75 * S, WORKER)).toBe(60_000);
    expect(throttleIntervalMs('temporal', 600 * S, WORKER)).toBe(60_000);
    expect(throttleIntervalMs('temporal', 0, { ...WORKER, defaultHeartbeatThrottleIntervalMs: 90_000 })).toBe(60_000);
  });

  test('S1 temporal: maxHeartbeatThrottleInterval 0 disables throttling for every activity', () => {
    const worker = { ...WORKER, maxHeartbeatThrottleIntervalMs: 0 };
    expect(throttleIntervalMs('temporal', 10 * S, worker)).toBe(0);
    expect(throttleIntervalMs('temporal', 0, worker)).toBe(0);
  });

  test('S1 temporal: defaultHeartbeatThrottleInterval 0 disables throttling only without a heartbeat timeout', () => {
    const worker = { ...WORKER, defaultHeartbeatThrottleIntervalMs: 0 };
    expect(throttleIntervalMs('temporal', 0, worker)).toBe(0);
    expect(throttleIntervalMs('temporal', 10 * S, worker)).toBe(8_000);
  });

  test('S1: a temporal heartbeat timeout under 1 ms counts as unset (sdk-core `as_millis() == 0`): the default window', () => {
    expect(throttleIntervalMs('temporal', 0.5, WORKER)).toBe(30_000);
    expect(throttleIntervalMs('temporal', 0.999, WORKER)).toBe(30_000);
    expect(throttleIntervalMs('temporal', 0.5, { ...WORKER, defaultHeartbeatThrottleIntervalMs: 5_000 })).toBe(5_000);
    expect(throttleIntervalMs('temporal', 1, WORKER)).toBe(0.8);
  });

  test('S1 cadence: a 1s heartbeat timeout gives no throttle', () => {
    expect(throttleIntervalMs('cadence', 1 * S, WORKER)).toBe(0);
  });

  test('S1 cadence: 0.8 x HB truncated to whole seconds', () => {
    expect(throttleIntervalMs('cadence', 2 * S, WORKER)).toBe(1_000);
    expect(throttleIntervalMs('cadence', 3 * S, WORKER)).toBe(2_000);
    expect(throttleIntervalMs('cadence', 7 * S, WORKER)).toBe(5_000);
    expect(throttleIntervalMs('cadence', 10 * S, WORKER)).toBe(8_000);
    fc.assert(
      // Exact up to ~58 days; beyond that Go's float32 product rounds, and so do we.
      fc.property(fc.integer({ min: 1, max: 5_000_000 }), (seconds) => {
        expect(throttleIntervalMs('cadence', seconds * S, WORKER)).toBe(Math.floor((4 * seconds) / 5) * S);
      }),
    );
    expect(throttleIntervalMs('cadence', 6_921_006 * S, WORKER)).toBe(5_536_805 * S);
  });

  test('S1 cadence: no heartbeat timeout gives 480 s, there is no cap, worker options are ignored', () => {
    expect(throttleIntervalMs('cadence', 0, WORKER)).toBe(480_000);
    expect(throttleIntervalMs('cadence', 100 * S, WORKER)).toBe(80_000);
    expect(throttleIntervalMs('cadence', 10 * S, { maxHeartbeatThrottleIntervalMs: 0, defaultHeartbeatThrottleIntervalMs: 0 })).toBe(8_000);
  });
});

describe('S2 throttle window', () => {
  test('S2 the first call is sent at once; the window opens when its RPC is answered', () => {
    const t = new HeartbeatThrottle(8_000);
    expect(t.call(1_000, '1')).toEqual({ send: '1' });
    expect(t.rpcsInFlight).toBe(1);
    expect(t.answered(1_002, 'answered')).toEqual({ windowEndsAt: 9_000, windowId: 1 });
  });

  test('S2 calls inside the throttle window coalesce, latest wins', () => {
    const t = new HeartbeatThrottle(8_000);
    t.call(0, '1');
    expect(t.call(1, '2')).toEqual({ coalesced: true }); // RPC still in flight
    t.answered(2, 'answered');
    expect(t.call(7_999, '3')).toEqual({ coalesced: true });
    expect(t.windowEnd(8_000, 1)).toEqual({ send: '3' });
    expect(t.answered(8_002, 'answered')).toEqual({ windowEndsAt: 16_000, windowId: 2 });
    expect(t.windowEnd(16_000, 2)).toEqual({ closed: true });
  });

  test('S2 with nothing pending the window closes and the next call is sent at once', () => {
    const t = new HeartbeatThrottle(8_000);
    t.call(0, '1');
    t.answered(2, 'answered');
    expect(t.windowEnd(8_000, 1)).toEqual({ closed: true });
    expect(t.call(8_500, '2')).toEqual({ send: '2' });
  });

  test('S2 an empty heartbeat (undefined details) is pending like any other', () => {
    const t = new HeartbeatThrottle(100);
    t.call(0, '1');
    t.answered(2, 'answered');
    expect(t.call(50, undefined)).toEqual({ coalesced: true });
    expect(t.hasPending).toBe(true);
    expect(t.windowEnd(100, 1)).toEqual({ send: undefined });
  });

  test('S2 a stale window end is harmless', () => {
    const t = new HeartbeatThrottle(100);
    t.call(0, '1');
    t.answered(1, 'answered');
    t.call(10, '2');
    expect(t.windowEnd(100, 1)).toEqual({ send: '2' });
    expect(t.windowEnd(150, 1)).toEqual({ stale: true });
    t.answered(101, 'answered');
    expect(t.windowEnd(200, 2)).toEqual({ closed: true });
    expect(t.windowEnd(200, 2)).toEqual({ stale: true });
    expect(t.windowEnd(300)).toEqual({ stale: true });
  });

  test('S2 a window end before the window ends, or an answer with nothing in flight, is a programming error', () => {
    const t = new HeartbeatThrottle(100);
    expect(() => t.answered(0, 'answered')).toThrow(RangeError);
    t.call(0, '1');
    t.answered(1, 'answered');
    expect(() => t.windowEnd(99, 1)).toThrow(RangeError);
  });

  test('S2 (temporal) the window ends at the later of last send + interval and the response', () => {
    const t = new HeartbeatThrottle(100);
    t.call(0, '1');
    expect(t.answered(150, 'answered')).toEqual({ windowEndsAt: 150, windowId: 1 });
    const u = new HeartbeatThrottle(100);
    u.call(0, '1');
    expect(u.answered(30, 'failed')).toEqual({ windowEndsAt: 100, windowId: 1 });
  });

  test('S2 (temporal) interval 0: one RPC in flight at a time; calls during it wait for its response, latest wins', () => {
    const t = new HeartbeatThrottle(0);
    expect(t.call(0, '1')).toEqual({ send: '1' });
    expect(t.call(1, '2')).toEqual({ coalesced: true });
    expect(t.call(2, '3')).toEqual({ coalesced: true });
    expect(t.answered(10, 'answered')).toEqual({ windowEndsAt: 10, windowId: 1 });
    expect(t.windowEnd(10, 1)).toEqual({ send: '3' });
    expect(t.answered(20, 'answered')).toEqual({ windowEndsAt: 20, windowId: 2 });
    expect(t.windowEnd(20, 2)).toEqual({ closed: true });
    expect(t.call(21, '4')).toEqual({ send: '4' });
  });

  test('S2 cadence: the window opens a full interval after the response', () => {
    const t = new HeartbeatThrottle(2_000, 'cadence');
    t.call(0, '1');
    expect(t.answered(5, 'answered')).toEqual({ windowEndsAt: 2_005, windowId: 1 });
  });

  test('S2 cadence: after a failed heartbeat RPC no window opens: the next call is sent at once', () => {
    const t = new HeartbeatThrottle(8_000, 'cadence');
    t.call(0, '1');
    expect(t.answered(2, 'failed')).toEqual({ idle: true });
    expect(t.call(3, '2')).toEqual({ send: '2' });
    // A call held while the failed RPC was in flight goes out at once when it fails.
    expect(t.call(4, '3')).toEqual({ coalesced: true });
    expect(t.answered(5, 'failed')).toEqual({ send: '3' });
    // The temporal core opens its window whatever the answer.
    const temporal = new HeartbeatThrottle(8_000);
    temporal.call(0, '1');
    expect(temporal.answered(2, 'failed')).toEqual({ windowEndsAt: 8_000, windowId: 1 });
    expect(temporal.call(3, '2')).toEqual({ coalesced: true });
  });

  test('S2 a negative or non-finite interval is rejected', () => {
    expect(() => new HeartbeatThrottle(-1)).toThrow(RangeError);
    expect(() => new HeartbeatThrottle(Number.NaN)).toThrow(RangeError);
    expect(() => new HeartbeatThrottle(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });

  /** Drives a throttle through calls at the given times; every RPC takes `rpcMs`; window timers fire on time. */
  function simulate(intervalMs: number, callTimes: number[], rpcMs = 0): { sends: { at: number; details: Payload; latestCall: number }[] } {
    const t = new HeartbeatThrottle(intervalMs);
    const sends: { at: number; details: Payload; latestCall: number }[] = [];
    let latestCall = -1;
    /** The next thing to happen: an answer or a window end. */
    let next: { at: number; kind: 'answer' } | { at: number; kind: 'window'; id: number } | undefined;
    const onResult = (at: number, r: ThrottleCallResult | ThrottleWindowEndResult | ThrottleAnswerResult): void => {
      if ('send' in r) {
        sends.push({ at, details: r.send, latestCall });
        next = { at: at + rpcMs, kind: 'answer' };
      } else if ('windowEndsAt' in r) next = { at: r.windowEndsAt, kind: 'window', id: r.windowId };
      else if ('closed' in r) next = undefined;
    };
    const runUpTo = (now: number): void => {
      while (next !== undefined && next.at <= now) {
        const n = next;
        next = undefined;
        onResult(n.at, n.kind === 'answer' ? t.answered(n.at, 'answered') : t.windowEnd(n.at, n.id));
      }
    };
    callTimes.forEach((at, i) => {
      runUpTo(at);
      latestCall = i;
      onResult(at, t.call(at, String(i)));
    });
    runUpTo(Number.POSITIVE_INFINITY);
    return { sends };
  }

  const schedule = fc
    .tuple(fc.integer({ min: 1, max: 1_000 }), fc.array(fc.integer({ min: 0, max: 1_500 }), { minLength: 1, maxLength: 60 }), fc.integer({ min: 0, max: 2_000 }))
    .map(([intervalMs, gaps, rpcMs]) => {
      let now = 0;
      return { intervalMs, rpcMs, callTimes: gaps.map((gap) => (now += gap)) };
    });

  test('S2 property: the throttle never sends two heartbeats less than intervalMs apart, nor while one is in flight', () => {
    fc.assert(
      fc.property(schedule, ({ intervalMs, callTimes, rpcMs }) => {
        const { sends } = simulate(intervalMs, callTimes, rpcMs);
        for (let i = 1; i < sends.length; i++) {
          expect(sends[i]!.at - sends[i - 1]!.at).toBeGreaterThanOrEqual(Math.max(intervalMs, rpcMs));
        }
      }),
    );
  });

  test('S2 property: the last details of any burst are sent when the window ends, and every send is the latest call', () => {
    fc.assert(
      fc.property(schedule, ({ intervalMs, callTimes, rpcMs }) => {
        const { sends } = simulate(intervalMs, callTimes, rpcMs);
        expect(sends.at(-1)?.details).toBe(String(callTimes.length - 1));
        for (const send of sends) expect(send.details).toBe(String(send.latestCall));
        // Sends are in call order and no call is sent twice.
        const indexes = sends.map((s) => Number(s.details));
        expect(indexes).toEqual([...new Set(indexes)].sort((a, b) => a - b));
        // Every call is either sent or superseded by a later call before the next send.
        callTimes.forEach((at, i) => {
          const next = sends.find((s) => s.at >= at && Number(s.details) >= i);
          expect(next).toBeDefined();
        });
      }),
    );
  });

  test('S2 property: interval 0 and instant RPCs send every call at once', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 100 }), { maxLength: 30 }), (gaps) => {
        let now = 0;
        const callTimes = gaps.map((g) => (now += g));
        const { sends } = simulate(0, callTimes);
        expect(sends).toEqual(callTimes.map((at, i) => ({ at, details: String(i), latestCall: i })));
      }),
    );
  });
});

describe.each(['temporal', 'cadence'] as const)('S4, S7 eviction, H2 crash (%s)', (profile) => {
  test('S4 pending details flushed before a failure, dropped on success', () => {
    const failing = new HeartbeatThrottle(100, profile);
    failing.call(0, '1');
    failing.answered(1, 'answered');
    failing.call(10, '2');
    expect(failing.evict(20, 'failure')).toEqual({ send: '2', dropped: false, ready: false });
    expect(failing.answered(22, 'answered')).toEqual({ ready: true });

    const succeeding = new HeartbeatThrottle(100, profile);
    succeeding.call(0, '1');
    succeeding.answered(1, 'answered');
    succeeding.call(10, '2');
    expect(succeeding.evict(20, 'success')).toEqual({ dropped: true, ready: true });
  });

  test('S4 pending details flushed before a cancellation; dropped when nothing is reported', () => {
    const t = new HeartbeatThrottle(100, profile);
    t.call(0, '1');
    t.answered(1, 'answered');
    t.call(10, undefined);
    expect(t.evict(20, 'cancel')).toEqual({ send: undefined, dropped: false, ready: false });
    const u = new HeartbeatThrottle(100, profile);
    u.call(0, '1');
    u.answered(1, 'answered');
    u.call(10, '2');
    expect(u.evict(20, 'drop')).toEqual({ dropped: true, ready: true });
  });

  test('S4 nothing pending, nothing in flight: report at once', () => {
    const t = new HeartbeatThrottle(100, profile);
    t.call(0, '1');
    t.answered(1, 'answered');
    expect(t.evict(20, 'failure')).toEqual({ dropped: false, ready: true });
    expect(new HeartbeatThrottle(100, profile).evict(0, 'cancel')).toEqual({ dropped: false, ready: true });
  });

  test('S7: a report waits for the heartbeat RPC in flight, whatever its answer', () => {
    for (const how of ['success', 'failure', 'cancel', 'drop'] as const) {
      for (const answer of ['answered', 'failed'] as const) {
        const t = new HeartbeatThrottle(100, profile);
        t.call(0, '1');
        expect(t.evict(1, how)).toEqual({ dropped: false, ready: false });
        expect(t.answered(5, answer)).toEqual({ ready: true });
      }
    }
  });

  test('S7: with an RPC in flight and details pending, the flush goes out after its answer and the failure report after the flush', () => {
    const t = new HeartbeatThrottle(100, profile);
    t.call(0, '1');
    t.call(1, '2'); // held: RPC in flight
    expect(t.evict(2, 'failure')).toEqual({ dropped: false, ready: false });
    expect(t.rpcsInFlight).toBe(1);
    expect(t.answered(5, 'answered')).toEqual({ send: '2' });
    expect(t.answered(9, 'answered')).toEqual({ ready: true });
  });

  test('S7: after eviction heartbeats are ignored and windows are stale', () => {
    const t = new HeartbeatThrottle(100, profile);
    t.call(0, '1');
    t.answered(1, 'answered');
    t.evict(5, 'success');
    expect(t.call(20, '3')).toEqual({ ignored: true });
    expect(t.windowEnd(100, 1)).toEqual({ stale: true });
    expect(t.evict(30, 'failure')).toEqual({ dropped: false, ready: true });
  });

  test('H2 a worker crash loses the pending details', () => {
    const t = new HeartbeatThrottle(100, profile);
    t.call(0, '1');
    t.call(10, '2');
    expect(t.drop()).toEqual({ dropped: true });
    expect(t.windowEnd(100, 1)).toEqual({ stale: true });
    expect(t.call(110, '3')).toEqual({ ignored: true });
    expect(new HeartbeatThrottle(100, profile).drop()).toEqual({ empty: true });
  });
});

describe('S5 local timeout', () => {
  const BUF = TEMPORAL_LOCAL_TIMEOUT_BUFFER_MS;
  const base = { attemptStartedAt: 1_000, lastHeartbeatResponseAt: undefined, heartbeatTimeoutMs: 0, startToCloseTimeoutMs: 0 };

  test('S5 temporal: the buffer is 5 s', () => {
    expect(BUF).toBe(5_000);
  });

  test('S5 temporal: start + HB + 5 s when no heartbeat response has come back', () => {
    expect(localTimeoutDeadline('temporal', { ...base, heartbeatTimeoutMs: 10 * S, startToCloseTimeoutMs: 60 * S })).toBe(16_000);
  });

  test('S5 temporal: the timer restarts at each heartbeat response', () => {
    const input = { ...base, heartbeatTimeoutMs: 10 * S, startToCloseTimeoutMs: 60 * S, lastHeartbeatResponseAt: 9_000 };
    expect(localTimeoutDeadline('temporal', input)).toBe(24_000);
  });

  test('S5 temporal: with a heartbeat timeout, STC is not enforced locally', () => {
    const input = { ...base, heartbeatTimeoutMs: 10 * S, startToCloseTimeoutMs: 60 * S, lastHeartbeatResponseAt: 100_000 };
    expect(localTimeoutDeadline('temporal', input)).toBe(115_000);
  });

  test('S5 temporal: HB wins a tie with STC, so the timer still restarts', () => {
    const input = { ...base, heartbeatTimeoutMs: 10 * S, startToCloseTimeoutMs: 10 * S, lastHeartbeatResponseAt: 8_000 };
    expect(localTimeoutDeadline('temporal', input)).toBe(23_000);
  });

  test('S5 temporal: without a heartbeat timeout, start + STC + 5 s, heartbeats do not move it', () => {
    const input = { ...base, startToCloseTimeoutMs: 30 * S, lastHeartbeatResponseAt: 20_000 };
    expect(localTimeoutDeadline('temporal', input)).toBe(36_000);
  });

  test('S5 temporal: an STC shorter than HB is the one enforced', () => {
    const input = { ...base, heartbeatTimeoutMs: 20 * S, startToCloseTimeoutMs: 10 * S, lastHeartbeatResponseAt: 9_000 };
    expect(localTimeoutDeadline('temporal', input)).toBe(16_000);
  });

  test('S5 temporal: neither HB nor STC: no local timeout', () => {
    expect(localTimeoutDeadline('temporal', { ...base, scheduleToCloseTimeoutMs: 5 * S })).toBeUndefined();
  });

  test('S5 cadence: the context deadline is min(scheduled + S2C, start + STC), no buffer, not moved by heartbeats', () => {
    const input = {
      ...base,
      attemptScheduledAt: 500,
      heartbeatTimeoutMs: 5 * S,
      startToCloseTimeoutMs: 30 * S,
      scheduleToCloseTimeoutMs: 20 * S,
      lastHeartbeatResponseAt: 15_000,
    };
    expect(localTimeoutDeadline('cadence', input)).toBe(20_500);
    expect(localTimeoutDeadline('cadence', { ...input, scheduleToCloseTimeoutMs: 60 * S })).toBe(31_000);
    expect(localTimeoutDeadline('cadence', { ...input, scheduleToCloseTimeoutMs: 0, startToCloseTimeoutMs: 0 })).toBeUndefined();
  });
});
