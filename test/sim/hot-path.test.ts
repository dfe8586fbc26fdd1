/**
 * The hot path's shortcuts change nothing observable: the full trace kept compactly reads back
 * as the events recorded, in order; its digest is the digest of those events, in both trace
 * modes; puts written to the sink in batches give the sink and the counts of one write at a
 * time; and the barrier gives the same runs with and without Node's synchronous tick runner.
 */
import { describe, expect, test } from 'vitest';
import { defineScenario } from '../../src/scenario.js';
import { simulate } from '../../sim/simulate.js';
import { Digest } from '../../sim/digest.js';
import { Trace, type TraceEvent } from '../../sim/trace.js';
import { Prng } from '../../sim/prng.js';
import { generateRecords, MAX_SINK_ENTRIES, SinkCapacityError, WorldServices } from '../../sim/world.js';
import { HbsimConfigError } from '../../src/errors.js';
import addExample from '../../examples/add-with-idempotency-key.js';
import ticker from '../../examples/statements-ticker.js';
import { LATENCY } from './helpers.js';

type Effect = Extract<TraceEvent, { type: 'effect' }>;

function effect(t: number, attempt: number, op: 'put' | 'add', key: string, value: unknown, applied: boolean): Effect {
  return { t, type: 'effect', attempt, op, key, value, applied };
}

/** The digest of `events`, hashed one event object at a time (what every trace mode must agree with). */
function digestOf(events: readonly TraceEvent[]): string {
  const d = new Digest();
  for (const ev of events) d.event(ev);
  return d.hex();
}

const EVENTS: TraceEvent[] = [
  { t: 0, type: 'scheduled' },
  effect(1, 1, 'put', 'a', { month: '2026-10', amount: 1 }, true),
  effect(1.5, 1, 'add', 'b', 2.25, false),
  { t: 2, type: 'heartbeatCalled', attempt: 1, details: '{"offset":1}' },
  effect(3, 2, 'put', 'a', [1, 'x', null, { y: undefined }], true),
  effect(3, 2, 'put', 'c', 'text', true),
  { t: 4, type: 'closed', status: 'completed', attempt: 2 },
];

describe('the trace', () => {
  test('a full trace reads back as the events recorded, in order, also when read part way', () => {
    const trace = new Trace('full');
    for (const ev of EVENTS.slice(0, 3)) {
      if (ev.type === 'effect') trace.effect(ev.t, ev.attempt, ev.op, ev.key, ev.value, ev.applied);
      else trace.record(ev);
    }
    expect(trace.events).toEqual(EVENTS.slice(0, 3));
    const first = trace.events;
    for (const ev of EVENTS.slice(3)) trace.record(ev);
    expect(trace.events).toEqual(EVENTS);
    expect(trace.events).toBe(first); // one array, extended
    expect(Object.keys(trace.events[1]!)).toEqual(['t', 'type', 'attempt', 'op', 'key', 'value', 'applied']);
    expect((trace.events[1] as Effect).value).toBe((EVENTS[1] as Effect).value);
  });

  test('a long full trace (its effects kept in chunks) reads back in order, read part way at any point', () => {
    const events: TraceEvent[] = [];
    const month = '2026-10';
    for (let i = 0; i < 10_000; i++) {
      if (i % 1_000 === 999) events.push({ t: i, type: 'heartbeatCalled', attempt: 1, details: `{"offset":${i}}` });
      events.push(effect(i + 0.5 * (i % 2), 1 + (i >> 12), i % 3 === 0 ? 'add' : 'put', `k${i}`, { month, amount: i }, i % 5 !== 0));
    }
    const trace = new Trace('full');
    const reads = new Set([0, 1, 4_095, 4_096, 4_097, 8_192, 9_000]);
    for (let i = 0; i < events.length; i++) {
      if (reads.has(i)) expect(trace.events).toEqual(events.slice(0, i));
      trace.record(events[i]!);
    }
    expect(trace.events).toEqual(events);
    expect(trace.digest()).toBe(digestOf(events));
  });

  test('a lean trace leaves sink effects out; both modes have the digest of the events themselves', () => {
    const full = new Trace('full');
    const lean = new Trace('lean');
    const seen: TraceEvent[] = [];
    lean.listener = (ev) => seen.push(ev);
    for (const ev of EVENTS) {
      full.record(ev);
      lean.record(ev);
    }
    expect(lean.events).toEqual(EVENTS.filter((e) => e.type !== 'effect'));
    expect(seen).toEqual(EVENTS); // a listener still gets every event
    expect(full.digest()).toBe(digestOf(EVENTS));
    expect(lean.digest()).toBe(digestOf(EVENTS));
  });

  test('the digest changes when any field of a sink effect changes', () => {
    const base = effect(10, 1, 'put', 'statement/rec-000001', { month: '2026-10', amount: 500 }, true);
    const variants: Effect[] = [
      { ...base, t: 11 },
      { ...base, t: 10.5 },
      { ...base, attempt: 2 },
      { ...base, op: 'add' },
      { ...base, key: 'statement/rec-000002' }, // a code unit at an odd index (the high half of a packed pair)
      { ...base, key: 'statement/rec-000011' }, // at an even index (the low half)
      { ...base, key: 'statement/rec-00000' },
      { ...base, value: { month: '2026-11', amount: 500 } },
      { ...base, value: { month: '2026-10', amount: 501 } },
      { ...base, value: { amount: 500, month: '2026-10' } },
      { ...base, value: { month: '2026-10', amount: 500, extra: undefined } },
      { ...base, applied: false },
    ];
    const digests = new Set<string>();
    for (const ev of [base, ...variants]) {
      const trace = new Trace('lean');
      trace.effect(ev.t, ev.attempt, ev.op, ev.key, ev.value, ev.applied);
      expect(trace.digest()).toBe(digestOf([ev]));
      digests.add(trace.digest());
    }
    expect(digests.size).toBe(variants.length + 1);
  });
});

