/**
 * The simulated Postgres judged like the sink: every table of a run compared with the same
 * table after the fault-free reference run, row by row (rows keyed by primary key), column by
 * column. A missing row, a numeric column below the reference or a column left NULL that the
 * reference filled in is a skipped record; an extra
 * row, a numeric column above the reference, or another value is an idempotency violation.
 * Explanations name the table, the key, the column, and the statements (with their SQL, attempt
 * and time) that wrote that row and were committed, or were rolled back.
 */
import { isDeepStrictEqual } from 'node:util';
import type { DatabaseSnapshot } from '../src/postgres-api.js';
import type { SimulationResult } from '../sim/simulation.js';
import { formatTime, oneLine, showParams, type TraceEvent } from '../sim/trace.js';
import { describeAttempts, describeFaultEvents, show } from './explain.js';
import { ABORTED_CALL, serviceOfTable } from '../sim/services/client-service.js';
import type { Violation } from './types.js';

type Sql = Extract<TraceEvent, { type: 'sql' }>;
type Call = Extract<TraceEvent, { type: 'call' }>;

export type RowDiff =
  | { readonly kind: 'missingRow'; readonly table: string; readonly key: string; readonly expected: Readonly<Record<string, unknown>> }
  | { readonly kind: 'extraRow'; readonly table: string; readonly key: string; readonly got: Readonly<Record<string, unknown>> }
  /** A column the fault-free run filled in and this run left NULL: work not done (a skipped record). */
  | { readonly kind: 'unset'; readonly table: string; readonly key: string; readonly column: string; readonly got: unknown; readonly expected: unknown }
  | { readonly kind: 'below' | 'above' | 'differs'; readonly table: string; readonly key: string; readonly column: string; readonly got: unknown; readonly expected: unknown };

/** Every difference between `run`'s tables and `reference`'s, tables and keys in order. */
export function diffDatabases(reference: DatabaseSnapshot, run: DatabaseSnapshot): RowDiff[] {
  const out: RowDiff[] = [];
  for (const [name, ref] of reference) {
    const got = run.get(name);
    if (got === undefined) continue;
    for (const [key, expected] of ref.rows) {
      const row = got.rows.get(key);
      if (row === undefined) {
        out.push({ kind: 'missingRow', table: name, key, expected });
        continue;
      }
      for (const column of Object.keys(expected)) {
        if (ref.volatile.includes(column)) continue;
        const e = expected[column];
        const g = row[column];
        if (typeof e === 'number' && typeof g === 'number') {
          if (g < e) out.push({ kind: 'below', table: name, key, column, got: g, expected: e });
          else if (g > e) out.push({ kind: 'above', table: name, key, column, got: g, expected: e });
        } else if (g === null && e !== null) out.push({ kind: 'unset', table: name, key, column, got: g, expected: e });
        else if (!isDeepStrictEqual(g, e)) out.push({ kind: 'differs', table: name, key, column, got: g, expected: e });
      }
    }
    for (const [key, row] of got.rows) if (!ref.rows.has(key)) out.push({ kind: 'extraRow', table: name, key, got: row });
  }
  return out;
}

/** The database's verdict on `property`, or undefined if it holds (or the run has no database). */
export function databaseViolation(property: 'idempotent' | 'no-skipped-records', reference: SimulationResult, run: SimulationResult): Violation | undefined {
  if (reference.database === undefined || run.database === undefined) return undefined;
  const diffs = diffDatabases(reference.database, run.database).filter((d) =>
    property === 'no-skipped-records' ? d.kind === 'missingRow' || d.kind === 'below' || d.kind === 'unset' : d.kind === 'extraRow' || d.kind === 'above' || d.kind === 'differs');
  // The clearest first: a total above the reference (a redone increment), an extra row (a redone insert or call), then other values.
  const rank = { above: 0, extraRow: 1, differs: 2, missingRow: 0, below: 1, unset: 2 } as const;
  diffs.sort((a, b) => rank[a.kind] - rank[b.kind]);
  const d = diffs[0];
  if (d === undefined) return undefined;
  const where = `${d.table}[${d.key}]`;
  let summary: string;
  switch (d.kind) {
    case 'missingRow': summary = `row ${where} is missing: the fault-free run has ${show(d.expected)}`; break;
    case 'extraRow': summary = `row ${where} ${show(d.got)} is extra: the fault-free run never writes it`; break;
    case 'below': summary = `${where}.${d.column} holds ${show(d.got)}, below the ${show(d.expected)} of the fault-free run (${Number(d.expected) - Number(d.got)} missing)`; break;
    case 'unset': summary = `${where}.${d.column} is NULL, where the fault-free run wrote ${show(d.expected)}`; break;
    case 'above': summary = `${where}.${d.column} holds ${show(d.got)} instead of ${show(d.expected)} (${Number(d.got) - Number(d.expected)} too much)`; break;
    case 'differs': summary = `${where}.${d.column} holds ${show(d.got)} instead of ${show(d.expected)}`; break;
  }
  const touching = statementsOn(run, d.table, d.key);
  const committed = touching.filter((s) => s.fate === 'committed');
  const undone = touching.filter((s) => s.fate !== 'committed');
  if (committed.length > 0) summary += `; committed by ${committed.length === 1 ? 'the statement' : `${committed.length} statements`}: ${committed.slice(0, 4).map(describeStatement).join('; ')}${committed.length > 4 ? '; ...' : ''}`;
  else if (d.kind === 'missingRow') summary += '; no committed statement wrote it';
  const more = diffs.length - 1;
  if (more > 0) summary += ` (and ${more} more row${more > 1 ? 's' : ''} or column${more > 1 ? 's' : ''} like it)`;
  const details = [
    ...undone.slice(0, 4).map((s) => `${describeStatement(s)}: ${s.fate}`),
    ...describeFaultEvents(run),
    ...describeAttempts(run),
  ];
  const times = touching.map((s) => s.ev.t);
  return { property, summary, details, keys: [where], times };
}

