/**
 * Account balances kept in Postgres, done right: each page's records are first inserted into a
 * dedupe table (`applied_records`, ON CONFLICT DO NOTHING); only the records that were new add
 * to the balances, in the same statement, in the same transaction. A page redone after a crash
 * between COMMIT and the heartbeat adds nothing twice.
 *
 *   npx hbsim check examples/postgres/balances.ts
 *
 * Expected verdict: every property holds. The broken version:
 * examples/broken/postgres/balance-without-dedupe.ts.
 */
import { activityInfo, heartbeat } from '@temporalio/activity';
import { defineScenario } from 'hbsim';
import { inTransaction, type Db, type Deps } from './activities.js';

export const BALANCES_SCHEMA = `
  CREATE TABLE accounts (id text PRIMARY KEY, balance bigint NOT NULL);
  CREATE TABLE applied_records (key text PRIMARY KEY);
`;
export const BALANCES_SEED = `INSERT INTO accounts SELECT 'acc-' || i, 0 FROM generate_series(0, 9) AS i`;

export function createBalanceActivities({ pool, ledger, pageSize }: Deps & { pool: Db }) {
  return {
    async applyLedger(): Promise<number> {
      let offset = (activityInfo().heartbeatDetails as number | undefined) ?? 0;
      while (offset < ledger.size) {
        const page = await ledger.read(offset, pageSize);
        await inTransaction(pool, (tx) =>
          tx.query(
            `WITH fresh AS (
               INSERT INTO applied_records (key) SELECT unnest($1::text[]) ON CONFLICT DO NOTHING RETURNING key)
             UPDATE accounts a SET balance = a.balance + s.total
             FROM (SELECT r.account, sum(r.amount) AS total
                   FROM unnest($1::text[], $2::text[], $3::bigint[]) AS r(key, account, amount) JOIN fresh USING (key)
                   GROUP BY r.account) s
             WHERE a.id = s.account`,
            [page.map((r) => r.key), page.map((r) => `acc-${r.offset % 10}`), page.map((r) => r.amount)],
          ),
        );
        offset = page[page.length - 1]!.offset + 1;
        heartbeat(offset);
      }
      return offset;
    },
  };
}

export default defineScenario({
  name: 'postgres-balances',
  api: 'temporal',
  records: 200,
  params: { pageSize: 20 },
  database: { schema: BALANCES_SCHEMA, seed: BALANCES_SEED },
  options: { startToCloseTimeout: '10m', heartbeatTimeout: '10s', retry: { initialInterval: '1s', maximumAttempts: 20 } },
  progress: (details: number | undefined) => details ?? 0,
  activity: (world, params) => createBalanceActivities({ pool: world.pg, ledger: world.source, pageSize: Number(params.pageSize) }).applyLedger,
});
