/**
 * What the activity sees of its simulated surroundings: `world.source`, `world.sink`,
 * `world.random()`, `world.uuid()`, and the latencies a scenario can set. The runtime that
 * implements it is `sim/world.ts`.
 */
import type { PgPool } from './postgres-api.js';

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

/** What the activity sees: `world.source`, `world.sink`, `world.random()`, `world.pg`. */
export interface World {
  /**
   * The simulated Postgres, as a node-postgres `Pool` (one per worker process: its connections
   * die with it). Only for a scenario that declares `database`; otherwise reading it throws.
   */
  readonly pg: PgPool;
  /** The scenario's service `name` (`services: { name: ... }`): the fake behind the simulator, each async method a simulated call. */
  service<T = any>(name: string): T;
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
  /** A seeded replacement for crypto.randomUUID() (a version 4 UUID). */
  uuid(): string;
  /**
   * The scenario's external system (X6): `submit(job)` sends it a copy of `job` (an RPC: it takes
   * virtual time, and rejects with a TransientError while the external system is down). Rejects
   * when the scenario declares no `external`.
   */
  readonly external: { submit(job: unknown): Promise<void> };
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
