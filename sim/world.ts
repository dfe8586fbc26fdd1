/**
 * The world the activity talks to: a record source and a sink, each call taking virtual time.
 *
 * Fault model: a call's latency L is drawn per call (so concurrent calls can finish out of
 * order). A sink call applies its effect after the request half of L and returns after the
 * whole of L, so a crash can fall before the effect, or after it but before the call returns.
 */
import type { Owner, ScheduledEvent } from './event-queue.js';
import type { Prng } from './prng.js';
import type { Scheduler } from './scheduler.js';
import type { Trace } from './trace.js';
import { HbsimConfigError, TransientError } from '../src/errors.js';
import { fingerprint } from './digest.js';
import type { SimPostgres } from './services/postgres.js';
import type { ClientServices } from './services/client-service.js';
import type { AddOptions, LatencyRange, SourceRecord, World, WorldLatencies } from '../src/world-api.js';
import type { PgPool } from '../src/postgres-api.js';
export type { AddOptions, LatencyRange, SourceRecord, World, WorldLatencies } from '../src/world-api.js';
export { DEFAULT_LATENCIES } from '../src/world-api.js';

/** Who is calling: the running attempt (0 when no attempt is running). */
export interface Caller extends Owner {
  readonly attempt: number;
}

/**
 * The source's records, drawn from `prng` at the start of the run but kept as one 32-bit amount
 * per record (4 bytes); a record object and its key are made when a read returns it. A run of
 * N records then holds 4N bytes for the source instead of an object and a key string per
 * record (about 88 bytes), and every read hands out fresh objects, as a real database would (a
 * record the activity mutates is not mutated for the next attempt).
 */
export class SourceRecords {
  readonly length: number;
  private readonly amounts: Int32Array;
  /** Digits of the zero-padded offset in a key (at least 6). */
  private readonly width: number;

  constructor(size: number, prng: Prng) {
    this.length = size;
    this.width = Math.max(6, String(size).length);
    const amounts = new Int32Array(size);
    for (let offset = 0; offset < size; offset++) amounts[offset] = prng.int(100, 100_000);
    this.amounts = amounts;
  }

  /** Records [start, end), clamped to the source, like `Array.prototype.slice` for start >= 0. */
  slice(start: number, end: number): SourceRecord[] {
    const stop = Math.min(end, this.length);
    const out: SourceRecord[] = [];
    // The key is `rec-` and the offset's digits, zero-padded to `width`: a head made once per
    // thousand records, then its last three digits from a table (one concatenation per record).
    let head = '';
    let thousand = -1;
    for (let offset = start; offset < stop; offset++) {
      const low = offset % 1000;
      const t = (offset - low) / 1000;
      if (t !== thousand) {
        thousand = t;
        head = `rec-${String(t).padStart(this.width - 3, '0')}`;
      }
      out.push({ offset, key: head + THREE_DIGITS[low]!, amount: this.amounts[offset]! });
    }
    return out;
  }
}

/** Generate `size` records from `prng` (the record objects are made as they are read). */
export function generateRecords(size: number, prng: Prng): SourceRecords {
  return new SourceRecords(size, prng);
}

/** '000' to '999'. */
const THREE_DIGITS: readonly string[] = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));

/** Puts logged before they are written into the sink (key and value: two entries each). */
const PUT_BATCH = 2 * 32_768;

/**
 * The most entries one JavaScript Map or Set holds (V8: 2^24; one more throws "Map maximum size
 * exceeded"). The sink keeps its keys in a Map and the idempotency keys of adds in Sets.
 */
export const MAX_SINK_ENTRIES = 2 ** 24;

/**
 * A run that writes more distinct sink keys (or add idempotency keys) than one Map or Set holds:
 * a limit of the simulator, not a failure of the activity, so it stops the run instead of
 * reaching the activity as the call's error.
 */
export class SinkCapacityError extends HbsimConfigError {
  constructor(what: string, limit: number) {
    super('records', limit, `a scenario whose run writes at most ${limit.toLocaleString('en-US')} ${what} (the most one JavaScript Map or Set holds): fewer records, or fewer distinct keys (totals per account, not per record)`, `the run wrote more than ${limit.toLocaleString('en-US')} ${what}`);
  }
}

