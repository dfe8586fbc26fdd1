/**
 * The `pause` fault: a worker's event loop freezes (a long GC, a blocked event loop, SIGSTOP).
 * None of its code, timers, heartbeats or RPC responses run; requests already on the wire arrive
 * on time; then it resumes where it was, a zombie (C5) if the server timed the attempt out.
 */
import { describe, expect, test } from 'vitest';
import { defineScenario, normalizeScenario } from '../../src/scenario.js';
import { simulate } from '../../sim/simulate.js';
import { describeFault } from '../../sim/fault-plan.js';
import { formatTime } from '../../sim/trace.js';
import { runCheck } from '../../properties/check.js';
import { parseFault } from '../../app/cli/failure-file.js';
import { LATENCY, detailsOf, eventsOf } from './helpers.js';

/** Heartbeats every second with its offset, one put per second, 20 records. */
const ticker = (workers = 1) =>
  defineScenario({
    name: 'pause',
    records: 20,
    options: { startToCloseTimeout: '1m', heartbeatTimeout: '5s', retry: { initialInterval: '1s', maximumAttempts: 5 } },
    world: { latency: LATENCY, restartDelay: '1s', workers },
    progress: (details) => Number(details ?? 0),
    activity: (world) => async (ctx) => {
      let offset = ctx.heartbeatDetails<number>() ?? 0;
      while (offset < world.source.size) {
        await world.sink.put(`k${offset}`, offset);
        offset++;
        void ctx.heartbeat(offset);
        await ctx.sleep(1000);
      }
      return offset;
    },
  });

