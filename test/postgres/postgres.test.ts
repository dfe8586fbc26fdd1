/**
 * The simulated Postgres (sim/services/postgres.ts) over a real engine, made once for this file:
 * statements as simulated calls with crash points before and after they run, transactions rolled
 * back by the server when the connection dies, transient faults as real Postgres errors, zombie
 * statements (C5), determinism, the reset between runs, and end-to-end checks of the examples
 * (the correct statements job, every broken one).
 */
import { describe, expect, test } from 'vitest';
import { defineScenario, simulate, type NativeScenario } from '../../src/index.js';
import { normalizeScenario } from '../../src/scenario.js';
import { caseAt, runCheck } from '../../properties/check.js';
import { planSpaceOf } from '../../properties/arbitraries/fault-plan.js';
import { databaseViolation } from '../../properties/database-diff.js';
import type { PgPool, PgTransientFault } from '../../src/postgres-api.js';
import type { SimulationResult } from '../../sim/simulation.js';
import { eventsOf } from '../sim/helpers.js';
import { writtenSummary } from '../../app/cli/check-command.js';
import { completes } from '../../properties/checkers/completes.js';
import { runScenario } from '../../sim/simulate.js';

const SCHEMA = `
  CREATE TABLE items (id int PRIMARY KEY, v int NOT NULL);
  CREATE TABLE log (n serial PRIMARY KEY, at timestamptz NOT NULL DEFAULT now(), r float8 NOT NULL DEFAULT random(), u uuid NOT NULL DEFAULT gen_random_uuid(), note text);
  CREATE SEQUENCE tickets START 100;
`;

/** A native scenario over the schema: statement latency 2 ms (arrives after 1 ms, answered after 2 ms). */
function scenario(body: (pg: PgPool, ctx: Parameters<NativeScenario['activity']> extends never ? never : any) => Promise<unknown>, extra: Partial<NativeScenario> = {}, faults?: PgTransientFault[]): NativeScenario {
  return defineScenario({
    name: 'pg',
    records: 0,
    database: { schema: SCHEMA, seed: 'INSERT INTO items VALUES (1, 10), (2, 20)', latency: 2, ...(faults ? { faults } : {}) },
    options: { startToCloseTimeout: '1m', retry: { initialInterval: '1s', maximumAttempts: 3 } },
    ...extra,
    activity: (world) => (ctx) => body(world.pg, ctx),
  });
}

function rows(r: SimulationResult, table: string): unknown[] {
  return [...r.database!.get(table)!.rows.values()];
}

function sql(r: SimulationResult): string[] {
  return eventsOf(r, 'sql').map((e) => `${e.t} a${e.attempt} ${e.sql} -> ${e.outcome}`);
}