/** The state of the simulated services, shared by every worker process. */
export class WorldServices {
  /** {@link MAX_SINK_ENTRIES}; lowered by tests to reach the limit in a small run. */
  static maxEntries = MAX_SINK_ENTRIES;
  private readonly sinkMap = new Map<string, unknown>();
  /**
   * Puts applied but not yet written into `sinkMap`, in order: key, value, key, value, ... Puts
   * only write, so they are written in batches (a tight loop over a large Map is much cheaper
   * than one write between every two steps of the simulation), before anything reads the sink.
   */
  private readonly putLog: unknown[] = [];
  /** Entries in use in `putLog` (it keeps its length after a batch: no regrowth). */
  private putLogLength = 0;
  private redone = 0;
  private readonly seenIdempotencyKeys = new Set<string>();
  /** What each add stood for (its idempotency key, else key and delta), to count redone adds. */
  private readonly addIdentities = new Set<string>();
  effects = 0;
  /** Sink effects that reached the server (put/add requests), applied or not: effect #n is the n-th. */
  effectRequests = 0;
  /** Called right after effect #n is applied (fault injection hooks here). */
  onEffect: ((count: number) => void) | undefined;
  /** Called right before effect number `n` is applied (a crash here: the request is lost). */
  beforeEffect: ((n: number) => void) | undefined;
  /** Faults for call number `n` (1-based, every call counts): a transient error, extra latency. */
  faultFor: ((n: number, op: string, key: string) => { readonly transient: boolean; readonly extraLatencyMs: number } | undefined) | undefined;
  /** World calls made so far. */
  calls = 0;
  /** The scenario's services (user clients behind the simulator). */
  clients: ClientServices | undefined;
  /** The simulated Postgres, for a scenario with a `database`. */
  postgres: SimPostgres | undefined;
  /** Calls answered, for reuse (a few are in flight at a time). */
  readonly freeCalls: PendingCall[] = [];
  /** `world.external` (the simulation sets it when the scenario declares an external system, X6). */
  external: World['external'] = {
    submit: () => Promise.reject(new Error("hbsim: world.external.submit(job) was called, but the scenario declares no `external` system (see the README's 'Async completion')")),
  };

  constructor(
    readonly records: SourceRecords,
    private readonly latencies: WorldLatencies,
    private readonly scheduler: Scheduler,
    private readonly prng: Prng,
    private readonly randomPrng: Prng,
    private readonly trace: Trace,
  ) {}

  /** Schedule the answer of `call` (the response half): the same object goes back on the agenda. */
  answerLater(call: PendingCall): void {
    call.at = this.scheduler.now + call.rest;
    call.fn = answerCall;
    call.wakes = true;
    this.scheduler.insert(call);
  }

  private latency(range: LatencyRange): number {
    return range.min === range.max ? range.min : this.prng.int(range.min, range.max);
  }

  private caller(): Caller | null {
    return this.scheduler.current as Caller | null;
  }

  /** The sink's content, in the order keys were first written. */
  get sink(): Map<string, unknown> {
    this.writePuts();
    return this.sinkMap;
  }

  /** Effects applied to a key that already had one. */
  get redoneEffects(): number {
    this.writePuts();
    return this.redone;
  }

  /** Count an effect; `existed`: the key had been written before (only effects write the sink). */
  private countEffect(existed: boolean): void {
    this.effects++;
    if (existed) this.redone++;
  }

  /** Write the logged puts into the sink, in order. */
  private writePuts(): void {
    const log = this.putLog;
    const n = this.putLogLength;
    if (n === 0) return;
    const sink = this.sinkMap;
    const max = WorldServices.maxEntries;
    let redone = 0;
    for (let i = 0; i < n; i += 2) {
      const size = sink.size;
      if (size >= max && !sink.has(log[i] as string)) throw new SinkCapacityError('distinct sink keys', max);
      sink.set(log[i] as string, log[i + 1]);
      if (sink.size === size) redone++;
    }
    this.redone += redone;
    log.fill(undefined, 0, n);
    this.putLogLength = 0;
  }

  /** A call of latency `l`: `apply(call)` after the request half, the answer after all of it. */
  private call(range: LatencyRange, op: CallOp, key: string, value: unknown, idempotencyKey: string | undefined): Promise<unknown> {
    let l = this.latency(range);
    const n = ++this.calls;
    const fault = this.faultFor?.(n, OP_NAMES[op], key);
    if (fault !== undefined) {
      if (fault.extraLatencyMs > 0) l += fault.extraLatencyMs;
      this.trace.record({ t: this.scheduler.now, type: 'worldFault', attempt: this.caller()?.attempt ?? 0, call: n, op: OP_NAMES[op], key, fault: fault.transient ? 'transient' : 'slow', ms: l });
    }
    const half = Math.floor(l / 2);
    const call = this.freeCalls.pop() ?? new PendingCall(this);
    call.op = op;
    call.key = key;
    // A sink effect's key is hashed into the trace's digest: take its fingerprint now (see `fingerprint`).
    call.keyPrint = op >= OP_PUT ? fingerprint(key) : 0;
    call.value = value;
    call.idempotencyKey = idempotencyKey;
    call.owner = this.caller();
    call.at = this.scheduler.now + half;
    call.rest = l - half;
    call.transient = fault?.transient === true;
    call.wakes = false;
    const promise = new Promise(capture);
    call.resolve = captured.resolve;
    call.reject = captured.reject;
    this.scheduler.insert(call);
    return promise;
  }

