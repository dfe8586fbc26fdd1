/**
 * The scheduler under real user code: the activity sees a virtual clock through every timer API
 * Node offers, continuations run at the virtual time of the event that resumed them, a crashed
 * process's timers die with it, and the real globals come back after every run.
 */
import { EventEmitter, once } from 'node:events';
import { createRequire } from 'node:module';
import * as nodeTimers from 'node:timers';
import timersPromises, { setTimeout as namedSleep } from 'node:timers/promises';
import { withGlobal } from '@sinonjs/fake-timers';
import { describe, expect, test } from 'vitest';
import { defineScenario } from '../../src/scenario.js';
import { simulate } from '../../sim/simulate.js';
import { LATENCY, eventsOf, vnow } from './helpers.js';

const REAL = {
  setTimeout: globalThis.setTimeout,
  clearTimeout: globalThis.clearTimeout,
  setInterval: globalThis.setInterval,
  setImmediate: globalThis.setImmediate,
  Date: globalThis.Date,
  performanceNow: performance.now,
  timersPromisesSetTimeout: timersPromises.setTimeout,
  namedSleep,
  nodeTimersSetTimeout: nodeTimers.setTimeout,
};

function expectRealGlobals(): void {
  expect(globalThis.setTimeout).toBe(REAL.setTimeout);
  expect(globalThis.clearTimeout).toBe(REAL.clearTimeout);
  expect(globalThis.setInterval).toBe(REAL.setInterval);
  expect(globalThis.setImmediate).toBe(REAL.setImmediate);
  expect(globalThis.Date).toBe(REAL.Date);
  expect(performance.now).toBe(REAL.performanceNow);
  expect(timersPromises.setTimeout).toBe(REAL.timersPromisesSetTimeout);
  expect(namedSleep).toBe(REAL.namedSleep);
  expect(nodeTimers.setTimeout).toBe(REAL.nodeTimersSetTimeout);
  // And they are real: a real 1 ms timer fires in real time.
  expect(Math.abs(Date.now() - new REAL.Date().getTime())).toBeLessThan(1000);
}

describe('the activity sees virtual time (X4)', () => {
  test('X4 Date, setTimeout, a setInterval ticker, setImmediate, performance.now, process.hrtime, node:timers and timers/promises all follow the virtual clock', async () => {
    const seen: [string, number, number][] = [];
    let iso = '';
    let fakedWhileRunning = false;
    let hrElapsed: [number, number] = [0, 0];
    const scenario = defineScenario({
      name: 'clock',
      options: { startToCloseTimeout: '1m' },
      world: { latency: LATENCY },
      activity: () => async () => {
        const mark = (label: string): void => void seen.push([label, vnow(), performance.now()]);
        fakedWhileRunning = globalThis.setTimeout !== REAL.setTimeout && globalThis.Date !== REAL.Date;
        iso = new Date().toISOString();
        mark('start');
        const hr0 = process.hrtime();
        await new Promise((resolve) => setTimeout(resolve, 1500));
        mark('setTimeout 1500');
        await new Promise<void>((resolve) => {
          let ticks = 0;
          const ticker = setInterval(() => {
            ticks++;
            mark(`tick ${ticks}`);
            if (ticks === 3) {
              clearInterval(ticker);
              resolve();
            }
          }, 250);
        });
        await new Promise((resolve) => setImmediate(resolve));
        mark('setImmediate');
        await timersPromises.setTimeout(700);
        mark('timers/promises.setTimeout 700');
        await namedSleep(300);
        mark('named import setTimeout 300 from timers/promises');
        await new Promise((resolve) => nodeTimers.setTimeout(resolve, 100));
        mark('node:timers setTimeout 100');
        hrElapsed = process.hrtime(hr0);
        return 'done';
      },
    });
    const r = await simulate(scenario, { seed: 1 });
    expect(fakedWhileRunning).toBe(true);
    expect(iso).toBe('2026-01-01T00:00:00.000Z');
    expect(seen).toEqual([
      ['start', 0, 0],
      ['setTimeout 1500', 1500, 1500],
      ['tick 1', 1750, 1750],
      ['tick 2', 2000, 2000],
      ['tick 3', 2250, 2250],
      ['setImmediate', 2250, 2250],
      ['timers/promises.setTimeout 700', 2950, 2950],
      ['named import setTimeout 300 from timers/promises', 3250, 3250],
      ['node:timers setTimeout 100', 3350, 3350],
    ]);
    expect(hrElapsed).toEqual([3, 350_000_000]);
    // The completion reaches the server half an RPC later (rpc 2 ms: 1 ms each way).
    expect(r.outcome).toEqual({ status: 'completed', result: 'done', attempt: 1, at: 3351 });
    expect(r.warnings).toEqual([]);
    expectRealGlobals();
  });

  test('X4 world.startTime sets what Date.now() returns at virtual time 0', async () => {
    let start = 0;
    const scenario = defineScenario({
      name: 'epoch',
      options: { startToCloseTimeout: '1m' },
      world: { latency: LATENCY, startTime: '2030-06-15T12:00:00Z' },
      activity: () => async () => {
        await new Promise((resolve) => setTimeout(resolve, 250));
        start = Date.now();
      },
    });
    await simulate(scenario, { seed: 1 });
    expect(start).toBe(Date.UTC(2030, 5, 15, 12) + 250);
  });
});

