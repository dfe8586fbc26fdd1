/**
 * The world the activity talks to: a record source and a sink, each call taking virtual time.
 *
 * Fault model: a call's latency L is drawn per call (so concurrent calls can finish out of
 * order). A sink call applies its effect after the request half of L and returns after the
 * whole of L, so a crash can fall before the effect, or after it but before the call returns.
 */
import type { Owner } from './event-queue.js';
import type { Prng } from './prng.js';
import type { Scheduler } from './scheduler.js';
import type { Trace } from './trace.js';

/** One record of the source. Keys are unique. */
export interface SourceRecord {
  readonly offset: number;
  readonly key: string;
  /** An amount in cents, drawn from the seed. */
  readonly amount: number;
}

export interface AddOptions {
  /** A repeated idempotency key makes the add a no-op. */
  readonly idempotencyKey?: string;
}

/** What the activity sees: `world.source`, `world.sink`, `world.random()`. */
export interface World {
  readonly source: {
    /** Number of records. */
    readonly size: number;
    /** Up to `limit` records from `offset` (fewer at the end). */
    read(offset: number, limit: number): Promise<SourceRecord[]>;
  };
  readonly sink: {
    /** Overwrite `key` with `value`: idempotent. */
    put(key: string, value: unknown): Promise<void>;
    /** Add `delta` to the number at `key` (0 if absent). A repeated `idempotencyKey` is a no-op. */
    add(key: string, delta: number, options?: AddOptions): Promise<void>;
    get(key: string): Promise<unknown>;
  };
  /** A seeded replacement for Math.random(): deterministic under replay. */
  random(): number;
}

/** Latency of one kind of call: [min, max] ms, drawn uniformly per call (min = max: constant). */
export interface LatencyRange {
  readonly min: number;
  readonly max: number;
}

export interface WorldLatencies {
  readonly read: LatencyRange;
  readonly put: LatencyRange;
  readonly add: LatencyRange;
  readonly get: LatencyRange;
}

/** Realistic defaults (ms): a paged read from a database, a write to a service. */
export const DEFAULT_LATENCIES: WorldLatencies = {
  read: { min: 5, max: 40 },
  put: { min: 2, max: 12 },
  add: { min: 2, max: 12 },
  get: { min: 1, max: 8 },
};

/** Who is calling: the running attempt (0 when no attempt is running). */
export interface Caller extends Owner {
  readonly attempt: number;
}

/** Generate `size` records from `prng`. */
export function generateRecords(size: number, prng: Prng): SourceRecord[] {
  const records: SourceRecord[] = new Array(size);
  const width = Math.max(6, String(size).length);
  for (let offset = 0; offset < size; offset++) {
    records[offset] = { offset, key: `rec-${String(offset).padStart(width, '0')}`, amount: prng.int(100, 100_000) };
  }
  return records;
}

/** The state of the simulated services, shared by every worker process. */
export class WorldServices {
  /** The sink's content, in the order keys were first written. */
  readonly sink = new Map<string, unknown>();
  private readonly seenIdempotencyKeys = new Set<string>();
  /** How many effects each key received (to count redone records). */
  private readonly effectCount = new Map<string, number>();
  /** Effects applied to a key that already had one. */
  redoneEffects = 0;
  effects = 0;
  /** Called right after each effect is applied, with the running count (fault injection hooks here). */
  onEffect: ((count: number) => void) | undefined;

  constructor(
    readonly records: readonly SourceRecord[],
    private readonly latencies: WorldLatencies,
    private readonly scheduler: Scheduler,
    private readonly prng: Prng,
    private readonly randomPrng: Prng,
    private readonly trace: Trace,
  ) {}

  private latency(range: LatencyRange): number {
    return range.min === range.max ? range.min : this.prng.int(range.min, range.max);
  }

  private caller(): Caller | null {
    return this.scheduler.current as Caller | null;
  }

  private countEffect(key: string): void {
    this.effects++;
    const n = this.effectCount.get(key) ?? 0;
    if (n > 0) this.redoneEffects++;
    this.effectCount.set(key, n + 1);
  }

  private afterEffect(): void {
    this.onEffect?.(this.effects);
  }

  /** A call of latency `l`: the effect after the request half, the answer after all of it. */
  private call<T>(range: LatencyRange, effect: () => T): Promise<T> {
    const scheduler = this.scheduler;
    const owner = this.caller();
    const l = this.latency(range);
    const half = Math.floor(l / 2);
    return new Promise<T>((resolve, reject) => {
      scheduler.after(
        half,
        () => {
          let value: T;
          try {
            value = effect();
          } catch (error) {
            scheduler.after(l - half, reject, error, owner, true);
            return;
          }
          scheduler.after(l - half, resolve, value, owner, true);
        },
        undefined,
        owner,
        false,
      );
    });
  }

  /** The facade handed to the activity factory. */
  facade(): World {
    const records = this.records;
    const latencies = this.latencies;
    const sink = this.sink;
    return {
      source: {
        size: records.length,
        read: (offset, limit) => {
          if (!Number.isInteger(offset) || offset < 0) return Promise.reject(new RangeError(`world.source.read: offset must be a non-negative integer, got ${String(offset)}`));
          if (!Number.isInteger(limit) || limit < 0) return Promise.reject(new RangeError(`world.source.read: limit must be a non-negative integer, got ${String(limit)}`));
          return this.call(latencies.read, () => records.slice(offset, offset + limit));
        },
      },
      sink: {
        put: (key, value) =>
          this.call(latencies.put, () => {
            sink.set(key, value);
            this.countEffect(key);
            this.trace.record({ t: this.scheduler.now, type: 'effect', attempt: this.caller()?.attempt ?? 0, op: 'put', key, value, applied: true });
            this.afterEffect();
          }),
        add: (key, delta, options) => {
          if (typeof delta !== 'number' || !Number.isFinite(delta)) return Promise.reject(new TypeError(`world.sink.add: delta must be a finite number, got ${String(delta)}`));
          return this.call(latencies.add, () => {
            const idem = options?.idempotencyKey;
            const applied = idem === undefined || !this.seenIdempotencyKeys.has(idem);
            if (applied) {
              if (idem !== undefined) this.seenIdempotencyKeys.add(idem);
              const before = sink.get(key) ?? 0;
              if (typeof before !== 'number') throw new TypeError(`world.sink.add: ${key} holds a ${typeof before}, not a number`);
              sink.set(key, before + delta);
            }
            this.countEffect(key);
            this.trace.record({ t: this.scheduler.now, type: 'effect', attempt: this.caller()?.attempt ?? 0, op: 'add', key, value: delta, applied });
            this.afterEffect();
          });
        },
        get: (key) => this.call(latencies.get, () => sink.get(key)),
      },
      random: () => this.randomPrng.float(),
    };
  }
}
