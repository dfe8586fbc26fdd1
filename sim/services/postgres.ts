/**
 * The simulated Postgres: node-postgres-shaped pools over one real engine (sim/services/pglite-engine.ts).
 *
 * Every statement is a simulated call, as a sink call is (sim/world.ts): a latency L drawn from
 * the seed per statement; the statement reaches the server after the request half of L and runs
 * there (an effect: the fault plan's `crash beforeEffect` / `afterEffect` count statements with
 * the sink's effects); its answer returns after the whole of L. So a crash falls before the
 * statement runs (the request is lost), or after it ran but before the answer returned, or
 * between two statements of an open transaction: the connection dies with the process and the
 * server rolls the transaction back. A zombie attempt's process is alive: its statements still
 * reach the database (C5). Statements count as world calls, so `transient` faults hit them too,
 * returning a real Postgres failure: `40001` (the transaction is aborted), `57P01` (the
 * connection is terminated, its transaction rolled back) or `ECONNRESET` (the statement ran, the
 * connection is gone before the answer: committed if it was on its own, rolled back if inside a
 * transaction).
 *
 * Concurrency: the engine is one session. A connection inside a transaction holds it; statements
 * of other connections wait (in arrival order) until that transaction ends: transactions are
 * serialised (stricter than Postgres's row locks; no isolation anomalies are simulated).
 *
 * The engine's work is asynchronous but finishes in microtasks: each statement runs from an event
 * that lets microtasks settle (the scheduler's barrier), so it is done before the next event, at
 * the virtual time it reached the server. If it were not, {@link PgEngine.busy} would show it and
 * the run stops with an error rather than go on nondeterministically.
 */
import type { Owner } from '../event-queue.js';
import type { Prng } from '../prng.js';
import type { Scheduler } from '../scheduler.js';
import type { Trace } from '../trace.js';
import type { Caller, WorldServices } from '../world.js';
import type { DatabaseSnapshot, NormalizedDatabase, PgPool, PgPoolClient, PgQueryConfig, PgQueryResult, PgTransientFault } from '../../src/postgres-api.js';
import type { PgEngine } from './pglite-engine.js';
import { adminShutdown, asDatabaseError, connectionReset, notQueryable, RAISE_SERIALIZATION_FAILURE } from './pg-errors.js';

/** What node-postgres returns for int8 and numeric: strings (PGlite would parse them). */
const USER_PARSERS = { 20: (v: string) => v, 1700: (v: string) => v };

class Connection {
  dead = false;
  released = false;
  constructor(
    readonly id: number,
    readonly owner: Owner,
  ) {}
}

interface Statement {
  readonly conn: Connection;
  readonly text: string;
  readonly values: unknown[];
  readonly owner: Caller | null;
  readonly n: number;
  readonly fault: PgTransientFault | undefined;
  readonly rest: number;
  resolve(value: PgQueryResult): void;
  reject(error: unknown): void;
}

export class SimPostgres {
  /** The connection whose open transaction holds the engine. */
  private holder: Connection | null = null;
  private readonly waiting: Statement[] = [];
  private readonly connections: Connection[] = [];
  /** Statements that reached the server (each one an effect request, numbered with the sink's effects). */
  statements = 0;

  constructor(
    private readonly engine: PgEngine,
    private readonly options: NormalizedDatabase,
    private readonly world: WorldServices,
    private readonly scheduler: Scheduler,
    private readonly prng: Prng,
    private readonly trace: Trace,
  ) {}

  /** A pool for code run by `owner` (a worker process): its connections die with it. */
  pool(owner: Owner): PgPool {
    const idle: Connection[] = [];
    let ended = false;
    const acquire = (): Connection => {
      for (;;) {
        const c = idle.pop();
        if (c === undefined) break;
        if (!c.dead) return c;
      }
      const c = new Connection(this.connections.length + 1, owner);
      this.connections.push(c);
      return c;
    };
    const pool: PgPool = {
      query: <R>(text: string | PgQueryConfig, values?: readonly unknown[]) => {
        if (ended) return Promise.reject(new Error('Cannot use a pool after calling end on the pool'));
        const c = acquire();
        return this.query(c, text, values).then(
          (r) => {
            if (!c.dead) idle.push(c);
            return r as PgQueryResult<R>;
          },
          (e: unknown) => {
            if (!c.dead) idle.push(c);
            throw e;
          },
        );
      },
      connect: () => {
        if (ended) return Promise.reject(new Error('Cannot use a pool after calling end on the pool'));
        const c = acquire();
        c.released = false;
        const client: PgPoolClient = {
          query: <R>(text: string | PgQueryConfig, values?: readonly unknown[]) => this.query(c, text, values) as Promise<PgQueryResult<R>>,
          release: (err?: Error | boolean) => {
            if (c.released) throw new Error('Release called on client which has already been released to the pool.');
            c.released = true;
            if (err !== undefined && err !== false) this.close(c, 'the client was released with an error (node-postgres closes the connection)');
            else if (!c.dead) idle.push(c);
          },
        };
        return Promise.resolve(client);
      },
      end: () => {
        ended = true;
        return Promise.resolve();
      },
      on: () => pool,
    };
    return pool;
  }