describe('the digest of a run', () => {
  test("is the digest of its trace's events, in both modes (the world hashes a sink call's key when the call is made)", async () => {
    const puts = { ...ticker, records: 400 };
    const adds = defineScenario({
      name: 'adds',
      records: 30,
      options: { startToCloseTimeout: '1m' },
      world: { latency: LATENCY },
      activity: (world) => async () => {
        for (let i = 0; i < world.source.size; i++) await world.sink.add(`total/${i % 3}`, i, i % 2 === 0 ? { idempotencyKey: `k${i % 7}` } : undefined);
      },
    });
    for (const scenario of [puts, adds]) {
      const options = { seed: 5, faults: [{ kind: 'crash', at: 700 }, { kind: 'transient', call: 12 }, { kind: 'slowCall', call: 20, byMs: 900 }] } as const;
      const full = await simulate(scenario, { ...options, trace: 'full' });
      const lean = await simulate(scenario, { ...options, trace: 'lean' });
      expect(full.trace.some((e) => e.type === 'effect')).toBe(true);
      expect(full.digest).toBe(digestOf(full.trace));
      expect(lean.digest).toBe(full.digest);
    }
  });
});

describe('the log of world calls', () => {
  test('is kept only when asked for (the search reads it; a large run would hold an entry per call), and changes nothing else', async () => {
    const scenario = { ...ticker, records: 300 };
    const plain = await simulate(scenario, { seed: 3, faults: [{ kind: 'crash', at: 900 }] });
    const logged = await simulate(scenario, { seed: 3, faults: [{ kind: 'crash', at: 900 }], callLog: true });
    expect(plain.callLog).toBeUndefined();
    expect(logged.callLog!.length).toBe(logged.counts.worldCalls);
    expect(logged.callLog!.filter((c) => c.op === 'sink.put').length).toBeGreaterThan(0);
    expect(logged.digest).toBe(plain.digest);
  });
});

describe('the records', () => {
  test('keys are `rec-` and the zero-padded offset (at least 6 digits), across every thousand', () => {
    for (const size of [0, 1, 999, 1_001, 12_345, 1_000_001]) {
      const records = generateRecords(size, Prng.seeded(size));
      const width = Math.max(6, String(size).length);
      expect(records.length).toBe(size);
      for (const r of records.slice(0, size)) if (r.key !== `rec-${String(r.offset).padStart(width, '0')}`) expect(r.key).toBe(`rec-${String(r.offset).padStart(width, '0')}`);
    }
  });
  test('each read hands out fresh record objects with the same values (a mutation does not reach the next read)', () => {
    const records = generateRecords(2_500, Prng.seeded(7));
    const first = records.slice(990, 1_010);
    (first[0] as { amount: number }).amount = -1;
    const again = records.slice(990, 1_010);
    expect(again[0]!.amount).not.toBe(-1);
    expect(again.map((r) => r.key)).toEqual(first.map((r) => r.key));
    expect(again.slice(1)).toEqual(first.slice(1));
    expect(records.slice(2_490, 2_600).length).toBe(10); // clamped at the end, like Array.prototype.slice
    // The same amounts as drawing one per record from the same stream.
    const prng = Prng.seeded(7);
    expect(records.slice(0, 2_500).map((r) => r.amount)).toEqual(Array.from({ length: 2_500 }, () => prng.int(100, 100_000)));
  });
});

