/**
 * What an activity sees of the simulated Postgres: a pool shaped like node-postgres's `pg.Pool`
 * (`query(text, values)` -> `{ rows, rowCount }`, `connect()` -> a client with `query` and
 * `release()`), and what a scenario says about its database. Structural types: no dependency on
 * `pg`. The runtime is `sim/services/postgres.ts` over a real Postgres (PGlite, WASM).
 */
import type { LatencyRange } from './world-api.js';

/** A query as node-postgres takes it: text and values. */
export interface PgQueryConfig {
  readonly text: string;
  readonly values?: readonly unknown[];
}

/** The answer to a query, as node-postgres gives it (`int8` and `numeric` come back as strings, as in `pg`). */
export interface PgQueryResult<R = Record<string, any>> {
  /** The command of the statement: `SELECT`, `INSERT`, `UPDATE`, `BEGIN`, ... */
  readonly command: string;
  /** Rows returned, or changed by INSERT/UPDATE/DELETE; null for commands without a count. */
  readonly rowCount: number | null;
  readonly rows: R[];
  readonly fields: readonly { readonly name: string; readonly dataTypeID: number }[];
}

/** Anything that runs a query: a pool or a checked-out client. */
export interface PgQueryable {
  query<R = Record<string, any>>(text: string | PgQueryConfig, values?: readonly unknown[]): Promise<PgQueryResult<R>>;
}

/** A dedicated connection from {@link PgPool.connect}: `BEGIN` ... `COMMIT` on it is one transaction. */
export interface PgPoolClient extends PgQueryable {
  /** Back to the pool; with an error (or `true`) the connection is closed (an open transaction is rolled back by the server). */
  release(err?: Error | boolean): void;
}

/** The simulated `pg.Pool`. Hand it to your activity factory (`createActivities({ pool })`). */
export interface PgPool extends PgQueryable {
  connect(): Promise<PgPoolClient>;
  end(): Promise<void>;
  /** Accepted and ignored (user code registers `pool.on('error', ...)`). */
  on(event: string, listener: (...args: any[]) => void): this;
}

/** The Postgres errors a transient fault can return (see {@link DatabaseOptions.faults}). */
export type PgTransientFault = 'serialization_failure' | 'admin_shutdown' | 'connection_reset';

/** `scenario.database`: the schema every run starts from. */
export interface DatabaseOptions {
  /** SQL run once per engine (CREATE TABLE ...): every table needs a primary key to be compared row by row. */
  readonly schema: string;
  /** SQL run at the start of every run (INSERT ... seed rows); the database is reset to schema + seed before each run. */
  readonly seed?: string;
  /** Latency of one statement, drawn per statement; default 1-6 ms. */
  readonly latency?: string | number | { readonly min: string | number; readonly max: string | number };
  /** Which errors an injected transient fault returns, drawn per fault from the seed; default all three. */
  readonly faults?: readonly PgTransientFault[];
  /** Columns left out of the comparison with the fault-free run (`table.column`), besides timestamp columns. */
  readonly ignoreColumns?: readonly string[];
}

/** A normalised {@link DatabaseOptions}. */
export interface NormalizedDatabase {
  readonly schema: string;
  readonly seed: string;
  readonly latency: LatencyRange;
  readonly faults: readonly PgTransientFault[];
  readonly ignoreColumns: readonly string[];
}

export const DEFAULT_STATEMENT_LATENCY: LatencyRange = { min: 1, max: 6 };
export const PG_TRANSIENT_FAULTS: readonly PgTransientFault[] = ['serialization_failure', 'admin_shutdown', 'connection_reset'];

/** One table's rows at the end of a run, keyed by primary key (`id=acc-1`, `a=1,b=2`). */
export interface TableSnapshot {
  readonly table: string;
  /** Primary-key columns (empty: no primary key; rows are then keyed by their whole content). */
  readonly key: readonly string[];
  /** Columns not compared: `timestamp`/`timestamptz` ones (they record when, which faults change) and `database.ignoreColumns`. */
  readonly volatile: readonly string[];
  readonly rows: ReadonlyMap<string, Readonly<Record<string, unknown>>>;
}

/** Every user table at the end of a run, by name (`schema.table` outside `public`). */
export type DatabaseSnapshot = ReadonlyMap<string, TableSnapshot>;