describe('continuations run at the virtual time of the event that resumed them', () => {
  test('X4 a deep chain of awaits between two world calls is not overtaken by a later timer', async () => {
    const log: [string, number][] = [];
    const DEPTH = 20_000;
    /** `n` nested async calls, each awaiting the next (a deep await stack). */
    async function nested(n: number): Promise<number> {
      if (n === 0) return 0;
      return 1 + (await nested(n - 1));
    }
    /** A chain of `n` promise reactions, each queued by the one before. */
    function chain(n: number): Promise<number> {
      let p = Promise.resolve(0);
      for (let i = 0; i < n; i++) p = p.then((v) => v + 1);
      return p;
    }
    const scenario = defineScenario({
      name: 'deep-chain',
      options: { startToCloseTimeout: '1m' },
      world: { latency: LATENCY },
      activity: (world) => async () => {
        // A timer due 1 ms after the first call returns: it must not run in the middle of the chain.
        const timer = new Promise<void>((resolve) =>
          setTimeout(() => {
            log.push(['timer', vnow()]);
            resolve();
          }, 3),
        );
        await world.sink.put('first', 1); // returns at 2
        log.push(['first returned', vnow()]);
        let depth = await chain(DEPTH);
        depth += await nested(500);
        for (let i = 0; i < 1000; i++) depth += (await Promise.resolve(1)) - 1;
        await { then: (resolve: (v: number) => void) => resolve(depth) }; // a thenable adds hops too
        log.push([`after ${depth} awaits`, vnow()]);
        await world.sink.put('second', 2); // effect at 3, returns at 4
        log.push(['second returned', vnow()]);
        await timer;
        return depth;
      },
    });
    const r = await simulate(scenario, { seed: 3 });
    expect(log).toEqual([
      ['first returned', 2],
      [`after ${DEPTH + 500} awaits`, 2],
      // At t=3 the sink effect (scheduled at t=2) runs before the timer (scheduled at t=0) only
      // because they are ordered by time and then by agenda; the timer fires at 3 as due.
      ['timer', 3],
      ['second returned', 4],
    ]);
    expect(eventsOf(r, 'effect').map((e) => [e.t, e.key])).toEqual([
      [1, 'first'],
      [3, 'second'],
    ]);
    expect(r.outcome).toMatchObject({ status: 'completed', result: DEPTH + 500, at: 5 });
  });

  test('X4 a continuation resumed through process.nextTick (events.once) runs at the virtual time that resumed it', async () => {
    const log: [string, number][] = [];
    const scenario = defineScenario({
      name: 'next-tick',
      options: { startToCloseTimeout: '1m' },
      world: { latency: LATENCY },
      activity: (world) => async () => {
        setTimeout(() => log.push(['timer', vnow()]), 3);
        await world.sink.put('a', 1); // returns at 2
        await new Promise<void>((resolve) => process.nextTick(resolve));
        log.push(['after a nextTick', vnow()]);
        const emitter = new EventEmitter();
        process.nextTick(() => emitter.emit('ready'));
        await once(emitter, 'ready');
        log.push(['after events.once', vnow()]);
        await new Promise((resolve) => setTimeout(resolve, 10));
      },
    });
    await simulate(scenario, { seed: 1 });
    expect(log).toEqual([
      ['after a nextTick', 2],
      ['after events.once', 2],
      ['timer', 3],
    ]);
  });

  test('X4 two concurrent chains interleave exactly by virtual time', async () => {
    const log: string[] = [];
    const scenario = defineScenario({
      name: 'interleave',
      options: { startToCloseTimeout: '1m' },
      world: { latency: { put: 10, read: 4, rpc: 2 } },
      activity: (world) => async () => {
        const a = (async () => {
          for (let i = 0; i < 3; i++) {
            await world.sink.put(`a${i}`, i); // 10 ms each
            for (let j = 0; j < 200; j++) await null;
            log.push(`a${i}@${vnow()}`);
          }
        })();
        const b = (async () => {
          for (let i = 0; i < 4; i++) {
            await new Promise((resolve) => setTimeout(resolve, 7));
            for (let j = 0; j < 200; j++) await null;
            log.push(`b${i}@${vnow()}`);
          }
        })();
        await Promise.all([a, b]);
      },
    });
    await simulate(scenario, { seed: 1 });
    expect(log).toEqual(['b0@7', 'a0@10', 'b1@14', 'a1@20', 'b2@21', 'b3@28', 'a2@30']);
  });
});