  /** `owner` died (a crash): its connections close; the server rolls back their open transaction. */
  onOwnerDied(owner: Owner): void {
    for (const c of this.connections) if (c.owner === owner && !c.dead) this.close(c, 'its worker process died');
  }

  /** Close `c`; if it holds a transaction, the server rolls it back (now, in an event of its own). */
  private close(c: Connection, why: string): void {
    c.dead = true;
    if (this.holder !== c) return;
    this.scheduler.at(this.scheduler.now, () => {
      this.engine.busy++;
      void this.engine.db.exec('ROLLBACK').finally(() => {
        this.engine.busy--;
        this.trace.record({ t: this.scheduler.now, type: 'sql', attempt: 0, conn: c.id, sql: 'ROLLBACK', params: [], outcome: `server rolled back the open transaction: ${why}` });
        this.release(c);
      });
    }, undefined, null, true);
  }

  private query(c: Connection, textOrConfig: string | PgQueryConfig, values: readonly unknown[] | undefined): Promise<PgQueryResult> {
    const config = typeof textOrConfig === 'object' && textOrConfig !== null ? textOrConfig : undefined;
    const text = config !== undefined ? config.text : textOrConfig;
    if (typeof text !== 'string') return Promise.reject(new TypeError(`pool.query: the query must be a string or { text, values }, got ${typeof text}`));
    const params = [...(values ?? config?.values ?? [])];
    if (c.dead) return Promise.reject(notQueryable());
    const s = this.scheduler;
    const owner = s.current as Caller | null;
    const n = ++this.world.calls;
    const range = this.options.latency;
    let l = range.min === range.max ? range.min : this.prng.int(range.min, range.max);
    const planned = this.world.faultFor?.(n, 'sql', text);
    let fault: PgTransientFault | undefined;
    if (planned !== undefined) {
      l += planned.extraLatencyMs;
      if (planned.transient) fault = this.options.faults[this.options.faults.length === 1 ? 0 : this.prng.int(0, this.options.faults.length - 1)];
      this.trace.record({ t: s.now, type: 'worldFault', attempt: owner?.attempt ?? 0, call: n, op: 'sql', key: shortSql(text), fault: planned.transient ? 'transient' : 'slow', ms: l });
    }
    const half = Math.floor(l / 2);
    return new Promise<PgQueryResult>((resolve, reject) => {
      const st: Statement = { conn: c, text, values: params, owner, n, fault, rest: l - half, resolve, reject };
      s.at(s.now + half, (x) => this.arrive(x), st, owner, true);
    });
  }

  /** The statement reached the server. */
  private arrive(st: Statement): void {
    if (st.conn.dead) return this.answer(st, undefined, notQueryable());
    if (this.holder !== null && this.holder !== st.conn) {
      this.waiting.push(st);
      return;
    }
    this.execute(st);
  }

  private execute(st: Statement): void {
    const world = this.world;
    const n = ++world.effectRequests;
    this.statements++;
    world.beforeEffect?.(n);
    if (st.owner !== null && !st.owner.alive) return; // crashed before the statement ran: the request is lost
    const engine = this.engine;
    if (engine.busy > 0) throw new Error('hbsim: the Postgres engine had not finished a statement before the next one (PGlite did work outside microtasks): the run cannot stay deterministic');
    if (st.fault === 'admin_shutdown') {
      // Terminated before the statement ran: nothing executes.
      engine.busy++;
      return this.executed(st, n, undefined, undefined);
    }
    const sql = st.fault === 'serialization_failure' ? RAISE_SERIALIZATION_FAILURE : st.text;
    engine.busy++;
    engine.db.query(sql, st.fault === 'serialization_failure' ? [] : st.values, { parsers: USER_PARSERS }).then(
      (r) => this.executed(st, n, r, undefined),
      (e: unknown) => this.executed(st, n, undefined, asDatabaseError(e)),
    );
  }