interface Fated {
  readonly ev: Sql | Call;
  fate: string;
}

/** `attempt 2 at 00:00:31.054: UPDATE accounts SET ... ["acc-1", 500] -> UPDATE 1`. */
function describeStatement(s: Fated): string {
  const e = s.ev;
  if (e.type === 'call') return `attempt ${e.attempt} at ${formatTime(e.t)}: ${e.service}.${e.method.includes(' ') ? `[${e.method}]` : e.method}(${showParams(e.args as unknown[])}) -> ${e.outcome}`;
  return `${e.attempt > 0 ? `attempt ${e.attempt}` : 'the server'} at ${formatTime(e.t)}: ${oneLine(e.sql)}${e.params.length > 0 ? ` ${showParams(e.params)}` : ''} -> ${e.outcome}`;
}

/**
 * The statements that name `key` of `table` (in their text or their parameters, arrays included),
 * each with its fate: committed, rolled back (and why), failed.
 */
export function statementsOn(run: SimulationResult, table: string, key: string): Fated[] {
  const out: Fated[] = [];
  const service = serviceOfTable(table);
  if (service !== undefined) {
    // A service's row: the calls to that service whose arguments name its key (a call the caller
    // aborted is traced again when its request reaches the fake: that one is the effect).
    for (const ev of run.trace) {
      if (ev.type === 'call' && ev.service === service && !ev.outcome.startsWith(ABORTED_CALL) && JSON.stringify(ev.args).includes(JSON.stringify(key).slice(1, -1))) out.push({ ev, fate: ev.outcome.startsWith('failed') ? 'failed' : 'committed' });
    }
    return out;
  }
  const values = keyValues(key);
  const bare = table.includes('.') ? table.slice(table.indexOf('.') + 1) : table;
  for (const s of withFates(run.trace)) {
    // Statements that write (a SELECT only reads), done or failed.
    if (s.ev.type !== 'sql' || /^\s*(SELECT|SHOW|BEGIN|START|COMMIT|END|ROLLBACK|SET)\b/i.test(s.ev.sql)) continue;
    if (!new RegExp(`\\b${escapeRe(bare)}\\b`, 'i').test(s.ev.sql)) continue;
    if (values.every((v) => mentions(s.ev as Sql, v))) out.push(s);
  }
  return out;
}

/** `id=acc-1,day=3` -> ['acc-1', '3']. */
function keyValues(key: string): string[] {
  return key.split(',').map((part) => part.slice(part.indexOf('=') + 1));
}

function mentions(ev: Sql, value: string): boolean {
  const inParams = (v: unknown): boolean => (Array.isArray(v) ? v.some(inParams) : v !== null && v !== undefined && String(v) === value);
  return ev.params.some(inParams) || ev.sql.includes(`'${value}'`) || new RegExp(`\\b${escapeRe(value)}\\b`).test(ev.sql.replace(/'[^']*'/g, '').replace(/\$\d+/g, ''));
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Every statement of the trace, with whether its work was committed (per connection, BEGIN ... COMMIT). */
function withFates(trace: readonly TraceEvent[]): Fated[] {
  const all: Fated[] = [];
  const open = new Map<number, Fated[]>();
  for (const ev of trace) {
    if (ev.type !== 'sql') continue;
    const s: Fated = { ev, fate: 'committed' };
    const tx = open.get(ev.conn);
    const failed = ev.outcome.startsWith('failed');
    if (ev.attempt === 0) {
      // The server rolled back a connection's open transaction.
      for (const x of tx ?? []) x.fate = `rolled back at ${formatTime(ev.t)} (${ev.outcome})`;
      open.delete(ev.conn);
      continue;
    }
    all.push(s);
    if (failed) s.fate = 'failed';
    if (tx === undefined) {
      if (/^BEGIN|^START/i.test(ev.outcome)) {
        s.fate = 'a transaction';
        open.set(ev.conn, [s]);
      }
      continue;
    }
    tx.push(s);
    if (/^COMMIT/.test(ev.outcome)) {
      for (const x of tx) if (x.fate !== 'failed') x.fate = 'committed';
      open.delete(ev.conn);
    } else if (/^ROLLBACK/.test(ev.outcome) || (failed && /\b(ECONNRESET|57P01)\b/.test(ev.outcome))) {
      for (const x of tx) x.fate = `rolled back at ${formatTime(ev.t)}${/^ROLLBACK/.test(ev.outcome) ? '' : ` (${ev.outcome})`}`;
      open.delete(ev.conn);
    } else if (s.fate !== 'failed') s.fate = 'in a transaction';
  }
  for (const tx of open.values()) for (const x of tx) if (x.fate === 'in a transaction' || x.fate === 'a transaction') x.fate = 'never committed';
  return all;
}