describe('process death takes the process timers with it', () => {
  test('crash: timers created by an attempt never fire after its process crashed', async () => {
    const fired: [string, number, number][] = [];
    const scenario = defineScenario({
      name: 'dead-timers',
      options: { startToCloseTimeout: '10s', retry: { initialInterval: '1s' } },
      world: { latency: LATENCY, restartDelay: '5s' },
      activity: () => async (ctx) => {
        const attempt = ctx.info.attempt;
        if (attempt === 1) {
          setTimeout(() => fired.push(['timeout', attempt, vnow()]), 4000);
          setInterval(() => fired.push(['interval', attempt, vnow()]), 1000);
          await new Promise(() => {}); // runs until its process dies
        }
        await new Promise((resolve) => setTimeout(resolve, 5000));
        fired.push(['attempt 2 done', attempt, vnow()]);
        return attempt;
      },
    });
    const r = await simulate(scenario, { seed: 1, faults: [{ kind: 'crash', at: 2500 }] });
    // Attempt 1 crashes at 2.5 s; STC fires at 10 s; attempt 2 starts after a 1 s backoff at 11 s.
    expect(fired).toEqual([
      ['interval', 1, 1000],
      ['interval', 1, 2000],
      ['attempt 2 done', 2, 16000],
    ]);
    expect(r.attempts.map((a) => [a.attempt, a.worker, a.startedAt, a.endedAt, a.how])).toEqual([
      [1, 'worker-1#1', 0, 2500, 'crashed'],
      [2, 'worker-1#2', 11000, 16001, 'completed'],
    ]);
    expect(r.warnings).toEqual([]);
  });

  test('crash: a crash while a setImmediate of the attempt is pending clears it (and the run goes on)', async () => {
    const fired: [number, number][] = [];
    const scenario = defineScenario({
      name: 'dead-immediate',
      options: { startToCloseTimeout: '10s', retry: { initialInterval: '1s' } },
      world: { latency: LATENCY },
      activity: () => async (ctx) => {
        const attempt = ctx.info.attempt;
        ctx.heartbeat(attempt);
        // The crash fault fires right after this synchronous turn, before the immediate runs.
        setImmediate(() => fired.push([attempt, vnow()]));
        await new Promise((resolve) => setTimeout(resolve, 100));
        return attempt;
      },
    });
    const r = await simulate(scenario, { seed: 1, faults: [{ kind: 'crash', afterHeartbeatCall: 1 }] });
    expect(eventsOf(r, 'crash').map((e) => [e.t, e.worker])).toEqual([[0, 'worker-1#1']]);
    expect(fired).toEqual([[2, 11000]]);
    expect(r.outcome).toMatchObject({ status: 'completed', result: 2, attempt: 2 });
  });
});

