import { describe, expect, test } from 'vitest';
import { heartbeatDeadline, scheduleToCloseDeadline, scheduleToCloseIsPerAttempt, scheduleToStartDeadline, startToCloseDeadline, timeoutGoesThroughRetryPolicy, } from '../../src/model/timeouts.js';
function options(profile, overrides = {}) {
    return {
        profile,
        scheduleToStartTimeoutMs: 5_000,
        startToCloseTimeoutMs: 30_000,
        scheduleToCloseTimeoutMs: 60_000,
        heartbeatTimeoutMs: 2_000,
        retry: undefined,
        ...overrides,
    };
}
const ALL = ['SCHEDULE_TO_START', 'START_TO_CLOSE', 'SCHEDULE_TO_CLOSE', 'HEARTBEAT'];
describe('T2 deadlines', () => {
    test('T2 schedule-to-start counts from this attempt\'s scheduled time', () => {
        expect(scheduleToStartDeadline(options('temporal'), 12_345)).toBe(17_345);
        expect(scheduleToStartDeadline(options('cadence'), 12_345)).toBe(17_345);
        expect(scheduleToStartDeadline(options('temporal', { scheduleToStartTimeoutMs: 0 }), 12_345)).toBeUndefined();
    });
    test('T2 start-to-close counts from the attempt start', () => {
        expect(startToCloseDeadline(options('temporal'), 1_000)).toBe(31_000);
        expect(startToCloseDeadline(options('cadence'), 1_000)).toBe(31_000);
        expect(startToCloseDeadline(options('temporal', { startToCloseTimeoutMs: 0 }), 1_000)).toBeUndefined();
    });
    test('T2 heartbeat is max(attemptStart, lastAcceptedHeartbeat) + HB', () => {
        const o = options('temporal');
        expect(heartbeatDeadline(o, 1_000, undefined)).toBe(3_000);
        expect(heartbeatDeadline(o, 1_000, 2_500)).toBe(4_500);
        // a heartbeat from an earlier attempt does not shorten the new attempt's deadline
        expect(heartbeatDeadline(o, 10_000, 2_500)).toBe(12_000);
        expect(heartbeatDeadline(options('cadence'), 10_000, 10_700)).toBe(12_700);
        expect(heartbeatDeadline(options('temporal', { heartbeatTimeoutMs: 0 }), 1_000, 2_000)).toBeUndefined();
    });
    test('T2 temporal schedule-to-close counts from the first scheduled time for the whole activity', () => {
        const o = options('temporal');
        expect(scheduleToCloseDeadline(o, 100, 100)).toBe(60_100);
        expect(scheduleToCloseDeadline(o, 100, 40_000)).toBe(60_100);
        expect(scheduleToCloseIsPerAttempt('temporal')).toBe(false);
    });
    test('T2 cadence schedule-to-close restarts at each attempt\'s scheduled time', () => {
        const o = options('cadence');
        expect(scheduleToCloseDeadline(o, 100, 100)).toBe(60_100);
        expect(scheduleToCloseDeadline(o, 100, 40_000)).toBe(100_000);
        expect(scheduleToCloseIsPerAttempt('cadence')).toBe(true);
        expect(scheduleToCloseDeadline(options('cadence', { scheduleToCloseTimeoutMs: 0 }), 100, 100)).toBeUndefined();
    });
});
describe('T3 which timeouts retry', () => {
    test('T3 temporal: start-to-close and heartbeat retry, schedule-to-start and schedule-to-close never', () => {
        expect(ALL.map((t) => timeoutGoesThroughRetryPolicy('temporal', t))).toEqual([false, true, false, true]);
    });
    test('T3 cadence: all four timeouts go through the retry policy', () => {
        expect(ALL.map((t) => timeoutGoesThroughRetryPolicy('cadence', t))).toEqual([true, true, true, true]);
    });
});
