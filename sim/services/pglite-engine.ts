/**
 * One real Postgres (PGlite: Postgres compiled to WASM, in process) per thread, made once and
 * reset between runs. Creating one costs seconds; a reset costs a few milliseconds:
 * - the schema runs once per engine (again only when a scenario brings another schema, or a run
 *   changed the set of tables or sequences, e.g. DDL in the activity);
 * - before each run: roll back anything left open, `TRUNCATE` every user table `RESTART
 *   IDENTITY` (owned sequences back to their start), every other sequence set back to the value
 *   it had after the schema, the seed SQL run again, and `setseed()` from the run's seed.
 *
 * Determinism: PGlite reads the clock through `Date.now()`/`performance.now()`, which the
 * scheduler fakes while a run is on, so `now()`, `clock_timestamp()` and `statement_timestamp()`
 * follow the virtual clock. `random()` follows `setseed()`. `gen_random_uuid()`, `uuidv4()` and
 * `uuidv7()` read the operating system's random source: they are replaced (in `pg_catalog`) by
 * SQL functions drawing from `random()`, so they follow the seed too. What still differs between
 * runs in one thread: transaction ids (`txid_current()`, `xmin`), OIDs, `ctid` of updated rows.
 */
import type { DatabaseSnapshot, NormalizedDatabase, TableSnapshot } from '../../src/postgres-api.js';

/** A user table or sequence (schema-qualified, quoted for SQL). */
interface Relation {
  readonly sql: string;
  readonly name: string;
}

interface Layout {
  readonly tables: readonly (Relation & { readonly key: readonly string[] })[];
  /** Sequences not owned by a column (`RESTART IDENTITY` does not reach them), with their state after the schema. */
  readonly sequences: readonly (Relation & { readonly last: string; readonly called: boolean })[];
  /** Every sequence and table, to notice DDL done by a run. */
  readonly fingerprint: string;
}

const RELATIONS_SQL = `
  SELECT n.nspname AS schema, c.relname AS name, c.relkind AS kind,
         EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i') AND d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass) AS owned,
         COALESCE((SELECT array_agg(a.attname ORDER BY k.ord) FROM pg_index i CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
                   JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum WHERE i.indrelid = c.oid AND i.indisprimary), '{}') AS key
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p', 'S') AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND n.nspname NOT LIKE 'pg\\_temp%' AND n.nspname NOT LIKE 'pg\\_toast%'
  ORDER BY n.nspname, c.relname`;

/** Seeded replacements of the functions that read the OS random source (random() follows setseed()). */
const DETERMINISTIC_FUNCTIONS = `
CREATE OR REPLACE FUNCTION pg_catalog.gen_random_uuid() RETURNS uuid LANGUAGE sql VOLATILE AS $$
  SELECT (lpad(to_hex(floor(random() * 4294967296)::bigint), 8, '0') || lpad(to_hex(floor(random() * 65536)::int), 4, '0') || '4'
    || lpad(to_hex(floor(random() * 4096)::int), 3, '0') || to_hex(8 + floor(random() * 4)::int) || lpad(to_hex(floor(random() * 4096)::int), 3, '0')
    || lpad(to_hex(floor(random() * 281474976710656)::bigint), 12, '0'))::uuid $$;
CREATE OR REPLACE FUNCTION pg_catalog.uuidv4() RETURNS uuid LANGUAGE sql VOLATILE AS $$ SELECT pg_catalog.gen_random_uuid() $$;
CREATE OR REPLACE FUNCTION pg_catalog.uuidv7() RETURNS uuid LANGUAGE sql VOLATILE AS $$
  SELECT (lpad(to_hex(floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint), 12, '0') || '7'
    || lpad(to_hex(floor(random() * 4096)::int), 3, '0') || to_hex(8 + floor(random() * 4)::int) || lpad(to_hex(floor(random() * 4096)::int), 3, '0')
    || lpad(to_hex(floor(random() * 281474976710656)::bigint), 12, '0'))::uuid $$;`;

/** Values as the tables are compared: int8 and numeric as numbers (node-postgres gives the user strings). */
const SNAPSHOT_PARSERS = { 20: (v: string) => Number(v), 1700: (v: string) => Number(v) };

function quote(identifier: string): string {
  return `"${identifier.replace(/"/g, '""')}"`;
}

/**
 * What hbsim uses of a PGlite instance. Declared here, not imported, so that hbsim's published
 * types do not reach PGlite's (which need @types/emscripten, a package users do not have).
 */
export interface EngineDb {
  exec(sql: string): Promise<unknown>;
  query<R = Record<string, unknown>>(sql: string, params?: unknown[], options?: { parsers?: Record<number, (value: string, typeId: number) => unknown> }): Promise<EngineResults<R>>;
  isInTransaction(): boolean;
}

/** A PGlite query's answer (the fields hbsim reads). */
export interface EngineResults<R> {
  readonly rows: R[];
  readonly affectedRows?: number;
  readonly fields: { readonly name: string; readonly dataTypeID: number }[];
}

export class PgEngine {
  private layout: Layout | undefined;
  private schema: string | undefined;
  /** Work handed to the engine and not finished yet (a query of the simulation). */
  busy = 0;

  private constructor(readonly db: EngineDb) {}