  /** The effect of a call, at the server (runs at the end of the request half). */
  apply(call: PendingCall): unknown {
    if (call.transient) throw new TransientError(`world.${OP_NAMES[call.op]}(${call.op === OP_READ ? String(call.value) : call.key}) failed: injected transient error`);
    if (call.op >= OP_PUT) {
      const n = ++this.effectRequests; // not inside `?.()`: its arguments are skipped when the hook is unset
      this.beforeEffect?.(n);
      if (call.owner !== null && !call.owner.alive) return undefined; // crashed just before the effect
    }
    switch (call.op) {
      case OP_READ: {
        const offset = call.value as number;
        return this.records.slice(offset, offset + Number(call.key));
      }
      case OP_GET:
        return this.sink.get(call.key);
      case OP_PUT: {
        const log = this.putLog;
        const i = this.putLogLength;
        if (i < log.length) {
          log[i] = call.key;
          log[i + 1] = call.value;
        } else log.push(call.key, call.value);
        this.putLogLength = i + 2;
        this.effects++; // and a redone effect, if so, when the batch is written
        if (i + 2 === PUT_BATCH) this.writePuts();
        this.trace.effect(this.scheduler.now, call.owner?.attempt ?? 0, 'put', call.key, call.value, true, call.keyPrint);
        this.onEffect?.(this.effectRequests);
        return undefined;
      }
      default: {
        const sink = this.sink;
        const idem = call.idempotencyKey;
        const applied = idem === undefined || !this.seenIdempotencyKeys.has(idem);
        if (applied) {
          const before = sink.get(call.key) ?? 0;
          if (typeof before !== 'number') throw new TypeError(`world.sink.add: ${call.key} holds a ${typeof before}, not a number`);
          if (idem !== undefined) this.seenIdempotencyKeys.add(this.capped(this.seenIdempotencyKeys, idem, 'idempotency keys of adds'));
          if (sink.size >= WorldServices.maxEntries && !sink.has(call.key)) throw new SinkCapacityError('distinct sink keys', WorldServices.maxEntries);
          sink.set(call.key, before + (call.value as number));
        }
        // An add repeats an earlier one when its idempotency key was seen, or (without one) the
        // same delta was added to the same key before: the same record, done again.
        const identity = idem === undefined ? `${call.key}\u0000${String(call.value)}` : `\u0001${idem}`;
        const repeated = !applied || this.addIdentities.has(identity);
        this.addIdentities.add(this.capped(this.addIdentities, identity, 'distinct adds'));
        this.countEffect(repeated);
        this.trace.effect(this.scheduler.now, call.owner?.attempt ?? 0, 'add', call.key, call.value, applied, call.keyPrint);
        this.onEffect?.(this.effectRequests);
        return undefined;
      }
    }
  }

  /** `value`, if `set` can take it (it holds it already, or has room): see {@link MAX_SINK_ENTRIES}. */
  private capped(set: Set<string>, value: string, what: string): string {
    if (set.size >= WorldServices.maxEntries && !set.has(value)) throw new SinkCapacityError(what, WorldServices.maxEntries);
    return value;
  }