describe('statements are simulated calls', () => {
  test('query(text, values) -> { rows, rowCount } as node-postgres; int8/numeric as strings; each statement reaches the server after half its latency', async () => {
    let seen: unknown;
    const r = await simulate(scenario(async (pg) => {
      const up = await pg.query('UPDATE items SET v = v + $1 WHERE id = $2', [5, 1]);
      const sel = await pg.query<{ id: number; v: number; big: string; num: string }>({ text: 'SELECT id, v, 7::int8 AS big, 2.5::numeric AS num FROM items ORDER BY id' });
      seen = { up: [up.command, up.rowCount], sel: [sel.command, sel.rowCount, sel.rows[0]], at: Date.now() };
      return 'ok';
    }), { seed: 1 });
    expect(r.outcome.status).toBe('completed');
    expect(seen).toEqual({ up: ['UPDATE', 1], sel: ['SELECT', 2, { id: 1, v: 15, big: '7', num: '2.5' }], at: expect.any(Number) });
    // attempt starts at t=s; each statement: arrives +1, answered +2.
    const [a, b] = eventsOf(r, 'sql');
    expect(b!.t - a!.t).toBe(2);
    expect(rows(r, 'items')).toEqual([{ id: 1, v: 15 }, { id: 2, v: 20 }]);
  });

  test('a crash before a statement reaches the server: it never runs', async () => {
    const body = async (pg: PgPool) => {
      await pg.query('INSERT INTO items VALUES (3, 30)');
      await pg.query('INSERT INTO items VALUES (4, 40) ON CONFLICT DO NOTHING');
      return 'ok';
    };
    const r = await simulate(scenario(body), { seed: 1, faults: [{ kind: 'crash', beforeEffect: 1 }] });
    // Attempt 1's first INSERT was lost; attempt 2 ran both.
    expect(eventsOf(r, 'sql').map((e) => e.attempt)).toEqual([2, 2]);
    expect(rows(r, 'items')).toEqual([{ id: 1, v: 10 }, { id: 2, v: 20 }, { id: 3, v: 30 }, { id: 4, v: 40 }]);
  });

  test('a crash after a statement ran, before its answer: it stays done (the retry then hits the duplicate key)', async () => {
    const r = await simulate(scenario(async (pg) => pg.query('INSERT INTO items VALUES (3, 30)').then(() => 'ok')), { seed: 1, faults: [{ kind: 'crash', afterEffect: 1 }] });
    expect(sql(r)[0]).toMatch(/a1 INSERT INTO items VALUES \(3, 30\) -> INSERT 1/);
    expect(sql(r)[1]).toMatch(/a2 INSERT .* failed: 23505 duplicate key value violates unique constraint/);
    expect(rows(r, 'items')).toContainEqual({ id: 3, v: 30 });
    // The error is node-postgres's class, DatabaseError (a failure's type is its class name, R6), with the server's fields.
    expect(r.attempts[1]!.how).toMatch(/failed: DatabaseError: duplicate key value violates unique constraint "items_pkey"/);
  });

  test('a crash inside an open transaction: the server rolls it back (the connection died)', async () => {
    const body = async (pg: PgPool, ctx: any) => {
      if (ctx.info.attempt === 1) {
        const c = await pg.connect();
        await c.query('BEGIN');
        await c.query('UPDATE items SET v = 99 WHERE id = 1');
        await c.query('INSERT INTO items VALUES (3, 30)');
        await c.query('COMMIT');
        c.release();
      }
      return (await pg.query('SELECT count(*)::int AS n FROM items')).rows[0];
    };
    const r = await simulate(scenario(body), { seed: 1, faults: [{ kind: 'crash', afterEffect: 3 }] });
    expect(r.outcome).toMatchObject({ status: 'completed', result: { n: 2 } });
    expect(sql(r).join('\n')).toMatch(/a0 ROLLBACK -> server rolled back the open transaction: its worker process died/);
    expect(rows(r, 'items')).toEqual([{ id: 1, v: 10 }, { id: 2, v: 20 }]);
  });

  test("a zombie's statements still reach the database (C5)", async () => {
    const body = async (pg: PgPool, ctx: any) => {
      const attempt = ctx.info.attempt as number;
      for (let i = 0; i < 5; i++) {
        await pg.query('INSERT INTO log (note) VALUES ($1)', [`attempt ${attempt} step ${i}`]);
        await new Promise((resolve) => setTimeout(resolve, 1000));
        ctx.heartbeat(i);
      }
      return attempt;
    };
    // Partitioned from the server: its heartbeats fail, the server times the attempt out, the worker keeps writing.
    const r = await simulate(scenario(body, { options: { startToCloseTimeout: '1m', heartbeatTimeout: '2s', retry: { initialInterval: '1s', maximumAttempts: 3 } } }), { seed: 1, faults: [{ kind: 'partition', at: 500, durationMs: 60_000 }] });
    const notes = rows(r, 'log').map((x) => (x as { note: string }).note);
    expect(eventsOf(r, 'attemptTimedOut').length).toBeGreaterThan(0);
    expect(notes.filter((n) => n.startsWith('attempt 1')).length).toBe(5);
    expect(notes.some((n) => n.startsWith('attempt 2'))).toBe(true);
  });

  test('statements of another connection wait while a transaction is open, and run once it commits', async () => {
    const order: string[] = [];
    const r = await simulate(scenario(async (pg) => {
      const c = await pg.connect();
      await c.query('BEGIN');
      await c.query('UPDATE items SET v = 11 WHERE id = 1');
      const other = pg.query('SELECT v FROM items WHERE id = 1').then((x) => order.push(`other saw ${x.rows[0]!.v}`));
      await new Promise((resolve) => setTimeout(resolve, 100));
      order.push('commit');
      await c.query('COMMIT');
      c.release();
      await other;
      return 'ok';
    }), { seed: 1 });
    expect(r.outcome.status).toBe('completed');
    expect(order).toEqual(['commit', 'other saw 11']);
  });
});

