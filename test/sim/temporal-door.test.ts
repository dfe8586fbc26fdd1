/**
 * The Temporal front door: unmodified `@temporalio/activity` 1.24 code under simulation (X1-X5),
 * and when the real `heartbeat()` encodes its details (S3).
 */
import { createRequire } from 'node:module';
import { Writable } from 'node:stream';
import { Context, activityInfo, heartbeat, log, sleep } from '@temporalio/activity';
import pino from 'pino';
import { describe, expect, test } from 'vitest';
import { defineScenario } from '../../src/scenario.js';
import { simulate } from '../../sim/simulate.js';
import { EPOCH, LATENCY, detailsOf, eventsOf, vnow } from './helpers.js';

describe('X1-X5: real activity code', () => {
  test('X1 H7 activityInfo() gives the attempt and the decoded first detail (undefined on attempt 1)', async () => {
    const infos: Record<string, unknown>[] = [];
    const scenario = defineScenario({
      name: 'x-info',
      api: 'temporal',
      options: { startToCloseTimeout: '5m', heartbeatTimeout: '10s', retry: { initialInterval: '2s' } },
      world: { latency: LATENCY },
      activity: () => async () => {
        const info = activityInfo();
        infos.push({
          attempt: info.attempt,
          heartbeatDetails: info.heartbeatDetails,
          activityType: info.activityType,
          scheduledTimestampMs: info.scheduledTimestampMs - EPOCH,
          currentAttemptScheduledTimestampMs: info.currentAttemptScheduledTimestampMs - EPOCH,
          startToCloseTimeoutMs: info.startToCloseTimeoutMs,
          heartbeatTimeoutMs: info.heartbeatTimeoutMs,
          isLocal: info.isLocal,
        });
        if (info.attempt === 1) {
          heartbeat({ offset: 3, tags: new Set(['a']) });
          await sleep(500);
          throw new Error('first attempt fails');
        }
        return 'done';
      },
    });
    const r = await simulate(scenario, { seed: 1 });
    expect(infos).toEqual([
      { attempt: 1, heartbeatDetails: undefined, activityType: 'x-info', scheduledTimestampMs: 0, currentAttemptScheduledTimestampMs: 0, startToCloseTimeoutMs: 300_000, heartbeatTimeoutMs: 10_000, isLocal: false },
      // Failed at 501 (reported at the server), backoff 2 s: scheduled and started at 2.501 s.
      { attempt: 2, heartbeatDetails: { offset: 3, tags: {} }, activityType: 'x-info', scheduledTimestampMs: 0, currentAttemptScheduledTimestampMs: 2501, startToCloseTimeoutMs: 300_000, heartbeatTimeoutMs: 10_000, isLocal: false },
    ]);
    expect(r.attempts.map((a) => [a.attempt, a.startedAt, a.startDetails])).toEqual([
      [1, 0, undefined],
      [2, 2501, '{"offset":3,"tags":{}}'],
    ]);
  });

  test('X1 X2 Context.current() is the attempt context, across awaits, timers and concurrent attempts in one process', async () => {
    const seen: [number, string, number][] = [];
    const scenario = defineScenario({
      name: 'x-context',
      api: 'temporal',
      records: 4,
      options: { startToCloseTimeout: '5m', heartbeatTimeout: '3s', retry: { initialInterval: '1s' } },
      world: { latency: LATENCY },
      activity: (world) => async () => {
        const mine = Context.current();
        const attempt = mine.info.attempt;
        const check = (where: string): void => {
          seen.push([attempt, where, Context.current() === mine && activityInfo() === mine.info ? activityInfo().attempt : -1]);
        };
        if (attempt === 1) heartbeat('once'); // then silent: a zombie while attempt 2 runs
        for (let i = 0; i < world.source.size; i++) {
          await world.sink.put(`k${i}`, attempt);
          check(`after put ${i}`);
          await new Promise<void>((resolve) =>
            setTimeout(() => {
              check(`in timer ${i}`);
              resolve();
            }, 1000),
          );
          if (attempt > 1) heartbeat(i);
        }
        return attempt;
      },
    });
    const r = await simulate(scenario, { seed: 1 });
    // Attempt 1 times out at 3.001 s and runs on; attempt 2 starts at 4.001 s in the same process.
    expect(r.attempts.map((a) => [a.attempt, a.worker, a.startedAt])).toEqual([
      [1, 'worker-1#1', 0],
      [2, 'worker-1#1', 4001],
    ]);
    expect(seen.filter(([, , got]) => got === -1)).toEqual([]);
    expect(seen.filter(([a]) => a === 1)).toHaveLength(8);
    expect(seen.filter(([a]) => a === 2)).toHaveLength(8);
    expect(r.outcome).toMatchObject({ status: 'completed', result: 2, attempt: 2 });
  });

  test('X4 Context.sleep and the global timers run in virtual time', async () => {
    const times: number[] = [];
    const scenario = defineScenario({
      name: 'x-sleep',
      api: 'temporal',
      options: { startToCloseTimeout: '5m' },
      world: { latency: LATENCY },
      activity: () => async () => {
        await sleep(2500);
        times.push(vnow());
        await sleep('1m');
        times.push(vnow());
        await Context.current().sleep(1);
        times.push(vnow());
      },
    });
    const r = await simulate(scenario, { seed: 1 });
    expect(times).toEqual([2500, 62_500, 62_501]);
    expect(r.outcome).toMatchObject({ status: 'completed', at: 62_502 });
  });

  test('X1 log writes through the simulation logger with virtual timestamps and the attempt', async () => {
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        done();
      },
    });
    const logger = pino({ level: 'info', base: undefined }, sink);
    const scenario = defineScenario({
      name: 'x-log',
      api: 'temporal',
      options: { startToCloseTimeout: '5m' },
      world: { latency: LATENCY },
      activity: () => async () => {
        await sleep(1500);
        log.info('halfway', { page: 7 });
        log.warn('nearly done');
      },
    });
    await simulate(scenario, { seed: 1, logger });
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines).toEqual([
      { level: 30, time: EPOCH + 1500, attempt: 1, worker: 'worker-1#1', sdkComponent: 'activity', page: 7, msg: 'halfway' },
      { level: 40, time: EPOCH + 1500, attempt: 1, worker: 'worker-1#1', sdkComponent: 'activity', msg: 'nearly done' },
    ]);
  });

  test('X5 it loads only @temporalio/activity and @temporalio/common: no worker, no native code, no server', async () => {
    const require = createRequire(import.meta.url);
    const scenario = defineScenario({
      name: 'x5',
      api: 'temporal',
      options: { startToCloseTimeout: '5m' },
      world: { latency: LATENCY },
      activity: () => async (input: { n: number }) => input.n * 2,
    });
    const r = await simulate({ ...scenario, input: { n: 21 } }, { seed: 1 });
    expect(r.outcome).toEqual({ status: 'completed', result: 42, attempt: 1, at: 1 });
    const packages = new Set(Object.keys(require.cache).flatMap((path) => /@temporalio[\\/]([^\\/]+)/.exec(path)?.[1] ?? []));
    expect([...packages].sort()).toEqual(['activity', 'common']);
  });
});