  /** The facade handed to the activity factory. */
  facade(): World {
    const latencies = this.latencies;
    const postgres = this.postgres;
    // One pool per worker process (the owner of the code that made the facade): its connections die with it.
    const owner = this.scheduler.current;
    let pool: PgPool | undefined;
    return {
      service: <T>(name: string): T => {
        if (this.clients === undefined) throw new Error(`world.service('${name}'): the scenario declares no services`);
        return this.clients.client(name) as T;
      },
      get pg(): PgPool {
        if (postgres === undefined || owner === null) throw new Error('world.pg: this scenario declares no database; add database: { schema: "CREATE TABLE ..." } to it');
        pool ??= postgres.pool(owner);
        return pool;
      },
      source: {
        size: this.records.length,
        read: (offset, limit) => {
          if (!Number.isInteger(offset) || offset < 0) return Promise.reject(new RangeError(`world.source.read: offset must be a non-negative integer, got ${String(offset)}`));
          if (!Number.isInteger(limit) || limit < 0) return Promise.reject(new RangeError(`world.source.read: limit must be a non-negative integer, got ${String(limit)}`));
          return this.call(latencies.read, OP_READ, String(limit), offset, undefined) as Promise<SourceRecord[]>;
        },
      },
      sink: {
        put: (key, value) => this.call(latencies.put, OP_PUT, checkKey(key, 'put'), value, undefined) as Promise<void>,
        add: (key, delta, options) => {
          if (typeof delta !== 'number' || !Number.isFinite(delta)) return Promise.reject(new TypeError(`world.sink.add: delta must be a finite number, got ${String(delta)}`));
          return this.call(latencies.add, OP_ADD, checkKey(key, 'add'), delta, options?.idempotencyKey) as Promise<void>;
        },
        get: (key) => this.call(latencies.get, OP_GET, String(key), undefined, undefined),
      },
      external: this.external,
      random: () => this.randomPrng.float(),
      uuid: () => {
        const hex = (n: number): string => this.randomPrng.int(0, 16 ** n - 1).toString(16).padStart(n, '0');
        return `${hex(8)}-${hex(4)}-4${hex(3)}-${(8 + this.randomPrng.int(0, 3)).toString(16)}${hex(3)}-${hex(6)}${hex(6)}`;
      },
    };
  }
}

const OP_READ = 0;
const OP_GET = 1;
const OP_PUT = 2;
const OP_ADD = 3;
type CallOp = typeof OP_READ | typeof OP_GET | typeof OP_PUT | typeof OP_ADD;
const OP_NAMES = ['source.read', 'sink.get', 'sink.put', 'sink.add'] as const;

function checkKey(key: unknown, op: string): string {
  if (typeof key !== 'string') throw new TypeError(`world.sink.${op}: key must be a string, got ${typeof key}`);
  return key;
}

/**
 * One call in flight, and its own event on the agenda: first at the end of the request half
 * (`applyCall`), then, put back, at the end of the response half (`answerCall`). One object per
 * call in flight, reused once answered, static handlers: the hot path allocates little.
 */
class PendingCall implements ScheduledEvent<PendingCall> {
  resolve: (value: unknown) => void = noop;
  reject: (error: unknown) => void = noop;
  result: unknown = undefined;
  error: unknown = undefined;
  failed = false;
  seq = 0;
  /** An injected transient error: the call fails after its latency, with no effect. */
  transient = false;
  fn: (call: PendingCall) => void = applyCall;
  readonly arg: PendingCall = this;
  wakes = false;
  cancelled = false;
  op: CallOp = OP_READ;
  key = '';
  /** `fingerprint(key)` of a sink call (put, add). */
  keyPrint = 0;
  value: unknown = undefined;
  idempotencyKey: string | undefined = undefined;
  owner: Caller | null = null;
  /** When the effect happens (end of the request half). */
  at = 0;
  /** The response half of the latency. */
  rest = 0;

  constructor(readonly world: WorldServices) {}
}

function noop(): void {}

/** The resolving functions of the promise being made (a static executor: no closure per call). */
const captured: { resolve: (value: unknown) => void; reject: (error: unknown) => void } = { resolve: noop, reject: noop };
function capture(resolve: (value: unknown) => void, reject: (error: unknown) => void): void {
  captured.resolve = resolve;
  captured.reject = reject;
}

function applyCall(call: PendingCall): void {
  try {
    call.result = call.world.apply(call);
  } catch (error) {
    if (error instanceof SinkCapacityError) throw error; // the simulator's limit: stop the run
    call.failed = true;
    call.error = error;
  }
  if (call.owner === null || call.owner.alive) call.world.answerLater(call);
}

function answerCall(call: PendingCall): void {
  if (call.failed) call.reject(call.error);
  else call.resolve(call.result);
  // Done: reuse it. The scheduler still reads `wakes` (true) after this returns; a new call
  // resets everything else, and nothing of this one is kept alive meanwhile.
  call.resolve = noop;
  call.reject = noop;
  call.result = undefined;
  call.error = undefined;
  call.failed = false;
  call.fn = applyCall;
  call.key = '';
  call.value = undefined;
  call.idempotencyKey = undefined;
  call.owner = null;
  call.world.freeCalls.push(call);
}