describe('transient faults are real Postgres errors', () => {
  const attemptTx = async (pg: PgPool) => {
    const c = await pg.connect();
    try {
      await c.query('BEGIN');
      await c.query('UPDATE items SET v = v + 1 WHERE id = 1');
      await c.query('COMMIT');
      c.release();
      return 'ok';
    } catch (error) {
      const e = error as { code?: string; message: string };
      try {
        await c.query('ROLLBACK');
        c.release();
      } catch {
        c.release(true);
      }
      return `${e.code}: ${e.message}`;
    }
  };
  test.each([
    ['serialization_failure', /^40001: could not serialize access/, 10],
    ['admin_shutdown', /^57P01: terminating connection due to administrator command/, 10],
    ['connection_reset', /^ECONNRESET: read ECONNRESET/, 10],
  ] as const)('%s on the UPDATE: the user sees %s, the transaction is rolled back', async (kind, message, v) => {
    const r = await simulate(scenario(attemptTx, {}, [kind]), { seed: 1, faults: [{ kind: 'transient', call: 2 }] });
    expect(r.outcome).toMatchObject({ status: 'completed' });
    expect(String((r.outcome as { result: unknown }).result)).toMatch(message);
    expect(rows(r, 'items')[0]).toEqual({ id: 1, v });
  });

  test('a failed statement whose connection goes back to the pool without ROLLBACK: every later statement fails 25P02, and completes says what to do about it', async () => {
    const noRollback = scenario(async (pg) => {
      const c = await pg.connect();
      try {
        await c.query('BEGIN');
        await c.query('UPDATE items SET v = v + 1 WHERE id = 1');
        await c.query('COMMIT');
      } finally {
        c.release(); // BUG: no ROLLBACK (nor release(err)) when a statement failed
      }
    }, {}, ['serialization_failure']);
    const s = normalizeScenario(noRollback);
    const plan = [{ kind: 'transient', call: 2 }] as const;
    const reference = await runScenario(s, { seed: 1 });
    const run = await runScenario(s, { seed: 1, faults: [...plan] });
    expect(run.attempts.slice(1).every((a) => a.how.includes('current transaction is aborted'))).toBe(true);
    const v = completes.check({ scenario: s, reference, run, plan: [...plan] });
    expect(v?.details.join('\n')).toContain('ROLLBACK before release(), or release(err) so the pool discards the connection');
    // The same activity with ROLLBACK in a catch completes, and the hint never shows on other failures.
    expect((await simulate(scenario(attemptTx, {}, ['serialization_failure']), { seed: 1, faults: [...plan] })).outcome.status).toBe('completed');
    const other = await runScenario(normalizeScenario(scenario(async () => { throw new Error('boom'); })), { seed: 1 });
    expect(completes.check({ scenario: s, reference: other, run: other, plan: [] })?.details.join('\n')).not.toContain('ROLLBACK');
  });

  test('40001 on COMMIT ends the transaction (rolled back)', async () => {
    const r = await simulate(scenario(attemptTx, {}, ['serialization_failure']), { seed: 1, faults: [{ kind: 'transient', call: 3 }] });
    expect(String((r.outcome as { result: unknown }).result)).toMatch(/^40001/);
    expect(rows(r, 'items')[0]).toEqual({ id: 1, v: 10 });
  });

  test('connection reset on a statement outside a transaction: it ran (autocommit), the client only sees the error', async () => {
    const r = await simulate(scenario(async (pg) => pg.query('UPDATE items SET v = 0 WHERE id = 2').then(() => 'ok', (e: { code: string }) => e.code), {}, ['connection_reset']), { seed: 1, faults: [{ kind: 'transient', call: 1 }] });
    expect(r.outcome).toMatchObject({ status: 'completed', result: 'ECONNRESET' });
    expect(rows(r, 'items')[1]).toEqual({ id: 2, v: 0 });
  });
});