describe('pause', () => {
  test('a pause shorter than the heartbeat timeout: the attempt resumes where it was, its timers late, nothing lost', async () => {
    const r = await simulate(ticker(), { seed: 1, faults: [{ kind: 'pause', at: 2500, durationMs: 1000 }] });
    expect(eventsOf(r, 'pause')).toEqual([{ t: 2500, type: 'pause', worker: 'worker-1#1', until: 3500 }]);
    // Nothing of the worker runs in [2.5 s, 3.5 s): the sleep due at 3.006 s ends at 3.5 s, then
    // put (2 ms) and heartbeat.
    const calls = detailsOf(r, 'heartbeatCalled').map(([t]) => t);
    expect(calls.filter((t) => t > 2500 && t < 3500)).toEqual([]);
    expect(calls.slice(0, 5)).toEqual([2, 1004, 2006, 3502, 4504]);
    expect(eventsOf(r, 'attemptTimedOut')).toEqual([]);
    expect(r.outcome).toMatchObject({ status: 'completed', result: 20, attempt: 1 });
  });

  test('a pause longer than the heartbeat timeout makes the attempt a zombie: the retry runs, the zombie resumes and is rejected (C5)', async () => {
    const r = await simulate(ticker(2), { seed: 1, faults: [{ kind: 'pause', at: 2500, durationMs: 20_000 }] });
    // The last heartbeat stored before the pause, at 2.007 s (the window opened at 0 holds the
    // rest): the HB timeout fires 5 s after the last stored one, and attempt 2 runs on worker-2.
    const timedOut = eventsOf(r, 'attemptTimedOut');
    expect(timedOut).toHaveLength(1);
    expect(timedOut[0]).toMatchObject({ attempt: 1, timeoutType: 'HEARTBEAT' });
    expect(timedOut[0]!.t).toBeLessThan(22_500);
    const second = r.attempts.find((a) => a.attempt === 2)!;
    expect(second.worker).toBe('worker-2#1');
    expect(second.startedAt).toBeLessThan(22_500);
    // At 22.5 s the zombie resumes where it was: its overdue timers fire (the sleep, the throttle
    // window, which sends its held heartbeat, and the TS core's local timeout, S5, which cancels
    // it with TIMED_OUT); it writes again meanwhile (a zombie's side effect), its heartbeat is
    // rejected (NotFound), and it reports nothing.
    const zombieEffects = eventsOf(r, 'effect').filter((e) => e.attempt === 1 && e.t >= 22_500);
    expect(zombieEffects.length).toBeGreaterThan(0);
    expect(eventsOf(r, 'heartbeatRejected').filter((e) => e.attempt === 1).length).toBeGreaterThan(0);
    expect(eventsOf(r, 'cancelDelivered').filter((e) => e.attempt === 1)).toEqual([{ t: 22_500, type: 'cancelDelivered', attempt: 1, reason: 'TIMED_OUT' }]);
    expect(eventsOf(r, 'effect').filter((e) => e.attempt === 1 && e.t > 2500 && e.t < 22_500)).toEqual([]);
    expect(eventsOf(r, 'reported').filter((e) => e.attempt === 1)).toEqual([]);
    expect(r.outcome).toMatchObject({ status: 'completed', result: 20, attempt: 2 });
  });

  test('a paused worker polls no task: with one worker the retry waits for the pause to end', async () => {
    const r = await simulate(ticker(1), { seed: 1, faults: [{ kind: 'pause', at: 2500, durationMs: 20_000 }] });
    expect(r.attempts.find((a) => a.attempt === 2)!.startedAt).toBeGreaterThanOrEqual(22_500);
    expect(r.outcome).toMatchObject({ status: 'completed', attempt: 2 });
  });

  test('requests on the wire reach the server on time; their answers wait for the pause to end', async () => {
    // sink.put(k2) is called at 2.004 s; the worker pauses at 2.0045 s. The put reaches the
    // database at 2.005 s (not paused); its answer, due at 2.006 s, is handled at 3.0045 s.
    const r = await simulate(ticker(), { seed: 1, faults: [{ kind: 'pause', at: 2004.5, durationMs: 1000 }] });
    const k2 = eventsOf(r, 'effect').find((e) => e.key === 'k2')!;
    expect(k2.t).toBe(2005);
    expect(detailsOf(r, 'heartbeatCalled')[2]![0]).toBe(3004.5);
  });

  test('a pause is printed, parsed from a failure file and replayed', () => {
    const fault = { kind: 'pause', at: 2500, durationMs: 3000 } as const;
    expect(describeFault(fault, formatTime)).toBe('worker paused (event loop frozen) at 00:00:02.500 for 3000 ms');
    expect(parseFault({ ...fault }, 'f.json', 'faults[0]')).toEqual(fault);
    expect(() => parseFault({ kind: 'pause', at: 1 }, 'f.json', 'faults[0]')).toThrow(/pause fault with fields at\+durationMs/);
  });

  test('same seed and plan with a pause: same trace', async () => {
    const plan = [{ kind: 'pause', at: 1500, durationMs: 9000 } as const, { kind: 'crash', at: 15_000 } as const];
    const a = await simulate(ticker(2), { seed: 7, faults: plan });
    const b = await simulate(ticker(2), { seed: 7, faults: plan });
    expect(a.digest).toBe(b.digest);
  });
});

describe('pause in the search', () => {
  test('a correct activity holds under pauses alone', async () => {
    const report = await runCheck(normalizeScenario(ticker(2)), { seed: 1, runs: 40, kinds: ['pause'] });
    expect(report.properties.filter((p) => !p.ok).map((p) => p.name)).toEqual([]);
  });

  test('pauses alone catch a non-idempotent activity: the zombie and the retry both add', async () => {
    const broken = defineScenario({
      name: 'pause-add',
      records: 30,
      options: { startToCloseTimeout: '1m', heartbeatTimeout: '5s', retry: { initialInterval: '1s', maximumAttempts: 5 } },
      world: { latency: LATENCY, restartDelay: '1s', workers: 2 },
      activity: (world) => async (ctx) => {
        let offset = ctx.heartbeatDetails<number>() ?? 0;
        while (offset < world.source.size) {
          await world.sink.add('total', 1); // not idempotent
          offset++;
          void ctx.heartbeat(offset);
          await ctx.sleep(1000);
        }
        return offset;
      },
    });
    const report = await runCheck(normalizeScenario(broken), { seed: 1, runs: 60, kinds: ['pause'] });
    const failed = report.properties.filter((p) => !p.ok);
    expect(failed.map((p) => p.name)).toContain('idempotent');
    expect(failed.find((p) => p.name === 'idempotent')!.plan!.every((f) => f.kind === 'pause')).toBe(true);
  });
});
