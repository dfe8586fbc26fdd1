/**
 * A user's activities module with two real dependencies, as Temporal users write it: a
 * node-postgres pool and an HTTP client (a thin wrapper over global `fetch`). No reference to
 * hbsim: examples/postgres/payouts.ts runs it unmodified.
 *
 * Pay out every pending payout: read pending rows from Postgres page by page after the last
 * heartbeated id, ask the bank for a transfer (the payout id as the Idempotency-Key, so that a
 * transfer retried after a crash is not paid twice), record the transfer id, heartbeat. The
 * result counts the payouts paid in the table, not in this attempt: a retry returns the same.
 */
import { activityInfo, heartbeat } from '@temporalio/activity';
import type { Db } from './activities.js';

export interface HttpClient {
  postJson<T>(path: string, body: unknown, headers?: Record<string, string>): Promise<T>;
}

/** The user's HTTP client: JSON over fetch, an error for a non-2xx answer. */
export function fetchClient(baseUrl: string): HttpClient {
  return {
    async postJson<T>(path: string, body: unknown, headers: Record<string, string> = {}): Promise<T> {
      const res = await fetch(`${baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
      if (!res.ok) throw new Error(`POST ${path}: HTTP ${res.status}`);
      return (await res.json()) as T;
    },
  };
}

export function createActivities({ pool, http, pageSize = 20 }: { pool: Db; http: HttpClient; pageSize?: number }) {
  return {
    async payOutPending(): Promise<{ paid: number }> {
      let after = (activityInfo().heartbeatDetails as number | undefined) ?? 0;
      for (;;) {
        const { rows } = await pool.query<{ id: number; account: string; amount: string }>(
          'SELECT id, account, amount FROM payouts WHERE transfer_id IS NULL AND id > $1 ORDER BY id LIMIT $2',
          [after, pageSize],
        );
        if (rows.length === 0) {
          const done = await pool.query<{ paid: number }>('SELECT count(*)::int AS paid FROM payouts WHERE transfer_id IS NOT NULL');
          return { paid: done.rows[0]!.paid };
        }
        for (const p of rows) {
          const transfer = await http.postJson<{ id: string }>('/transfers', { account: p.account, amount: Number(p.amount) }, { 'idempotency-key': `payout-${p.id}` });
          await pool.query('UPDATE payouts SET transfer_id = $1 WHERE id = $2', [transfer.id, p.id]);
          after = p.id;
          heartbeat(after);
        }
      }
    },
  };
}