describe('determinism and the reset between runs', () => {
  const body = async (pg: PgPool) => {
    await new Promise((resolve) => setTimeout(resolve, 1234));
    await pg.query("INSERT INTO log (note) VALUES ('a'), ('b')");
    const t = await pg.query<{ now: Date; clock: Date; r: number; u: string; s: string }>('SELECT now(), clock_timestamp() AS clock, random() AS r, gen_random_uuid() AS u, nextval(\'tickets\')::text AS s');
    return { ...t.rows[0], now: t.rows[0]!.now.toISOString(), clock: t.rows[0]!.clock.toISOString() };
  };

  test('now(), clock_timestamp() follow the virtual clock; random(), gen_random_uuid(), serials and sequences the seed: same seed, same rows, same digest', async () => {
    const s = scenario(body);
    const a = await simulate(s, { seed: 7 });
    const b = await simulate(s, { seed: 8 });
    const c = await simulate(s, { seed: 7 });
    const result = (x: SimulationResult) => (x.outcome as { result: Record<string, unknown> }).result;
    // now(): when the SELECT reached the server, in virtual time (the scenario's epoch is 2026-01-01).
    const select = eventsOf(a, 'sql').find((e) => e.sql.startsWith('SELECT now()'))!;
    expect(select.t).toBeGreaterThan(1234);
    expect(result(a)['now']).toBe(new Date(Date.UTC(2026, 0, 1) + select.t).toISOString());
    expect(result(a)['clock']).toBe(result(a)['now']);
    expect(result(a)['s']).toBe('100');
    expect(result(c)).toEqual(result(a));
    expect(rows(c, 'log')).toEqual(rows(a, 'log'));
    expect(c.digest).toBe(a.digest);
    expect(result(b)['u']).not.toBe(result(a)['u']);
    expect(rows(a, 'log').map((x) => (x as { n: number }).n)).toEqual([1, 2]);
  });

  test('a run starts from schema + seed rows, whatever the previous run did (tables, serials, sequences, an open transaction)', async () => {
    const messy = scenario(async (pg) => {
      await pg.query("INSERT INTO log (note) SELECT 'x' FROM generate_series(1, 5)");
      await pg.query('DELETE FROM items');
      await pg.query("SELECT nextval('tickets')");
      const c = await pg.connect();
      await c.query('BEGIN');
      await c.query('INSERT INTO items VALUES (9, 9)');
      return 'left a transaction open';
    });
    const before = await simulate(scenario(body), { seed: 3 });
    await simulate(messy, { seed: 3 });
    const after = await simulate(scenario(body), { seed: 3 });
    expect(after.digest).toBe(before.digest);
    expect(rows(after, 'items')).toEqual([{ id: 1, v: 10 }, { id: 2, v: 20 }]);
    expect(rows(after, 'log')).toEqual(rows(before, 'log'));
  });
});