  private executed(st: Statement, n: number, r: { command?: string; rowCount?: number; affectedRows?: number; rows: unknown[]; fields: { name: string; dataTypeID: number }[] } | undefined, error: unknown): void {
    const engine = this.engine;
    const finish = (result: PgQueryResult | undefined, err: unknown): void => {
      engine.busy--;
      const attempt = st.owner?.attempt ?? 0;
      const outcome = err !== undefined ? `failed: ${describe(err)}` : `${result!.command}${result!.rowCount === null ? '' : ` ${result!.rowCount}`}`;
      this.trace.record({ t: this.scheduler.now, type: 'sql', attempt, conn: st.conn.id, sql: st.text, params: st.values, outcome });
      const inTx = engine.db.isInTransaction();
      if (inTx) this.holder = st.conn;
      else this.release(st.conn);
      if (st.fault === 'admin_shutdown' || st.fault === 'connection_reset') {
        this.close(st.conn, st.fault === 'admin_shutdown' ? 'the server terminated the connection (57P01 admin_shutdown)' : 'the connection was reset after the statement ran');
      }
      this.world.onEffect?.(n);
      this.answer(st, result, err);
    };
    if (st.fault === 'admin_shutdown') return finish(undefined, adminShutdown());
    if (st.fault === 'connection_reset') return finish(undefined, connectionReset());
    if (r === undefined) {
      if (st.fault === 'serialization_failure' && /^\s*(commit|end)\b/i.test(st.text) && engine.db.isInTransaction()) {
        // A COMMIT that fails with 40001 ends the transaction: rolled back.
        void engine.db.exec('ROLLBACK').then(() => finish(undefined, error), (e: unknown) => finish(undefined, asDatabaseError(e)));
        return;
      }
      return finish(undefined, error);
    }
    finish({ command: r.command ?? '', rowCount: rowCountOf(r), rows: r.rows as Record<string, unknown>[], fields: r.fields }, undefined);
  }

  /** `c`'s transaction ended: the engine is free; waiting statements run in arrival order. */
  private release(c: Connection): void {
    if (this.holder !== null && this.holder !== c) return;
    this.holder = null;
    const next = this.waiting.shift();
    if (next === undefined) return;
    this.scheduler.at(this.scheduler.now, (st) => {
      if (st.owner !== null && !st.owner.alive) return this.release(c);
      this.arrive(st);
    }, next, null, true);
  }

  private answer(st: Statement, result: PgQueryResult | undefined, error: unknown): void {
    if (st.owner !== null && !st.owner.alive) return;
    this.scheduler.at(this.scheduler.now + st.rest, () => (error !== undefined ? st.reject(error) : st.resolve(result!)), undefined, st.owner, true);
  }

  /** After the run: roll back a transaction a zombie left open, and read every table. */
  async finish(): Promise<DatabaseSnapshot> {
    if (this.engine.db.isInTransaction()) {
      await this.engine.db.exec('ROLLBACK');
      this.trace.record({ t: this.scheduler.now, type: 'sql', attempt: 0, conn: this.holder?.id ?? 0, sql: 'ROLLBACK', params: [], outcome: 'a transaction was still open when the simulation ended: rolled back' });
    }
    this.holder = null;
    return this.engine.snapshot(this.options.ignoreColumns);
  }
}

function rowCountOf(r: { command?: string; rowCount?: number; rows: unknown[] }): number | null {
  switch (r.command) {
    case 'INSERT': case 'UPDATE': case 'DELETE': case 'MERGE': case 'SELECT': case 'COPY': case 'FETCH': case 'MOVE':
      return r.rowCount ?? r.rows.length;
    default:
      return null;
  }
}

function describe(error: unknown): string {
  const e = error as { code?: unknown; message?: unknown };
  return `${typeof e.code === 'string' ? `${e.code} ` : ''}${String(e.message ?? error)}`;
}

/** The start of a statement, one line, for fault lines. */
export function shortSql(text: string): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > 60 ? `${one.slice(0, 57)}...` : one;
}