describe('S3: when the real heartbeat() encodes its details', () => {
  test('S3 mutating the details object after heartbeat() does not change what is sent', async () => {
    const scenario = defineScenario({
      name: 's3-copy',
      api: 'temporal',
      options: { startToCloseTimeout: '5m', heartbeatTimeout: '10s' },
      world: { latency: LATENCY },
      activity: () => async () => {
        const state = { offset: 1 };
        heartbeat(state);
        state.offset = 2; // the same synchronous turn, but the call was encoded already
        await sleep(100);
        state.offset = 3;
        return state.offset;
      },
    });
    const r = await simulate(scenario, { seed: 1 });
    expect(detailsOf(r, 'heartbeatCalled')).toEqual([[0, 1, '{"offset":1}']]);
    expect(detailsOf(r, 'heartbeatSent')).toEqual([[0, 1, '{"offset":1}']]);
    expect(detailsOf(r, 'detailsStored')).toEqual([[1, 1, '{"offset":1}']]);
  });

  test('S3 a second call in the same synchronous turn is held by reference: a mutation before the microtasks run IS sent', async () => {
    const scenario = defineScenario({
      name: 's3-held',
      api: 'temporal',
      options: { startToCloseTimeout: '5m', heartbeatTimeout: '10s' },
      world: { latency: LATENCY },
      activity: () => async () => {
        const state = { offset: 1 };
        heartbeat(state); // encoded now: {"offset":1}
        state.offset = 2;
        heartbeat(state); // the first is still being encoded: held by reference
        state.offset = 3; // ... so this is what it will carry
        await new Promise((resolve) => setImmediate(resolve)); // every microtask has run
        state.offset = 99; // too late: already encoded
        await sleep(9000); // past the 8 s window end, which sends what was held
        return 'done';
      },
    });
    const r = await simulate(scenario, { seed: 1 });
    expect(detailsOf(r, 'heartbeatCalled')).toEqual([
      [0, 1, '{"offset":1}'],
      [0, 1, '{"offset":3}'],
    ]);
    expect(detailsOf(r, 'heartbeatSent')).toEqual([
      [0, 1, '{"offset":1}'],
      [8000, 1, '{"offset":3}'],
    ]);
    expect(detailsOf(r, 'detailsStored')).toEqual([
      [1, 1, '{"offset":1}'],
      [8001, 1, '{"offset":3}'],
    ]);
  });

  test('S3 H7 details that cannot be encoded (a BigInt) cancel the attempt with HEARTBEAT_DETAILS_CONVERSION_FAILED, a retryable failure', async () => {
    const scenario = defineScenario({
      name: 's3-bigint',
      api: 'temporal',
      options: { startToCloseTimeout: '5m', retry: { initialInterval: '1s', maximumAttempts: 2 } },
      world: { latency: LATENCY },
      activity: () => async () => {
        heartbeat({ total: 10n });
        await sleep('1m');
      },
    });
    const r = await simulate(scenario, { seed: 1 });
    expect(eventsOf(r, 'heartbeatCalled')).toEqual([]);
    expect(eventsOf(r, 'cancelDelivered').map((e) => [e.t, e.attempt, e.reason])).toEqual([
      [0, 1, 'HEARTBEAT_DETAILS_CONVERSION_FAILED'],
      [1001, 2, 'HEARTBEAT_DETAILS_CONVERSION_FAILED'],
    ]);
    expect(r.outcome).toEqual({
      status: 'failed',
      failure: { kind: 'application', type: 'CancelledFailure', message: 'HEARTBEAT_DETAILS_CONVERSION_FAILED', nonRetryable: false },
      attempt: 2,
      at: 1002,
      gaveUp: 'maximumAttempts 2 reached',
    });
  });
});