  static async create(): Promise<PgEngine> {
    const { PGlite } = await import('@electric-sql/pglite');
    const db = await PGlite.create();
    await db.exec(DETERMINISTIC_FUNCTIONS);
    return new PgEngine(db);
  }

  /** Put the database in the state a run starts from: `database`'s schema and seed rows; random() seeded from `seed`. */
  async reset(database: NormalizedDatabase, seed: number): Promise<void> {
    const db = this.db;
    if (db.isInTransaction()) await db.exec('ROLLBACK');
    if (this.schema !== database.schema || this.layout === undefined || (await this.readLayout()).fingerprint !== this.layout.fingerprint) {
      await this.load(database.schema);
    }
    const layout = this.layout!;
    const statements: string[] = [];
    if (layout.tables.length > 0) statements.push(`TRUNCATE ${layout.tables.map((t) => t.sql).join(', ')} RESTART IDENTITY CASCADE`);
    for (const s of layout.sequences) statements.push(`SELECT setval('${s.sql.replace(/'/g, "''")}', ${s.last}, ${s.called})`);
    statements.push(`SELECT setseed(${((seed >>> 0) / 4294967296) * 2 - 1})`);
    await db.exec(statements.join(';\n'));
    if (database.seed.trim() !== '') {
      try {
        await db.exec(database.seed);
      } catch (error) {
        throw new Error(`database.seed failed: ${(error as Error).message}`);
      }
    }
  }

  private async load(schema: string): Promise<void> {
    const db = this.db;
    this.schema = undefined;
    this.layout = undefined;
    const current = await this.readLayout();
    const schemas = new Set(current.tables.map((t) => t.sql.split('.')[0]!));
    for (const s of current.sequences) schemas.add(s.sql.split('.')[0]!);
    schemas.delete('"public"');
    await db.exec([...[...schemas].map((s) => `DROP SCHEMA ${s} CASCADE`), 'DROP SCHEMA IF EXISTS public CASCADE', 'CREATE SCHEMA public'].join(';\n'));
    try {
      await db.exec(schema);
    } catch (error) {
      throw new Error(`database.schema failed: ${(error as Error).message}`);
    }
    this.layout = await this.readLayout();
    this.schema = schema;
  }

  private async readLayout(): Promise<Layout> {
    const res = await this.db.query<{ schema: string; name: string; kind: string; owned: boolean; key: string[] }>(RELATIONS_SQL);
    const tables: (Relation & { key: readonly string[] })[] = [];
    const sequences: (Relation & { last: string; called: boolean })[] = [];
    for (const r of res.rows) {
      const sql = `${quote(r.schema)}.${quote(r.name)}`;
      const name = r.schema === 'public' ? r.name : `${r.schema}.${r.name}`;
      if (r.kind === 'S') {
        if (r.owned) continue;
        const state = await this.db.query<{ last_value: string; is_called: boolean }>(`SELECT last_value::text AS last_value, is_called FROM ${sql}`);
        sequences.push({ sql, name, last: state.rows[0]!.last_value, called: state.rows[0]!.is_called });
      } else tables.push({ sql, name, key: r.key });
    }
    const fingerprint = res.rows.map((r) => `${r.schema}.${r.name}:${r.kind}`).join(',');
    return { tables, sequences, fingerprint };
  }

  /** Every user table, rows keyed by primary key, values as JSON-like data. */
  async snapshot(ignoreColumns: readonly string[] = []): Promise<DatabaseSnapshot> {
    const out = new Map<string, TableSnapshot>();
    for (const t of this.layout?.tables ?? []) {
      const order = t.key.length > 0 ? ` ORDER BY ${t.key.map(quote).join(', ')}` : '';
      const res: EngineResults<Record<string, unknown>> = await this.db.query(`SELECT * FROM ${t.sql}${order}`, [], { parsers: SNAPSHOT_PARSERS });
      const rows = new Map<string, Record<string, unknown>>();
      for (const row of res.rows) {
        const plain = plainRow(row);
        let key = t.key.length > 0 ? t.key.map((k) => `${k}=${keyText(plain[k])}`).join(',') : JSON.stringify(plain);
        if (t.key.length === 0) {
          // No primary key: identical rows are told apart by their count.
          let n = 1;
          while (rows.has(`${key}#${n}`)) n++;
          key = `${key}#${n}`;
        }
        rows.set(key, plain);
      }
      const volatile = res.fields.filter((f) => f.dataTypeID === 1114 || f.dataTypeID === 1184 || ignoreColumns.includes(`${t.name}.${f.name}`)).map((f) => f.name);
      out.set(t.name, { table: t.name, key: t.key, volatile, rows });
    }
    return out;
  }
}

function keyText(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** Dates as ISO strings, bytes as hex: values that compare with isDeepStrictEqual and print. */
function plainRow(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) {
    if (v instanceof Date) out[k] = v.toISOString();
    else if (v instanceof Uint8Array) out[k] = `\\x${Buffer.from(v).toString('hex')}`;
    else if (typeof v === 'bigint') out[k] = v.toString();
    else out[k] = v;
  }
  return out;
}

let engine: Promise<PgEngine> | undefined;

/** This thread's engine (made on first use). */
export function threadEngine(): Promise<PgEngine> {
  engine ??= PgEngine.create().catch((error: unknown) => {
    engine = undefined;
    throw error;
  });
  return engine;
}
