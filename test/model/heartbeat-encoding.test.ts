import { defaultFailureConverter, defaultPayloadConverter } from '@temporalio/common';
import { encodeToPayload } from '@temporalio/common/lib/internal-non-workflow/index.js';
import { describe, expect, test } from 'vitest';
import { ENCODE_ERROR_MICROTASKS, ENCODE_MICROTASKS, HeartbeatEncoder } from '../../src/model/heartbeat-encoding.js';
import { PayloadEncodingError } from '../../src/model/payload.js';
import type { Payload } from '../../src/model/types.js';

/** A hand-cranked `defer`: nothing runs until the test says so. */
function harness() {
  const queue: (() => void)[] = [];
  const emitted: Payload[] = [];
  const errors: PayloadEncodingError[] = [];
  const encoder = new HeartbeatEncoder({
    defer: (fn) => void queue.push(fn),
    emit: (payload) => void emitted.push(payload),
    onError: (error) => void errors.push(error),
  });
  /** Runs `n` deferred steps (all of them by default); returns how many ran. */
  const step = (n = Number.POSITIVE_INFINITY): number => {
    let ran = 0;
    while (ran < n && queue.length > 0) {
      queue.shift()!();
      ran++;
    }
    return ran;
  };
  return { encoder, emitted, errors, step, queue };
}

/**
 * Starts something that calls `mark` later, and counts the microtask ticks that ran before it did.
 * The same probe is used for the real SDK and for the model, so the counts compare.
 */
function ticksUntilMark(start: (mark: () => void) => void): Promise<number> {
  return new Promise((resolve) => {
    let ticks = 0;
    let marked: number | undefined;
    const loop = (): void => {
      if (marked !== undefined) return resolve(marked);
      if (ticks > 50) return resolve(-1);
      ticks++;
      queueMicrotask(loop);
    };
    start(() => (marked ??= ticks));
    queueMicrotask(loop);
  });
}

describe('S3 when details are encoded', () => {
  test('S3 a mutation after heartbeat() does not change what is sent', () => {
    const { encoder, emitted, step } = harness();
    const progress = { done: 1 };
    encoder.heartbeat(progress);
    progress.done = 2;
    step();
    expect(emitted).toEqual(['{"done":1}']);
  });

  test('S3 same-turn exception: a call made while the previous one is encoding is held by reference, so a later mutation is sent', () => {
    const { encoder, emitted, step } = harness();
    const progress = { done: 1 };
    encoder.heartbeat(progress);
    progress.done = 2;
    encoder.heartbeat(progress);
    progress.done = 3;
    step();
    expect(emitted).toEqual(['{"done":1}', '{"done":3}']);
  });

  test('S3 calls held while encoding coalesce: only the latest is encoded', () => {
    const { encoder, emitted, step } = harness();
    encoder.heartbeat('a');
    encoder.heartbeat('b');
    encoder.heartbeat('c');
    step();
    expect(emitted).toEqual(['"a"', '"c"']);
  });

  test(`S3 a heartbeat reaches core after ${ENCODE_MICROTASKS} microtasks; a call after that is encoded at once`, () => {
    const { encoder, emitted, step } = harness();
    encoder.heartbeat({ n: 1 });
    expect(step(ENCODE_MICROTASKS - 1)).toBe(ENCODE_MICROTASKS - 1);
    expect(emitted).toEqual([]);
    expect(encoder.busy).toBe(true);
    step(1);
    expect(emitted).toEqual(['{"n":1}']);
    expect(encoder.busy).toBe(false);
    const late = { n: 2 };
    encoder.heartbeat(late);
    late.n = 3;
    step();
    expect(emitted).toEqual(['{"n":1}', '{"n":2}']);
  });

  test('S3 the model takes as many microtasks as @temporalio/common encodeToPayload in the real worker', async () => {
    const converter = { payloadConverter: defaultPayloadConverter, failureConverter: defaultFailureConverter, payloadCodecs: [] };
    // The worker's project: `await encodeToPayload(...)`, then record + flush synchronously (or, on a throw, onError + flush).
    const realProject = (details: unknown) => (mark: () => void) =>
      void (async () => {
        try {
          await encodeToPayload(converter, details);
        } catch {
          // the worker cancels the activity here
        }
        mark();
      })();
    const modelProject = (details: unknown) => (mark: () => void) =>
      new HeartbeatEncoder({ defer: queueMicrotask, emit: mark, onError: mark }).heartbeat(details);

    const real = await ticksUntilMark(realProject({ n: 1 }));
    const realError = await ticksUntilMark(realProject({ n: 1n }));
    expect(await ticksUntilMark(modelProject({ n: 1 }))).toBe(real);
    expect(await ticksUntilMark(modelProject({ n: 1n }))).toBe(realError);
    expect(real - realError).toBe(ENCODE_MICROTASKS - ENCODE_ERROR_MICROTASKS);
  });

  test('S3 an encoding error calls onError after 1 microtask, sends nothing, and the held call is encoded next', () => {
    const { encoder, emitted, errors, step } = harness();
    encoder.heartbeat({ total: 1n });
    encoder.heartbeat({ total: 2 });
    expect(step(ENCODE_ERROR_MICROTASKS)).toBe(1);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(PayloadEncodingError);
    expect(errors[0]?.path).toBe('details.total');
    step();
    expect(emitted).toEqual(['{"total":2}']);
  });

  test('S3 heartbeat() with no argument sends the empty payload', () => {
    const { encoder, emitted, step } = harness();
    encoder.heartbeat(undefined);
    step();
    expect(emitted).toEqual([undefined]);
  });
});

describe('S4 in the TS worker: calls still held at completion', () => {
  test('S4 pending details flushed before a failure, dropped on success', () => {
    const failing = harness();
    const p = { v: 1 };
    failing.encoder.heartbeat(p);
    failing.encoder.heartbeat(p);
    p.v = 2;
    let closed = false;
    failing.encoder.complete('failure', () => (closed = true));
    expect(closed).toBe(false);
    failing.step();
    expect(failing.emitted).toEqual(['{"v":1}', '{"v":2}']);
    expect(closed).toBe(true);

    const succeeding = harness();
    succeeding.encoder.heartbeat('a');
    succeeding.encoder.heartbeat('b');
    let done = false;
    succeeding.encoder.complete('success', () => (done = true));
    succeeding.step();
    expect(succeeding.emitted).toEqual(['"a"']);
    expect(done).toBe(true);
  });

  test('S4 (TS worker) a held call is dropped on cancellation: the worker flushes only for failures', () => {
    const { encoder, emitted, step } = harness();
    encoder.heartbeat('a');
    encoder.heartbeat('b');
    encoder.complete('cancel');
    step();
    expect(emitted).toEqual(['"a"']);
  });

  test('S4 completion with nothing in flight closes at once, and later heartbeats are ignored', () => {
    const { encoder, emitted, step, queue } = harness();
    let closed = false;
    encoder.complete('failure', () => (closed = true));
    expect(closed).toBe(true);
    encoder.heartbeat('rogue');
    step();
    expect(queue).toHaveLength(0);
    expect(emitted).toEqual([]);
  });
});