describe('an exception in a user timer callback', () => {
  test('crash: it crashes the worker that ran it and is reported in warnings', async () => {
    const scenario = defineScenario({
      name: 'throwing-timer',
      options: { startToCloseTimeout: '10s', retry: { initialInterval: '1s' } },
      world: { latency: LATENCY, restartDelay: '2s' },
      activity: () => async (ctx) => {
        if (ctx.info.attempt === 1) {
          setTimeout(() => {
            throw new RangeError('boom in a timer');
          }, 1200);
          await new Promise((resolve) => setTimeout(resolve, 3000));
          return 'attempt 1 should never get here';
        }
        return 'second';
      },
    });
    const r = await simulate(scenario, { seed: 1 });
    expect(r.warnings).toEqual([
      'an error thrown in a timer callback at 00:00:01.200 (attempt 1 on worker-1#1) crashed the worker, as it would kill a Node process: RangeError: boom in a timer',
    ]);
    expect(eventsOf(r, 'crash')).toEqual([
      { t: 1200, type: 'crash', worker: 'worker-1#1', attempt: 1, reason: 'an error thrown in a timer callback: RangeError: boom in a timer' },
    ]);
    expect(r.counts.crashes).toBe(1);
    // STC of attempt 1 at 10 s, backoff 1 s: attempt 2 on the restarted process at 11 s.
    expect(r.outcome).toEqual({ status: 'completed', result: 'second', attempt: 2, at: 11001 });
    expect(eventsOf(r, 'attemptStarted').map((e) => [e.t, e.attempt, e.worker])).toEqual([
      [0, 1, 'worker-1#1'],
      [11000, 2, 'worker-1#2'],
    ]);
  });
});

