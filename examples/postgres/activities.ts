/**
 * A user's activities module, written as Temporal users write them: a `createActivities(deps)`
 * factory over a node-postgres pool, with no reference to hbsim. `Db` is the slice of `pg.Pool`
 * the code uses (a real `new Pool()` satisfies it as well as hbsim's `world.pg`).
 *
 * The monthly statements job: read the month's ledger records page by page, upsert one
 * statement row per record and the job's progress in ONE transaction, heartbeat the offset only
 * after COMMIT. A retry resumes from the last heartbeat; a page redone after a crash between
 * COMMIT and the heartbeat is upserted again: same rows, same values.
 */
import { activityInfo, heartbeat } from '@temporalio/activity';

export interface QueryResultLike<R> {
  rows: R[];
  rowCount: number | null;
}
export interface Queryable {
  query<R = Record<string, unknown>>(text: string, values?: readonly unknown[]): Promise<QueryResultLike<R>>;
}
export interface Db extends Queryable {
  connect(): Promise<Queryable & { release(err?: Error | boolean): void }>;
}

export interface LedgerRecord {
  readonly offset: number;
  readonly key: string;
  readonly amount: number;
}

export interface Deps {
  readonly pool: Db;
  /** Where the ledger comes from (a paged API or table). */
  readonly ledger: { readonly size: number; read(offset: number, limit: number): Promise<LedgerRecord[]> };
  readonly pageSize: number;
}

export interface Progress {
  offset: number;
}

/** Run `fn` in a transaction on a dedicated connection: the pattern from the node-postgres docs. */
export async function inTransaction<T>(pool: Db, fn: (client: Queryable) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    client.release();
    return result;
  } catch (error) {
    // A failed ROLLBACK means the connection is broken: release it with the error (pg closes it).
    try {
      await client.query('ROLLBACK');
      client.release();
    } catch (rollbackError) {
      client.release(rollbackError as Error);
    }
    throw error;
  }
}

export function createActivities({ pool, ledger, pageSize }: Deps) {
  return {
    async generateStatements(month: string): Promise<{ statements: number }> {
      const progress: Progress = { offset: (activityInfo().heartbeatDetails as Progress | undefined)?.offset ?? 0 };
      while (progress.offset < ledger.size) {
        const page = await ledger.read(progress.offset, pageSize);
        const next = page[page.length - 1]!.offset + 1;
        await inTransaction(pool, async (tx) => {
          await tx.query(
            `INSERT INTO statements (key, month, amount)
             SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[])
             ON CONFLICT (key) DO UPDATE SET month = EXCLUDED.month, amount = EXCLUDED.amount`,
            [page.map((r) => r.key), page.map(() => month), page.map((r) => r.amount)],
          );
          await tx.query(
            `INSERT INTO job_progress (job, next_offset) VALUES ($1, $2)
             ON CONFLICT (job) DO UPDATE SET next_offset = EXCLUDED.next_offset`,
            [`statements-${month}`, next],
          );
        });
        progress.offset = next;
        heartbeat(progress); // after COMMIT: the details never run ahead of the rows
      }
      return { statements: progress.offset };
    },
  };
}
