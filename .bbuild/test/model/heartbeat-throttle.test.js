import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { HeartbeatThrottle, localTimeoutDeadline, TEMPORAL_LOCAL_TIMEOUT_BUFFER_MS, throttleIntervalMs, } from '../../src/model/heartbeat-throttle.js';
const WORKER = { maxHeartbeatThrottleIntervalMs: 60_000, defaultHeartbeatThrottleIntervalMs: 30_000 };
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
        }));
        expect(throttleIntervalMs('cadence', 6_921_006 * S, WORKER)).toBe(5_536_805 * S);
    });
    test('S1 cadence: no heartbeat timeout gives 480 s, there is no cap, worker options are ignored', () => {
        expect(throttleIntervalMs('cadence', 0, WORKER)).toBe(480_000);
        expect(throttleIntervalMs('cadence', 100 * S, WORKER)).toBe(80_000);
        expect(throttleIntervalMs('cadence', 10 * S, { maxHeartbeatThrottleIntervalMs: 0, defaultHeartbeatThrottleIntervalMs: 0 })).toBe(8_000);
    });
});
describe('S2 throttle window', () => {
    test('S2 the first call is sent at once and opens a window', () => {
        const t = new HeartbeatThrottle(8_000);
        expect(t.call(1_000, '1')).toEqual({ send: '1', windowEndsAt: 9_000, windowId: 1 });
    });
    test('S2 calls inside the throttle window coalesce, latest wins', () => {
        const t = new HeartbeatThrottle(8_000);
        t.call(0, '1');
        expect(t.call(1_000, '2')).toEqual({ coalesced: true });
        expect(t.call(7_999, '3')).toEqual({ coalesced: true });
        expect(t.windowEnd(8_000, 1)).toEqual({ send: '3', windowEndsAt: 16_000, windowId: 2 });
        expect(t.windowEnd(16_000, 2)).toEqual({ closed: true });
    });
    test('S2 with nothing pending the window closes and the next call is sent at once', () => {
        const t = new HeartbeatThrottle(8_000);
        t.call(0, '1');
        expect(t.windowEnd(8_000, 1)).toEqual({ closed: true });
        expect(t.call(8_500, '2')).toEqual({ send: '2', windowEndsAt: 16_500, windowId: 2 });
    });
    test('S2 an empty heartbeat (undefined details) is pending like any other', () => {
        const t = new HeartbeatThrottle(100);
        t.call(0, '1');
        expect(t.call(50, undefined)).toEqual({ coalesced: true });
        expect(t.hasPending).toBe(true);
        expect(t.windowEnd(100, 1)).toEqual({ send: undefined, windowEndsAt: 200, windowId: 2 });
    });
    test('S2 a stale window end is harmless', () => {
        const t = new HeartbeatThrottle(100);
        t.call(0, '1');
        t.call(10, '2');
        expect(t.windowEnd(100, 1)).toEqual({ send: '2', windowEndsAt: 200, windowId: 2 });
        expect(t.windowEnd(150, 1)).toEqual({ stale: true });
        expect(t.windowEnd(200, 2)).toEqual({ closed: true });
        expect(t.windowEnd(200, 2)).toEqual({ stale: true });
        expect(t.windowEnd(300)).toEqual({ stale: true });
    });
    test('S2 a window end before the window ends is a programming error', () => {
        const t = new HeartbeatThrottle(100);
        t.call(0, '1');
        expect(() => t.windowEnd(99, 1)).toThrow(RangeError);
    });
    test('S2 interval 0: every call is sent at once and no window opens', () => {
        const t = new HeartbeatThrottle(0);
        expect(t.call(0, '1')).toEqual({ send: '1', windowEndsAt: undefined, windowId: undefined });
        expect(t.call(0, '2')).toEqual({ send: '2', windowEndsAt: undefined, windowId: undefined });
        expect(t.windowEnd(0)).toEqual({ stale: true });
    });
    test('S2 a negative or non-finite interval is rejected', () => {
        expect(() => new HeartbeatThrottle(-1)).toThrow(RangeError);
        expect(() => new HeartbeatThrottle(Number.NaN)).toThrow(RangeError);
        expect(() => new HeartbeatThrottle(Number.POSITIVE_INFINITY)).toThrow(RangeError);
    });
    /** Drives a throttle through calls at the given times, firing window timers on time. */
    function simulate(intervalMs, callTimes) {
        const t = new HeartbeatThrottle(intervalMs);
        const sends = [];
        let latestCall = -1;
        let timer;
        const onSend = (at, r) => {
            if ('send' in r) {
                sends.push({ at, details: r.send, latestCall });
                timer = r.windowEndsAt === undefined ? undefined : { at: r.windowEndsAt, id: r.windowId };
            }
            else if ('closed' in r) {
                timer = undefined;
            }
        };
        const fireTimersUpTo = (now) => {
            while (timer !== undefined && timer.at <= now) {
                const { at, id } = timer;
                timer = undefined;
                onSend(at, t.windowEnd(at, id));
            }
        };
        callTimes.forEach((at, i) => {
            fireTimersUpTo(at);
            latestCall = i;
            onSend(at, t.call(at, String(i)));
        });
        fireTimersUpTo(Number.POSITIVE_INFINITY);
        return { sends };
    }
    const schedule = fc
        .tuple(fc.integer({ min: 1, max: 1_000 }), fc.array(fc.integer({ min: 0, max: 1_500 }), { minLength: 1, maxLength: 60 }))
        .map(([intervalMs, gaps]) => {
        let now = 0;
        return { intervalMs, callTimes: gaps.map((gap) => (now += gap)) };
    });
    test('S2 property: the throttle never sends two heartbeats less than intervalMs apart', () => {
        fc.assert(fc.property(schedule, ({ intervalMs, callTimes }) => {
            const { sends } = simulate(intervalMs, callTimes);
            for (let i = 1; i < sends.length; i++) {
                expect(sends[i].at - sends[i - 1].at).toBeGreaterThanOrEqual(intervalMs);
            }
        }));
    });
    test('S2 property: the last details of any burst are sent when the window ends, and every send is the latest call', () => {
        fc.assert(fc.property(schedule, ({ intervalMs, callTimes }) => {
            const { sends } = simulate(intervalMs, callTimes);
            expect(sends.at(-1)?.details).toBe(String(callTimes.length - 1));
            for (const send of sends)
                expect(send.details).toBe(String(send.latestCall));
            // Sends are in call order and no call is sent twice.
            const indexes = sends.map((s) => Number(s.details));
            expect(indexes).toEqual([...new Set(indexes)].sort((a, b) => a - b));
            // Every call is either sent or superseded by a later call before the next send.
            callTimes.forEach((at, i) => {
                const next = sends.find((s) => s.at >= at && Number(s.details) >= i);
                expect(next).toBeDefined();
            });
        }));
    });
    test('S2 property: interval 0 sends every call at once', () => {
        fc.assert(fc.property(fc.array(fc.nat(100), { maxLength: 30 }), (gaps) => {
            let now = 0;
            const callTimes = gaps.map((g) => (now += g));
            const { sends } = simulate(0, callTimes);
            expect(sends).toEqual(callTimes.map((at, i) => ({ at, details: String(i), latestCall: i })));
        }));
    });
});
describe('S4 flush at the end, H2 crash', () => {
    test('S4 pending details flushed before a failure, dropped on success', () => {
        const failing = new HeartbeatThrottle(100);
        failing.call(0, '1');
        failing.call(10, '2');
        expect(failing.flush('failure')).toEqual({ send: '2' });
        const succeeding = new HeartbeatThrottle(100);
        succeeding.call(0, '1');
        succeeding.call(10, '2');
        expect(succeeding.flush('success')).toEqual({ dropped: true });
    });
    test('S4 pending details flushed before a cancellation', () => {
        const t = new HeartbeatThrottle(100);
        t.call(0, '1');
        t.call(10, undefined);
        expect(t.flush('cancel')).toEqual({ send: undefined });
    });
    test('S4 nothing pending: nothing to send', () => {
        const t = new HeartbeatThrottle(100);
        t.call(0, '1');
        expect(t.flush('failure')).toEqual({ empty: true });
        expect(new HeartbeatThrottle(100).flush('cancel')).toEqual({ empty: true });
    });
    test('S4 after the flush the window is gone and heartbeats are ignored', () => {
        const t = new HeartbeatThrottle(100);
        t.call(0, '1');
        t.flush('success');
        expect(t.call(20, '3')).toEqual({ ignored: true });
        expect(t.windowEnd(100, 1)).toEqual({ stale: true });
        expect(t.flush('failure')).toEqual({ empty: true });
    });
    test('H2 a worker crash loses the pending details', () => {
        const t = new HeartbeatThrottle(100);
        t.call(0, '1');
        t.call(10, '2');
        expect(t.drop()).toEqual({ dropped: true });
        expect(t.windowEnd(100, 1)).toEqual({ stale: true });
        expect(t.call(110, '3')).toEqual({ ignored: true });
        expect(new HeartbeatThrottle(100).drop()).toEqual({ empty: true });
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