describe('the real globals', () => {
  test('are restored after a run, and after a run that threw', async () => {
    const ok = defineScenario({
      name: 'ok',
      options: { startToCloseTimeout: '1m' },
      world: { latency: LATENCY },
      activity: () => async () => {
        setInterval(() => {}, 1000); // a ticker left running: reported, and dropped
        return 1;
      },
    });
    const r = await simulate(ok, { seed: 1 });
    expect(r.warnings).toEqual(['1 timer(s) were still pending when the simulation ended (a ticker not cleared when the activity returned?)']);
    expectRealGlobals();

    const broken = defineScenario({
      name: 'broken-factory',
      options: { startToCloseTimeout: '1m' },
      activity: () => {
        setTimeout(() => {}, 10); // a virtual timer made before the throw
        throw new Error('factory failed');
      },
    });
    await expect(simulate(broken, { seed: 1 })).rejects.toThrow('factory failed');
    expectRealGlobals();

    const notAFunction = defineScenario({
      name: 'not-a-function',
      options: { startToCloseTimeout: '1m' },
      activity: () => 42 as never,
    });
    await expect(simulate(notAFunction, { seed: 1 })).rejects.toThrow('activity: the factory returned 42, not a function, when worker-1#1 started');
    expectRealGlobals();

    // And the next simulation runs normally.
    const again = await simulate(ok, { seed: 1 });
    expect(again.outcome).toMatchObject({ status: 'completed', result: 1 });
    expectRealGlobals();
  });

  test('node:timers, timers/promises and process.hrtime (named ESM imports too) are real again between runs', async () => {
    // The modules keep stable delegates (no ESM re-sync per run): outside a run they must call the
    // real functions. A delegate left on a dead virtual clock would never fire here.
    const sleeper = defineScenario({
      name: 'sleeper',
      options: { startToCloseTimeout: '1m' },
      activity: () => async () => {
        await namedSleep(5_000);
        await new Promise((resolve) => nodeTimers.setTimeout(resolve, 5_000));
        return process.hrtime()[0];
      },
    });
    const r = await simulate(sleeper, { seed: 1 });
    expect(r.outcome).toMatchObject({ status: 'completed' });
    expect(r.endedAt).toBeGreaterThanOrEqual(10_000);
    const start = REAL.Date.now();
    const h0 = process.hrtime.bigint();
    const t0 = process.hrtime();
    await namedSleep(20);
    await new Promise((resolve) => nodeTimers.setTimeout(resolve, 20));
    await new Promise((resolve) => nodeTimers.setImmediate(resolve));
    expect(REAL.Date.now() - start).toBeGreaterThanOrEqual(35);
    // Real high-resolution time went by too (both forms of hrtime).
    expect(process.hrtime.bigint() - h0).toBeGreaterThanOrEqual(35_000_000n);
    const [ds, dns] = process.hrtime(t0);
    expect(ds * 1e3 + dns / 1e6).toBeGreaterThanOrEqual(35);
    expectRealGlobals();
  });

  test('two simulations may not run at once in one thread', async () => {
    const scenario = defineScenario({
      name: 'slow',
      options: { startToCloseTimeout: '1m' },
      world: { latency: LATENCY },
      activity: (world) => async () => {
        for (let i = 0; i < 50; i++) await world.sink.put(`k${i}`, i);
        return 'first';
      },
    });
    const first = simulate(scenario, { seed: 1 });
    const second = simulate(scenario, { seed: 2 });
    await expect(second).rejects.toThrow(
      'hbsim: a simulation is already running in this thread; run simulations one after another (await each), or in separate worker threads',
    );
    const r = await first;
    expect(r.outcome).toMatchObject({ status: 'completed', result: 'first' });
    expect(r.sink.size).toBe(50);
    expectRealGlobals();
    // Once the first is done, another may run.
    await expect(simulate(scenario, { seed: 2 })).resolves.toMatchObject({ outcome: { status: 'completed' } });
  });
});

describe('@sinonjs/fake-timers internals the scheduler relies on', () => {
  test('the installed version is 15.5.0', () => {
    const require = createRequire(import.meta.url);
    expect((require('@sinonjs/fake-timers/package.json') as { version: string }).version).toBe('15.5.0');
  });

  test('clock.timerHeap.peek() returns the earliest timer with its id, callAt and interval', () => {
    const clock = withGlobal(globalThis).createClock(1000) as unknown as {
      setTimeout(fn: () => void, ms: number): unknown;
      setInterval(fn: () => void, ms: number): unknown;
      setImmediate(fn: () => void): unknown;
      clearTimeout(id: unknown): void;
      next(): void;
      now: number;
      timerHeap?: { peek(): { id: number; callAt: number; interval?: number } | undefined };
    };
    const late = clock.setTimeout(() => {}, 50); // the heap is made with the first timer
    expect(typeof clock.timerHeap?.peek).toBe('function');
    const heap = clock.timerHeap!;
    expect(heap.peek()).toMatchObject({ id: Number(late), callAt: 1050 });
    const ticker = clock.setInterval(() => {}, 20);
    const early = clock.setTimeout(() => {}, 10);
    expect(heap.peek()).toMatchObject({ id: Number(early), callAt: 1010 });
    expect(heap.peek()!.interval).toBeUndefined();
    clock.clearTimeout(early);
    expect(heap.peek()).toMatchObject({ id: Number(ticker), callAt: 1020, interval: 20 });
    clock.next(); // the ticker fires at 1020 and is re-armed for 1040
    expect(clock.now).toBe(1020);
    expect(heap.peek()).toMatchObject({ id: Number(ticker), callAt: 1040, interval: 20 });
    const immediate = clock.setImmediate(() => {});
    expect(heap.peek()).toMatchObject({ id: Number(immediate), callAt: 1020 });
    clock.next();
    clock.clearTimeout(ticker);
    expect(heap.peek()).toMatchObject({ id: Number(late), callAt: 1050 });
  });
});