describe('the sink', () => {
  test("more distinct keys than one Map or Set holds stops the run with a clear error, never as the activity's call error", async () => {
    // V8's limit for a Map or a Set; the limit is lowered here to reach it in a small run.
    expect(MAX_SINK_ENTRIES).toBe(2 ** 24);
    WorldServices.maxEntries = 50;
    try {
      const puts = { ...ticker, records: 120 };
      const error = await simulate(puts, { seed: 1 }).then(() => undefined, (e: unknown) => e);
      expect(error).toBeInstanceOf(SinkCapacityError);
      expect(error).toBeInstanceOf(HbsimConfigError);
      expect((error as Error).message).toBe('records: the run wrote more than 50 distinct sink keys, expected a scenario whose run writes at most 50 distinct sink keys (the most one JavaScript Map or Set holds): fewer records, or fewer distinct keys (totals per account, not per record)');
      // Adds with an idempotency key per record: the Set of those keys has the same limit.
      const adds = await simulate({ ...addExample, records: 120 }, { seed: 1 }).then(() => undefined, (e: unknown) => e);
      expect((adds as Error).message).toMatch(/^records: the run wrote more than 50 idempotency keys of adds/);
      // Under the limit, and when the limit is back: the runs complete (the virtual clock was uninstalled).
      expect((await simulate({ ...ticker, records: 40 }, { seed: 1 })).outcome.status).toBe('completed');
    } finally {
      WorldServices.maxEntries = MAX_SINK_ENTRIES;
    }
    expect((await simulate({ ...ticker, records: 120 }, { seed: 1 })).outcome.status).toBe('completed');
  });

  test('puts written in batches: the sink, its key order and the counts of one write at a time', async () => {
    const KEYS = 5_000;
    const scenario = defineScenario({
      name: 'sink-batches',
      records: 40_000,
      options: { startToCloseTimeout: '1d' },
      world: { latency: LATENCY },
      activity: (world) => async () => {
        const seen: unknown[] = [];
        for (let i = 0; i < world.source.size; i++) {
          await world.sink.put(`k${(i * 7919) % KEYS}`, i); // every key written 8 times, out of order
          if (i % 9_999 === 0) seen.push(await world.sink.get(`k${(i * 7919) % KEYS}`)); // reads see the puts before them
        }
        await world.sink.put('total', 1);
        await world.sink.add('total', 2);
        await world.sink.put('k0', 'last');
        return seen;
      },
    });
    const r = await simulate(scenario, { seed: 1, trace: 'lean' });
    expect(r.outcome.status).toBe('completed');
    const expected = new Map<string, unknown>();
    let redone = 0;
    for (let i = 0; i < 40_000; i++) {
      const key = `k${(i * 7919) % KEYS}`;
      if (expected.has(key)) redone++;
      expected.set(key, i);
    }
    expected.set('total', 3);
    expected.set('k0', 'last');
    redone += 1; // the last put to `k0` (the add to `total` is the first add of 2 there: not a repeat)
    expect([...r.sink]).toEqual([...expected]);
    expect(r.counts.effects).toBe(40_003);
    expect(r.counts.recordsRedone).toBe(redone);
    expect(r.outcome.status === 'completed' && r.outcome.result).toEqual([0, 9_999, 19_998, 29_997, 39_996]);
  });
});

describe('the barrier', () => {
  test("without Node's synchronous tick runner (the tick barrier) a run is the same", async () => {
    const scenario = { ...ticker, records: 300 };
    const options = { seed: 3, faults: [{ kind: 'crash', at: 9_000 }, { kind: 'transient', call: 40 }] } as const;
    const sync = await simulate(scenario, options);
    const holder = process as unknown as { _tickCallback?: unknown };
    const runner = holder._tickCallback;
    holder._tickCallback = undefined;
    let ticked;
    try {
      ticked = await simulate(scenario, options);
    } finally {
      holder._tickCallback = runner;
    }
    expect(ticked.digest).toBe(sync.digest);
    expect(ticked.trace).toEqual(sync.trace);
    expect([...ticked.sink]).toEqual([...sync.sink]);
  });
});