describe('end to end: runCheck on the Postgres examples', () => {
  test('the statements job (upsert, progress in the same transaction, heartbeat after COMMIT) holds', async () => {
    const mod = await import('../../examples/postgres/statements.js');
    const report = await runCheck(normalizeScenario(mod.default), { seed: 3, runs: 25 });
    expect(report.properties.filter((p) => !p.ok).map((p) => `${p.name}: ${p.violation?.summary}`)).toEqual([]);
    // The tables are what is judged: a database-only activity is not "not judged".
    expect(report.properties.filter((p) => p.notJudged !== undefined).map((p) => p.name)).toEqual([]);
  }, 120_000);

  test('heartbeat before COMMIT: a 40001 on the first COMMIT violates no-skipped-records, naming the table, the key and the rolled-back statement', async () => {
    const mod = await import('../../examples/broken/postgres/heartbeat-before-commit.js');
    const reference = await simulate(mod.default, { seed: 1 });
    // World call 4 is the first COMMIT (read, BEGIN, INSERT, COMMIT): a serialization failure there.
    const run = await simulate(mod.default, { seed: 1, faults: [{ kind: 'transient', call: 4 }] });
    const v = databaseViolation('no-skipped-records', reference, run)!;
    expect(v.summary).toMatch(/^row statements\[key=rec-\d+\] is missing: the fault-free run has \{.*\}; no committed statement wrote it/);
    expect(v.details.join('\n')).toMatch(/attempt \d at [\d:.]+: INSERT INTO statements .* -> INSERT 50: rolled back at [\d:.]+/);
    // The correct job under the same fault holds.
    const good = await import('../../examples/postgres/statements.js');
    const goodRef = await simulate(good.default, { seed: 1 });
    expect(databaseViolation('no-skipped-records', goodRef, await simulate(good.default, { seed: 1, faults: [{ kind: 'transient', call: 4 }] }))).toBeUndefined();
  }, 120_000);

  test.each([
    ['balance-without-dedupe', 'idempotent', /^accounts\[id=acc-\d\]\.balance holds \d+ instead of \d+ \(\d+ too much\); committed by \d+ statements: attempt 1 at [\d:.]+: UPDATE accounts SET balance = balance \+ \$1 WHERE id = \$2 \[\d+,"acc-\d"\]/, /attempt 2 .* completed/],
    ['insert-without-on-conflict', 'completes', /failed .* after attempt \d+ \(maximumAttempts \d+ reached\): DatabaseError: duplicate key value violates unique constraint "statements_pkey"/, /crash right after .* #\d+ applied/],
    ['transaction-spans-heartbeat', 'no-skipped-records', /^row statements\[key=rec-\d+\] is missing/, /rolled back/],
  ] as const)('broken/postgres/%s: plain check fails %s only, naming the table, the key and the statements', async (file, violated, summary, details) => {
    const mod = (await import(`../../examples/broken/postgres/${file}.ts`)) as { default: unknown };
    const report = await runCheck(normalizeScenario(mod.default), { seed: 1, runs: 60 });
    const failed = report.properties.filter((p) => !p.ok);
    expect(failed.map((p) => p.name)).toEqual([violated]);
    const v = failed[0]!.violation!;
    expect(v.summary).toMatch(summary);
    expect(v.details.join('\n')).toMatch(details);
  }, 120_000);

  test('heartbeat before COMMIT: plain check fails no-skipped-records on the first COMMIT at seed 7, where random drawing alone (the search before boundary places) holds on 200 runs: a false pass', async () => {
    const mod = await import('../../examples/broken/postgres/heartbeat-before-commit.js');
    const scenario = normalizeScenario(mod.default);
    const found = await runCheck(scenario, { seed: 7, runs: 200, properties: ['no-skipped-records'] });
    const v = found.properties[0]!;
    expect(v.ok).toBe(false);
    // The boundary place tried first: a 40001 on the first COMMIT (world call 4: read, BEGIN, INSERT, COMMIT).
    expect(v.plan).toEqual([{ kind: 'transient', call: 4 }]);
    expect(v.path).toBe('0');
    expect(v.violation!.summary).toMatch(/^row statements\[key=rec-\d+\] is missing/);
    // Replay by seed and path lands on the same case.
    const space = planSpaceOf(scenario, found.reference);
    expect(await caseAt(space, 3, 7, v.path!)).toEqual({ world: 0, plan: [{ kind: 'transient', call: 4 }] });
    // The same seed and runs with random draws only: no case puts a transient fault on that COMMIT, and the check passes.
    const uniform = await runCheck(scenario, { seed: 7, runs: 200, properties: ['no-skipped-records'], boundaries: false });
    expect(uniform.properties[0]!.ok).toBe(true);
    expect(uniform.coverage.kinds.find((k) => k.kind === 'transient')!.parts!.find((p) => p.label.startsWith('COMMIT'))).toMatchObject({ total: 4 });
  }, 120_000);
});

describe('any client: a user object behind the simulator, and fetch routes', () => {
  class Store {
    readonly objects = new Map<string, { body: string }>();
    async putObject(key: string, body: string): Promise<{ etag: string }> {
      this.objects.set(key, { body });
      return { etag: `e-${this.objects.size}` };
    }
  }
  const storeScenario = (body: (store: Store) => Promise<unknown>) =>
    defineScenario({
      name: 'store',
      records: 0,
      services: { store: { create: () => new Store(), snapshot: (s: Store) => s.objects, latency: 2 } },
      options: { startToCloseTimeout: '1m', retry: { initialInterval: '1s', maximumAttempts: 3 } },
      activity: (world) => () => body(world.service<Store>('store')),
    });

  test("each async method is a simulated call: its effect at the fake after half its latency; crash before it (lost), after it (done, answer lost); a transient fault throws TransientError with no effect; the fake's state is compared like a table", async () => {
    const s = storeScenario(async (store) => {
      await store.putObject('a', 'A');
      try {
        await store.putObject('b', 'B');
      } catch (error) {
        return (error as Error).message;
      }
      return 'ok';
    });
    const plain = await simulate(s, { seed: 1 });
    expect(eventsOf(plain, 'call').map((e) => [e.method, e.args, e.outcome])).toEqual([['putObject', ['a', 'A'], 'ok'], ['putObject', ['b', 'B'], 'ok']]);
    expect([...plain.database!.get('service:store')!.rows.keys()]).toEqual(['a', 'b']);
    const before = await simulate(s, { seed: 1, faults: [{ kind: 'crash', beforeEffect: 1 }] });
    expect(eventsOf(before, 'call').map((e) => e.attempt)).toEqual([2, 2]);
    const after = await simulate(s, { seed: 1, faults: [{ kind: 'crash', afterEffect: 1 }] });
    expect(eventsOf(after, 'call').map((e) => e.attempt)).toEqual([1, 2, 2]);
    const transient = await simulate(s, { seed: 1, faults: [{ kind: 'transient', call: 2 }] });
    expect(transient.outcome).toMatchObject({ status: 'completed', result: 'store.putObject() failed: injected transient error' });
    expect([...transient.database!.get('service:store')!.rows.keys()]).toEqual(['a']);
  });

  test('fetch to a route no service declares fails loudly (real network I/O escapes the simulation)', async () => {
    const r = await simulate(defineScenario({
      name: 'escape',
      records: 0,
      options: { startToCloseTimeout: '1m', retry: { initialInterval: '1s', maximumAttempts: 1 } },
      activity: () => async () => (await fetch('https://api.example.com/rates')).json(),
    }), { seed: 1 });
    expect(r.outcome.status).toBe('failed');
    expect(r.attempts[0]!.how).toMatch(/hbsim: fetch\(GET https:\/\/api\.example\.com\/rates\) escapes the simulation/);
    expect(r.warnings.join('\n')).toMatch(/fetch\(GET https:\/\/api\.example\.com\/rates\) .* would be real network I\/O/);
    expect(globalThis.fetch.toString()).not.toMatch(/this\.fetch/); // restored after the run
  });

  test('a Temporal createActivities({ pool, http }) activity with a pg pool and a fetch-based HTTP client runs unmodified, and holds', async () => {
    const mod = await import('../../examples/postgres/payouts.js');
    const r = await simulate(mod.default, { seed: 1 });
    expect(r.outcome).toMatchObject({ status: 'completed', result: { paid: 30 } });
    expect(r.database!.get('service:bank')!.rows.size).toBe(30);
    expect([...r.database!.get('payouts')!.rows.values()].every((p) => typeof p['transfer_id'] === 'string')).toBe(true);
    const report = await runCheck(normalizeScenario(mod.default), { seed: 2, runs: 8 });
    expect(report.properties.filter((p) => !p.ok).map((p) => `${p.name}: ${p.violation?.summary}`)).toEqual([]);
  }, 120_000);

  test("check's header counts what the fault-free run wrote apart: rows and SQL statements, a service's entries and calls (a bank call is not a SQL statement, the bank not a table)", async () => {
    const mod = await import('../../examples/postgres/payouts.js');
    const r = await simulate(mod.default, { seed: 1 });
    // 3 page SELECTs + 30 UPDATEs + 1 count; 30 POSTs to the bank.
    expect(writtenSummary(r)).toBe('30 rows in 1 table, 34 SQL statements, 30 entries in bank, 30 service calls');
  }, 60_000);

  test('the same activity against a bank that ignores the Idempotency-Key is caught on idempotent, naming the bank\'s extra transfer', async () => {
    const mod = await import('../../examples/postgres/payouts.js');
    const broken = {
      ...mod.default,
      name: 'payouts-bank-without-dedupe',
      services: {
        bank: {
          create: () => new mod.FakeBank(),
          snapshot: (bank: InstanceType<typeof mod.FakeBank>) => bank.transfers,
          routes: { 'POST https://bank.test/transfers': (bank: InstanceType<typeof mod.FakeBank>, req: { body: unknown }) => ({ status: 201, body: bank.transfer(`t-${bank.transfers.size + 1}`, req.body as { account: string; amount: number }) }) },
        },
      },
    };
    const report = await runCheck(normalizeScenario(broken), { seed: 1, runs: 40, properties: ['idempotent'] });
    const v = report.properties[0]!.violation!;
    // An extra transfer at the bank (the one a retry made for a payout already paid), and a payout row holding the second transfer's id.
    expect(v.summary).toMatch(/^row service:bank\[t-\d+\] \{"id":"tr-\d+","account":"acc-\d","amount":\d+\} is extra: the fault-free run never writes it \(and \d+ more rows or columns like it\)/);
    expect(report.properties[0]!.result!.database!.get('payouts')).toBeDefined();
  }, 120_000);
});
